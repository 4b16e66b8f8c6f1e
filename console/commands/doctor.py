"""`obsconsole doctor`."""

from __future__ import annotations

from console.commands.common import DsnOption, app


@app.command()
def doctor(dsn: DsnOption = None) -> None:
    """Connect and report the server, TimescaleDB version and edition, and what the console can show."""
    from console.commands.render import doctor as render
    from console.doctor import diagnose, require_timescaledb
    from console.infra import dsn as dsn_mod

    report = diagnose(dsn_mod.resolve(dsn))
    render.print_report(report)
    require_timescaledb(report)
