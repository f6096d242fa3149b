"""What a user types is only ever text (pages, maps, exports), a crash says nothing of the server, demo mode
stays on demo bases, the command line answers bad input in French (docs/securite.md)."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
import sys

import openpyxl
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from components.maps import build_results_folium
from components.text import deck_text, html_text, md
from ror.administration import screen_exports
from ror.core import auth
from ror.recherche.search import Place

from .conftest import PROJECT_DIR
from .helpers import ROLES, open_page, signed_in

HOSTILE = (
    "![pixel](https://ailleurs.example/p.png) [cliquez](javascript:alert(1)) <img src=x onerror=alert(1)> "
    "${alert(1)} `code` **gras** :red[rouge] $x^2$ https://ailleurs.example www.ailleurs.example a@b.fr"
)


# ---------------------------------------------------------------------------------------------------------
# The helper


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("![x](https://evil/p.png)", "!\\[x\\](https:\u2060//evil/p.png)"),
        ("<img src=x onerror=alert(1)>", r"\<img src=x onerror=alert(1)\>"),
        ("[a](javascript:alert(1))", r"\[a\](javascript\:alert(1))"),
        (":red[rouge] $x$ ~barré~ :material/home:", r"\:red\[rouge\] \$x\$ \~barré\~ \:material/home:"),
        ("**gras** _it_ `code` #titre | &amp;", r"\*\*gras\*\* \_it\_ \`code\` \#titre \| \&amp;"),
        ("www.evil.fr et http://evil.fr", "www\u2060.evil.fr et http:\u2060//evil.fr"),
        ("1. liste", r"1\. liste"),
        ("- puce", r"\- puce"),
        ("ligne\nsuivante\x00", "ligne suivante"),
        ("Le FINESS 920000000 existe déjà : « CH (92) ».", "Le FINESS 920000000 existe déjà : « CH (92) »."),
        (None, ""),
    ],
)
def test_md_makes_any_text_inert_and_keeps_french_sentences_as_typed(typed, shown):
    assert md(typed) == shown


def test_html_text_escapes_what_html_and_a_template_literal_read():
    assert html_text("<b onmouseover='x'>`${alert(1)}` & \\") == (
        "&lt;b onmouseover=&#x27;x&#x27;&gt;&#96;&#36;&#123;alert(1)}&#96; &amp; &#92;"
    )


def test_deck_text_never_starts_like_a_deck_gl_expression():
    assert deck_text("@@=alert(1)") == "\u200b@@=alert(1)" and deck_text("CH X") == "CH X"


def test_the_search_map_tooltip_carries_no_markup_of_an_eg_name():
    name = "<img src=x onerror=alert(1)>${alert(2)}`"
    eg = pl.DataFrame(
        {
            "finess_eg": ["920000001"],
            "eg_nom": [name],
            "commune": ["Nanterre"],
            "distance_km": [1.0],
            "temps_min": [4],
            "uo": [1],
            "uo_ouvertes": [1],
            "statut": ["ouvert"],
            "lat": [48.89],
            "lon": [2.2],
        }
    )
    boundaries = pl.DataFrame(
        {"code": [], "nom": [], "geojson": []}, schema=dict.fromkeys(("code", "nom", "geojson"), pl.String)
    )
    place = Place(
        cle="commune:92050", type="commune", libelle="${alert(3)}", detail="", lat=48.89, lon=2.2, departement="92"
    )
    page = build_results_folium(eg, boundaries, place).get_root().render()
    assert "<img" not in page and "${alert" not in page and "`<div" in page  # the template literal stays closed
    # the EG's tooltip is data of the markers' layer (JSON, « & » written \u0026): Leaflet reads it as HTML entities
    data = json.loads(re.search(r"var data = (\[.*?\]);\n", page).group(1))
    assert data[0][3].startswith("&lt;img src=x onerror=alert(1)&gt;&#36;&#123;alert(2)}&#96;")


# ---------------------------------------------------------------------------------------------------------
# Exports


def test_formulas_are_neutralised_in_csv_and_excel():
    table = pl.DataFrame(
        {"Nom": ['=HYPERLINK("http://x")', "+33 1 40", "-2", "@SUM(A1)", "\tx", "CH X"], "N": range(6)}
    )
    csv_text = screen_exports.write_csv(table).decode("utf-8-sig")
    first_cells = [row[0] for row in csv.reader(io.StringIO(csv_text), delimiter=";")][1:]
    assert first_cells == ['\'=HYPERLINK("http://x")', "'+33 1 40", "'-2", "'@SUM(A1)", "'\tx", "CH X"]
    book = openpyxl.load_workbook(io.BytesIO(screen_exports.workbook_xlsx({"Feuille": table}, [("Recherche", "=1+1")])))
    cells = [row[0] for row in book["Feuille"].iter_rows(min_row=2, values_only=True)]
    assert cells == ['=HYPERLINK("http://x")', "+33 1 40", "-2", "@SUM(A1)", "\tx", "CH X"]
    sheet = book["Feuille"]
    assert all(sheet.cell(row, 1).data_type == "s" for row in range(2, 8))  # text, never a formula
    assert sheet.cell(2, 1).quotePrefix and not sheet.cell(7, 1).quotePrefix
    assert book["À propos"].cell(1, 2).data_type == "s"


# ---------------------------------------------------------------------------------------------------------
# Command line: French message and exit code 1, never a traceback


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "ror", *args], cwd=PROJECT_DIR, capture_output=True, text=True, timeout=120
    )


def test_import_of_a_field_too_long_for_csv(db_copy, tmp_path):
    big = tmp_path / "enorme.csv"
    big.write_text('finess;etalab;1;2026-01-01\nstructureet;"' + "x" * 140_000 + '";y\n', encoding="latin-1")
    done = run_cli("import-finess", str(big), "--db", str(db_copy))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "n'est pas un CSV lisible (ligne 2)" in done.stderr and "Rien n'a été importé" in done.stderr


def test_export_into_a_folder_that_cannot_be_created(demo_db, tmp_path):
    (tmp_path / "fichier").write_text("x")
    done = run_cli(
        "export", "--format", "csv", "--out", str(tmp_path / "fichier" / "sous" / "offre.csv"), "--db", str(demo_db)
    )
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "Impossible d'écrire" in done.stderr and "pas un dossier" in done.stderr


def test_check_of_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "faux.duckdb").write_text("ceci n'est pas une base")
    done = run_cli("check", "--db", str(tmp_path / "faux.duckdb"))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "n'est pas une base DuckDB lisible" in done.stderr


# ---------------------------------------------------------------------------------------------------------
# Pages


def test_back_to_a_shared_search_after_another_page(app, demo_db):
    """The crash of the issue: widget state dropped by Streamlit when the page is left is re-created."""
    at = open_page(app, demo_db, "pages/recherche.py", "support", ou="commune:92050", q="soins médicaux")
    rayon = at.slider(key="r_rayon")
    rayon.set_value(35).run()
    at.switch_page("pages/tableau_de_bord.py").run()
    assert not at.exception
    at.switch_page("pages/recherche.py").run()
    assert not at.exception
    assert at.slider(key="r_rayon").value == 35
    assert at.text_input(key="r_quoi").value == "soins médicaux"
    assert at.text_input(key="r_ou_texte").value == "Nanterre"


def _failing_page():
    from components.errors import run_safely

    def broken():
        raise KeyError("st.session_state has no key /srv/ror/app.py")

    run_safely(broken)


def test_an_unexpected_error_is_a_french_message_with_a_number(monkeypatch, caplog):
    monkeypatch.setenv("ROR_DEBUG", "0")
    at = AppTest.from_function(_failing_page).run()
    assert not at.exception
    message = at.error[0].value
    assert message.startswith("Une erreur inattendue est survenue (erreur n° ") and "/srv" not in message
    number = message.split("n° ")[1].split(")")[0]
    assert any(number in r.getMessage() for r in caplog.records)  # the details are in the server log


def test_production_config_never_shows_error_details():
    assert 'showErrorDetails = "none"' in (PROJECT_DIR / ".streamlit" / "config.toml").read_text()


def test_demo_mode_refuses_a_production_base(demo_db, tmp_path, monkeypatch):
    import duckdb

    production = tmp_path / "production.duckdb"
    shutil.copy(demo_db, production)
    with duckdb.connect(str(production)) as con:
        con.execute("DELETE FROM setting WHERE key = 'base_nature'")
    monkeypatch.setenv("ROR_DB", str(production))
    monkeypatch.setenv("ROR_DEMO", "1")
    at = AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60).run()
    assert "ne démarre que sur une base construite par" in at.error[0].value
    assert not [b for b in at.button if b.label.startswith("Se connecter (")]


def test_a_deactivated_account_is_signed_out_at_its_next_click(app, demo_db):
    at = signed_in(app, demo_db, "referent")
    assert at.title[0].value == "Tableau de bord"
    app_con = _app_connection()  # the support deactivates it meanwhile
    app_con.execute("UPDATE app_user SET actif = FALSE, version = version + 1 WHERE login = 'referent'")
    try:
        at.run()
        assert "auth_user" not in at.session_state
        assert any("désactivé" in w.value for w in at.warning)
    finally:
        app_con.execute("UPDATE app_user SET actif = TRUE WHERE login = 'referent'")


def _app_connection():
    """The app's own connection (AppTest runs the app in this process; the file is locked by it)."""
    from components.data import _connection
    from ror.core import config

    return _connection(str(config.db_path())).cursor()


