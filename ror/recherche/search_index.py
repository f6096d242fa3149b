"""The search index (tables recherche_uo, recherche_lieu, recherche_libelle of migration 004, recherche_eg of 010).

Derived from the répertoire: normalised names, each UO's semaine type and closing periods as lists, the
labels with their weight and usage. `refresh` rebuilds it whole and records the data version it reflects;
`ensure_fresh` (called by every search) rebuilds it when a write has changed the data since. `shared_index` keeps it
in memory for the engine, once per base and index version.
"""

from __future__ import annotations

import threading

import duckdb

import queries
from ror.core import db
from ror.core.errors import UserError
from ror.recherche import engine

VERSION_KEY = "index_recherche_version"


class StaleIndex(UserError):
    """The index is older than the data and this connection cannot rebuild it (read-only)."""


def refresh(con: duckdb.DuckDBPyConnection) -> None:
    """Rebuild the whole index in one transaction (≈ 2 s at national scale)."""
    with db.transaction(con):
        _rebuild(con, None)
        db.set_setting(con, VERSION_KEY, str(db.data_version(con)))


def record_write(con: duckdb.DuckDBPyConnection, finess_eg: list[str]) -> None:
    """Inside a write's transaction: bump the data version and, if the index was fresh, rebuild only the rows
    of the EG written (a few ms) so that it stays fresh; else the next search rebuilds it whole."""
    fresh = is_fresh(con)
    db.bump_data_version(con, finess_eg)
    if fresh:
        _rebuild(con, finess_eg)
        db.set_setting(con, VERSION_KEY, str(db.data_version(con)))


def _rebuild(con: duckdb.DuckDBPyConnection, finess_eg: list[str] | None) -> None:
    params = {"finess_eg": finess_eg}
    if finess_eg is None:
        con.execute("DELETE FROM recherche_uo")
        con.execute("DELETE FROM recherche_eg")
        con.execute("DELETE FROM recherche_lieu")
    else:
        con.execute("DELETE FROM recherche_uo WHERE list_contains($finess_eg, finess_eg)", params)
        con.execute("DELETE FROM recherche_eg WHERE list_contains($finess_eg, finess_eg)", params)
        con.execute("DELETE FROM recherche_lieu WHERE type = 'eg' AND list_contains($finess_eg, code)", params)
        # The rows of a few EG need no order, and DuckDB 2.0.0 keeping it fails at national scale after a large write
        # in the same transaction (« BatchedDataCollection::Merge error », which invalidates the whole base): this
        # cursor's statements keep no order until the end of the rebuild.
        con.execute("SET SESSION preserve_insertion_order = false")
    try:
        con.execute(queries.sql_text("index_recherche_uo"), params)
        con.execute(queries.sql_text("index_recherche_eg"), params)
        con.execute(queries.sql_text("index_recherche_lieu"), params)
    finally:
        con.execute("SET SESSION preserve_insertion_order = true")
    con.execute("DELETE FROM recherche_libelle")  # usage counts: the whole table (a few thousand labels)
    con.execute(queries.sql_text("index_recherche_libelle"))


def is_fresh(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the index reflects the current data version (one read: every search asks)."""
    found = db.settings(con, [VERSION_KEY, db.DATA_VERSION_KEY])
    return found.get(VERSION_KEY) == found.get(db.DATA_VERSION_KEY, "0")


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


SHARED_INDEXES = 4  # bases × index versions kept in memory
_indexes: dict[tuple[str, str], engine.Index] = {}
_indexes_lock = threading.Lock()  # every session's script thread searches


def shared_index(con: duckdb.DuckDBPyConnection) -> engine.Index:
    """The search index in memory (ror/recherche/engine.py), rebuilt first if stale (`ensure_fresh`), read once per base
    and index version and shared by every session (a base in memory: read each time). One session reads it; the
    others wait for it rather than read it too. One query when it is fresh and kept."""
    read = dict(queries.rows(con, "search_shared"))
    if read.get(VERSION_KEY) != read.get(db.DATA_VERSION_KEY, "0"):
        ensure_fresh(con)
        read = dict(queries.rows(con, "search_shared"))
    path, version = read["path"], read.get(VERSION_KEY)
    if not path or version is None:
        return engine.Index.load(con)
    key = (path, version)
    found = _indexes.get(key)
    if found is None:
        with _indexes_lock:
            found = _indexes.get(key)
            if found is None:
                found = engine.Index.load(con)
                _take_terms(con, found, path, int(version))
                engine.bounded(_indexes, SHARED_INDEXES)[key] = found
    return found


def _take_terms(con: duckdb.DuckDBPyConnection, index: engine.Index, path: str, version: int) -> None:
    """Give the index of `version` the terms its latest earlier version kept had read, but in the EG changed since
    (engine.Index.take_terms); none when what changed is not known (db.changed_since)."""
    earlier = [(int(v), kept) for (at, v), kept in _indexes.items() if at == path and int(v) < version]
    if not earlier:
        return
    older, previous = max(earlier, key=lambda found: found[0])
    changed = db.changed_since(con, older)
    if changed is not None:
        index.take_terms(con, previous, changed)
