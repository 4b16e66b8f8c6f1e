-- bench --chunks: which database this session landed in (the tsl engine serves one, whatever the name asked).
SELECT current_database() AS database
