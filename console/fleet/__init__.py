"""The fleet: many databases on one screen and in Prometheus. Targets come from libpq's service file or a
fleet.toml (targets), each is read with one cheap catalog query over a kept-open async connection (probe), the
findings are ranked worst first (model), and the same figures are exposed as OpenMetrics (metrics)."""
