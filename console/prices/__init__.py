"""Model prices from the genai-prices catalog: catalog.py (the package's bundled snapshot as USD per 1k tokens,
mapped to the provider/model names spans carry), sync.py (`prices sync`: insert-only diff against model_pricing),
listing.py (`prices list`: the prices in force now)."""
