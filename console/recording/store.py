"""The recording file: SQLite (stdlib sqlite3, WAL: a recorder killed at any moment leaves every committed
snapshot readable) with a versioned schema. Times are stored as UTC microseconds since the epoch, indexed, so
finding the snapshot at or before a moment is one index probe whatever the recording's length.

Tables: `meta` (format, schema version, server, created), `dictionaries` (zstd dictionaries, trained from the
recording itself), `snapshots` (one row per refresh: compressed typed panes and facts, or an outage with its
reason), `events` (what happened between snapshots)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import zstandard

from console.infra.errors import ConsoleError
from console.recording import codec
from console.recording.model import Event, Frame, Kind, RecordingInfo, Stored

FORMAT = "obsconsole-recording"
SCHEMA_VERSION = 1
APPLICATION_ID = 0x4F425343  # "OBSC" in the SQLite header: `file` and sqlite3 tell what the file is

_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE dictionaries (id INTEGER PRIMARY KEY, trained_at INTEGER NOT NULL, samples INTEGER NOT NULL,
                           data BLOB NOT NULL);
CREATE TABLE snapshots (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, dictionary INTEGER REFERENCES dictionaries,
                        payload BLOB, error TEXT, raw_bytes INTEGER);
CREATE INDEX snapshots_at ON snapshots (at);
CREATE TABLE events (id INTEGER PRIMARY KEY, at INTEGER NOT NULL, kind TEXT NOT NULL, subject TEXT NOT NULL,
                     detail TEXT NOT NULL, count INTEGER NOT NULL);
CREATE INDEX events_at ON events (at);
"""


class RecordingError(ConsoleError):
    """The file is not a recording this version can read or write (exit 2)."""


def micros(moment: datetime) -> int:
    return round(moment.timestamp() * 1_000_000)


