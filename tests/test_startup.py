"""The console's first frame waits only for what the first screen needs (issue 23, point 6): the import path of
`obsconsole` up to the dashboard leaves out SQLAlchemy (verify's probe), the verify runner, drift, recording, prices,
bench, the fleet probe and the other screens until they are used. A fresh interpreter, as the entry point has."""

from __future__ import annotations

import subprocess
import sys

DEFERRED = ("sqlalchemy", "console.verify", "console.drift", "console.recording.recorder", "console.recording.store",
            "console.prices", "console.bench", "console.fleet", "console.migrator.service", "console.seed",
            "console.tui.screens.verify", "console.tui.screens.migrations", "console.tui.screens.fleet",
            "textual.pilot", "zstandard", "msgspec", "sqlite3", "genai_prices")
# What `obsconsole` imports before its first frame: the entry point, then the console shell's runner.
FIRST_FRAME = "import console.cli, console.commands.launch, console.tui.run, console.tui.settings, console.tui.app"


def _loaded(code: str) -> list[str]:
    probe = f"{code}; import sys; print('\\n'.join(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.split()


def test_the_first_frame_imports_none_of_the_deferred_modules() -> None:
    loaded = _loaded(FIRST_FRAME)
    assert {"console.tui.app", "console.tui.screens.dashboard", "textual.app", "psycopg"} <= set(loaded)
    heavy = [m for m in loaded if any(m == d or m.startswith(d + ".") for d in DEFERRED)]
    assert heavy == [], heavy


def test_the_deferred_modules_still_load_where_used() -> None:
    """The probe itself can fail: the other screens and the fleet do pull the deferred modules in."""
    loaded = set(_loaded(f"{FIRST_FRAME}; import console.tui.screens.verify, console.tui.screens.fleet"))
    assert {"sqlalchemy", "console.verify.runner", "console.drift.service", "console.fleet.probe"} <= loaded
