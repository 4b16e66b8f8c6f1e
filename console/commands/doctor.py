"""`obsconsole doctor`."""

from __future__ import annotations

from console.commands.common import DsnOption, app


@app.command()
def doctor(dsn: DsnOption = None) -> None:
    """Connect and report the server, TimescaleDB version and edition, and what the console can show."""
    from console import dsn as dsn_mod
    from console.render import doctor as render
    from console.services.doctor import diagnose, require_timescaledb

    report = diagnose(dsn_mod.resolve(dsn))
    render.print_report(report)
    require_timescaledb(report)
