"""AppTest of « Ma campagne SMR » per role: a directeur or référent sees the guide's checklist of his establishments
with SMR units, item by item; the advised renaming « SSR » → « SMR » is one click; the address is reported to the
support with the field already chosen; every other role is refused."""

from __future__ import annotations

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from .conftest import PROJECT_DIR
from .helpers import ROLES, open_page, signed_in, texts

PAGE = "pages/ma_campagne_smr.py"


def smr_unit_of(db, login: str) -> tuple[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.sql(
            "SELECT u.finess_eg, min(u.uo_id) FROM uo u JOIN user_eg USING (finess_eg) JOIN app_user a USING (user_id) "
            "WHERE a.login = $l AND u.discipline = 'SMR' AND u.statut = 'active' GROUP BY 1 ORDER BY 1 LIMIT 1",
            params={"l": login},
        ).fetchall()[0]
    finally:
        con.close()


@pytest.mark.parametrize("login", list(ROLES))
def test_ma_campagne_smr_per_role(fresh_app, demo_db, login):
    if login not in ("directeur", "referent"):
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_page(fresh_app, demo_db, PAGE, login)
        direct = signed_in(AppTest.from_file(str(PROJECT_DIR / PAGE), default_timeout=60), demo_db, login)
        assert "suivre la campagne SMR" in direct.error[0].value
        return
    at = open_page(fresh_app, demo_db, PAGE, login)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.title[0].value == "Ma campagne SMR"
    shown = texts(at)
    assert "Contact du directeur (téléphone et e-mail)" in shown and "Responsable et ses coordonnées" in shown
    assert "point(s) à faire" in shown or "points sont faits" in shown


def test_the_advised_ssr_to_smr_renaming_is_one_click(fresh_app, demo_db, db_copy):
    _, uo_id = smr_unit_of(db_copy, "directeur")
    con = duckdb.connect(str(db_copy))
    con.execute("UPDATE uo SET nom = 'UNITE SSR LOCOMOTEUR' WHERE uo_id = $u", {"u": uo_id})
    con.execute("UPDATE setting SET value = CAST(CAST(value AS BIGINT) + 1 AS VARCHAR) WHERE key = 'data_version'")
    con.close()
    at = open_page(fresh_app, demo_db, PAGE, "directeur")
    button = next(b for b in at.button if b.key == f"smr_ssr_{uo_id}")
    assert button.label == "Renommer en « UNITE SMR LOCOMOTEUR »"
    button.click().run()
    assert not at.exception and not at.error
    at.run()
    assert not [b for b in at.button if b.key == f"smr_ssr_{uo_id}"]  # done: no advice left for it


def test_a_wrong_address_is_reported_with_the_field_chosen(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, PAGE, "referent")
    next(b for b in at.button if b.key.startswith("smr_adresse_")).click().run()
    assert not at.exception
    assert at.selectbox(key="ano_champ").value == "Adresse"
