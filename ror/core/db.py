"""The DuckDB database: opening it, migrating it, transactions and the data version."""

from __future__ import annotations

import contextlib
import os
import re
import threading
from collections.abc import Iterator
from pathlib import Path

import duckdb

from ror.core import config


class DatabaseLocked(RuntimeError):
    """The database file is held by another process (usually the running app)."""


class DatabaseUnreadable(RuntimeError):
    """The file is not a DuckDB database this version can open (another format, damaged, newer): French message."""


LOCKED_MESSAGE = (
    "La base {path} est verrouillée par un autre processus (l'application est-elle lancée ?). "
    "Arrêtez l'application puis relancez la commande."
)


def connect(path: Path | str | None = None, *, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database (creating its folder), raising DatabaseLocked with a French message."""
    path = Path(path) if path else config.db_path()
    if str(path) != ":memory:":
        path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(path), read_only=read_only)
    except duckdb.Error as exc:
        if isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower():
            raise DatabaseLocked(LOCKED_MESSAGE.format(path=path)) from exc
        raise DatabaseUnreadable(
            f"Le fichier {path} n'est pas une base DuckDB lisible par cette version (fichier d'un autre format, "
            "abîmé, ou d'une version plus récente)."
        ) from exc
    return in_paris(con)


ZONE = "Europe/Paris"


def in_paris(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Instants read and written in Europe/Paris by this database and every cursor of it (ror/core/clock.py)."""
    con.execute(f"SET GLOBAL TimeZone = '{ZONE}'")
    return con


@contextlib.contextmanager
def new_base(path: Path, suffix: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """A new base, migrated, built in a temporary file beside `path` (`path` + `suffix`) and moved into place only when
    the block ends without error: a failed or interrupted build never leaves half a base, nor destroys the previous
    one."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    building = path.with_name(path.name + suffix)
    for leftover in (building, Path(f"{building}.wal")):
        leftover.unlink(missing_ok=True)
    con = in_paris(duckdb.connect(str(building)))
    try:
        migrate(con)
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
    os.replace(building, path)
    Path(f"{path}.wal").unlink(missing_ok=True)


def migration_files() -> list[tuple[int, str, Path]]:
    """The numbered migration files of data/migrations, in order."""
    found = []
    for file in sorted(config.MIGRATIONS_DIR.glob("*.sql")):
        match = re.match(r"^(\d+)_(.+)\.sql$", file.name)
        if match:
            found.append((int(match.group(1)), match.group(2), file))
    return sorted(found)


def applied_versions(con: duckdb.DuckDBPyConnection) -> set[int]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migration ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,"
        " applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)"
    )
    return {row[0] for row in con.sql("SELECT version FROM schema_migration").fetchall()}


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply the migrations not yet recorded, each in its own transaction; return their names."""
    done = applied_versions(con)
    applied = []
    # A migration reads the bundled reference files by their path under data/ (e.g. 'geo/….geojson'), and reads an
    # instant stored without its zone (before 017) in the server's own zone, the one it was written in.
    con.execute(f"SET file_search_path = '{str(config.DATA_DIR).replace(chr(39), chr(39) * 2)}'")
    con.execute(f"SET TimeZone = '{_server_zone()}'")
    for version, name, file in migration_files():
        if version in done:
            continue
        with transaction(con):
            con.execute(file.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_migration (version, name) VALUES ($v, $n)",
                {"v": version, "n": name},
            )
        applied.append(f"{version:03d}_{name}")
    con.execute("RESET file_search_path")
    con.execute(f"SET TimeZone = '{ZONE}'")  # back to the database's (RESET would give the machine's)
    return applied


def _server_zone() -> str:
    """The zone of this machine, as DuckDB reads it (« Etc/UTC » on a server in UTC)."""
    with duckdb.connect() as fresh:
        return fresh.sql("SELECT current_setting('TimeZone')").fetchall()[0][0]


# DuckDB 2.0 does not detect two transactions updating the same row of a table with a primary key: both
# commit and one update is lost. The writes of this process (the app's threads share one database) therefore
# run one at a time, so that a version check made inside a transaction is exact.
_WRITES = threading.RLock()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """One write transaction, one at a time in this process: committed when the block ends, rolled back whole
    on any error."""
    with _WRITES:
        con.execute("BEGIN TRANSACTION")
        try:
            yield con
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("COMMIT")


def next_id(con: duckdb.DuckDBPyConnection, table: str, column: str) -> int:
    """The next integer id of a table (called inside the write's transaction)."""
    if (table, column) not in _ID_COLUMNS:
        raise ValueError(f"unknown id column {table}.{column}")
    query = f"SELECT coalesce(max({column}), 0) + 1 FROM {table}"  # whitelisted identifiers
    return int(con.sql(query).fetchall()[0][0])


_ID_COLUMNS = {
    ("oi", "oi_id"),
    ("uo", "uo_id"),
    ("fermeture", "fermeture_id"),
    ("app_user", "user_id"),
    ("dossier", "dossier_id"),
    ("dossier_fiche", "fiche_id"),
    ("dossier_message", "message_id"),
    ("notification", "notification_id"),
    ("anomalie", "anomalie_id"),
    ("anomalie_evenement", "event_id"),
    ("audit", "audit_id"),
}


DATA_VERSION_KEY = "data_version"


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that every write increases: the key of the app's read caches."""
    return int(get_setting(con, DATA_VERSION_KEY, "0"))


CHANGES_KEPT = 1000  # data versions whose establishments are remembered (table data_change)


def bump_data_version(con: duckdb.DuckDBPyConnection, finess_eg: list[str] | None = None) -> None:
    """Inside a write's transaction: a new data version, recording the establishments it changed (None: it may have
    changed anything, e.g. a FINESS import or a reference reload)."""
    con.execute(
        "INSERT INTO setting VALUES ('data_version', '1') ON CONFLICT (key) DO UPDATE "
        "SET value = CAST(CAST(setting.value AS BIGINT) + 1 AS VARCHAR)"
    )
    version = data_version(con)
    con.execute(
        "INSERT INTO data_change SELECT $v, unnest(coalesce($f, [NULL]))",
        {"v": version, "f": sorted(set(finess_eg)) if finess_eg else None},
    )
    con.execute("DELETE FROM data_change WHERE version <= $v", {"v": version - CHANGES_KEPT})


def changed_since(con: duckdb.DuckDBPyConnection, version: int) -> list[str] | None:
    """The establishments changed by the data versions after `version`; None when that is not known (a version that
    may have changed anything, or older than the versions remembered)."""
    now = data_version(con)
    rows = con.sql(
        "SELECT count(DISTINCT version), count(*) FILTER (WHERE finess_eg IS NULL), "
        "list(DISTINCT finess_eg ORDER BY finess_eg) FILTER (WHERE finess_eg IS NOT NULL) "
        "FROM data_change WHERE version > $v AND version <= $now",
        params={"v": version, "now": now},
    ).fetchall()[0]
    versions, anything, finess = rows
    if versions != now - version or anything:
        return None
    return finess or []


def file_of(con: duckdb.DuckDBPyConnection) -> str:
    """The file of the base a connection reads ('' for a base in memory): the key of what is kept per base."""
    return con.sql(
        "SELECT coalesce(path, '') FROM duckdb_databases() WHERE database_name = current_database()"
    ).fetchall()[0][0]


def get_setting(con: duckdb.DuckDBPyConnection, key: str, default: str | None = None) -> str | None:
    rows = con.execute("SELECT value FROM setting WHERE key = $k", {"k": key}).fetchall()  # bound once (queries.rows)
    return rows[0][0] if rows else default


def integer_setting(con: duckdb.DuckDBPyConnection, key: str, default: int) -> int:
    """An integer setting, or `default` when it is missing or not a number (set by ror/settings.set_integer)."""
    value = get_setting(con, key)
    return int(value) if value and value.isdigit() else default


def settings(con: duckdb.DuckDBPyConnection, keys: list[str]) -> dict[str, str]:
    """Several settings in one read; the keys not set are left out."""
    return dict(con.execute("SELECT key, value FROM setting WHERE list_contains($k, key)", {"k": keys}).fetchall())


def set_setting(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute(
        "INSERT INTO setting VALUES ($k, $v) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        {"k": key, "v": value},
    )
