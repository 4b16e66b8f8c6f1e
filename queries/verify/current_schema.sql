-- The schema verify reads the project's tables in (the first of search_path).
SELECT current_schema() AS schema
