"""Real browser: in the Répertoire, tick MSS, expand an EJ down to a UO, open its fiche, add the EG to the
favourites, find it under « Favoris », update the UO's phone and see it on the fiche and in its history."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from . import helpers

pytestmark = pytest.mark.browser


def referent_mss_unit(db: Path) -> tuple[str, str, int]:
    """An EJ, its médico-social EG of the demo référent, and a UO of that EG."""
    con = duckdb.connect(str(db), read_only=True)
    found = con.sql(
        "SELECT eg.finess_ej, eg.finess_eg, min(uo.uo_id) FROM uo JOIN eg USING (finess_eg) "
        "JOIN user_eg USING (finess_eg) JOIN app_user USING (user_id) "
        "WHERE login = 'referent' AND uo.discipline = 'MSS' AND uo.statut = 'active' GROUP BY ALL LIMIT 1"
    ).fetchall()[0]
    con.close()
    return found


def test_browse_favourite_and_update(browser, demo_db, tmp_path):
    from playwright.sync_api import expect

    db = helpers.copy_database(demo_db, tmp_path)
    finess_ej, finess_eg, uo_id = referent_mss_unit(db)
    with helpers.streamlit_server(db) as url:
        page = helpers.new_page(browser, viewport={"width": 1500, "height": 1100})
        outside = helpers.record_outside_requests(page)
        helpers.sign_in(page, url, "referent", to="repertoire")

        # MSS is not ticked by default: tick it, then narrow the tree to the EJ by its FINESS
        page.get_by_role("button", name="MSS", exact=True).click()
        helpers.wait_for_app(page)
        page.get_by_label("Filtrer par nom ou FINESS").fill(finess_ej)
        page.get_by_label("Filtrer par nom ou FINESS").press("Enter")
        helpers.wait_for_app(page)
        page.locator(f".st-key-rep_t_ej_{finess_ej} button").first.click()  # expand the EJ …
        helpers.wait_for_app(page)
        page.locator(f".st-key-rep_t_eg_{finess_eg} button").first.click()  # … and its EG: the UO appear
        helpers.wait_for_app(page)
        page.locator(f".st-key-rep_a_uo_{uo_id}").wait_for()
        helpers.screenshot(page, "repertoire")

        # add the EG to the favourites from its menu, then find it under « Favoris »
        page.locator(f".st-key-rep_a_eg_{finess_eg} button").first.click()
        page.get_by_role("menuitem", name="Ajouter aux favoris").click()
        helpers.wait_for_app(page)
        page.get_by_role("radio", name="Favoris").or_(page.get_by_role("button", name="Favoris")).first.click()
        helpers.wait_for_app(page)
        expect(page.locator(f".st-key-rep_t_eg_{finess_eg}")).to_be_visible()  # still expanded: its UO show

        # open the UO's fiche from its menu
        page.locator(f".st-key-rep_a_uo_{uo_id} button").first.click()
        page.get_by_role("menuitem", name="Ouvrir la fiche").click()
        helpers.wait_for_app(page)
        page.wait_for_url(f"**/fiche?uo={uo_id}**")
        expect(page.get_by_text("Semaine type", exact=True)).to_be_visible()

        # update its phone: on the fiche and in the history at once
        page.get_by_text("Modifier", exact=True).click()
        helpers.wait_for_app(page)
        form = page.locator(".st-key-fiche_uo_contacts, [data-testid='stForm']").first
        form.get_by_label("Téléphone", exact=True).fill("01 40 50 60 70")
        form.get_by_role("button", name="Enregistrer").click()
        helpers.wait_for_app(page)
        expect(page.get_by_text("Téléphone : 01 40 50 60 70")).to_be_visible()
        history = page.locator("[data-testid='stDataFrame']").last
        expect(history).to_be_visible()
        helpers.screenshot(page, "fiche_uo_modifiee")
    con = duckdb.connect(str(db), read_only=True)
    audit = con.sql(
        "SELECT user_login, new_value->>'telephone' FROM audit WHERE action = 'uo.modifier' AND target_id = $id",
        params={"id": str(uo_id)},
    ).fetchall()
    favourite = con.sql(
        "SELECT target_type, target_id FROM favori JOIN app_user USING (user_id) WHERE login = 'referent'"
    ).fetchall()
    con.close()
    assert audit == [("referent", "01 40 50 60 70")]
    assert favourite == [("EG", finess_eg)]
    assert outside == []
