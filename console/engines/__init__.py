"""Throwaway TimescaleDB engines the project starts itself: `native` (PostgreSQL 15 + TimescaleDB Apache)
and `tsl` (TimescaleDB Community in WASM PostgreSQL 17). Used by the tests, `obsconsole demo` and
`obsconsole engine`."""

from __future__ import annotations

from pathlib import Path

from console.engines.process import RunningEngine

KINDS = ("tsl", "native")
MAJOR = {"native": "15", "tsl": "17"}  # the PostgreSQL major version of each engine's clusters (PG_VERSION)


def start(kind: str, data_dir: Path | None = None, *, detached: bool = False) -> RunningEngine:
    """Start an engine of `kind`; `data_dir` keeps its data (None: a throwaway temp dir or memory)."""
    if data_dir is not None and kind in MAJOR:
        check_data_dir(kind, data_dir)
    if kind == "native":
        from console.engines import native

        return native.start(data_dir, detached=detached)
    if kind == "tsl":
        from console.engines import tsl

        return tsl.start(data_dir, detached=detached)
    from console.infra.errors import ConsoleError

    raise ConsoleError(f"unknown engine kind {kind!r}: choose one of {', '.join(KINDS)}")


def check_data_dir(kind: str, data_dir: Path) -> None:
    """ConsoleError (exit 2), before anything starts, unless `data_dir` is new, an empty folder, or a folder
    holding a cluster of this engine's PostgreSQL version."""
    from console.infra.errors import ConsoleError
    from console.infra.fmt import printable

    shown = printable(str(data_dir))
    fix = "give a new or empty folder, or the folder of an earlier `engine start --data-dir`"
    try:
        if not data_dir.exists():
            return
        if not data_dir.is_dir():
            raise ConsoleError(f"--data-dir {shown} is a file, not a folder: {fix}")
        if not any(data_dir.iterdir()):
            return
        version = (data_dir / "PG_VERSION").read_text(encoding="ascii", errors="replace").strip()
    except FileNotFoundError:
        raise ConsoleError(f"--data-dir {shown} is a folder that holds other files, not a database cluster (no "
                           f"PG_VERSION): {fix}") from None
    except OSError as exc:
        raise ConsoleError(f"--data-dir {shown}: cannot read it ({exc.strerror or exc}): {fix}") from None
    if version != MAJOR[kind]:
        raise ConsoleError(f"--data-dir {shown} holds a PostgreSQL {printable(version[:20])} cluster; the {kind} "
                           f"engine runs PostgreSQL {MAJOR[kind]}: {fix}")


__all__ = ["KINDS", "RunningEngine", "check_data_dir", "start"]
