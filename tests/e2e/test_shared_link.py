"""Real browser: a shared link opened as the very first request of a freshly started server (Streamlit then
runs the page script without app.py) still opens, with its query, once signed in — and stays where it is drawn."""

from __future__ import annotations

import pytest

from .helpers import new_page, wait_for_app

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
