"""Services: what the CLI and the TUI call. Each takes a connection and returns typed results."""
