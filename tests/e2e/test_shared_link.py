"""Real browser: a shared link opened as the very first request of a freshly started server (Streamlit then
runs the page script without app.py) still opens, with its query, once signed in — and stays where it is drawn."""

from __future__ import annotations

import re

import pytest

from .helpers import click, new_page, wait_for_app

pytestmark = pytest.mark.browser


def test_a_shared_link_survives_the_first_request_and_the_sign_in(browser, url):
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1400, "height": 1000})
    page.goto(url + "/recherche?q=dialyse&ou=commune%3A94028")  # nothing has been served before
    wait_for_app(page)
    page.get_by_label("Identifiant").fill("tutelle93")
    page.get_by_label("Mot de passe").fill("demo-ror-2026")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    wait_for_app(page)
    expect(page.get_by_role("heading", name="Recherche")).to_be_visible()
    page.wait_for_url("**/recherche?**")
    assert "q=dialyse" in page.url and "retour" not in page.url
    expect(page.get_by_label("Où")).to_have_value("Créteil")
    # the cookie's image of the run after the sign-in takes no room: the page does not move at the next run
    top = page.get_by_role("heading", name="Recherche").bounding_box()["y"]
    page.reload()  # signed in by the cookie that image brought
    wait_for_app(page)
    assert page.get_by_role("heading", name="Recherche").bounding_box()["y"] == top


def test_a_criterion_of_the_link_survives_a_widget_drawn_late(browser, url):
    """On a slow computer a widget's code may arrive after a click elsewhere: the rayon, the sort and a filter of
    the link keep their values when their widgets are drawn (Streamlit draws a widget whose value it was not told
    at its own default: the rayon fell to 1 km, the filter and the sort were dropped)."""
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1400, "height": 1000})
    held = []  # the widgets' code, held until after the first click
    page.route(re.compile(r"/(Slider|Multiselect|ButtonGroup)\.[^/]*\.js$"), lambda route: held.append(route))
    page.goto(url + "/recherche?ou=commune%3A92050&q=accueil+de+jour&rayon=40&tri=pertinence&dep=92")
    wait_for_app(page)
    click(page, page.get_by_role("button", name="Se connecter (tutelle93)"))
    page.get_by_text("Ouvert maintenant").first.wait_for()
    click(page, page.get_by_text("Ouvert maintenant").first)  # the slider, the sort, the filter not drawn yet
    assert held, "the widgets' code was not held"
    for route in held:
        route.continue_()
    page.unroute_all()
    page.locator("[data-testid='stSlider'] input[type=range]").wait_for(state="attached")
    click(page, page.get_by_text("Ouvert maintenant").first)  # a click that sends every widget's value
    expect(page.locator("[data-testid='stSlider'] input[type=range]")).to_have_value("40")
    for criterion in ("rayon=40", "tri=pertinence", "dep=92"):
        assert criterion in page.url
