"""The search index (tables recherche_uo, recherche_lieu, recherche_libelle of migration 004).

Derived from the répertoire: normalised names, each UO's semaine type and closing periods as lists, the
labels with their weight and usage. `refresh` rebuilds it whole and records the data version it reflects;
`ensure_fresh` (called by every search) rebuilds it when a write has changed the data since.
"""

from __future__ import annotations

import duckdb

import queries
from ror import db

VERSION_KEY = "index_recherche_version"
TABLES = ("recherche_uo", "recherche_lieu", "recherche_libelle")


class StaleIndex(Exception):
    """The index is older than the data and this connection cannot rebuild it (read-only)."""


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the whole index in one transaction (≈ 1 s at national scale)."""
    with db.transaction(con):
        for table in TABLES:
            con.execute(f"DELETE FROM {table}")  # whitelisted names
            con.execute(queries.sql_text(f"index_{table}"))
        db.set_setting(con, VERSION_KEY, str(db.data_version(con)))


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    return db.get_setting(con, VERSION_KEY) == str(db.data_version(con))


def ensure_fresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the index if the data changed since it was built."""
    if is_fresh(con):
        return
    try:
        refresh(con)
    except duckdb.TransactionException:
        return  # another session is rebuilding it: this search reads the index as it was committed
    except duckdb.InvalidInputException as exc:  # a read-only connection
        raise StaleIndex(
            "L'index de recherche n'est pas à jour et la base est ouverte en lecture seule : "
            "lancez « python -m ror migrate »."
        ) from exc
