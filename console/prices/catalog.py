"""The genai-prices catalog (the snapshot bundled with the installed package; never downloaded) as effective-dated
USD-per-1k-token rates under the provider names spans carry (OpenTelemetry gen_ai.provider.name, as in 006).

Per model: the undated price, then its dated price changes (start-date constraints). Tiered prices (a higher
rate above N prompt tokens): the base tier. Time-of-day prices (off-peak discounts): the highest (peak) rate.
Request variants (batch, service tiers) are not standard rates and are left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from importlib.metadata import version

from genai_prices import types
from genai_prices.data import providers

PACKAGE = "genai-prices"
# Catalog provider id -> the span's provider (gen_ai.provider.name). The others have no OTel name: not synced.
SPAN_PROVIDERS = {
    "openai": "openai", "anthropic": "anthropic", "google": "gcp.gemini", "mistral": "mistral_ai",
    "groq": "groq", "deepseek": "deepseek", "cohere": "cohere", "x-ai": "x_ai", "aws": "aws.bedrock",
    "azure": "azure.ai.openai", "perplexity": "perplexity",
}
# Catalog models served under another span provider: Google's partner models (Claude) exist only on Vertex AI.
PARTNER_MODELS = {("google", "claude"): "gcp.vertex_ai"}
# Span providers priced from a catalog provider besides its own name (Gemini on Vertex AI costs as on the API).
ALSO_PRICED_AS = {"gcp.vertex_ai": "google"}


@dataclass(frozen=True)
class Rates:
    """USD per 1,000 tokens; cache rates None when the catalog has none."""

    input: Decimal
    output: Decimal
    cache_read: Decimal | None
    cache_write: Decimal | None


@dataclass(frozen=True)
class CatalogModel:
    """One catalog model: its undated rates and dated changes, and what could not be stored."""

    catalog_provider: str
    catalog_id: str
    base: Rates
    changes: tuple[tuple[date, Rates], ...]  # sorted by date
    tiered: bool
    time_of_day: bool

    def timeline(self) -> list[tuple[date | None, Rates]]:
        """(None, undated rates) then (start date, rates) of each dated change."""
        return [(None, self.base), *self.changes]

    def at(self, day: date) -> Rates:
        """The rates in force on `day`."""
        rates = self.base
        for start, changed in self.changes:
            if start <= day:
                rates = changed
        return rates


@dataclass(frozen=True)
class Snapshot:
    """What the installed package ships."""

    label: str  # e.g. "genai-prices 0.2.3"
    newest_change: date | None  # the newest start date of a dated price change (the package records no build date)
    models: dict[int, CatalogModel]  # by id() of the package's ModelInfo
    skipped: int  # models without both input and output token prices (images, audio, search...)

    def provider_ids(self) -> list[str]:
        return [p.id for p in providers]


def _per_1k(value: Decimal | types.TieredPrices | None) -> tuple[Decimal | None, bool]:
    if value is None:
        return None, False
    if isinstance(value, types.TieredPrices):
        return value.base.scaleb(-3), True
    return Decimal(value).scaleb(-3), False


def _rates(price: types.ModelPrice) -> tuple[Rates | None, bool]:
    (inp, t1), (out, t2), (read, t3), (write, t4) = (
        _per_1k(getattr(price, key)) for key in ("input_mtok", "output_mtok", "cache_read_mtok", "cache_write_mtok"))
    if inp is None or out is None:
        return None, False
    return Rates(inp, out, read, write), t1 or t2 or t3 or t4


def convert(provider_id: str, model: types.ModelInfo) -> CatalogModel | None:
    """The model's standard token rates, or None when it has no input and output token prices."""
    if isinstance(model.prices, types.ModelPrice):
        base, tiered = _rates(model.prices)
        return CatalogModel(provider_id, model.id, base, (), tiered, False) if base else None
    base, tiered = _rates(model.prices[0].prices)
    if base is None:
        return None
    changes: list[tuple[date, Rates]] = []
    time_of_day = False
    for conditional in model.prices[1:]:
        rates, more_tiers = _rates(conditional.prices)
        if rates is None:
            continue
        tiered = tiered or more_tiers
        constraint = conditional.constraint
        if isinstance(constraint, types.StartDateConstraint):
            changes.append((constraint.start_date, rates))
        elif isinstance(constraint, types.TimeOfDateConstraint):
            time_of_day = True
            base = rates if rates.input > base.input else base
    return CatalogModel(provider_id, model.id, base, tuple(sorted(changes, key=lambda c: c[0])), tiered, time_of_day)


@cache
def snapshot() -> Snapshot:
    """The bundled snapshot, converted once."""
    models: dict[int, CatalogModel] = {}
    skipped = 0
    for provider in providers:
        for model in provider.models:
            converted = convert(provider.id, model)
            if converted is None:
                skipped += 1
            else:
                models[id(model)] = converted
    dates = [d for m in models.values() for d, _r in m.changes]
    return Snapshot(f"{PACKAGE} {version(PACKAGE)}", max(dates, default=None), models, skipped)


def span_provider(catalog_provider: str) -> str | None:
    return SPAN_PROVIDERS.get(catalog_provider)


def span_provider_of(model: CatalogModel) -> str:
    """The span provider a mapped catalog model is stored under."""
    for (provider, prefix), name in PARTNER_MODELS.items():
        if model.catalog_provider == provider and model.catalog_id.startswith(prefix):
            return name
    return SPAN_PROVIDERS[model.catalog_provider]


def span_names(catalog_id: str) -> set[str]:
    """Every span provider name a catalog provider prices."""
    return {SPAN_PROVIDERS[catalog_id], *(n for n, c in ALSO_PRICED_AS.items() if c == catalog_id)}


def catalog_provider(span_provider_name: str) -> str | None:
    """The catalog id for a span provider name (or a catalog id given as is)."""
    if span_provider_name in ALSO_PRICED_AS:
        return ALSO_PRICED_AS[span_provider_name]
    for catalog_id, name in SPAN_PROVIDERS.items():
        if span_provider_name in (name, catalog_id):
            return catalog_id
    return None


def known_span_providers() -> list[str]:
    return sorted({*SPAN_PROVIDERS.values(), *ALSO_PRICED_AS})


def models_of(catalog_id: str) -> list[CatalogModel]:
    """The catalog's priced models of one provider, in the package's order."""
    snap = snapshot()
    provider = next(p for p in providers if p.id == catalog_id)
    return [snap.models[id(m)] for m in provider.models if id(m) in snap.models]


def resolve(catalog_id: str, model_name: str) -> CatalogModel | None:
    """The catalog model a span's model name means, by the catalog's own matching rules; None if none."""
    provider = next(p for p in providers if p.id == catalog_id)
    found = provider.find_model(model_name, all_providers=providers)
    return snapshot().models.get(id(found)) if found is not None else None
