"""`obsconsole verify`: the spec's 14 schema checks plus live health checks, for the CLI and the Verify screen."""
