-- Does the server answer a query?
SELECT 1
