"""AppTest of the Territoire pages per role: « Couverture du territoire » (offer, threshold, figures, an offer
nobody provides) and « Qualité des données » (scores and drill-down, naming, integrity, fiches anciennes and
their setting, the SMR campaign)."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ror.core import formats

from .conftest import PROJECT_DIR
from .helpers import open_page, signed_in, texts

TERRITORY_ROLES = ("tutelle93", "tutelle-pc", "support", "admin")
PAGES = ("pages/couverture.py", "pages/qualite.py")


@pytest.mark.parametrize("login", ["directeur", "referent"])
@pytest.mark.parametrize("page", PAGES)
def test_an_establishments_people_neither_see_nor_open_the_territory_pages(
    fresh_app, demo_db, monkeypatch, login, page
):
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        open_page(fresh_app, demo_db, page, login)  # not in their navigation
    # and the script itself refuses, should it be run anyway
    direct = signed_in(AppTest.from_file(str(PROJECT_DIR / page), default_timeout=60), demo_db, login)
    assert not direct.exception
    assert "ne vous permet pas de consulter la couverture et la qualité" in direct.error[0].value
    assert not direct.metric and not direct.tabs


def metric(at, label_start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(label_start))


def frame(at, *columns: str):
    """The first table of the page that has these columns (AppTest does not keep a table's key)."""
    return next(d.value for d in at.dataframe if set(columns) <= set(d.value.columns))


@pytest.mark.parametrize("login", TERRITORY_ROLES)
def test_coverage_page_per_role(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/couverture.py", login)
    assert not at.exception
    assert at.title[0].value == "Couverture du territoire"
    assert metric(at, "Population au-delà de 30 min") == "0 hab."  # the whole offer reaches everyone
    communes = metric(at, "Communes au-delà").split(" / ")[1]
    expected = {"tutelle93": 40, "tutelle-pc": 143, "support": 1295, "admin": 1295}[login]
    assert communes == formats.integer(expected)  # « 1 295 »
    departements = frame(at, "lits_1000")
    assert departements["departement"].to_list()[-1] == "Région"
    assert len(at.get("deck_gl_json_chart")) == 1
    assert bool(at.multiselect) == (login in ("support", "admin"))  # a tutelle sees its territory only


def test_coverage_of_a_narrow_offer_and_its_threshold(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/couverture.py", "support")
    at.selectbox(key="cou_discipline").select("SMR").run()
    beyond_30 = int(metric(at, "Communes au-delà").split(" / ")[0].replace("\u202f", ""))
    assert beyond_30 > 0
    far = frame(at, "temps_min", "eg_nom")
    assert len(far) == beyond_30 and (far["temps_min"] > 30).all()
    at.slider(key="cou_seuil").set_value(20).run()
    assert int(metric(at, "Communes au-delà").split(" / ")[0].replace("\u202f", "")) > beyond_30
    assert metric(at, "Population au-delà de 20 min") != "0 hab."
    assert "Offre : SMR" in texts(at)
    at.multiselect(key="cou_deps").set_value(["93"]).run()
    assert metric(at, "Communes au-delà").endswith("/ 40")
    assert frame(at, "lits_1000")["departement"].to_list() == ["93", "Région"]


def test_an_offer_nobody_provides_says_so(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/couverture.py", "tutelle93")
    at.selectbox(key="cou_discipline").select("SLD").run()
    at.selectbox(key="cou_public").select("enfants").run()
    assert not at.exception
    assert "Aucune unité active ne correspond à l'offre" in at.warning[0].value
    assert metric(at, "Part de la population") == "100,0\u202f%"


def test_a_type_of_another_discipline_is_dropped(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/couverture.py", "support")
    at.selectbox(key="cou_discipline").select("MSS").run()
    at.selectbox(key="cou_type").select("48").run()  # IME
    assert "Institut" in texts(at)
    at.selectbox(key="cou_discipline").select("SMR").run()
    assert not at.exception
    assert at.selectbox(key="cou_type").value == ""


@pytest.mark.parametrize("login", TERRITORY_ROLES)
def test_quality_page_per_role(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/qualite.py", login)
    assert not at.exception
    assert at.title[0].value == "Qualité des données"
    assert [t.label for t in at.tabs] == ["Complétude", "Nommage", "Intégrité", "Fiches anciennes", "Campagne SMR"]
    deps = frame(at, "eg_complets")["departement"].to_list()
    assert deps == {"tutelle93": ["93"], "tutelle-pc": ["75", "92", "93", "94"]}.get(login, list(sorted(deps)))
    if login in ("support", "admin"):
        assert len(deps) == 8
    naming = frame(at, "suggestion")
    assert set(naming["departement"]) <= set(deps)
    smr = frame(at, "avancement")
    assert smr["departement"].to_list() == [*deps, "Total"]
    # a tutelle sees the integrity counts, the support the rows behind them
    assert bool(at.expander) == (login in ("support", "admin"))
    assert bool([n for n in at.number_input if n.key == "qua_mois"]) == (login == "admin")


def test_drill_down_from_an_establishment_to_its_units(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/qualite.py", "tutelle93")
    key = "qua_eg_93_"  # the establishments of the first département, every EJ
    establishments = frame(at, "score_total", "uo_incompletes")
    assert (establishments["score_total"] < 1).all()
    assert establishments["score_total"].is_monotonic_increasing
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert f"FINESS {establishments['finess_eg'].iloc[0]}" in texts(at)
    assert any(b.key == "qua_fiche" for b in at.button)


def test_the_administrator_changes_the_age_of_old_records(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/qualite.py", "admin")
    before = int(metric(at, "Fiches anciennes").replace("\u202f", ""))
    at.number_input(key="qua_mois").set_value(24)
    at.button(key="qua_mois_enr").click().run()
    assert not at.exception
    after = int(metric(at, "Fiches anciennes").replace("\u202f", ""))
    assert 0 < after < before
    assert "depuis 24 mois" in texts(at)
    con = duckdb.connect(str(db_copy))
    try:
        assert con.sql("SELECT value FROM setting WHERE key = 'fiches_anciennes_mois'").fetchall()[0][0] == "24"
    finally:
        con.close()


def test_an_smr_establishment_gives_its_to_do_list(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/qualite.py", "support")
    key = "qua_smr_eg_a_faire_en_cours"  # the default statuses
    pending = frame(at, "etablissement", "a_faire", "directeur_nom")
    assert set(pending["statut"]) <= {"À faire", "En cours"}
    at.session_state[key] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    todo = at.code[0].value
    assert todo.startswith("Campagne SMR — ") and "\n- " in todo
    assert pending["etablissement"].iloc[0] in todo
