"""`obsconsole fleet` (the fleet screen, or --json) and `obsconsole metrics` (OpenMetrics, printed or served)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from console.commands.common import DsnOption, app

if TYPE_CHECKING:
    from console.fleet.probe import FleetMonitor

ServicesOption = Annotated[str | None, typer.Option(
    "--services", help="Services of the service file ($PGSERVICEFILE or ~/.pg_service.conf) to watch: names or "
    "globs, comma-separated (default: every service; with no service file, --dsn or $OBSCONSOLE_DSN alone).",
    show_default=False)]
FleetFileOption = Annotated[Path | None, typer.Option(
    "--fleet-file", help="A fleet.toml: one database table per target (name, dsn or service, tags).",
    show_default=False)]
ConcurrencyOption = Annotated[int, typer.Option(
    "--concurrency", min=1, max=256, help="Databases read at once.")]
TimeoutOption = Annotated[float, typer.Option(
    "--timeout", min=0.1, max=60, help="Longest wait for one database (s): a slower one is reported, not waited on.")]


def open_monitor(dsn: str | None, services: str | None, fleet_file: Path | None, concurrency: int,
                 timeout: float) -> FleetMonitor:
    """The monitor over the chosen targets; every problem of the input said on stderr as one `obsconsole:` line.
    ConsoleError (exit 2) when no target is left."""
    from console.fleet import targets as fleet_targets
    from console.fleet.probe import FleetMonitor
    from console.infra import dsn as dsn_mod
    from console.infra.errors import ConsoleError

    resolved = dsn_mod.resolve(dsn)
    # --dsn makes a fleet of one; so does $OBSCONSOLE_DSN / $DATABASE_URL where there is no service file.
    explicit = resolved if resolved.source == "--dsn" or (
        resolved.dsn and services is None and fleet_file is None and not fleet_targets.service_file().exists()
    ) else None
    fleet = fleet_targets.load(services=services, fleet_file=fleet_file, dsn=explicit)
    for problem in fleet.problems:
        typer.echo(f"obsconsole: {problem}", err=True)
    if not fleet.targets:
        raise ConsoleError("no database to watch: name services (--services), a fleet file (--fleet-file) or a "
                           "--dsn")
    return FleetMonitor(fleet.targets, problems=[str(p) for p in fleet.problems], concurrency=concurrency,
                        timeout_s=timeout)


@app.command()
def fleet(
    ctx: typer.Context,
    dsn: DsnOption = None,
    services: ServicesOption = None,
    fleet_file: FleetFileOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one refresh as JSON and exit.")] = False,
    wide: Annotated[bool, typer.Option("--wide", help="Without a terminal: every column.")] = False,
    concurrency: ConcurrencyOption = 16,
    timeout: TimeoutOption = 3.0,
    refresh: Annotated[float, typer.Option("--refresh", min=1, max=60, help="Screen refresh (s).")] = 10.0,
) -> None:
    """Every database on one screen, worst first (Enter: its dashboard; Escape: back; /: filter by name or tag).

    With --json: one refresh as {"databases": [...], "elapsed_ms": ...}; without a terminal (piped): one refresh
    as the screen's table, within the width. Then exit 1 when any database is unreachable or has a FAIL-level
    finding (or the input named something that is not there), 2 when no database could be watched."""
    import sys

    with open_monitor(dsn, services, fleet_file, concurrency, timeout) as monitor:
        if as_json or not sys.stdout.isatty():
            from console.commands.render.fleet import print_fleet, print_json

            report = monitor.refresh()
            if as_json:
                print_json(report)
            else:
                print_fleet(report, wide=wide)
            raise typer.Exit(report.exit_code)
        from console.commands.launch import console_shell
        from console.infra.write_gate import read_only_mode

        console_shell(ctx).run_fleet(monitor, refresh_s=refresh, read_only=read_only_mode())


@app.command()
def metrics(
    dsn: DsnOption = None,
    services: ServicesOption = None,
    fleet_file: FleetFileOption = None,
    listen: Annotated[str | None, typer.Option(
        "--listen", help="Serve /metrics for Prometheus on HOST:PORT (e.g. 127.0.0.1:9187) until stopped "
        "(Ctrl+C or SIGTERM), each scrape a fresh refresh.", show_default=False)] = None,
    concurrency: ConcurrencyOption = 16,
    timeout: TimeoutOption = 3.0,
) -> None:
    """The fleet's figures as OpenMetrics text, labelled by database (node_exporter's textfile collector:
    `obsconsole metrics > dir/obsconsole.prom.$$; mv dir/obsconsole.prom.$$ dir/obsconsole.prom`).
    Exit 0 once printed (an unreachable database is obsconsole_up 0, not an error); 1 when the input named
    something that is not there (the rest is printed all the same); 2 when no database is left to watch."""
    from console.fleet import metrics as fleet_metrics

    address = fleet_metrics.parse_listen(listen) if listen else None
    with open_monitor(dsn, services, fleet_file, concurrency, timeout) as monitor:
        if address is None:
            typer.echo(fleet_metrics.exposition(monitor.refresh()).decode(), nl=False)
            raise typer.Exit(1 if monitor.problems else 0)
        fleet_metrics.serve(monitor, address, lambda line: typer.echo(line, err=True))
