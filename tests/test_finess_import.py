"""The FINESS import on small real-format files (tests/data/finess, made by make_samples.py from the bundled
real data): both layouts and encodings, bad lines and their reasons, a re-run that changes nothing, malformed
files refused whole, and the import-finess command."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from ror import cli
from ror.administration import finess_import
from ror.administration.finess_import import FinessFileError, import_finess
from ror.core.permissions import PermissionDenied

from .helpers import user

SAMPLES = Path(__file__).resolve().parent / "data" / "finess"
ETALAB = (SAMPLES / "etalab-extrait-idf.csv").read_bytes()
PLAIN = (SAMPLES / "finess-entete-utf8.csv").read_bytes()


def fingerprint(con) -> str:
    rows = con.sql("SELECT * EXCLUDE (updated_at) FROM eg ORDER BY finess_eg").fetchall()
    rows += con.sql("SELECT * EXCLUDE (updated_at) FROM ej ORDER BY finess_ej").fetchall()
    return hashlib.sha256(repr(rows).encode()).hexdigest()


def test_the_official_file_is_latin1_with_structure_and_geolocation_lines():
    assert ETALAB.startswith(b"finess;etalab;")
    with pytest.raises(UnicodeDecodeError):
        ETALAB.decode("utf-8")
    parsed = finess_import.parse(ETALAB)
    assert parsed.encodage == "latin-1" and len(parsed.structures) == 14 and len(parsed.positions) == 10


def test_import_creates_updates_rejects_and_a_second_run_changes_nothing(rw_con):
    rw_con.execute("DELETE FROM eg WHERE finess_eg IN ('750000481', '950000331')")
    rw_con.execute("DELETE FROM ej WHERE finess_ej = '950110049'")
    report = import_finess(rw_con, ETALAB, "etalab.csv")
    assert report.crees == ["750000481", "950000331"] and report.ej_crees == ["950110049"]
    assert len(report.modifies) == 6 and report.inchanges == 0 and report.hors_territoire == 1
    assert report.modifies["940000573"]["nom"] == ["CHI DE CRETEIL", "CENTRE HOSPITALIER INTERCOMMUNAL DE CRETEIL"]
    reasons = {finess: reason for _, finess, reason in report.rejetes}
    assert "clé de contrôle" in reasons["750000482"]
    assert reasons["750000119"] == "commune inconnue (code INSEE 75999)"
    assert reasons["750000200"].startswith("coordonnées hors de France")
    assert reasons["750041543"].startswith("ligne incomplète")
    assert reasons["920000650"] == "FINESS en double dans le fichier (déjà ligne 6)"
    # the real extract places Delafontaine 619 km away: imported, its position kept, and said
    assert "619 km" in report.avertissements[0][2]
    created = rw_con.sql(
        "SELECT nom, departement, commune_insee, code_postal, categorie_code, coord_source, round(lat, 3), "
        "round(lon, 3), source FROM eg WHERE finess_eg = '950000331'"
    ).fetchall()
    assert created == [
        (
            "CENTRE HOSPITALIER GENERAL DE GONESSE",
            "95",
            "95277",
            "95503",
            "355",
            "finess",
            48.993,
            2.449,
            "import FINESS",
        )
    ]  # Lambert 93 back to the WGS84 of the 2020 extract (48.992851, 2.448904)
    assert rw_con.sql("SELECT raison_sociale FROM ej WHERE finess_ej = '950110049'").fetchall() == [
        ("CENTRE HOSPITALIER GENERAL DE GONESSE",)
    ]
    before = fingerprint(rw_con)
    again = import_finess(rw_con, ETALAB, "etalab.csv")
    assert (again.crees, again.modifies, again.inchanges) == ([], {}, 8)
    assert fingerprint(rw_con) == before
    assert rw_con.sql("SELECT count(*), sum(crees), sum(rejetes) FROM import_finess").fetchall() == [(2, 2, 10)]


def test_a_contact_kept_by_the_establishment_is_never_overwritten(rw_con):
    rw_con.execute("UPDATE eg SET telephone = '01 99 99 99 99' WHERE finess_eg = '940000573'")
    rw_con.execute("UPDATE eg SET telephone = NULL WHERE finess_eg = '950000331'")
    report = import_finess(rw_con, ETALAB, "etalab.csv")
    assert "telephone" not in report.modifies["940000573"]
    assert report.modifies["950000331"]["telephone"] == [None, "01 34 53 21 21"]
    assert rw_con.sql("SELECT telephone FROM eg WHERE finess_eg = '940000573'").fetchall() == [("01 99 99 99 99",)]


def test_the_plain_utf8_csv_with_a_header(rw_con):
    report = import_finess(rw_con, PLAIN, "finess.csv")
    assert report.encodage == "UTF-8" and report.format == "CSV avec en-tête"
    assert report.lignes == 6 and report.hors_territoire == 1 and len(report.rejetes) == 1
    assert len(report.modifies) == 4
    assert rw_con.sql("SELECT coord_source, siret FROM eg WHERE finess_eg = '750000499'").fetchall() == [
        ("finess", "26750064300015")
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "vide"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "pas un fichier texte"),
        ("nom;commune\nHôpital;Paris\n".encode(), "manque : nofinesset, nofinessej, rs"),
        (b"finess;etalab;95;2026-11-02\n", "aucune ligne d'établissement"),
    ],
)
def test_a_malformed_file_is_refused_whole(rw_con, content, message):
    before = fingerprint(rw_con)
    with pytest.raises(FinessFileError, match=message):
        import_finess(rw_con, content, "x.csv")
    assert fingerprint(rw_con) == before
    assert rw_con.sql("SELECT count(*) FROM import_finess").fetchall() == [(0,)]


def test_only_the_administrator_imports(rw_con):
    with pytest.raises(PermissionDenied):
        import_finess(rw_con, ETALAB, "x.csv", user=user(rw_con, "support"))
    assert import_finess(rw_con, ETALAB, "x.csv", user=user(rw_con, "admin")).lignes == 14


def test_import_finess_command(db_copy, tmp_path, capsys):
    assert cli.main(["import-finess", str(SAMPLES / "etalab-extrait-idf.csv"), "--db", str(db_copy)]) == 0
    out = capsys.readouterr().out
    assert "0 créé(s), 8 modifié(s)" in out and "Rejeté ligne 21 (750000119) : commune inconnue" in out
    wrong = tmp_path / "pas-finess.csv"
    wrong.write_text("a;b\n1;2\n", encoding="utf-8")
    assert cli.main(["import-finess", str(wrong), "--db", str(db_copy)]) == 1
    assert "n'est pas un extrait FINESS" in capsys.readouterr().err
    assert cli.main(["import-finess", str(tmp_path / "absent.csv"), "--db", str(db_copy)]) == 1
