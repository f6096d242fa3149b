"""Real browser, the SMR campaign as its guide has an establishment do it: the directeur renames his EG (its surnom),
opens « Ma campagne SMR », follows the link of an item to do, fixes the telephone of the unit's responsable on its
fiche, and sees the item done."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from . import helpers

pytestmark = pytest.mark.browser


def smr_unit_without_responsable_phone(db: Path) -> tuple[str, int, str]:
    """The directeur's first EG with SMR units, and one of them whose responsable has no telephone nor e-mail."""
    con = duckdb.connect(str(db))
    finess, uo_id, nom = con.sql(
        "SELECT u.finess_eg, u.uo_id, u.nom FROM uo u JOIN user_eg USING (finess_eg) JOIN app_user a USING (user_id) "
        "WHERE a.login = 'directeur' AND u.discipline = 'SMR' AND u.statut = 'active' ORDER BY 1, 2 LIMIT 1"
    ).fetchall()[0]
    con.execute(
        "UPDATE uo SET responsable_nom = 'Dr Anne Morel', responsable_fonction = 'Médecin', "
        "responsable_telephone = NULL, responsable_email = NULL, telephone = '01 47 00 00 00' WHERE uo_id = $u",
        {"u": uo_id},
    )
    con.close()
    return finess, uo_id, nom


def test_the_directeur_renames_his_eg_and_does_an_item_of_his_smr_campaign(browser, demo_db, tmp_path):
    from playwright.sync_api import expect

    db = helpers.copy_database(demo_db, tmp_path)
    finess, uo_id, unit_name = smr_unit_without_responsable_phone(db)
    with helpers.streamlit_server(db) as url:
        page = helpers.new_page(browser, viewport={"width": 1500, "height": 1100})
        outside = helpers.record_outside_requests(page)
        # « Renommer »: the EG's surnom, from its fiche
        helpers.sign_in(page, url, "directeur", to=f"fiche?eg={finess}")
        helpers.click(page, page.get_by_role("button", name="Renommer"))
        dialog = page.get_by_role("dialog")
        dialog.get_by_label("Surnom (nom d'usage)").fill("Hôpital des Bords de Seine")
        helpers.click(page, dialog.get_by_role("button", name="Enregistrer"))
        expect(page.get_by_role("heading", name="HOPITAL DES BORDS DE SEINE").first).to_be_visible()

        # « Ma campagne SMR »: the unit has an item to do; its link opens the unit's fiche
        helpers.click(page, page.get_by_role("link", name="Ma campagne SMR"))
        unit = page.get_by_test_id("stExpander").filter(has_text=unit_name).first
        expect(unit).to_contain_text("1 point(s) à faire")
        helpers.click(page, unit.locator("summary"))
        expect(unit.get_by_text("Responsable et ses coordonnées — à faire")).to_be_visible()
        helpers.screenshot(page, "campagne_smr_a_faire")
        helpers.click(page, unit.get_by_role("link", name="Mettre à jour l'unité"))
        expect(page.get_by_role("heading", name=unit_name).first).to_be_visible()

        # the responsable's telephone, as an operational update
        helpers.click(page, page.get_by_text("Modifier", exact=True))
        page.get_by_label("Téléphone du responsable").fill("01 47 00 00 12")
        helpers.click(page, page.get_by_role("button", name="Enregistrer").first)
        expect(page.get_by_text("Unité mise à jour.")).to_be_visible()

        # done
        helpers.click(page, page.get_by_role("link", name="Ma campagne SMR"))
        unit = page.get_by_test_id("stExpander").filter(has_text=unit_name).first
        expect(unit).to_contain_text(f"{unit_name} — fait")
        helpers.screenshot(page, "campagne_smr_fait")
        expect(page.get_by_test_id("stException")).to_have_count(0)
    assert outside == [], f"requêtes vers l'extérieur : {outside}"
    con = duckdb.connect(str(db), read_only=True)
    assert con.sql("SELECT responsable_telephone FROM uo WHERE uo_id = $u", params={"u": uo_id}).fetchall() == [
        ("01 47 00 00 12",)
    ]
    con.close()
