"""Where the project's SQL and launcher files live, installed (wheel) or in a checkout (editable), and where
the console keeps its own state (exports, engines it started)."""

import contextlib
import os
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]  # console/
_CHECKOUT = _PACKAGE.parent


def _locate(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.exists() else _CHECKOUT / name


MIGRATIONS_DIR = _locate("migrations")
QUERIES_DIR = _locate("queries")
ENGINES_DIR = _CHECKOUT / "engines"


def config_dir() -> Path:
    """$XDG_CONFIG_HOME/obsconsole (default ~/.config/obsconsole): the user's settings (the keymap)."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "obsconsole"


def state_dir() -> Path:
    """$XDG_STATE_HOME/obsconsole (default ~/.local/state/obsconsole)."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "obsconsole"


def ensure_state_dir() -> Path:
    """state_dir(), created if missing, and mode 0700 whatever the umask (missing parents are created 0700 too):
    the audit log and the engines' records are the user's alone."""
    path = state_dir()
    missing = [p for p in (path, *path.parents) if not p.exists()]
    for folder in reversed(missing):
        with contextlib.suppress(FileExistsError):  # another obsconsole made it meanwhile
            os.mkdir(folder, 0o700)
        os.chmod(folder, 0o700)  # mkdir's mode is masked by the umask; chmod's is not
    if path.stat().st_mode & 0o777 != 0o700:
        os.chmod(path, 0o700)
    return path
