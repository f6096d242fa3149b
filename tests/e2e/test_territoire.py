"""Real browser, the tutelle's territory review: the coverage choropleth of an offer draws its communes (hovering
one shows its time and nearest unit), the communes beyond the threshold are listed; the quality page shows its
scores, names to fix and the SMR campaign, with nothing fetched from outside."""

from __future__ import annotations

import time

import pytest

from .helpers import click, new_page, record_outside_requests, screenshot, sign_in, table_text, wait_for_app

pytestmark = pytest.mark.browser


def coloured_pixels(locator) -> int:
    """How many pixels of the map's screenshot are coloured (neither white, grey nor black): its communes."""
    import io

    from PIL import Image  # a dependency of Streamlit

    image = Image.open(io.BytesIO(locator.screenshot())).convert("RGB").reduce(4)
    return sum(max(pixel) - min(pixel) > 40 for pixel in image.get_flattened_data())


def painted(locator, at_least: int, timeout_s: float = 20) -> bool:
    """Whether the map's canvas comes to show `at_least` coloured pixels (it paints a moment after it appears)."""
    deadline = time.monotonic() + timeout_s
    while coloured_pixels(locator) < at_least:
        if time.monotonic() > deadline:
            return False
        locator.page.wait_for_timeout(200)  # a poll: Playwright handles the page's events meanwhile
    return True


def test_tutelle_reviews_coverage_and_quality(browser, url):
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1500, "height": 1100})
    outside = record_outside_requests(page)
    sign_in(page, url, "tutelle-pc", to="couverture")

    # an offer: SMR, then the map draws the communes in colour
    page.get_by_label("Discipline").click()
    click(page, page.get_by_role("option", name="SMR – Soins médicaux et de réadaptation"))
    chart = page.get_by_test_id("stDeckGlJsonChart")
    chart.locator("canvas").first.wait_for(timeout=20_000)
    assert painted(chart, at_least=2000)
    expect(page.get_by_text("10 min ou moins")).to_be_visible()

    # hovering the map's centre (Paris and the petite couronne) shows a commune's time and nearest unit
    box = chart.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    tooltip = page.locator(".deck-tooltip")
    expect(tooltip).to_contain_text("Temps estimé", timeout=10_000)
    expect(tooltip).to_contain_text("Unité la plus proche")
    screenshot(page, "territoire_couverture")

    # a short threshold leaves communes beyond it, listed beside the map
    slider = page.get_by_test_id("stSlider").get_by_role("slider")
    slider.focus()
    for _ in range(4):  # 30 → 10 minutes
        page.keyboard.press("ArrowLeft")
    wait_for_app(page)
    expect(page.get_by_text("Population au-delà de 10 min")).to_be_visible()
    near = ("75", "92", "93", "94")
    assert any(dep in table_text(page, containing=near) for dep in near)

    # the quality page: scores per département, names to fix, the SMR campaign
    click(page, page.get_by_role("link", name="Qualité des données"))
    expect(page.get_by_text("Score de complétude")).to_be_visible()
    departements = table_text(page, containing="92")
    assert "92" in departements and "77" not in departements
    click(page, page.get_by_role("tab", name="Nommage"))
    expect(page.get_by_text("nom(s) à corriger")).to_be_visible()
    click(page, page.get_by_role("tab", name="Campagne SMR"))
    expect(page.get_by_text("Avancement par département")).to_be_visible()
    screenshot(page, "territoire_campagne_smr")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert outside == [], f"requêtes vers l'extérieur : {outside}"
