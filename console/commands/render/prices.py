"""Printing `obsconsole prices sync` and `prices list` (80-column friendly: names wrap, never cut)."""

from __future__ import annotations

import textwrap
from decimal import Decimal

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from console.prices.catalog import Rates
from console.prices.listing import PriceList
from console.prices.sync import SyncPlan

WIDTH = 80


def safe(text: str) -> str:
    """Data as printable text: control characters escaped, never sent to the terminal."""
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


def price(value: Decimal | None) -> str:
    return "-" if value is None else format(value.normalize(), "f")


def rates(value: Rates | None) -> str:
    if value is None:
        return "no price"
    return (f"in {price(value.input)} out {price(value.output)} cache read {price(value.cache_read)} "
            f"write {price(value.cache_write)}")


def _listing(title: str, names: list[str]) -> None:
    if names:
        typer.echo(textwrap.fill(f"{title} ({len(names)}): " + ", ".join(safe(n) for n in names), WIDTH,
                                 subsequent_indent="  ", break_long_words=False, break_on_hyphens=False))


def print_sync(result: SyncPlan) -> None:
    """The header, each row to insert (two lines: the model, then old -> new and the date), then the lists."""
    newest = f"; newest dated change in it: {result.newest_change}" if result.newest_change else ""
    typer.echo(f"catalog: {result.catalog} (the snapshot bundled with the package, read offline{newest})")
    typer.echo(f"scope: {result.scope}; today (UTC): {result.today}; USD per 1k tokens")
    verb = "would insert" if result.dry_run else "inserted"
    count = len(result.changes) if result.dry_run else result.inserted
    typer.echo(f"{verb} {count} model_pricing row(s); {result.up_to_date} model(s) already up to date"
               + (" (dry run: nothing changed)" if result.dry_run else ""))
    for change in result.changes:
        typer.echo(f"  {safe(change.provider)}/{safe(change.model)}  from {change.effective_date}"
                   + (f"  ({change.catalog_model})" if not change.catalog_model.endswith(f"/{change.model}") else ""))
        typer.echo(textwrap.fill(f"{rates(change.old)} -> {rates(change.new)}", WIDTH, initial_indent="    ",
                                 subsequent_indent="    "))
    _listing("tiered prices, base tier stored", result.tiered)
    _listing("time-of-day prices, peak rate stored", result.time_of_day)
    _listing("kept: a row for that date exists with other prices", result.kept)
    _listing("not in the catalog (left as they are)", result.not_in_catalog)
    _listing("span providers the catalog does not know", result.unmapped_providers)
    _listing("catalog providers with no span provider name (not synced)", result.catalog_providers_skipped)


def print_list(listed: PriceList) -> None:
    """A table of the prices in force today; model names fold onto more lines instead of being cut."""
    table = Table(title=f"Prices in force on {listed.today} (UTC), USD per 1k tokens", title_justify="left",
                  box=box.SIMPLE_HEAD, padding=(0, 1), pad_edge=False)
    table.add_column("provider/model", overflow="fold", min_width=20, ratio=1)
    for name in ("input", "output", "cache rd", "cache wr", "since"):
        table.add_column(name, justify="right", no_wrap=True)
    for p in listed.prices:
        since = f"{p.effective_date}" + (f"\nnext {p.next_change}" if p.next_change else "")
        table.add_row(Text(safe(f"{p.provider}/{p.model}")), price(p.rates.input), price(p.rates.output),
                      price(p.rates.cache_read), price(p.rates.cache_write), since)
    Console(width=min(Console().width, 120), highlight=False).print(table)
    if not listed.has_cache_columns:
        typer.echo("cache prices: migration 007 is not applied here")
    _listing("not yet in force", listed.not_yet_in_force)
