"""The database as the app sees it: one read-write connection per process, a cursor per script run."""

from __future__ import annotations

import datetime as dt
import threading
import time

import duckdb
import polars as pl
import streamlit as st

import queries
from ror import dossiers
from ror.administration import offer_feed
from ror.core import auth, clock, config, db
from ror.core.errors import UserError
from ror.repertoire.opening import local


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
    except (db.DatabaseLocked, db.DatabaseUnreadable) as exc:
        raise DatabaseUnavailable(str(exc)) from exc


def is_demo_base() -> bool:
    """Whether the base was built by build-demo (auth.is_demo_base), read once per state of its file: its nature is
    set when it is built or installed, by commands that need it closed (app.py asks at every run)."""
    path = config.db_path()
    return _is_demo_base(str(path), path.stat().st_mtime_ns)


@st.cache_resource(max_entries=4, show_spinner=False)
def _is_demo_base(path: str, modified_ns: int) -> bool:
    return auth.is_demo_base(cursor())


def data_version() -> int:
    """The key of cached reads: it changes with every write."""
    return db.data_version(cursor())


def departement_boundaries() -> pl.DataFrame:
    """The départements' outlines (code, nom, geojson): reference data the app never changes, read once per base
    and shared by every session (the maps of the Tableau de bord, the Recherche, the Couverture and the fiche EG)."""
    return _departement_boundaries(str(config.db_path()))


@st.cache_resource(max_entries=4, show_spinner=False)
def _departement_boundaries(path: str) -> pl.DataFrame:
    return queries.run(cursor(), "departement_boundaries")


def arrondissement_boundaries() -> pl.DataFrame:
    """The 20 arrondissements of Paris (code_insee, nom, lat, lon, geojson …): reference data read once per base."""
    return _arrondissement_boundaries(str(config.db_path()))


@st.cache_resource(max_entries=4, show_spinner=False)
def _arrondissement_boundaries(path: str) -> pl.DataFrame:
    return queries.run(cursor(), "arrondissements")


AROUND_KM = 6.0  # the fiche's map names the communes (Paris: arrondissements) whose centre is this close to the site


def zones_around(lat: float, lon: float) -> pl.DataFrame:
    """The communes (Paris: arrondissements) around a site, with their outlines and names (the fiche's map)."""
    return _zones_around(str(config.db_path()), round(lat, 4), round(lon, 4))


@st.cache_resource(max_entries=256, show_spinner=False)
def _zones_around(path: str, lat: float, lon: float) -> pl.DataFrame:
    return queries.run(cursor(), "zones_near", lat=lat, lon=lon, km=AROUND_KM)


@st.cache_resource(max_entries=1, show_spinner=False)
def _publish_on(day: dt.date) -> list[int]:
    return dossiers.publish_due(cursor(), day)


def publish_scheduled() -> None:
    """Publish the dossiers whose date d'effet has come, once a day per server (ror/dossiers.publish_due): the
    first run of a new day computes the cached value of that day."""
    _publish_on(clock.today())


def _feed_loop(con: duckdb.DuckDBPyConnection, path: str) -> None:
    """Every day at 18:00 (Paris), write the synchronisation feed of what was published since the previous one
    (ror/administration/offer_export.py); a feed missed while the app was stopped is written when it starts again.
    Ends when the app no longer uses this database."""
    while str(config.db_path()) == path:
        cur = con.cursor()
        now = local()
        try:
            if offer_feed.feed_due(cur, now):
                offer_feed.write_feed(cur, config.feed_dir(), now)
        except (duckdb.Error, OSError, UserError) as exc:  # retried at the next wake-up
            print(f"Flux de synchronisation non écrit : {exc}", flush=True)
        finally:
            cur.close()
        upcoming = offer_feed.last_feed_time(now) + dt.timedelta(days=1)
        time.sleep(min(30.0, max(1.0, (upcoming - now).total_seconds() + 1)))


@st.cache_resource(max_entries=1)
def start_daily_feed(path: str) -> threading.Thread:
    """The server's one thread that writes the daily feed, with its own cursor of the app's connection."""
    thread = threading.Thread(target=_feed_loop, args=(_connection(path), path), name="flux-quotidien", daemon=True)
    thread.start()
    return thread
