"""`obsconsole record`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from console.commands.common import DsnOption, app


@app.command()
def record(
    out: Annotated[Path, typer.Option("--out", help="The recording (SQLite; created, or appended to).")],
    dsn: DsnOption = None,
    every: Annotated[str, typer.Option("--every", help="A snapshot every this long (at least 1s).")] = "60s",
    retain: Annotated[str, typer.Option("--retain", help="Drop snapshots older than this.")] = "7d",
    verify_every: Annotated[str, typer.Option(
        "--verify-every", help="Run verify this often to record its status changes ('off': never).")] = "15min",
    count: Annotated[int | None, typer.Option(
        "--count", min=1, help="Stop after this many snapshots (an outage counts as one), e.g. from cron; "
        "default: until SIGTERM or SIGINT.", show_default=False)] = None,
) -> None:
    """Record the five panes and the server's events into FILE until SIGTERM or SIGINT (exit 0 after the last
    write), headless: logs on stderr, one read-only connection, reconnecting after an outage (recorded as one)."""
    import logging
    import signal
    import sys
    import threading
    import time

    from console.infra import dsn as dsn_mod
    from console.recording import recorder, times

    schedule = recorder.Schedule(
        times.period(every, "--every"), times.period(retain, "--retain", at_least=times.period(every, "--every")),
        None if verify_every == "off" else times.period(verify_every, "--verify-every"))
    target = dsn_mod.resolve(dsn)
    stop = threading.Event()

    def stopping(number: int, _frame: object) -> None:
        logging.getLogger("obsconsole.record").info("%s: stopping after the current snapshot",
                                                    signal.Signals(number).name)
        stop.set()

    # Logs on stderr in UTC, and the signal handlers, for this command only: both are put back when it ends.
    formatter = logging.Formatter("%(asctime)sZ obsconsole record: %(message)s", datefmt="%Y-%m-%dT%H:%M:%S")
    formatter.converter = time.gmtime
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(formatter)
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    previous = {signum: signal.signal(signum, stopping) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        recorder.run(target, out, schedule, stop, count)
    finally:
        for signum, before in previous.items():
            signal.signal(signum, before)
        root.removeHandler(handler)
        root.setLevel(level)
