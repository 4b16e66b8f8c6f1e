"""Record and replay: what the console showed, kept in an SQLite file (snapshots of the five panes' typed results
and the server's facts, zstd-compressed with a trained dictionary, and the events between them) and read back as
the same view models (`obsconsole record`, `obsconsole --record`, `obsconsole replay`). No renderer here: the CLI
and the TUI shells draw what these modules return."""
