"""AppTest of the sign-in page and of the tableau de bord for every role."""

from __future__ import annotations

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

import queries
from ror.core.permissions import Scope
from ror.demo.users import DEMO_PASSWORD

from .helpers import ROLES, signed_in


def sign_in(at: AppTest, login: str, password: str) -> AppTest:
    at.text_input(key="connexion_login").input(login)
    at.text_input(key="connexion_password").input(password)
    next(b for b in at.button if b.label == "Se connecter").click()
    return at.run()


def test_sign_in_page_lists_the_demo_accounts(app):
    at = app.run()
    assert not at.exception
    assert at.title[0].value == "Répertoire Opérationnel des Ressources"
    labels = [b.label for b in at.button]
    assert "Se connecter (tutelle93)" in labels and "Se connecter (admin)" in labels
    assert any(DEMO_PASSWORD in c.value for c in at.caption)


def test_no_demo_accounts_outside_demo_mode(app, monkeypatch):
    monkeypatch.setenv("ROR_DEMO", "0")
    at = app.run()
    assert not [b for b in at.button if b.label.startswith("Se connecter (")]
    assert not any(DEMO_PASSWORD in c.value for c in at.caption)


def test_wrong_password_shows_a_french_error(app):
    at = sign_in(app.run(), "support", "pas-le-bon")
    assert not at.exception
    assert [e.value for e in at.error] == ["Identifiant ou mot de passe incorrect."]
    assert at.title[0].value != "Tableau de bord"


def test_missing_database_is_explained(app, monkeypatch, tmp_path):
    monkeypatch.setenv("ROR_DB", str(tmp_path / "absente.duckdb"))
    at = app.run()
    assert not at.exception
    assert "est absente" in at.error[0].value


@pytest.mark.parametrize("login", list(ROLES))
def test_home_page_for_each_role(app, demo_db, login):
    at = signed_in(app, demo_db, login)
    assert not at.exception
    assert at.title[0].value == "Tableau de bord"
    sidebar_text = " ".join(m.value for m in at.sidebar.markdown) + " ".join(c.value for c in at.sidebar.caption)
    assert ROLES[login] in sidebar_text
    assert "Se déconnecter" in [b.label for b in at.sidebar.button]
    assert len(at.get("deck_gl_json_chart")) == 1
    # the figures are those of the user's scope
    import duckdb

    con = duckdb.connect(str(demo_db), read_only=True)  # the app holds its copy: read the original
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    deps = [
        d
        for (d,) in con.sql(
            "SELECT departement FROM user_territoire WHERE user_id = $u", params={"u": user_id}
        ).fetchall()
    ]
    egs = [e for (e,) in con.sql("SELECT finess_eg FROM user_eg WHERE user_id = $u", params={"u": user_id}).fetchall()]
    scope = Scope(departements=tuple(deps) if deps else None, finess_eg=tuple(egs) if egs else None)
    totals = queries.run(con, "offer_totals", **scope.as_params()).row(0, named=True)
    con.close()
    metrics = {m.label: m.value.replace("\u202f", "") for m in at.metric}
    assert metrics["Établissements (EG)"] == str(totals["eg"])
    assert metrics["Unités (UO)"] == str(totals["uo"])
    expected_caption = {
        "directeur": "Mes établissements",
        "referent": "Mes établissements",
        "support": "Île-de-France",
        "admin": "Île-de-France",
        "tutelle93": "Mon territoire (93)",
        "tutelle-pc": "Mon territoire (75, 92, 93, 94)",
    }[login]
    assert expected_caption in at.caption[0].value


def test_tutelle_sees_only_its_departements(app, demo_db):
    at = signed_in(app, demo_db, "tutelle93")
    by_dep = at.dataframe[1].value
    assert list(by_dep["departement"]) == ["93"]


def test_discipline_table_shows_labels_not_only_codes(app, demo_db):
    at = signed_in(app, demo_db, "support")
    by_discipline = at.dataframe[0].value
    assert list(by_discipline["discipline"]) == ["MCO", "SMR", "PSY", "SLD", "MSS"]
    assert "Soins médicaux et de réadaptation" in list(by_discipline["libelle"])


def test_every_run_is_logged_with_its_page_role_and_milliseconds(app, demo_db, caplog):
    """On the wall clock and on the processor clock of the run's thread, which cannot count more than the wall clock.
    (AppTest runs app.py on its first run only, then the page's script: the line is checked on first runs.)"""
    caplog.set_level(logging.INFO, logger="ror.runs")
    app.run()
    signed_in(AppTest.from_file(app._script_path, default_timeout=60), demo_db, "tutelle-pc")
    runs = [r.getMessage() for r in caplog.records if r.name == "ror.runs"]
    assert re.fullmatch(r"run page=\S+ role=anonyme ms=\d+ cpu_ms=\d+", runs[0]), runs
    assert re.fullmatch(r"run page=accueil role=tutelle ms=\d+ cpu_ms=\d+", runs[1]), runs
    wall, cpu = map(int, re.findall(r"\d+", runs[1]))
    assert 0 < cpu <= wall + 1  # (each rounded to the millisecond)
