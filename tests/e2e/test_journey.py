"""Real browser: `streamlit run serve.py` + Debian's Chromium driven by Playwright. Sign in, see the tableau de bord
and its map, no exception, no request to any outside host; a reload (F5) keeps the person signed in through a cookie
that no script can read; sign out, and that cookie signs no one in any more."""

from __future__ import annotations

import pytest

from .helpers import new_page, record_outside_requests, screenshot, wait_for_app

pytestmark = pytest.mark.browser


def test_sign_in_see_the_map_and_sign_out(browser, url):

    page = new_page(browser, viewport={"width": 1500, "height": 1000})
    outside = record_outside_requests(page)
    failed = []
    # a request the page itself cancels (a rerun replacing an element) is not a failure
    page.on("requestfailed", lambda r: "ERR_ABORTED" not in (r.failure or "") and failed.append(r.url))

    page.goto(url)
    wait_for_app(page)
    assert page.get_by_text("Comptes de démonstration").is_visible()
    page.get_by_label("Identifiant").fill("tutelle93")
    page.get_by_label("Mot de passe").fill("mauvais")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    wait_for_app(page)
    assert page.get_by_text("Identifiant ou mot de passe incorrect.").is_visible()

    page.get_by_label("Mot de passe").fill("demo-ror-2026")
    page.get_by_role("button", name="Se connecter", exact=True).click()
    wait_for_app(page)
    page.get_by_role("heading", name="Tableau de bord").wait_for()
    assert page.get_by_test_id("stSidebarUserContent").get_by_text("Nadia Benali").is_visible()
    wait_for_app(page)
    assert page.get_by_text("Mon territoire (93)").is_visible()
    page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first.wait_for(timeout=20_000)
    screenshot(page, "tableau_de_bord", map_shown=True)
    assert page.get_by_test_id("stException").count() == 0

    (cookie,) = [c for c in page.context.cookies() if c["name"] == "ror_session"]
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"
    assert "ror_session" not in page.evaluate("document.cookie")  # no script can read it
    page.goto(url + "/couverture")  # a reload, on another page
    wait_for_app(page)
    page.get_by_role("heading", name="Couverture du territoire").wait_for()
    assert page.get_by_test_id("stSidebarUserContent").get_by_text("Nadia Benali").is_visible()

    page.get_by_role("button", name="Se déconnecter").click()
    wait_for_app(page)
    page.get_by_role("heading", name="Connexion").wait_for()
    page.context.add_cookies([cookie])  # the cookie kept (copied before the sign-out) …
    page.reload()
    wait_for_app(page)
    page.get_by_role("heading", name="Connexion").wait_for()  # … signs no one in: the session ended in the base
    assert page.get_by_test_id("stSidebarUserContent").get_by_text("Nadia Benali").count() == 0

    assert outside == [], f"requêtes vers l'extérieur : {outside}"
    assert failed == [], f"requêtes en échec : {failed}"
