"""Real browser: search around a commune, see results and markers, open a UO fiche, export to Excel."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from bench import load

from .helpers import (
    click,
    click_first_row,
    copy_database,
    new_page,
    record_outside_requests,
    screenshot,
    sign_in,
    streamlit_server,
    wait_for_app,
    wait_for_log,
)

pytestmark = pytest.mark.browser


def test_search_around_a_commune(browser, url):

    page = new_page(browser, viewport={"width": 1500, "height": 1100}, accept_downloads=True)
    outside = record_outside_requests(page)
    sign_in(page, url, "support", to="recherche")

    page.get_by_label("Où").fill("cré")
    page.get_by_label("Où").press("Enter")
    wait_for_app(page)
    page.get_by_text("Créteil (94 · 94000)", exact=True).first.click()
    wait_for_app(page)
    page.get_by_label("Quoi").fill("dialyse")
    page.get_by_label("Quoi").press("Enter")
    wait_for_app(page)
    page.get_by_text("UNITE D AUTODIALYSE DE CRETEIL").first.wait_for()
    page.wait_for_url("**q=dialyse**", timeout=10_000)  # the search is in the page's address
    assert "ou=commune" in page.url

    # the map (vendored Leaflet in the folium component) shows the markers of the EG found
    frame = page.frame_locator("iframe[data-testid='stCustomComponentV1']")
    frame.locator(".leaflet-interactive, .marker-cluster").first.wait_for(timeout=20_000)
    screenshot(page, "recherche", map_shown=True)

    # the "+" of the first EG lists its UO; a click on a UO opens its fiche
    page.get_by_text("UNITE D AUTODIALYSE DE CRETEIL").first.click()
    wait_for_app(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.wait_for()
    dialog = page.get_by_role("dialog")
    click_first_row(page, grid, until=dialog.get_by_text("Semaine type"))
    dialog.get_by_text("Entité juridique (EJ)").wait_for()
    screenshot(page, "fiche_uo", full_page=False)
    page.keyboard.press("Escape")
    wait_for_app(page)

    with page.expect_download() as download:
        page.get_by_role("button", name="Exporter (Excel)").click()
    data = Path(download.value.path()).read_bytes()
    assert page.get_by_test_id("stException").count() == 0

    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["Résultats"].values)
    assert rows[0][1] == "Établissement"
    assert any("CRETEIL" in (r[1] or "") for r in rows[1:])
    assert outside == [], f"requêtes vers l'extérieur : {outside}"


def test_the_list_reruns_alone_and_still_follows_the_account(browser, demo_db, tmp_path):
    """Opening an establishment of the results reruns the list alone (components/page_part.py), and the server logs
    that run as such; the account changed meanwhile (by the administrator), the next click in the list draws the whole
    page again for the account as it is now; the data written meanwhile (a dossier published), for the data as they
    are now. (A session ended elsewhere: tests/test_web_sessions.py, the same reading of the account.)"""
    db = copy_database(demo_db, tmp_path)
    dossier = load._dossier_to_validate(db)  # published as soon as validated
    with streamlit_server(db) as url:
        log = db.with_suffix(".server.log")
        page = new_page(browser, viewport={"width": 1500, "height": 1100})
        sign_in(page, url, "tutelle93", to="recherche?ou=commune:94028&q=dialyse&rayon=10")
        page.get_by_text("Ouvert maintenant").first.wait_for()
        establishments = page.locator("[data-testid='stExpander'] summary")
        click(page, establishments.first)
        page.get_by_test_id("stDataFrame").first.wait_for()
        assert "run page=recherche/resultats role=tutelle" in log.read_text(encoding="utf-8")

        admin = new_page(browser, viewport={"width": 1500, "height": 1100})
        sign_in(admin, url, "admin", to="comptes")
        admin.get_by_label("Rechercher").fill("tutelle93")
        admin.get_by_label("Rechercher").press("Enter")
        wait_for_app(admin)
        click_first_row(admin, admin.get_by_test_id("stDataFrame").first, until=admin.get_by_label("Organisation"))
        admin.get_by_label("Organisation").fill("ARS – délégation de la Seine-Saint-Denis")
        admin.get_by_label("Organisation").press("Enter")
        wait_for_app(admin)
        click(admin, admin.get_by_role("button", name="Enregistrer"))
        admin.get_by_text("Compte modifié.").wait_for()

        sidebar = page.get_by_test_id("stSidebar")
        assert sidebar.get_by_text("délégation de la Seine-Saint-Denis").count() == 0
        click(page, establishments.nth(1))
        sidebar.get_by_text("délégation de la Seine-Saint-Denis").wait_for(timeout=20_000)

        tutelle = new_page(browser, viewport={"width": 1500, "height": 1100})
        sign_in(tutelle, url, "tutelle-pc", to=f"dossier?dossier={dossier}")
        click(tutelle, tutelle.get_by_role("button", name="Valider le dossier"))
        tutelle.get_by_text("Publié", exact=True).first.wait_for()
        whole_runs = log.read_text(encoding="utf-8").count("run page=recherche role=tutelle ")
        click(page, establishments.nth(2))
        wait_for_log(log, "run page=recherche role=tutelle ", more_than=whole_runs)  # the whole page
        wait_for_app(page)
        assert page.get_by_test_id("stException").count() == 0
