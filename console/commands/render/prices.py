"""Printing `obsconsole prices sync` and `prices list` (80-column friendly: names wrap, never cut)."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import typer

from console.commands.render import wrap
from console.infra.fmt import printable
from console.prices.catalog import Rates
from console.prices.listing import PriceList
from console.prices.sync import SyncPlan


def price(value: Decimal | None) -> str:
    return "-" if value is None else format(value.normalize(), "f")


def rates(value: Rates | None) -> str:
    if value is None:
        return "no price"
    return (f"in {price(value.input)} out {price(value.output)} cache read {price(value.cache_read)} "
            f"write {price(value.cache_write)}")


def _listing(title: str, names: list[str]) -> None:
    if names:
        typer.echo(textwrap.fill(f"{title} ({len(names)}): " + ", ".join(printable(n) for n in names), wrap.width(),
                                 subsequent_indent="  ", break_long_words=False, break_on_hyphens=False))


def print_sync(result: SyncPlan) -> None:
    """The header, each row to insert (two lines: the model, then old -> new and the date), then the lists."""
    limit = wrap.width()

    def say(line: str) -> None:
        typer.echo("\n".join(wrap.fold(line, limit)))

    newest = f"; newest dated change in it: {result.newest_change}" if result.newest_change else ""
    say(f"catalog: {result.catalog} (the snapshot bundled with the package, read offline{newest})")
    say(f"scope: {result.scope}; today (UTC): {result.today}; USD per 1k tokens")
    verb = "would insert" if result.dry_run else "inserted"
    count = len(result.changes) if result.dry_run else result.inserted
    say(f"{verb} {count} model_pricing row(s); {result.up_to_date} model(s) already up to date"
        + (" (dry run: nothing changed)" if result.dry_run else ""))
    for change in result.changes:
        say(f"  {printable(change.provider)}/{printable(change.model)}  from {change.effective_date}"
            + (f"  ({change.catalog_model})" if not change.catalog_model.endswith(f"/{change.model}") else ""))
        typer.echo(textwrap.fill(f"{rates(change.old)} -> {rates(change.new)}", limit, initial_indent="    ",
                                 subsequent_indent="    ", break_long_words=False, break_on_hyphens=False))
    _listing("tiered prices, base tier stored", result.tiered)
    _listing("time-of-day prices, peak rate stored", result.time_of_day)
    _listing("kept: a row for that date exists with other prices", result.kept)
    _listing("not in the catalog (left as they are)", result.not_in_catalog)
    _listing("span providers the catalog does not know", result.unmapped_providers)
    _listing("catalog providers with no span provider name (not synced)", result.catalog_providers_skipped)


def print_list(listed: PriceList) -> None:
    """The prices in force today, one model a row. A name longer than its column gets a line of its own with
    the figures on the next (whole names, grep-able, within the console's width: 80 when piped)."""
    headers = ("input", "output", "cache rd", "cache wr", "since")
    cells = [(printable(f"{p.provider}/{p.model}"),
              (price(p.rates.input), price(p.rates.output), price(p.rates.cache_read), price(p.rates.cache_write),
               str(p.effective_date)), p.next_change) for p in listed.prices]
    widths = [max([len(h), *(len(c[1][i]) for c in cells)]) for i, h in enumerate(headers)]
    figures_width = sum(w + 2 for w in widths)
    name_width = max(16, wrap.width() - figures_width)

    def figures(values: tuple[str, ...]) -> str:
        return "".join(f"  {v:>{w}}" for v, w in zip(values, widths, strict=True))

    typer.echo(f"Prices in force on {listed.today} (UTC), USD per 1k tokens")
    typer.echo(f"{'provider/model':<{name_width}}{figures(headers)}")
    for name, values, next_change in cells:
        if len(name) > name_width:
            typer.echo(name)
            name = ""
        typer.echo(f"{name:<{name_width}}{figures(values)}")
        if next_change:
            typer.echo(f"{'':<{name_width}}  next change from {next_change}")
    if not listed.has_cache_columns:
        typer.echo("cache prices: migration 007 is not applied here")
    _listing("not yet in force", listed.not_yet_in_force)
