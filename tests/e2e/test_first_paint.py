"""What the browser shows before the first run of a session ends: never the raw script names of pages/."""

from __future__ import annotations

import pytest

from .helpers import new_page, sign_in, wait_for_app

pytestmark = pytest.mark.browser

# As Streamlit writes a script's name (« tableau_de_bord.py » → « tableau de bord »): those the navigation names otherwise.
RAW_NAMES = ("\napp\n", "anomalie\n", "etablissement nouveau", "export offre", "ma campagne smr", "qualite\n")


def test_the_sidebar_never_lists_the_script_names_of_pages(browser, url):
    page = new_page(browser)
    seen: list[str] = []
    page.expose_function("noteSidebar", lambda text: seen.append(text))
    page.add_init_script(
        """new MutationObserver(() => {
               const nav = document.querySelector('[data-testid="stSidebarNav"]');
               if (nav) window.noteSidebar(nav.innerText);
           }).observe(document, {subtree: true, childList: true, characterData: true});"""
    )
    sign_in(page, url, "support")  # the sign-in page, then the support's navigation
    page.reload()  # a new session of the same browser: its first run again
    wait_for_app(page)
    page.wait_for_timeout(1000)
    shown = " ".join(seen).lower()
    assert "tableau de bord" in shown and "comptes" in shown  # the role's navigation is there
    assert not [name for name in RAW_NAMES if name in shown], shown[:400]
