"""CLI commands, one module per command (group). Each module parses flags, calls a service and renders
the result; heavy modules (Textual, SQLAlchemy, services) are imported inside the command functions so
`obsconsole --help` stays fast."""

from console.commands import (
    audit,
    backend,
    bench,
    cagg,
    chunk,
    demo,
    doctor,
    engine,
    fleet,
    job,
    keys,
    migrate,
    policy,
    prices,
    record,
    replay,
    seed,
    snapshot,
    verify,
)
from console.commands.common import app

__all__ = ["app", "audit", "backend", "bench", "cagg", "chunk", "demo", "doctor", "engine", "fleet", "job", "keys",
           "migrate", "policy", "prices", "record", "replay", "seed", "snapshot", "verify"]
