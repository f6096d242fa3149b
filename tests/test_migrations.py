import contextlib

import duckdb

from ror import db

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
