-- seed: which of the seeded tables already hold rows in the window (seeding again would collide on the
-- primary keys or double the data).
SELECT array_remove(ARRAY[
    CASE WHEN EXISTS (SELECT 1 FROM llm_traces WHERE ts >= %(start)s AND ts < %(end)s) THEN 'llm_traces' END,
    CASE WHEN EXISTS (SELECT 1 FROM llm_logs WHERE ts >= %(start)s AND ts < %(end)s) THEN 'llm_logs' END,
    CASE WHEN EXISTS (SELECT 1 FROM llm_metrics WHERE ts >= %(start)s AND ts < %(end)s) THEN 'llm_metrics' END
], NULL) AS taken
