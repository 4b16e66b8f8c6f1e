"""The tsl launcher (engines/tsl-server.mjs) hands PGlite whole protocol messages only. pglite-socket alone passed
each socket read straight on, so a message the kernel delivered in two reads (always one over ~64 KiB; now and then
a 48 KB seed batch under load) crashed the engine. Here the split is forced: a message written in two pieces with
a pause between them, and messages far over 64 KiB."""

from __future__ import annotations

import hashlib
import socket
import struct
import time
from urllib.parse import urlsplit

import psycopg

from tests.conftest import TestDb

PAUSE_S = 0.2  # long enough that the first piece is read on its own


def _startup(user: str) -> bytes:
    body = struct.pack("!i", 196608) + b"user\0" + user.encode() + b"\0database\0postgres\0\0"
    return struct.pack("!i", len(body) + 4) + body


def _md5_password(user: str, password: str, salt: bytes) -> bytes:
    inner = hashlib.md5((password + user).encode()).hexdigest().encode()
    body = b"md5" + hashlib.md5(inner + salt).hexdigest().encode() + b"\0"
    return b"p" + struct.pack("!i", len(body) + 4) + body


def _query(sql: str) -> bytes:
    body = sql.encode() + b"\0"
    return b"Q" + struct.pack("!i", len(body) + 4) + body


def _read_until_ready(sock: socket.socket, answers: int = 1) -> bytes:
    """Every message up to and including the `answers`-th ReadyForQuery ('Z')."""
    data = b""
    while True:
        offset, ready = 0, 0
        while len(data) >= offset + 5:
            kind, length = data[offset:offset + 1], struct.unpack("!i", data[offset + 1:offset + 5])[0]
            if len(data) < offset + 1 + length:
                break
            ready += kind == b"Z"
            if ready == answers:
                return data
            offset += 1 + length
        chunk = sock.recv(65536)
        assert chunk, f"the engine closed the connection after {data!r}"
        data += chunk


def _in_two_pieces(sock: socket.socket, message: bytes) -> None:
    half = len(message) // 2
    sock.sendall(message[:half])
    time.sleep(PAUSE_S)
    sock.sendall(message[half:])


def test_a_message_split_over_two_reads_and_messages_over_64_kib_reach_the_engine_whole(tsl_db: TestDb) -> None:
    url = urlsplit(tsl_db.dsn)
    assert url.hostname is not None and url.port is not None and url.username is not None
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        _in_two_pieces(sock, _startup(url.username))  # the startup message too (it has no type byte)
        asked = sock.recv(13)
        assert asked[:1] == b"R" and struct.unpack("!i", asked[5:9])[0] == 5, asked  # MD5, with a 4-byte salt
        _in_two_pieces(sock, _md5_password(url.username, url.password or "", asked[9:13]))
        assert _read_until_ready(sock)[:9] == b"R\0\0\0\x08\0\0\0\0"  # AuthenticationOk, ..., ReadyForQuery
        _in_two_pieces(sock, _query("SELECT 'split' || 'ok'"))
        answer = _read_until_ready(sock)
        assert b"splitok" in answer and answer[:1] == b"T", answer  # RowDescription: an answer, not an error
        sock.sendall(_query("SELECT 1") + _query("SELECT 'two in one read'"))  # several messages in one read
        assert b"two in one read" in _read_until_ready(sock, answers=2)
    with psycopg.connect(tsl_db.dsn) as conn:  # the extended protocol, one Bind far over 64 KiB
        for size in (70_000, 1_000_000):
            assert conn.execute("SELECT length(%s)", ("x" * size,)).fetchone() == (size,)
        assert conn.execute("SELECT extname FROM pg_extension WHERE extname = 'timescaledb'").fetchone()
