"""Throwaway TimescaleDB engines the project starts itself: `native` (PostgreSQL 15 + TimescaleDB Apache)
and `tsl` (TimescaleDB Community in WASM PostgreSQL 17). Used by the tests, `obsconsole demo` and
`obsconsole engine`."""

from __future__ import annotations

from pathlib import Path

from console.engines.process import RunningEngine

KINDS = ("tsl", "native")


def start(kind: str, data_dir: Path | None = None, *, detached: bool = False) -> RunningEngine:
    """Start an engine of `kind`; `data_dir` keeps its data (None: a throwaway temp dir or memory)."""
    if kind == "native":
        from console.engines import native

        return native.start(data_dir, detached=detached)
    if kind == "tsl":
        from console.engines import tsl

        return tsl.start(data_dir, detached=detached)
    from console.infra.errors import ConsoleError

    raise ConsoleError(f"unknown engine kind {kind!r}: choose one of {', '.join(KINDS)}")


__all__ = ["KINDS", "RunningEngine", "start"]
