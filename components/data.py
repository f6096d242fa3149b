"""The database as the app sees it: one read-write connection per process, a cursor per script run."""

from __future__ import annotations

import datetime as dt

import duckdb
import streamlit as st

from ror import config, db, dossiers


class DatabaseUnavailable(Exception):
    """The database file is missing or locked: the message says what to do, in French."""


@st.cache_resource(max_entries=4)
def _connection(path: str) -> duckdb.DuckDBPyConnection:
    con = db.connect(path)
    db.migrate(con)  # an existing database is upgraded in place
    return con


def cursor() -> duckdb.DuckDBPyConnection:
    """A cursor of the process-wide connection, for this script run (never shared across threads)."""
    path = config.db_path()
    if not path.exists():
        raise DatabaseUnavailable(
            f"La base {path} est absente. Construisez-la avec « make run » ou « python -m ror build-demo »."
        )
    try:
        return _connection(str(path)).cursor()
    except db.DatabaseLocked as exc:
        raise DatabaseUnavailable(str(exc)) from exc


def data_version() -> int:
    """The key of cached reads: it changes with every write."""
    return db.data_version(cursor())


@st.cache_resource(max_entries=1)
def _published_on() -> dict:
    return {}


def publish_scheduled() -> None:
    """Publish the dossiers whose date d'effet has come, once a day per server (ror/dossiers.publish_due)."""
    done = _published_on()
    today = dt.date.today()
    if done.get("date") != today:
        dossiers.publish_due(cursor(), today)
        done["date"] = today
