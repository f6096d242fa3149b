"""The read side: one .sql file per question, run with bound parameters, returned as polars frames.

`run(con, "offer_by_departement", departements=[...])` runs queries/offer_by_departement.sql. Each file
starts with a comment saying what it returns and which $named parameters it takes. A polars frame given as a
parameter is a table of the query under that name (thousands of ids: a list parameter costs ~2 ms per
thousand values to bind, a frame nothing).
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

import duckdb
import polars as pl

QUERY_DIR = Path(__file__).resolve().parent


@functools.cache
def sql_text(name: str) -> str:
    """The text of queries/<name>.sql (names are code, never user text)."""
    if not re.fullmatch(r"[a-z0-9_]+(/[a-z0-9_]+)?", name):
        raise ValueError(f"invalid query name {name!r}")
    return (QUERY_DIR / f"{name}.sql").read_text(encoding="utf-8")


_PARSER = duckdb.connect()  # parses only: a parsed statement runs on any connection


@functools.cache
def statement(name: str) -> duckdb.Statement:
    """queries/<name>.sql parsed once per process: DuckDB then skips parsing it again at every call (the search's
    100 lines cost 7 to 9 ms to parse)."""
    return _PARSER.extract_statements(sql_text(name))[0]


def run(con: duckdb.DuckDBPyConnection, name: str, **params) -> pl.DataFrame:
    """Run a named query with its bound parameters (frames: tables of that name) and return the whole result."""
    tables = {key: value for key, value in params.items() if isinstance(value, pl.DataFrame)}
    values = {key: value for key, value in params.items() if key not in tables}
    for key, frame in tables.items():
        con.register(key, frame)  # this connection (cursor) only, until unregistered
    try:
        return con.sql(statement(name), params=values or None).pl()
    finally:
        for key in tables:
            con.unregister(key)


def rows(con: duckdb.DuckDBPyConnection, name: str, **params) -> list[tuple]:
    """Run a named query and return its rows as tuples (`execute`: bound once; `sql` binds a query to learn its
    columns, then again to run it — ≈ 0.4 ms more for each of the small reads of every page run)."""
    return con.execute(statement(name), params or None).fetchall()
