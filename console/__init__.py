"""obsconsole: an operator console for the LLM Observatory TimescaleDB storage layer."""

__version__ = "0.1.0"
