"""Real browser, the whole dossier collaboratif journey: a directeur creates a dossier, duplicates a UO, fixes
its name, finalises every fiche and sends it; the tutelle opens the notification, sees what changes and
refuses with a reason; the directeur sees the warning, corrects and sends again; the tutelle validates; the
Répertoire and the Recherche show the new UO."""

from __future__ import annotations

import re

import pytest

from .helpers import click, new_page, record_outside_requests, screenshot, sign_in, sign_out, wait_for_app

pytestmark = pytest.mark.browser

SITE = "CH RIVES DE SEINE SITE COURBEVOIE"  # the demo directeur's EG left free of any dossier
COPIED = "UNITE SMR GERIATRIE HOSPITALISATION COMPLETE"
NEW_NAME = "UNITE SMR GERIATRIE HOSPITALISATION COMPLETE COGNITIVO-COMPORTEMENTALE"  # the ROR rule: its mode (HC)


def field(page, label: str):
    """The one field of that label, once the elements of the previous fiche are gone (a rerun may follow)."""
    from playwright.sync_api import expect

    found = page.get_by_label(label, exact=True)
    expect(found).to_have_count(1, timeout=15_000)
    return found


def click_one(page, name: str) -> None:
    """Click the one button of that name once the previous run's elements are gone (a run that starts late may draw
    the new fiche's button beside the old one between the count and the click: then count and click again)."""
    from playwright.sync_api import Error, expect

    found = page.get_by_role("button", name=name, exact=True)
    for attempt in range(3):
        expect(found).to_have_count(1, timeout=15_000)
        try:
            click(page, found)
            return
        except Error as exc:
            if "strict mode violation" not in str(exc) or attempt == 2:
                raise


def wait_for_value(page, label: str, value: str) -> None:
    """Wait until the page holds one field of that label, with that value (the run after a click may start
    late, and for a moment show the previous fiche's field beside the new one)."""
    page.wait_for_function(
        "([label, value]) => { const found = Array.from(document.querySelectorAll('input'))"
        ".filter(e => e.getAttribute('aria-label') === label);"
        " return found.length === 1 && found[0].value === value; }",
        arg=[label, value],
        timeout=20_000,
    )


def choose(page, label: str, option: str) -> None:
    """Pick an option of a selectbox (opened again if a rerun closed its list)."""
    box = page.get_by_label(label)
    box.scroll_into_view_if_needed()
    wait_for_app(page)
    for _ in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option).wait_for(timeout=5_000)
            break
        except Exception:  # the list closed under a rerun: open it again
            wait_for_app(page)
    click(page, page.get_by_role("option", name=option))


def tree_button(page, text: str):
    """A fiche of the dossier's tree, by (part of) its name."""
    return page.get_by_role("button").filter(has_text=text).filter(has_text=re.compile("check_circle|radio_button"))


