"""Where the project's SQL and launcher files live, installed (wheel) or in a checkout (editable)."""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_CHECKOUT = _PACKAGE.parent


def _locate(name: str) -> Path:
    packaged = _PACKAGE / "_data" / name
    return packaged if packaged.exists() else _CHECKOUT / name


MIGRATIONS_DIR = _locate("migrations")
QUERIES_DIR = _locate("queries")
ENGINES_DIR = _CHECKOUT / "engines"


def query(name: str) -> str:
    """The text of `queries/<name>.sql`."""
    return (QUERIES_DIR / f"{name}.sql").read_text(encoding="utf-8")
