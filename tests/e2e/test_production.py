"""Real browser, a répertoire started from nothing as the operator's guide says (docs/exploitation.md): `python -m ror
init`, then `import-finess` of the real-format extract, then the app served without demo mode. The administrator
signs in with his temporary password, chooses his own, creates a tutelle and a directeur; the imported
establishments are in the Répertoire (to populate) and on the Tableau de bord's map with the peuplement of each
département; the new directeur finds his dossier « Peuplement de … » on his home page."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from . import helpers

pytestmark = pytest.mark.browser

SAMPLE = helpers.PROJECT_DIR / "tests" / "data" / "finess" / "etalab-extrait-idf.csv"
TEMPORARY = "Premier-acces-2026"


def ror(*arguments: str) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "ror", *arguments],
        cwd=helpers.PROJECT_DIR,
        capture_output=True,
        text=True,
        env={**os.environ, "ROR_ADMIN_PASSWORD": TEMPORARY},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def sign_in_with(page, login: str, password: str) -> None:
    page.get_by_label("Identifiant", exact=True).fill(login)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    helpers.click(page, page.get_by_role("button", name="Se connecter", exact=True))


def change_password(page, current: str, new: str) -> None:
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", name="Mon compte")).to_be_visible()
    page.get_by_role("textbox", name="Mot de passe actuel", exact=True).fill(current)
    page.get_by_role("textbox", name="Nouveau mot de passe", exact=True).fill(new)
    page.get_by_role("textbox", name="Confirmez le nouveau mot de passe", exact=True).fill(new)
    helpers.click(page, page.get_by_role("button", name="Changer le mot de passe"))


def create_account(page, login: str, role: str, scope_label: str, scope: str) -> str:
    """Create an account on the Comptes page; returns its temporary password."""
    from playwright.sync_api import expect

    helpers.click(
        page,
        page.get_by_role("radio", name="Créer un compte").or_(page.get_by_role("button", name="Créer un compte")).first,
    )
    page.get_by_label("Identifiant *", exact=True).fill(login)
    page.get_by_label("E-mail *").fill(f"{login}@exemple.fr")
    page.get_by_label("Prénom *").fill("Camille")
    page.get_by_label("Nom *", exact=True).fill(login.upper())
    page.get_by_label("Rôle *").click()
    helpers.click(page, page.get_by_role("option", name=role))
    page.get_by_label(scope_label).click()
    page.keyboard.type(scope)
    page.get_by_role("option").first.click()
    page.keyboard.press("Escape")
    helpers.click(page, page.get_by_role("button", name="Créer le compte"))
    expect(page.get_by_text(f"Mot de passe provisoire du compte « {login} »")).to_be_visible()
    return page.get_by_test_id("stCode").inner_text().strip()


def test_a_repertoire_from_nothing_init_import_then_the_first_administrator(browser, tmp_path):
    from playwright.sync_api import expect

    db = tmp_path / "ror.duckdb"
    assert "aucun établissement" in ror("init", "--db", str(db), "--admin", "c.martin")
    assert "8 créé(s)" in ror("import-finess", str(SAMPLE), "--db", str(db))
    with helpers.streamlit_server(db, demo=False) as url:
        page = helpers.new_page(browser, viewport={"width": 1500, "height": 1100})
        outside = helpers.record_outside_requests(page)
        page.goto(url)
        helpers.wait_for_app(page)
        expect(page.get_by_text("Comptes de démonstration")).to_have_count(0)  # no demo account offered

        sign_in_with(page, "c.martin", TEMPORARY)
        change_password(page, TEMPORARY, "Administrateur-ROR-2026")
        expect(page.get_by_role("link", name="Comptes")).to_be_visible()

        helpers.click(page, page.get_by_role("link", name="Comptes"))
        create_account(page, "tutelle.92", "Autorité de tutelle", "Départements de son territoire *", "92")
        directeur_password = create_account(
            page, "dir.foch", "Directeur d'établissement", "Établissements (EG) *", "920000650"
        )

        helpers.click(page, page.get_by_role("link", name="Répertoire"))
        page.get_by_label("Filtrer par nom ou FINESS").fill("Foch")
        page.get_by_label("Filtrer par nom ou FINESS").press("Enter")
        helpers.wait_for_app(page)
        # its EJ alone (the filtered run may start late: until then the 8 EJ are still shown), the EG with no unit yet
        expect(page.get_by_text("1 EG · 0 UO")).to_have_count(1, timeout=20_000)
        helpers.click(page, page.locator(".st-key-rep_t_ej_920150059 button").first)  # expand the EJ
        expect(page.get_by_text("à peupler (aucune unité)").first).to_be_visible()
        helpers.screenshot(page, "production_repertoire")

        helpers.click(page, page.get_by_role("link", name="Tableau de bord"))
        expect(page.get_by_role("heading", name="Peuplement du répertoire")).to_be_visible()
        page.get_by_test_id("stDeckGlJsonChart").locator("canvas").first.wait_for(timeout=20_000)
        helpers.screenshot(page, "production_tableau_de_bord", map_shown=True)
        expect(page.get_by_test_id("stMetricValue").nth(1)).to_have_text("8")  # Établissements (EG)
        helpers.sign_out(page)

        sign_in_with(page, "dir.foch", directeur_password)
        change_password(page, directeur_password, "Hopital-Foch-2026")
        helpers.click(page, page.get_by_role("link", name="Tableau de bord"))
        # the page is drawn in one run, but under load its links may come a few seconds after its headings
        expect(page.get_by_role("heading", name="Peuplement : vos dossiers à compléter")).to_be_visible(timeout=20_000)
        expect(page.get_by_role("link", name="Peuplement de HOPITAL FOCH").first).to_be_visible(timeout=20_000)
        helpers.screenshot(page, "production_directeur")
        expect(page.get_by_test_id("stException")).to_have_count(0)
    assert outside == [], f"requêtes vers l'extérieur : {outside}"
