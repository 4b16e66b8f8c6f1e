"""`prices list`: the price in force now for every model in model_pricing, and the next dated change if any."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from console.prices import store
from console.prices.catalog import Rates
from console.prices.store import Conn


@dataclass(frozen=True)
class Listed:
    """One model's price in force today (UTC) and the next scheduled change."""

    provider: str
    model: str
    rates: Rates
    effective_date: date
    next_change: date | None


@dataclass(frozen=True)
class PriceList:
    today: date
    has_cache_columns: bool
    prices: list[Listed]
    not_yet_in_force: list[str]  # models whose first row is in the future


def in_force_now(conn: Conn, provider: str | None = None) -> PriceList:
    """The rows in force today, by provider and model."""
    state = store.state(conn)
    listed: list[Listed] = []
    future: list[str] = []
    for (prov, model), history in sorted(store.rows(conn).items()):
        if provider is not None and prov != provider:
            continue
        current = store.in_force(history, state.today)
        upcoming = [r.effective_date for r in history if r.effective_date > state.today]
        if current is None:
            future.append(f"{prov}/{model} from {upcoming[0]}")
            continue
        listed.append(Listed(prov, model, current.rates, current.effective_date, upcoming[0] if upcoming else None))
    return PriceList(state.today, state.has_cache_columns, listed, future)
