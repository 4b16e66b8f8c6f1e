"""Opening the console on a database: connect once up front (a clear one-line error if that fails), then run
the app until the user quits."""

from __future__ import annotations

import signal

from console.dsn import ResolvedDsn
from console.errors import ConsoleError
from console.services.session import Disconnected, Session
from console.tui.app import ObsConsoleApp


def run_console(target: ResolvedDsn, *, refresh_s: float = 5.0, start_mode: str = "dashboard") -> None:
    """Run the TUI against `target`. Raises ConsoleError (exit 2) when the first connection fails."""
    session = Session(target)
    try:
        session.call(lambda _conn, _info: None)
    except Disconnected as exc:
        raise ConsoleError(exc.message) from None
    app = ObsConsoleApp(session, refresh_s=refresh_s, start_mode=start_mode)
    # The terminal went away (window closed, ssh dropped): leave cleanly instead of spinning, so the caller's
    # clean-up (e.g. the demo stopping its engine) runs.
    previous = signal.signal(signal.SIGHUP, lambda _signum, _frame: app.exit())
    try:
        app.run()
    finally:
        signal.signal(signal.SIGHUP, previous)
        session.close()
