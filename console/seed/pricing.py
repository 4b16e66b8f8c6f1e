"""Effective-dated LLM prices: the model_pricing table, or the same list parsed from migration 006.

Rule (migration 006): the price of a span is the row with the same provider and model and the newest
effective_date <= the span's UTC date; no such row means "unknown price" and the span's cost is NULL, never 0.
Cost = input_tokens x input_price_per_1k_usd / 1000 + output_tokens x output_price_per_1k_usd / 1000, exact
(Decimal, as NUMERIC stores it). With migration 007's cache prices (filled by `obsconsole prices sync` from the
genai-prices catalog) the cached part of input_tokens (OTel: input_tokens includes it) is charged at the cache-read
and cache-write rates instead; a NULL cache rate charges those tokens at the input rate.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from console.infra import userfiles
from console.infra.errors import ConsoleError
from console.infra.resources import MIGRATIONS_DIR

# One tuple of 006's `INSERT INTO model_pricing ... VALUES` list: ('openai', 'gpt-4o', 0.0025, 0.01, DATE '2024-10-02')
_PRICE_TUPLE = re.compile(
    r"\(\s*'(?P<provider>[^']+)'\s*,\s*'(?P<model>[^']+)'\s*,\s*(?P<input>[0-9.]+)\s*,\s*(?P<output>[0-9.]+)\s*,"
    r"\s*DATE\s*'(?P<date>\d{4}-\d{2}-\d{2})'\s*\)"
)
# Synthetic price change the seeder adds in the middle of the window (a 50 % cut), so the cost pane shows one.
PRICE_CHANGE_FACTOR = Decimal("0.5")


@dataclass(frozen=True)
class Price:
    """One model_pricing row: USD per 1,000 tokens, effective from effective_date (UTC)."""

    provider: str
    model: str
    input_per_1k: Decimal
    output_per_1k: Decimal
    effective_date: date
    cache_read_per_1k: Decimal | None = None
    cache_write_per_1k: Decimal | None = None


@dataclass(frozen=True)
class PriceChange:
    """The synthetic model_pricing row the seeder adds (or found already there) inside the window."""

    provider: str
    model: str
    effective_date: date
    before: Price
    after: Price
    inserted: bool  # False: the row was already there (idempotent re-run) or model_pricing does not exist
    stored: bool  # True: the row is in model_pricing; False: applied in memory only (no model_pricing table)


class PriceBook:
    """Prices by (provider, model), looked up by UTC date; picklable (sent to COPY worker processes)."""

    def __init__(self, prices: list[Price]) -> None:
        by_model: dict[tuple[str, str], list[Price]] = {}
        for price in sorted(prices, key=lambda p: (p.provider, p.model, p.effective_date)):
            by_model.setdefault((price.provider, price.model), []).append(price)
        self._by_model = by_model
        self._dates = {key: [p.effective_date for p in rows] for key, rows in by_model.items()}

    @property
    def prices(self) -> list[Price]:
        return [p for rows in self._by_model.values() for p in rows]

    def models(self) -> list[tuple[str, str]]:
        """Every priced (provider, model), sorted."""
        return sorted(self._by_model)

    def first_date(self, provider: str, model: str) -> date | None:
        dates = self._dates.get((provider, model))
        return dates[0] if dates else None

    def at(self, provider: str, model: str, day: date) -> Price | None:
        """The price effective on `day` (newest effective_date <= day), None when unknown."""
        dates = self._dates.get((provider, model))
        if not dates:
            return None
        index = bisect.bisect_right(dates, day) - 1
        return self._by_model[(provider, model)][index] if index >= 0 else None

    def with_price(self, price: Price) -> PriceBook:
        """A copy with `price` added unless a row for the same model and date exists (ON CONFLICT DO NOTHING)."""
        existing = self._by_model.get((price.provider, price.model), [])
        if any(p.effective_date == price.effective_date for p in existing):
            return self
        return PriceBook([*self.prices, price])


def costs(price: Price | None, input_tokens: int, output_tokens: int, cache_read: int = 0, cache_write: int = 0
          ) -> tuple[Decimal | None, ...]:
    """(input_cost, output_cost, total_cost) in USD, exact; all None when the price is unknown. cache_read and
    cache_write are the parts of input_tokens read from / written to the provider's prompt cache."""
    if price is None:
        return (None, None, None)
    if price.cache_read_per_1k is None and price.cache_write_per_1k is None:
        input_cost = (price.input_per_1k * input_tokens).scaleb(-3)
    else:
        read_rate = price.input_per_1k if price.cache_read_per_1k is None else price.cache_read_per_1k
        write_rate = price.input_per_1k if price.cache_write_per_1k is None else price.cache_write_per_1k
        input_cost = (price.input_per_1k * (input_tokens - cache_read - cache_write) + read_rate * cache_read
                      + write_rate * cache_write).scaleb(-3)
    output_cost = (price.output_per_1k * output_tokens).scaleb(-3)
    return (input_cost, output_cost, input_cost + output_cost)


def from_migration(directory: Path = MIGRATIONS_DIR) -> list[Price]:
    """The seed prices of migration 006 (its INSERT INTO model_pricing), the one list both paths share."""
    files = sorted(directory.glob("006_*.sql"))
    if not files:
        raise ConsoleError(f"no 006_*.sql in {directory}: cannot read the seed price list")
    text = userfiles.read_text(files[0], "migration file", userfiles.SQL_FILE_BYTES)
    insert = text[text.find("INSERT INTO model_pricing"):]
    prices = [
        Price(m["provider"], m["model"], Decimal(m["input"]), Decimal(m["output"]), date.fromisoformat(m["date"]))
        for m in _PRICE_TUPLE.finditer(insert)
    ]
    if not prices:
        raise ConsoleError(f"{files[0].name} has no model_pricing seed rows the seeder can read")
    return prices


def change_date(start: datetime, end: datetime) -> date | None:
    """The UTC midnight strictly inside (start, end) closest to the window's middle; None if there is none."""
    middle = start + (end - start) / 2
    candidates: list[date] = []
    day = start.date() + timedelta(days=1)
    while datetime(day.year, day.month, day.day, tzinfo=start.tzinfo) < end:
        candidates.append(day)
        day += timedelta(days=1)
    if not candidates:
        return None

    def distance(d: date) -> float:
        return abs((datetime(d.year, d.month, d.day, tzinfo=start.tzinfo) - middle).total_seconds())

    return min(candidates, key=distance)


def synthetic_change(book: PriceBook, provider: str, model: str, day: date) -> Price | None:
    """The synthetic mid-window row for `model`: its price on the day before `day`, cut by 50 %."""
    before = book.at(provider, model, day - timedelta(days=1))
    if before is None:
        return None
    return Price(provider, model, before.input_per_1k * PRICE_CHANGE_FACTOR,
                 before.output_per_1k * PRICE_CHANGE_FACTOR, day, _halved(before.cache_read_per_1k),
                 _halved(before.cache_write_per_1k))


def _halved(rate: Decimal | None) -> Decimal | None:
    return None if rate is None else rate * PRICE_CHANGE_FACTOR
