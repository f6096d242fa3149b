-- What identifies the search index a connection reads (ror/recherche/search_index.py keeps it in memory once per
-- index version): the base's file (key 'path', empty for a base in memory), the data version the index reflects
-- ('index_recherche_version', absent before the first build) and the data version now ('data_version'; absent: 0).
-- Returns: key, value. No params.
SELECT key, value FROM setting WHERE key = 'index_recherche_version' OR key = 'data_version'
UNION ALL
SELECT 'path', coalesce(path, '') FROM duckdb_databases() WHERE database_name = current_database()
