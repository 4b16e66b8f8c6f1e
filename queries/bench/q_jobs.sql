-- bench (catalog): the background jobs, as the jobs pane reads them.
SELECT * FROM timescaledb_information.jobs
