"""What a long-running console keeps between refreshes, so that a refresh at 10,000 chunks costs about what it
costs at a hundred: the chunk catalog (re-read only when its version changes), the chunks' measured sizes (hot
chunks re-measured every refresh, cold ones on a slower cadence) and the per-hypertable totals over them (updated
by what each refresh measured)."""

from __future__ import annotations

from dataclasses import dataclass, field

from console.panes.catalog.objects import CatalogCache
from console.panes.catalog.sizes import SizeCache
from console.panes.catalog.totals import TotalsCache


@dataclass
class PaneCache:
    """One console's cache; a one-shot snapshot has none and reads and measures everything now."""

    catalog: CatalogCache = field(default_factory=CatalogCache)
    sizes: SizeCache = field(default_factory=SizeCache)
    totals: TotalsCache = field(default_factory=TotalsCache)
