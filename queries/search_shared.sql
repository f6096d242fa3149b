-- What identifies the search index a connection reads (ror/recherche/search_index.py keeps what every search reads whole,
-- once per index): the base's file (empty for a base in memory) and the data version the index reflects.
-- Returns: path, version. No params.
SELECT
    (SELECT coalesce(path, '') FROM duckdb_databases() WHERE database_name = current_database()) AS path,
    (SELECT value FROM setting WHERE key = 'index_recherche_version') AS version