def finalise_every_fiche(page) -> None:
    """Open each grey fiche of the tree and « Enr. et finaliser » it, until every one is green."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(20):
        grey = page.get_by_role("button").filter(has_text="radio_button_unchecked")
        if grey.count() == 0:
            return
        try:
            grey.first.click(timeout=10_000)
        except PlaywrightTimeout:  # a loaded machine drew the last save late: the grey fiche turned green meanwhile
            wait_for_app(page)
            continue
        wait_for_app(page)
        click_one(page, "Enr. et finaliser")
        assert page.get_by_test_id("stException").count() == 0
    screenshot(page, "echec_finalisation")
    raise AssertionError("des fiches restent à finaliser")


def send(page) -> None:
    click(page, page.get_by_role("button", name="Envoyer en validation"))
    page.get_by_text("En validation", exact=True).first.wait_for()


def open_newest_notification(page, text: str) -> None:
    """The notifications page, and « Ouvrir » on the newest one (it must read `text`)."""
    click(page, page.get_by_role("link", name=re.compile(r"^Notifications")))
    page.get_by_text(text).first.wait_for()
    click(page, page.get_by_role("button", name="Ouvrir").first)  # newest first


def test_dossier_journey(browser, url):
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1500, "height": 1100})
    outside = record_outside_requests(page)

    # the directeur creates the dossier of his free site
    sign_in(page, url, "directeur", to="dossiers")
    click(page, page.get_by_text("Créer un dossier collaboratif"))
    page.get_by_label("Établissement").click()
    click(page, page.get_by_role("option", name=re.compile(SITE)))
    click(page, page.get_by_role("button", name="Créer le dossier"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{SITE} – ")

    # duplicate a unit: the copy is named « COPIE DE … » and cannot be finalised so
    click(page, tree_button(page, COPIED).first)
    click_one(page, "Dupliquer")
    wait_for_value(page, "Nom de l'unité *", f"COPIE DE {COPIED}")
    name = field(page, "Nom de l'unité *")
    page.get_by_text("Le nom commence encore par « COPIE DE »").wait_for()
    page.get_by_text("Cette unité ressemble à une unité de l'établissement").wait_for()
    name.fill(NEW_NAME.lower())
    name.press("Enter")
    wait_for_app(page)
    page.get_by_text("Les noms s'écrivent en majuscules").wait_for()  # the naming rule, live
    click(page, page.get_by_role("button", name=f"Appliquer la correction : « {NEW_NAME} »"))
    expect(field(page, "Nom de l'unité *")).to_have_value(NEW_NAME)
    finalise_every_fiche(page)
    screenshot(page, "dossier_brouillon")
    send(page)
    sign_out(page)

    # the tutelle opens the notification, sees what changes, refuses with a reason
    sign_in(page, url, "tutelle-pc", to="notifications")
    expect(page.get_by_role("link", name=re.compile(r"^Notifications \(\d+\)"))).to_be_visible()
    open_newest_notification(page, f"Dossier à valider : {SITE}")
    changes = page.get_by_test_id("stDataFrame").first
    changes.locator("td[role=gridcell]").first.wait_for(state="attached")
    metrics = page.get_by_test_id("stMetricValue")
    # one UO added; finalising untouched fiches changed nothing else
    assert [metrics.nth(i).inner_text() for i in range(4)] == ["inchangé", "1", "0", "0"]
    screenshot(page, "dossier_revue")
    click(page, page.get_by_role("button", name="Refuser le dossier"))  # no reason yet: said, nothing done
    expect(page.get_by_text("Choisissez un motif, et précisez-le pour « Autre ».")).to_be_visible()
    choose(page, "Motif du refus *", "Règles de nommage non respectées")
    page.get_by_label("Précisions pour l'établissement").fill("Précisez la spécialité dans le surnom.")
    page.get_by_label("Précisions pour l'établissement").press("Tab")
    wait_for_app(page)
    click(page, page.get_by_role("button", name="Refuser le dossier"))
    page.get_by_text("Brouillon", exact=True).first.wait_for()
    sign_out(page)

    # the directeur sees the warning, corrects the new unit and sends again
    sign_in(page, url, "directeur", to="notifications")
    open_newest_notification(page, "Dossier refusé")
    page.get_by_text("Dossier refusé par l'autorité de tutelle").wait_for()
    page.get_by_text("Précisez la spécialité dans le surnom.").first.wait_for()
    click(page, page.get_by_role("tab", name="Fiches"))
    click(page, tree_button(page, NEW_NAME).first)
    field(page, "Nom de l'unité *").fill(NEW_NAME + " ALZHEIMER")
    field(page, "Nom de l'unité *").press("Enter")
    wait_for_app(page)
    click_one(page, "Enr. et finaliser")
    finalise_every_fiche(page)
    send(page)
    sign_out(page)

    # the tutelle validates: published at once (date d'effet today)
    sign_in(page, url, "tutelle-pc", to="notifications")
    open_newest_notification(page, f"Dossier à valider : {SITE}")
    click(page, page.get_by_role("button", name="Valider le dossier"))
    page.get_by_text("Publié", exact=True).first.wait_for()

    # the Répertoire and the Recherche show the new unit
    click(page, page.get_by_role("link", name="Répertoire"))
    page.get_by_label("Filtrer par nom ou FINESS").fill("comportementale alzheimer")
    page.get_by_label("Filtrer par nom ou FINESS").press("Enter")
    wait_for_app(page)
    screenshot(page, "dossier_publie_repertoire")
    expect(page.locator("body")).to_contain_text(NEW_NAME + " ALZHEIMER")
    click(page, page.get_by_role("link", name="Recherche"))
    page.get_by_label("Quoi").fill("geriatrie alzheimer")
    page.get_by_label("Quoi").press("Enter")
    wait_for_app(page)
    screenshot(page, "dossier_publie_recherche")
    expect(page.locator("body")).to_contain_text(SITE)
    assert page.get_by_test_id("stException").count() == 0
    assert outside == [], f"requêtes vers l'extérieur : {outside}"
