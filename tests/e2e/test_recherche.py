"""Real browser: search around a commune, see results and markers, open a UO fiche, export to Excel."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from .helpers import click_first_row, new_page, record_outside_requests, screenshot, sign_in, wait_for_app

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
