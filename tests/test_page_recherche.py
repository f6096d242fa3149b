"""AppTest of the Recherche page: every role may search; où/quoi suggestions, refine, sort, expand, fiche,
export, shareable URL, bad input."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest

from ror.administration import screen_exports
from ror.recherche import search
from ror.recherche.filters import Filters

from .helpers import ROLES, open_page


def open_search(app, demo_db, login: str = "support", **params):
    return open_page(app, demo_db, "pages/recherche.py", login, **params)


def texts(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [e.label for e in at.expander])


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_may_search(app, demo_db, login):
    at = open_search(app, demo_db, login)
    assert not at.exception
    assert at.title[0].value == "Recherche"
    assert "établissement(s)" in texts(at)
    territory = [t for t in at.toggle if t.label.startswith("Mon territoire")]
    assert bool(territory) == login.startswith("tutelle")


def test_nothing_asked_shows_the_counts_and_the_filters_not_every_establishment(app, demo_db):
    at = open_search(app, demo_db, "tutelle-pc")
    assert "établissement(s)" in texts(at) and not at.expander  # no list of 2 000 EG, no map of them
    assert any("Indiquez un lieu" in i.value for i in at.info)
    at.toggle(key="r_ouvert").set_value(True).run()  # a filter is something asked
    assert at.expander and not any("Indiquez un lieu" in i.value for i in at.info)


def test_where_then_what(app, demo_db):
    at = open_search(app, demo_db)
    at.text_input(key="r_ou_texte").input("cret").run()
    suggestions = at.pills(key="r_ou_suggestion")
    assert suggestions.options[0].startswith("Créteil")
    suggestions.set_value("commune:94028").run()
    assert at.text_input(key="r_ou_texte").value == "Créteil"
    assert at.session_state["r_lieu"] == "commune:94028"
    at.text_input(key="r_quoi").input("dialy").run()
    quoi = at.pills(key="r_quoi_suggestion")
    assert any(o.startswith("Hémodialyse chronique") for o in quoi.options)
    at.text_input(key="r_quoi").input("dialyse").run()
    assert not at.exception
    labels = [e.label for e in at.expander]
    assert labels and "km" in labels[0] and "min" in labels[0]
    assert at.query_params["ou"] == "commune:94028" and at.query_params["q"] == "dialyse"


def test_a_shared_link_restores_the_search(app, demo_db):
    at = open_search(app, demo_db, ou="commune:94028", q="ime", ouvert="1")
    assert at.text_input(key="r_ou_texte").value == "Créteil"
    assert at.toggle(key="r_ouvert").value is True
    assert not at.exception
    assert all("ouverte" in e.label for e in at.expander)


def test_refine_sort_expand_and_fiche(app, demo_db, con):
    at = open_search(app, demo_db, ou="commune:94028", q="ime")
    at.pills(key="r_disciplines").set_value(["MSS"]).run()
    at.segmented_control(key="r_public").set_value("enfants").run()
    assert not at.exception
    at.segmented_control(key="r_tri").set_value("pertinence").run()
    assert at.query_params["tri"] == "pertinence"
    assert at.query_params["disc"] == "MSS" and at.query_params["public"] == "enfants"
    from ror.recherche import search

    query = search.SearchQuery(
        ou=search.place_by_key(con, "commune:94028"),
        quoi=("ime",),
        rayon_km=20,
        filters=Filters(disciplines=("MSS",), public="enfants"),
        tri="pertinence",
    )
    first = search.search(con, query).eg["finess_eg"][0]
    at.session_state[f"r_eg_{first}"] = True  # what a click on the "+" of an EG does
    at.run()
    tables = [d for d in at.dataframe if "nom" in d.value.columns]
    assert tables, "the UO of an expanded EG are listed"
    assert {"distance_km", "temps_min", "public", "statut_detail"} <= set(tables[0].value.columns)


def test_the_export_button_is_offered_and_its_workbook_holds_the_rows_shown(app, demo_db, con):
    at = open_search(app, demo_db, ou="commune:94028", q="dialyse")
    button = at.get("download_button")[0]
    assert not at.exception and button.proto.label == "Exporter (Excel)" and not button.proto.disabled
    # what the button builds when clicked (AppTest does not call it): the same search, through the same function
    query = search.SearchQuery(
        ou=search.place_by_key(con, "commune:94028"),
        quoi=search.query_terms(["dialyse"], ""),
        rayon_km=20,
        filters=Filters(),
        tri="distance",
        instant=dt.datetime(2026, 12, 2, 10, 0),
    )
    result = search.search(con, query)
    book = openpyxl.load_workbook(
        io.BytesIO(screen_exports.search_xlsx(result, search.units(con, result), search.describe(query)))
    )
    assert book.sheetnames == ["Résultats", "Recherche"]
    assert book["Résultats"].max_row - 1 == result.total_uo > 0


def test_unknown_place_is_explained(app, demo_db):
    at = open_search(app, demo_db)
    at.text_input(key="r_ou_texte").input("Xyzzyville").run()
    assert not at.exception
    assert "Aucune commune, aucun arrondissement ni aucun établissement" in at.warning[0].value


@pytest.mark.parametrize("text", ["'; DROP TABLE uo; --", "<script>alert(1)</script>", "zzzzqqqqzzzz"])
def test_odd_text_gives_an_empty_result_not_an_error(app, demo_db, text):
    at = open_search(app, demo_db)
    at.text_input(key="r_quoi").input(text).run()
    assert not at.exception
    assert "0 établissement(s)" in at.markdown[0].value
    assert "Aucune unité" in at.info[0].value


def test_fiche_of_a_uo(app, demo_db):
    at = open_search(app, demo_db, ou="commune:94028", q="dialyse")
    at.session_state["r_fiche"] = 1
    at.run()
    assert not at.exception
    shown = texts(at)
    assert "Semaine type" in shown and "Activités opérationnelles" in shown and "Entité juridique (EJ)" in shown


def test_a_fiche_opened_from_the_list_shows_the_status_the_list_showed(app, demo_db, con):
    """A click in the list keeps the status of its row (search_view.open_fiche): the fiche shows it rather than read it
    again — the same instant, the same rule (test_search_index.test_search_and_fiche_give_the_same_status)."""
    at = open_search(app, demo_db, ou="commune:94028", q="dialyse")
    shown = "Fermé : fermeture travaux jusqu'au 03/01/2027"
    at.session_state["r_fiche"] = 1
    at.session_state["r_fiche_statut"] = {"uo_id": 1, "statut": "fermeture", "statut_detail": shown}
    at.run()
    assert not at.exception
    assert shown in texts(at)
    at.session_state["r_fiche"] = 1  # opened without the list's status (a link): read at the search's instant
    at.run()
    assert shown not in texts(at) and "Semaine type" in texts(at)


def test_a_criterion_the_page_set_is_told_again_until_its_widget_sends_its_own(app, demo_db):
    """Not only in the run that read the link: a widget the browser draws late would take its own default otherwise
    (the rayon at 1 km; tests/e2e/test_shared_link.py). Once the person has moved it, the browser holds it."""
    at = open_search(app, demo_db, ou="commune:92050", q="ime", rayon="40", dep="92")
    at.toggle(key="r_ouvert").set_value(True).run()
    rayon = at.slider(key="r_rayon").proto
    assert rayon.set_value and list(rayon.value) == [40]
    departements = at.multiselect(key="r_departements").proto
    assert departements.set_value and [v.split(" (")[0] for v in departements.raw_values] == ["Hauts-de-Seine"]
    assert not at.text_input(key="r_quoi").proto.set_value  # what is being typed is never overwritten
    at.slider(key="r_rayon").set_value(25).run()
    at.toggle(key="r_ouvert").set_value(False).run()
    assert not at.slider(key="r_rayon").proto.set_value and at.slider(key="r_rayon").value == 25
    assert at.multiselect(key="r_departements").proto.set_value  # not touched: still told
    assert at.query_params["rayon"] == "25"
