"""A production base from nothing: `init`, the FINESS import on it, the first administrator's sign-in, demo mode
refused on it, `build-demo` refusing to replace it; `backup` and `restore` (same rows, same search results)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ror.administration import finess_import, installation
from ror.core import auth
from ror.recherche import search

from .conftest import PROJECT_DIR

SAMPLE = PROJECT_DIR / "tests" / "data" / "finess" / "etalab-extrait-idf.csv"
PASSWORD = "Provisoire-2026"


def ror(*arguments: str, password: str | None = PASSWORD) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "ROR_ADMIN_PASSWORD"}
    if password is not None:
        env["ROR_ADMIN_PASSWORD"] = password
    return subprocess.run(
        [sys.executable, "-m", "ror", *arguments],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=120,
    )


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Path:
    """A base made by `python -m ror init`, then given the sample FINESS extract by `import-finess`."""
    path = tmp_path_factory.mktemp("production") / "ror.duckdb"
    made = ror("init", "--db", str(path), "--admin", "Marie.Durand", "--email", "marie.durand@ars.sante.fr")
    assert made.returncode == 0, made.stderr
    assert "aucun établissement" in made.stdout and PASSWORD not in made.stdout + made.stderr
    imported = ror("import-finess", str(SAMPLE), "--db", str(path))
    assert imported.returncode == 0, imported.stderr
    assert "8 créé(s)" in imported.stdout and "1 hors du territoire" in imported.stdout
    return path


def read(path: Path, query: str) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.sql(query).fetchall()
    finally:
        con.close()


def test_init_makes_an_empty_production_base_with_its_reference_and_one_administrator(tmp_path):
    path = tmp_path / "ror.duckdb"
    counts = installation.init_base(path, " Marie.Durand ", PASSWORD)
    assert counts["ej"] == counts["eg"] == counts["uo"] == counts["dossier"] == counts["anomalie"] == 0
    assert counts["commune"] > 1200 and counts["nomenclature"] > 1000 and counts["app_user"] == 1
    assert read(path, "SELECT code FROM departement ORDER BY 1") == [
        (d,) for d in ("75", "77", "78", "91", "92", "93", "94", "95")
    ]
    assert read(path, "SELECT count(geojson) FROM commune")[0][0] > 1200  # the communes' boundaries
    assert read(path, "SELECT count(geojson) FROM departement")[0][0] == 8
    assert read(path, "SELECT login, role, demo, doit_changer_mot_de_passe FROM app_user") == [
        ("marie.durand", "admin", False, True)
    ]
    con = duckdb.connect(str(path))
    try:
        assert not auth.is_demo_base(con)
        signed = auth.sign_in(con, "marie.durand", PASSWORD)
        assert signed.role == "admin" and signed.doit_changer_mot_de_passe  # his first page is « Mon compte »
        assert search.search(con, search.SearchQuery(quoi=search.query_terms([], "soins"))).empty
    finally:
        con.close()
    assert not list(tmp_path.glob("*.init*"))  # nothing left beside it


def test_init_refuses_an_existing_file_and_changes_nothing(production):
    before = production.read_bytes()
    result = ror("init", "--db", str(production), "--admin", "autre.admin")
    assert result.returncode == 1
    assert "existe déjà" in result.stderr and "Traceback" not in result.stderr
    assert production.read_bytes() == before


@pytest.mark.parametrize(
    ("login", "password", "message"),
    [
        ("a", PASSWORD, "L'identifiant comporte 3 à 40 caractères"),
        ("marie.durand", "court", "au moins 12 caractères"),
        ("marie.durand", "sanschiffresdutout", "au moins 12 caractères"),
    ],
)
def test_init_refuses_a_bad_login_or_password_and_leaves_no_file(tmp_path, login, password, message):
    with pytest.raises(installation.InstallationError, match=message):
        installation.init_base(tmp_path / "ror.duckdb", login, password)
    assert not list(tmp_path.iterdir())


def test_init_without_a_password_asks_for_one_in_french_and_creates_nothing(tmp_path):
    result = ror("init", "--db", str(tmp_path / "ror.duckdb"), "--admin", "marie.durand", password=None)
    assert result.returncode == 1
    assert "ROR_ADMIN_PASSWORD" in result.stderr and not (tmp_path / "ror.duckdb").exists()


def test_the_import_fills_the_empty_base_and_a_second_run_changes_nothing(production, tmp_path):
    assert read(production, "SELECT count(*) FROM eg")[0][0] == 8
    assert read(production, "SELECT statut_juridique FROM ej WHERE finess_ej = '750712184'") == [("public",)]
    assert read(production, "SELECT count(*) FROM eg WHERE coord_source = 'finess'")[0][0] == 7
    copy = shutil.copy(production, tmp_path / "copie.duckdb")
    con = duckdb.connect(str(copy))
    try:
        report = finess_import.import_finess(con, SAMPLE.read_bytes(), SAMPLE.name)
    finally:
        con.close()
    assert report.crees == [] and report.modifies == {} and report.inchanges == 8


def test_demo_mode_refuses_the_production_base(production, monkeypatch, tmp_path):
    copy = shutil.copy(production, tmp_path / "copie.duckdb")
    monkeypatch.setenv("ROR_DB", str(copy))
    monkeypatch.setenv("ROR_DEMO", "1")
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "ne démarre que sur une base construite par « python -m ror build-demo »" in at.error[0].value
    assert not at.button  # no demo account offered, no sign-in form


def test_build_demo_never_replaces_a_production_base(production):
    before = production.read_bytes()
    result = ror("build-demo", "--db", str(production))
    assert result.returncode == 1 and "n'est pas une base de démonstration" in result.stderr
    assert production.read_bytes() == before


def search_results(path: Path) -> list[tuple]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        place = search.resolve_place(con, "Nanterre")
        query = search.SearchQuery(ou=place, quoi=search.query_terms([], "soins de suite"), rayon_km=30)
        found = search.search(con, query)
        return [(row["finess_eg"], row["distance_km"]) for row in found.eg.iter_rows(named=True)]
    finally:
        con.close()


def test_backup_then_restore_gives_back_the_same_rows_and_the_same_search_results(db_copy, tmp_path):
    counts_before = read(
        db_copy, "SELECT (SELECT count(*) FROM eg), (SELECT count(*) FROM uo), (SELECT count(*) FROM audit)"
    )
    found_before = search_results(db_copy)
    assert found_before
    saved = ror("backup", "--db", str(db_copy), "--out", str(tmp_path / "sauvegardes"))
    assert saved.returncode == 0, saved.stderr
    (backup,) = (tmp_path / "sauvegardes").glob("ror-sauvegarde-*.duckdb")
    con = duckdb.connect(str(db_copy))  # the base is damaged after the backup
    con.execute("DELETE FROM uo_code; DELETE FROM horaire; DELETE FROM fermeture; DELETE FROM uo")
    con.close()
    restored = ror("restore", str(backup), "--db", str(db_copy))
    assert restored.returncode == 0, restored.stderr
    assert (
        read(db_copy, "SELECT (SELECT count(*) FROM eg), (SELECT count(*) FROM uo), (SELECT count(*) FROM audit)")
        == counts_before
    )
    assert search_results(db_copy) == found_before
    (kept,) = tmp_path.glob("ror.avant-restauration-*.duckdb")  # the base replaced is kept, not erased
    assert read(kept, "SELECT count(*) FROM uo") == [(0,)]
    assert "gardée sous" in restored.stdout


def test_restore_refuses_a_file_that_is_not_a_backup_and_keeps_the_base(db_copy, tmp_path):
    before = db_copy.read_bytes()
    for wrong in (SAMPLE, tmp_path / "absente.duckdb"):
        result = ror("restore", str(wrong), "--db", str(db_copy))
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert "n'est pas une sauvegarde" in result.stderr or "introuvable" in result.stderr
    other = tmp_path / "autre.duckdb"
    duckdb.connect(str(other)).execute("CREATE TABLE t (x INTEGER)").close()
    result = ror("restore", str(other), "--db", str(db_copy))
    assert result.returncode == 1 and "tables absentes" in result.stderr
    assert db_copy.read_bytes() == before and not list(tmp_path.glob("*.restauration"))


def test_a_backup_never_overwrites_a_file(db_copy, tmp_path):
    target = tmp_path / "deja.duckdb"
    target.write_bytes(b"precieux")
    con = duckdb.connect(str(db_copy))
    try:
        with pytest.raises(installation.InstallationError, match="existe déjà"):
            installation.backup(con, target)
    finally:
        con.close()
    assert target.read_bytes() == b"precieux"
