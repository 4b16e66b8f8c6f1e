"""Text renderings of service results for the CLI (rich tables and plain lines)."""