@pytest.mark.parametrize("login", ["support", "tutelle-pc"])
def test_hostile_names_are_shown_literally_on_the_anomaly_page(app, demo_db, login):
    """A description, a comment and a name shown to another person: inert text in AppTest (the real browser
    checks it too, tests/e2e/test_every_page.py)."""
    cur = _app_connection()
    anomalie_id = cur.sql("SELECT min(anomalie_id) FROM anomalie WHERE departement = '92'").fetchall()[0][0]
    before = cur.sql("SELECT champ FROM anomalie WHERE anomalie_id = $i", params={"i": anomalie_id}).fetchall()[0][0]
    cur.execute("UPDATE anomalie SET champ = $h WHERE anomalie_id = $i", {"h": HOSTILE, "i": anomalie_id})
    try:
        at = signed_in(app, demo_db, login)
        at.switch_page("pages/anomalie.py")
        at.query_params["anomalie"] = str(anomalie_id)
        at.run()
        shown = next(m.value for m in at.markdown if "Champ concerné" in m.value)
        assert md(HOSTILE) in shown and "![pixel](" not in shown
    finally:
        cur.execute("UPDATE anomalie SET champ = $h WHERE anomalie_id = $i", {"h": before, "i": anomalie_id})


def test_roles_table_is_complete():
    assert set(ROLES) <= {login for login, *_ in __import__("ror.demo.users", fromlist=["DEMO_USERS"]).DEMO_USERS}
    assert auth.DEFAULT_TEMPORARY_HOURS == 72


def test_a_session_idle_for_over_an_hour_is_signed_out(app, demo_db):
    import datetime as dt

    from components.session import LAST_SEEN
    from ror.core import clock

    at = signed_in(app, demo_db, "support")
    at.session_state[LAST_SEEN] = clock.now() - dt.timedelta(minutes=61)
    at.run()
    assert "auth_user" not in at.session_state
    assert any("une heure sans activité" in w.value for w in at.warning)
