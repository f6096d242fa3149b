"""Real browser, the administration journey: the administrator imports the real-format FINESS file (progress,
report), creates an establishment and an account for its directeur; the new directeur signs in with the temporary
password, has only « Mon compte » until he chooses his own, then his establishment; the support downloads the
FHIR export of a département, which loads in the R4 models."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ror.core.finess import make_finess

from .helpers import click, new_page, record_outside_requests, screenshot, sign_in, sign_out, wait_for_app

pytestmark = pytest.mark.browser

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "finess" / "etalab-extrait-idf.csv"
NEW_EG = make_finess("94", 777001)


def choose(page, name: str) -> None:
    """Click an option of a segmented control (a radio button in its group)."""
    click(page, page.get_by_role("radio", name=name).or_(page.get_by_role("button", name=name)).first)


def test_admin_imports_creates_and_a_new_directeur_starts(browser, url):
    from fhirclient.models.bundle import Bundle
    from playwright.sync_api import expect

    page = new_page(browser, viewport={"width": 1400, "height": 1100})
    outside = record_outside_requests(page)
    sign_in(page, url, "admin")

    # Import FINESS: the official latin-1 file, its report
    click(page, page.get_by_role("link", name="Import FINESS"))
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(str(SAMPLE))
    wait_for_app(page)
    click(page, page.get_by_role("button", name="Importer"))
    expect(page.get_by_text("0 créé(s), 8 modifié(s)").first).to_be_visible(timeout=30_000)
    click(page, page.get_by_role("tab", name="Rejetés (5)"))
    screenshot(page, "administration_import")

    # Créer un établissement
    click(page, page.get_by_role("link", name="Créer un établissement"))
    page.get_by_label("FINESS géographique *").fill(NEW_EG)
    page.get_by_label("FINESS juridique *").fill("940110018")
    page.get_by_label("Nom de l'établissement (raison sociale FINESS) *").fill("CENTRE DE SANTE DU PARC")
    page.get_by_label("Catégorie FINESS *").click()
    page.keyboard.type("Centre de Santé")
    page.get_by_role("option").first.click()
    page.get_by_label("Commune *").click()
    page.keyboard.type("Créteil")
    page.get_by_role("option", name="Créteil (94)").click()
    click(page, page.get_by_role("button", name="Créer l'établissement"))
    expect(page.get_by_text(f"Établissement {NEW_EG} créé")).to_be_visible()

    # Comptes: his directeur
    click(page, page.get_by_role("link", name="Comptes"))
    choose(page, "Créer un compte")
    page.get_by_label("Identifiant *", exact=True).fill("p.durand")
    page.get_by_label("E-mail *").fill("p.durand@centre-du-parc.fr")
    page.get_by_label("Prénom *").fill("Paul")
    page.get_by_label("Nom *", exact=True).fill("Durand")
    page.get_by_label("Rôle *").click()
    click(page, page.get_by_role("option", name="Directeur d'établissement"))
    page.get_by_label("Établissements (EG) *").click()
    page.keyboard.type(NEW_EG)
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    click(page, page.get_by_role("button", name="Créer le compte"))
    expect(page.get_by_text("Mot de passe provisoire du compte « p.durand »")).to_be_visible()
    password = page.get_by_test_id("stCode").inner_text().strip()
    screenshot(page, "administration_comptes")
    sign_out(page)

    # the new directeur: only « Mon compte » until he chooses his password
    page.get_by_label("Identifiant", exact=True).fill("p.durand")
    page.get_by_label("Mot de passe", exact=True).fill(password)
    click(page, page.get_by_role("button", name="Se connecter", exact=True))
    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    expect(page.get_by_role("link", name="Recherche")).to_have_count(0)
    page.get_by_role("textbox", name="Mot de passe actuel", exact=True).fill(password)
    page.get_by_role("textbox", name="Nouveau mot de passe", exact=True).fill("Centre-du-Parc-2026")
    page.get_by_role("textbox", name="Confirmez le nouveau mot de passe", exact=True).fill("Centre-du-Parc-2026")
    click(page, page.get_by_role("button", name="Changer le mot de passe"))
    expect(page.get_by_role("link", name="Recherche")).to_be_visible()
    expect(page.get_by_role("link", name="Comptes")).to_have_count(0)  # not the support's pages
    sign_out(page)

    # the support exports the offer of the 94 as FHIR
    sign_in(page, url, "support", to="export")
    choose(page, "Département")
    choose(page, "FHIR R4 (JSON)")
    click(page, page.get_by_role("button", name="Préparer l'export"))
    with page.expect_download() as download:
        page.get_by_role("button", name="Télécharger").click()
    bundle = json.loads(Path(download.value.path()).read_text(encoding="utf-8"))
    Bundle(bundle)
    ids = {entry["resource"]["id"] for entry in bundle["entry"]}
    assert "eg-750000499" in ids and f"eg-{NEW_EG}" not in ids  # the 75 by default, not the new 94 EG
    screenshot(page, "administration_export")
    expect(page.get_by_test_id("stException")).to_have_count(0)
    assert outside == [], f"requêtes vers l'extérieur : {outside}"
