"""`prices sync`: compare model_pricing with the catalog and insert a row, with its effective date, for every
price that is missing or changed. Never UPDATE or DELETE: history stays as it was.

Dates: a dated price change of the catalog becomes a row on its start date (also a future one: it takes effect
then); the rates in force today become a row dated today (UTC, the server's) when model_pricing differs today.
A row that exists for the same date with other prices is kept and reported (changing it would rewrite history).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import psycopg

from console.infra import write_gate
from console.infra.db import Conn, writable
from console.infra.errors import EXIT_FAILED, ConsoleError, server_words
from console.infra.queries import query
from console.prices import catalog, store
from console.prices.catalog import CatalogModel, Rates


@dataclass(frozen=True)
class Change:
    """One row to insert: the model, the rates in force on that date before (None: no price) and after."""

    provider: str
    model: str
    catalog_model: str  # catalog provider/id the rates come from
    old: Rates | None
    new: Rates
    effective_date: date


@dataclass
class SyncPlan:
    """What a sync finds (and, when not a dry run, did)."""

    catalog: str
    newest_change: date | None
    today: date
    scope: str
    dry_run: bool
    changes: list[Change] = field(default_factory=list)
    up_to_date: int = 0  # models whose rows already match the catalog
    tiered: list[str] = field(default_factory=list)  # base tier stored
    time_of_day: list[str] = field(default_factory=list)  # peak rate stored
    not_in_catalog: list[str] = field(default_factory=list)  # provider/model the catalog does not price
    unmapped_providers: list[str] = field(default_factory=list)  # span providers with no catalog provider
    catalog_providers_skipped: list[str] = field(default_factory=list)  # catalog providers with no span name
    kept: list[str] = field(default_factory=list)  # same-date rows with other prices, left as they are
    inserted: int = 0


def plan(conn: Conn, *, provider: str | None = None, models_seen: bool = False, dry_run: bool = True) -> SyncPlan:
    """The diff between model_pricing and the catalog (read-only)."""
    chosen = _chosen_providers(provider)
    state = store.state(conn)
    history = store.rows(conn)
    if models_seen:
        if not state.has_traces:
            raise ConsoleError("--models-seen: llm_traces is missing in this database; nothing was changed")
        pairs = {(str(p), str(m)) for p, m in conn.execute(query("prices/models_seen")).fetchall()}
        scope = "the models seen in llm_traces"
    else:
        pairs = set(history)
        scope = "the catalog's models and those in model_pricing"
    snap = catalog.snapshot()
    where = f"provider {provider}" if provider else "every provider spans can name"
    result = SyncPlan(snap.label, snap.newest_change, state.today, f"{scope}, {where}", dry_run)
    if provider is None and not models_seen:
        result.catalog_providers_skipped = [p for p in snap.provider_ids() if catalog.span_provider(p) is None]
    wanted = {n for c in chosen for n in catalog.span_names(c)}
    if provider in wanted:
        wanted = {provider}
    result.unmapped_providers = sorted(f"{p}/{m}" for p, m in pairs
                                       if catalog.catalog_provider(p) is None and (provider is None or p == provider))
    targets, missing = _targets(chosen, pairs, models_seen=models_seen)
    result.not_in_catalog = sorted(f"{p}/{m}" for p, m in missing if p in wanted)
    for (span_provider, name), model in sorted(targets.items()):
        if span_provider not in wanted:
            continue
        label = f"{span_provider}/{name}"
        if model.tiered:
            result.tiered.append(label)
        if model.time_of_day:
            result.time_of_day.append(label)
        changes = _diff(span_provider, name, model, history.get((span_provider, name), []), state.today, result)
        result.changes.extend(changes)
        result.up_to_date += not changes
    return result


def check(conn: Conn, result: SyncPlan, *, dry_run: bool = False) -> None:
    """Every refusal the sync would make, asked by its dry run too (so a dry run that passes means the sync
    would): the write gate (read-only mode, standby, pooler, read-only default, INSERT on model_pricing), then
    migration 007's columns. Nothing to insert: nothing to refuse."""
    if not result.changes:
        return
    write_gate.require(conn, "prices sync", [write_gate.Need("INSERT", "table", "model_pricing")], dry_run=dry_run)
    if not store.state(conn).has_cache_columns:
        raise ConsoleError(f"prices sync{' --dry-run' if dry_run else ''} refused: model_pricing has no cache price "
                           "columns: apply migration 007 first (`obsconsole migrate`, or its plain SQL on the Apache "
                           "edition); nothing was changed")


