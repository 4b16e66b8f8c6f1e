"""Every SQL statement the console runs, read once from `queries/<name>.sql`, and every choice between
TimescaleDB-version variants made here, in one table (pg_activity's `queries.get` is the model)."""

from __future__ import annotations

from functools import cache

from console.infra.resources import QUERIES_DIR

Version = tuple[int, ...]

# A query whose text changed across TimescaleDB releases: the release its current file needs, and the file
# for servers before it. Identifiers renamed by a release (composed by psycopg) are listed in RENAMED.
_BEFORE: dict[str, tuple[Version, str]] = {
    # 2.18 renamed compression to the columnstore: procedures (CALL) replace the functions (still present).
    "actions/chunk_compress": ((2, 18), "actions/chunk_compress_pre_2_18"),
    "actions/chunk_decompress": ((2, 18), "actions/chunk_decompress_pre_2_18"),
    "actions/compression_add": ((2, 18), "actions/compression_add_pre_2_18"),
    "actions/compression_remove": ((2, 18), "actions/compression_remove_pre_2_18"),
    "jobs/history": ((2, 15), "jobs/history_pre_2_15"),
    "recording/job_history": ((2, 15), "recording/job_history_pre_2_15"),
    "verify/compression_settings": ((2, 14, 1), "verify/compression_settings_pre_2_14"),
    "drift/compression": ((2, 14, 1), "drift/compression_pre_2_14"),
}
RENAMED: dict[str, tuple[Version, str, str]] = {
    # 2.18 renamed the per-chunk compression stats function (the old name stays, deprecated).
    "compression_stats": ((2, 18), "chunk_columnstore_stats", "chunk_compression_stats"),
}


@cache
def query(name: str) -> str:
    """The text of `queries/<name>.sql` (read from disk once per process)."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")


def for_version(name: str, tsdb: Version) -> str:
    """The text of `name` as the server's TimescaleDB version `tsdb` needs it."""
    since, older = _BEFORE.get(name, ((), name))
    return query(name if tsdb >= since else older)


def identifier(name: str, tsdb: Version) -> str:
    """An identifier renamed across releases (see RENAMED), as the server's version spells it."""
    since, new, old = RENAMED[name]
    return new if tsdb >= since else old
