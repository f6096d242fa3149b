import subprocess
import sys

import pytest

from ror.cli import main
from ror.territoire import checks

from .conftest import PROJECT_DIR


def test_checks_find_each_kind_of_problem(rw_con):
    rw_con.execute("UPDATE eg SET finess_ej = '999999999' WHERE finess_eg = '750000499'")
    rw_con.execute("DELETE FROM uo_code WHERE system = 'TRE_R211' AND uo_id = 1")
    rw_con.execute("UPDATE eg SET lat = NULL WHERE finess_eg = '750000481'")
    rw_con.execute("UPDATE ej SET finess_ej = '750000498' WHERE finess_ej = '750110025'")  # bad control key
    rw_con.execute("INSERT INTO uo_code VALUES (987654, 'TRE_R211', '001')")
    rw_con.execute("UPDATE eg SET departement = '93' WHERE finess_eg = '750000523'")
    results = {r.check.name: r for r in checks.run_checks(rw_con)}
    assert results["eg_without_ej"].count >= 1
    assert results["uo_without_activite"].rows["identifiant"].to_list() == ["1"]
    assert results["eg_without_coordinates"].rows["identifiant"].to_list() == ["750000481"]
    assert results["invalid_finess"].rows["identifiant"].to_list() == ["EJ 750000498"]
    assert results["rows_without_uo"].count == 1
    assert results["eg_finess_other_departement"].rows["identifiant"].to_list() == ["750000523"]
    assert checks.has_errors(list(results.values()))
    text = checks.report(list(results.values()))
    assert "[ERR] UO sans activité opérationnelle : 1" in text


def test_cli_check_exit_codes(demo_db, db_copy, capsys):
    assert main(["check", "--db", str(demo_db)]) == 0
    assert "Base intègre." in capsys.readouterr().out
    import duckdb

    con = duckdb.connect(str(db_copy))
    con.execute("DELETE FROM uo_code WHERE system = 'TRE_R211' AND uo_id = 2")
    con.close()
    assert main(["check", "--db", str(db_copy)]) == 1
    assert "anomalie(s) d'intégrité" in capsys.readouterr().out


def test_cli_missing_database(tmp_path, capsys):
    assert main(["check", "--db", str(tmp_path / "absent.duckdb")]) == 2
    assert "Base introuvable" in capsys.readouterr().err


def test_cli_build_demo_if_missing_keeps_the_database(demo_db, capsys):
    assert main(["build-demo", "--db", str(demo_db), "--if-missing"]) == 0
    assert "Base existante conservée" in capsys.readouterr().out


def test_cli_honours_ror_db(demo_db, monkeypatch, capsys):
    monkeypatch.setenv("ROR_DB", str(demo_db))
    assert main(["check"]) == 0


def test_cli_help_is_french():
    result = subprocess.run([sys.executable, "-m", "ror", "--help"], cwd=PROJECT_DIR, capture_output=True, text=True)
    assert result.returncode == 0
    assert "build-demo" in result.stdout and "check" in result.stdout and "ROR_DB" in result.stdout


LOCKED_COMMANDS = {  # every command that opens the base, with its arguments, and the page to use instead
    "check": ([], "« Qualité des données »"),
    "search": (["--ou", "Nanterre"], "« Recherche »"),
    "migrate": ([], "applique elle-même les migrations"),
    "import-finess": ([str(PROJECT_DIR / "tests/data/finess/etalab-extrait-idf.csv")], "« Import FINESS »"),
    "export": (["--format", "csv", "--out", "/tmp/ror-jamais.csv"], "« Export de l'offre »"),
    "publish-due": ([], "publie elle-même les dossiers échus"),
    "backup": (["--out", "/tmp/ror-jamais"], "« Sauvegarde »"),
    "restore": ([str(PROJECT_DIR / "tests/data/finess/etalab-extrait-idf.csv")], "application arrêtée"),
    "bench": ([], "application arrêtée"),
}


def test_every_command_on_a_locked_base_says_so_and_names_its_place_in_the_app(db_copy):
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db_copy)!r}); print('ok', flush=True); time.sleep(120)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    results = {}
    try:
        assert holder.stdout.readline().strip() == "ok"
        for command, (arguments, _place) in LOCKED_COMMANDS.items():
            results[command] = subprocess.run(
                [sys.executable, "-m", "ror", command, *arguments, "--db", str(db_copy)],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=60,
            )
    finally:
        holder.kill()
    for command, result in results.items():
        assert result.returncode == 3, (command, result.stderr)
        assert "verrouillée" in result.stderr and "Traceback" not in result.stderr, command
        assert LOCKED_COMMANDS[command][1] in result.stderr, (command, result.stderr)


@pytest.mark.parametrize("scale", ["national"])
def test_national_scale_is_accepted_by_the_parser(scale):
    from ror.cli.parser import parser as _parser

    assert _parser().parse_args(["build-demo", "--scale", scale]).scale == scale