def apply(conn: Conn, result: SyncPlan) -> SyncPlan:
    """Insert the planned rows in one read-write transaction (the session stays read-only otherwise), after the
    same checks as the dry run."""
    check(conn, result)
    if not result.changes:
        return result
    try:
        with writable(conn), conn.transaction():
            for change in result.changes:
                returned = conn.execute(query("prices/insert"), {
                    "provider": change.provider, "model": change.model, "input": change.new.input,
                    "output": change.new.output, "cache_read": change.new.cache_read,
                    "cache_write": change.new.cache_write, "effective_date": change.effective_date,
                }).fetchone()
                result.inserted += returned is not None
    except psycopg.Error as exc:
        message = server_words(exc)
        raise ConsoleError(f"prices sync failed, nothing was inserted: {message}", EXIT_FAILED) from None
    return result


def _targets(chosen: list[str], pairs: set[tuple[str, str]], *, models_seen: bool
             ) -> tuple[dict[tuple[str, str], CatalogModel], list[tuple[str, str]]]:
    """(span provider, model name) -> the catalog model that prices it, and the names the catalog does not price.
    Names in model_pricing or in the spans keep their spelling; without --models-seen every other catalog model
    of the chosen providers is added under its catalog id (when that id resolves to it)."""
    targets: dict[tuple[str, str], CatalogModel] = {}
    missing: list[tuple[str, str]] = []
    for catalog_id in chosen:
        referenced: set[tuple[str, str, str]] = set()  # span provider, catalog provider, catalog id
        for span_provider, name in sorted(pair for pair in pairs if pair[0] in catalog.span_names(catalog_id)):
            found = catalog.resolve(catalog_id, name)
            if found is None:
                missing.append((span_provider, name))
                continue
            targets[(span_provider, name)] = found
            referenced.add((span_provider, found.catalog_provider, found.catalog_id))
        if not models_seen:
            for model in catalog.models_of(catalog_id):
                span_provider = catalog.span_provider_of(model)
                key = (span_provider, model.catalog_provider, model.catalog_id)
                if key not in referenced and catalog.resolve(catalog_id, model.catalog_id) is model:
                    targets[(span_provider, model.catalog_id)] = model
    return targets, missing


def _chosen_providers(provider: str | None) -> list[str]:
    if provider is None:
        return list(catalog.SPAN_PROVIDERS)
    found = catalog.catalog_provider(provider)
    if found is None and provider in catalog.snapshot().provider_ids():
        raise ConsoleError(f"--provider {provider!r}: the catalog has it, but it has no OpenTelemetry provider name "
                           "for spans to carry, so obsconsole does not sync it; nothing was changed")
    if found is None:
        known = ", ".join(catalog.known_span_providers())
        raise ConsoleError(f"--provider {provider!r} is not a provider the catalog prices (known: {known}); "
                           "nothing was changed")
    return [found]


def _diff(provider: str, name: str, model: CatalogModel, history: list[store.Row], today: date,
          result: SyncPlan) -> list[Change]:
    """The rows that bring one model's history in line with the catalog, oldest first."""
    wanted = dict(model.changes)
    wanted.setdefault(today, model.at(today))
    rows = list(history)
    changes: list[Change] = []
    for day, rates in sorted(wanted.items()):
        current = store.in_force(rows, day)
        if current is not None and current.rates == rates:
            continue
        if current is not None and current.effective_date == day:
            result.kept.append(f"{provider}/{name} on {day}")
            continue
        changes.append(Change(provider, name, f"{model.catalog_provider}/{model.catalog_id}",
                              current.rates if current else None, rates, day))
        rows = sorted([*rows, store.Row(provider, name, rates.input, rates.output, rates.cache_read,
                                        rates.cache_write, day)], key=lambda r: r.effective_date)
    return changes
