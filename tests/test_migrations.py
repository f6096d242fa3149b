import contextlib
import threading
import time

import duckdb

from ror.core import db

EXPECTED_TABLES = {
    "nomenclature",
    "departement",
    "commune",
    "ej",
    "eg",
    "oi",
    "uo",
    "uo_code",
    "horaire",
    "fermeture",
    "setting",
    "app_user",
    "user_territoire",
    "user_eg",
    "favori",
    "dossier",
    "dossier_fiche",
    "dossier_message",
    "notification",
    "notification_destinataire",
    "anomalie",
    "anomalie_evenement",
    "audit",
    "schema_migration",
}


def tables(con) -> set[str]:
    return {name for (name,) in con.sql("SELECT table_name FROM information_schema.tables").fetchall()}


def test_fresh_database_gets_the_whole_model():
    con = duckdb.connect()
    applied = db.migrate(con)
    assert applied == [f"{v:03d}_{n}" for v, n, _ in db.migration_files()]
    assert tables(con) >= EXPECTED_TABLES


def test_second_run_applies_nothing():
    con = duckdb.connect()
    db.migrate(con)
    assert db.migrate(con) == []


def test_existing_database_is_upgraded_in_place_without_losing_rows(tmp_path):
    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    first_version, first_name, first_file = db.migration_files()[0]
    db.applied_versions(con)  # creates schema_migration
    con.execute(first_file.read_text())
    con.execute("INSERT INTO schema_migration (version, name) VALUES ($v, $n)", {"v": first_version, "n": first_name})
    con.execute("INSERT INTO ej (finess_ej, raison_sociale, source) VALUES ('750712184', 'AP-HP', 'saisie')")
    con.close()

    con = duckdb.connect(str(path))
    applied = db.migrate(con)
    assert applied and not applied[0].startswith(f"{first_version:03d}")
    assert "app_user" in tables(con)
    assert con.sql("SELECT raison_sociale FROM ej").fetchall() == [("AP-HP",)]


def test_a_failing_migration_is_rolled_back_whole(tmp_path, monkeypatch):
    broken = tmp_path / "migrations"
    broken.mkdir()
    (broken / "001_ok.sql").write_text("CREATE TABLE a (x INTEGER);")
    (broken / "002_broken.sql").write_text("CREATE TABLE b (x INTEGER); THIS IS NOT SQL;")
    monkeypatch.setattr(db.config, "MIGRATIONS_DIR", broken)
    con = duckdb.connect()
    with contextlib.suppress(duckdb.Error):
        db.migrate(con)
    assert "a" in tables(con) and "b" not in tables(con)
    assert db.applied_versions(con) == {1}


def test_data_version_increases_with_each_write():
    con = duckdb.connect()
    db.migrate(con)
    assert db.data_version(con) == 0
    db.bump_data_version(con)
    db.bump_data_version(con)
    assert db.data_version(con) == 2


def test_the_establishments_each_version_changed_are_known_while_they_are_kept(monkeypatch):
    con = duckdb.connect()
    db.migrate(con)
    assert db.changed_since(con, 0) == []  # nothing written yet
    db.bump_data_version(con, ["920000001", "750000002", "920000001"])
    db.bump_data_version(con, ["930000003"])
    assert db.changed_since(con, 0) == ["750000002", "920000001", "930000003"]
    assert db.changed_since(con, 1) == ["930000003"]
    assert db.changed_since(con, 2) == []
    assert db.changed_since(con, 3) is None  # a version this base never had (another base at the same place)
    db.bump_data_version(con)  # a write that may have changed anything (an import)
    assert db.changed_since(con, 1) is None and db.changed_since(con, 3) == []
    monkeypatch.setattr(db, "CHANGES_KEPT", 2)
    db.bump_data_version(con, ["770000004"])
    db.bump_data_version(con, ["770000005"])
    assert db.changed_since(con, 3) == ["770000004", "770000005"]
    assert db.changed_since(con, 2) is None  # version 3's changes are no longer remembered


def test_write_transactions_run_one_at_a_time(tmp_path):
    """DuckDB 2.0 lets two transactions update the same primary-key row and loses one update: a second
    writer of the process waits until the first has committed, and then sees its change."""
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    con.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER)")
    con.execute("INSERT INTO t VALUES (1, 1)")
    inside, release, seen = threading.Event(), threading.Event(), []

    def first() -> None:
        with db.transaction(con.cursor()) as cur:
            cur.execute("UPDATE t SET v = v + 1 WHERE id = 1")
            inside.set()
            release.wait(5)

    def second() -> None:
        inside.wait(5)
        with db.transaction(con.cursor()) as cur:
            seen.append(cur.sql("SELECT v FROM t").fetchall()[0][0])
            cur.execute("UPDATE t SET v = v + 1 WHERE id = 1")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    inside.wait(5)
    time.sleep(0.3)
    assert seen == []  # the second writer is waiting
    release.set()
    for thread in threads:
        thread.join(10)
    assert seen == [2]
    assert con.sql("SELECT v FROM t").fetchall() == [(3,)]
