-- bench (catalog): every chunk, as the chunks pane reads them.
SELECT * FROM timescaledb_information.chunks