def moment(value: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(microseconds=value)


class Writer:
    """Appends snapshots and events to a recording (created when missing), trains its dictionary, prunes it."""

    def __init__(self, path: Path, server: str, every: timedelta) -> None:
        self.path = path
        try:
            self.created = not path.exists()
            fresh = self.created or path.stat().st_size == 0
            self.db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            if not fresh:
                _check(self.db, path)  # before anything is written to it
                recorded = self.db.execute("SELECT value FROM meta WHERE key = 'server'").fetchone()[0]
                if recorded != server:
                    raise RecordingError(f"{path} records {recorded}, not {server}: record into another file")
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            if fresh:
                self._create(server, every)
        except sqlite3.Error as exc:
            raise RecordingError(f"cannot write the recording {path}: {exc}") from None
        self._dictionary = self._latest_dictionary()
        self._since_training = self._count_since(self._dictionary[0] if self._dictionary else None)

    def _create(self, server: str, every: timedelta) -> None:
        with self._transaction():
            for statement in filter(str.strip, _SCHEMA.split(";")):  # executescript would COMMIT first
                self.db.execute(statement)
            self.db.executemany("INSERT INTO meta VALUES (?, ?)", [
                ("format", FORMAT), ("schema_version", str(SCHEMA_VERSION)), ("server", server),
                ("every_s", str(every.total_seconds())), ("created", datetime.now(UTC).isoformat())])
            self.db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            self.db.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def _latest_dictionary(self) -> tuple[int, bytes] | None:
        row = self.db.execute("SELECT id, data FROM dictionaries ORDER BY id DESC LIMIT 1").fetchone()
        return (int(row[0]), bytes(row[1])) if row else None

    def _count_since(self, dictionary: int | None) -> int:
        where = "dictionary IS NULL" if dictionary is None else f"dictionary = {dictionary}"
        return int(self.db.execute(f"SELECT count(*) FROM snapshots WHERE payload IS NOT NULL AND {where}")
                   .fetchone()[0])

    def write(self, at: datetime, stored: Stored | None, events: list[Event], error: str | None = None) -> int:
        """One snapshot (or, with `stored` None, an outage and its reason) and its events, in one transaction.
        Returns the compressed size in bytes."""
        payload: bytes | None = None
        raw = b""
        if stored is not None:
            raw = codec.encode(stored)
            self._maybe_train(raw, at)
            payload = codec.compress(raw, self._dictionary[1] if self._dictionary else None)
        try:
            with self._transaction():
                self.db.execute("INSERT INTO snapshots (at, dictionary, payload, error, raw_bytes) VALUES (?,?,?,?,?)",
                                (micros(at), self._dictionary[0] if self._dictionary and payload else None,
                                 payload, error, len(raw) if payload else None))
                self.db.executemany("INSERT INTO events (at, kind, subject, detail, count) VALUES (?,?,?,?,?)",
                                    [(micros(e.at), e.kind.value, e.subject, e.detail, e.count) for e in events])
        except sqlite3.Error as exc:
            raise RecordingError(f"cannot write the recording {self.path}: {exc}") from None
        self._since_training += 1 if payload else 0
        return len(payload or b"")

    def _maybe_train(self, raw: bytes, at: datetime) -> None:
        """Train a dictionary after TRAIN_AFTER snapshots, and a new one every RETRAIN_EVERY, on the latest ones."""
        due = codec.TRAIN_AFTER if self._dictionary is None else codec.RETRAIN_EVERY
        if self._since_training < due:
            return
        rows = self.db.execute("SELECT payload, dictionary FROM snapshots WHERE payload IS NOT NULL "
                               "ORDER BY at DESC LIMIT ?", (codec.TRAIN_AFTER - 1,)).fetchall()
        dictionaries = dict(self.db.execute("SELECT id, data FROM dictionaries").fetchall())
        samples = [raw, *(_decompress(bytes(p), dictionaries.get(d)) for p, d in rows)]
        trained = codec.train(samples)
        if trained is None:
            return
        with self._transaction():
            cursor = self.db.execute("INSERT INTO dictionaries (trained_at, samples, data) VALUES (?,?,?)",
                                     (micros(at), len(samples), trained))
        self._dictionary = (int(cursor.lastrowid or 0), trained)
        self._since_training = 0

    def last(self) -> tuple[datetime, Stored | None] | None:
        """The latest moment recorded and the latest snapshot (a recorder appending to the file goes on from them:
        what changed while it was stopped becomes the next snapshot's events)."""
        row = self.db.execute("SELECT max(at) FROM snapshots").fetchone()
        if row[0] is None:
            return None
        good = self.db.execute("SELECT s.payload, d.data FROM snapshots s LEFT JOIN dictionaries d ON d.id = "
                               "s.dictionary WHERE s.payload IS NOT NULL ORDER BY s.at DESC LIMIT 1").fetchone()
        try:
            stored = codec.decode(bytes(good[0]), bytes(good[1]) if good[1] else None) if good else None
        except codec.CodecError:
            stored = None
        return moment(row[0]), stored

    def prune(self, before: datetime) -> int:
        """Drop snapshots and events older than `before` (and dictionaries no snapshot uses); how many snapshots."""
        with self._transaction():
            dropped = self.db.execute("DELETE FROM snapshots WHERE at < ?", (micros(before),)).rowcount
            self.db.execute("DELETE FROM events WHERE at < ?", (micros(before),))
            latest = self._dictionary[0] if self._dictionary else -1
            self.db.execute("DELETE FROM dictionaries WHERE id <> ? AND id NOT IN "
                            "(SELECT DISTINCT dictionary FROM snapshots WHERE dictionary IS NOT NULL)", (latest,))
        return int(dropped)

    def close(self) -> None:
        self.db.close()

    def remove(self) -> None:
        """Delete the file this writer created (closed first), with its WAL and shared-memory files."""
        for leftover in (self.path, Path(f"{self.path}-wal"), Path(f"{self.path}-shm")):
            leftover.unlink(missing_ok=True)


def _decompress(payload: bytes, dictionary: bytes | None) -> bytes:
    return codec.decompressor(dictionary).decompress(payload)


def _check(db: sqlite3.Connection, path: Path) -> None:
    """Refuse a file that is not a recording, or one of a newer schema (RecordingError)."""
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        meta = dict(db.execute("SELECT key, value FROM meta").fetchall()) if "meta" in tables else {}
    except sqlite3.DatabaseError as exc:
        raise RecordingError(f"{path} is not an obsconsole recording ({exc})") from None
    if meta.get("format") != FORMAT or not {"snapshots", "events", "dictionaries"} <= tables:
        raise RecordingError(f"{path} is not an obsconsole recording (an SQLite file without its tables)")
    version = int(meta.get("schema_version", "0"))
    if version > SCHEMA_VERSION:
        raise RecordingError(f"{path} was written by a newer obsconsole (recording schema {version}; this one reads "
                             f"up to {SCHEMA_VERSION}): upgrade obsconsole to read it")


class Reader:
    """A recording opened read-only: its span, the snapshot at or before a moment, the events of a period."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.is_file():
            raise RecordingError(f"{path}: no such recording")
        try:
            # Read-write where allowed: a WAL file left by a killed recorder is then checkpointed on open.
            mode = "rw" if os.access(path, os.W_OK) else "ro"
            self.db = sqlite3.connect(f"file:{path}?mode={mode}", uri=True, check_same_thread=False)
            _check(self.db, path)
            integrity = self.db.execute("PRAGMA quick_check").fetchone()[0]
        except sqlite3.DatabaseError as exc:
            raise RecordingError(f"{path} is not an obsconsole recording or is damaged ({exc})") from None
        if integrity != "ok":
            raise RecordingError(f"{path} is damaged (SQLite quick_check: {integrity})")
        self.meta = dict(self.db.execute("SELECT key, value FROM meta").fetchall())
        self._decompressors: dict[int | None, zstandard.ZstdDecompressor] = {}
        span = self.db.execute("SELECT min(at), max(at) FROM snapshots").fetchone()
        if span[0] is None:
            raise RecordingError(f"{path} holds no snapshot yet")
        self.first, self.last = moment(span[0]), moment(span[1])

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Reader:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def info(self) -> RecordingInfo:
        counts = self.db.execute("SELECT count(payload), count(*) - count(payload) FROM snapshots").fetchone()
        dictionaries = self.db.execute("SELECT count(*) FROM dictionaries").fetchone()[0]
        size = sum(p.stat().st_size for p in (self.path, Path(f"{self.path}-wal")) if p.exists())
        return RecordingInfo(str(self.path), self.first, self.last, int(counts[0]), int(counts[1]), size,
                             self.meta.get("server", "?"), int(self.meta["schema_version"]), int(dictionaries))

    def times(self) -> list[datetime]:
        """Every recorded moment (snapshots and outages), oldest first."""
        return [moment(r[0]) for r in self.db.execute("SELECT at FROM snapshots ORDER BY at")]

    def check_within(self, when: datetime) -> None:
        """RecordingError when `when` is before the first moment or more than two intervals after the last."""
        every = timedelta(seconds=float(self.meta.get("every_s", "60")))
        if when < self.first or when > self.last + 2 * every:
            raise RecordingError(f"{when.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC is outside the recording "
                                 f"({self.first:%Y-%m-%d %H:%M:%S} to {self.last:%Y-%m-%d %H:%M:%S} UTC)")

    def at(self, when: datetime) -> Frame:
        """The moment recorded at or before `when`; RecordingError when `when` is outside the recording."""
        self.check_within(when)
        row = self.db.execute("SELECT at, dictionary, payload, error FROM snapshots WHERE at <= ? "
                              "ORDER BY at DESC LIMIT 1", (micros(when),)).fetchone()
        return self._frame(row)

    def last_good(self, when: datetime) -> Frame | None:
        """The last snapshot (not an outage) at or before `when`."""
        row = self.db.execute("SELECT at, dictionary, payload, error FROM snapshots WHERE at <= ? AND payload IS "
                              "NOT NULL ORDER BY at DESC LIMIT 1", (micros(when),)).fetchone()
        return self._frame(row) if row else None

    def _frame(self, row: tuple[int, int | None, bytes | None, str | None]) -> Frame:
        at, dictionary, payload, error = row
        if payload is None:
            return Frame(moment(at), None, error or "server unreachable")
        try:
            stored = codec.decode(bytes(payload), self._decompressor(dictionary))
        except codec.CodecError as exc:
            raise RecordingError(f"{self.path}: the snapshot at {moment(at):%Y-%m-%d %H:%M:%S} UTC does not "
                                 f"decode ({exc})") from None
        return Frame(moment(at), stored)

    def _decompressor(self, ident: int | None) -> zstandard.ZstdDecompressor:
        """One decompressor per dictionary, kept (loading a dictionary is most of a snapshot's decoding)."""
        if ident not in self._decompressors:
            data = None
            if ident is not None:
                row = self.db.execute("SELECT data FROM dictionaries WHERE id = ?", (ident,)).fetchone()
                if row is None:
                    raise RecordingError(f"{self.path} is damaged (dictionary {ident} is missing)")
                data = bytes(row[0])
            self._decompressors[ident] = codec.decompressor(data)
        return self._decompressors[ident]

    def previous_time(self, when: datetime) -> datetime | None:
        """The moment recorded just before `when`, if any."""
        row = self.db.execute("SELECT max(at) FROM snapshots WHERE at < ?", (micros(when),)).fetchone()
        return moment(row[0]) if row[0] is not None else None

    def events(self, start: datetime, end: datetime) -> list[Event]:
        """The events with start < at <= end, oldest first."""
        rows = self.db.execute("SELECT at, kind, subject, detail, count FROM events WHERE at > ? AND at <= ? "
                               "ORDER BY at, id", (micros(start), micros(end))).fetchall()
        return [Event(moment(r[0]), Kind(r[1]), r[2], r[3], r[4]) for r in rows]
