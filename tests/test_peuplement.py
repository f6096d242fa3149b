"""The peuplement phase (ror/territoire/peuplement.py) on a production base made by `init` and the FINESS import:
a directeur populates his EG through its dossier « Peuplement de … », the tutelle validates, the administrator
switches the département to exploitation, then the directeur updates a phone directly on the fiche (refused, and
why, before); and the pages that show it: the directeur's and the tutelle's Tableau de bord, the Qualité page."""

from __future__ import annotations

import shutil

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from ror.administration import accounts, finess_import, installation
from ror.administration.accounts import Account
from ror.core import auth, clock
from ror.core.permissions import PermissionDenied
from ror.dossiers import drafts, workflow
from ror.repertoire import updates
from ror.territoire import peuplement

from .conftest import PROJECT_DIR
from .helpers import open_page, texts

SAMPLE = PROJECT_DIR / "tests" / "data" / "finess" / "etalab-extrait-idf.csv"
PASSWORD = "Provisoire-2026"
FOCH = "920000650"
TODAY = clock.today()


@pytest.fixture(scope="module")
def populated_base(tmp_path_factory):
    """A production base with the sample extract imported and three accounts: the administrator, a tutelle of the 92
    and the directeur of Hôpital Foch (each with a password of his own)."""
    path = tmp_path_factory.mktemp("peuplement") / "ror.duckdb"
    installation.init_base(path, "admin", PASSWORD)
    con = duckdb.connect(str(path))
    finess_import.import_finess(con, SAMPLE.read_bytes(), SAMPLE.name)
    admin = auth.sign_in(con, "admin", PASSWORD)
    for login, role, scope in (
        ("tutelle92", "tutelle", {"departements": ("92",)}),
        ("dir.foch", "directeur", {"finess_eg": (FOCH,)}),
    ):
        _, temporary = accounts.create_account(
            con, admin, Account(login, "Prénom", login.upper(), f"{login}@exemple.fr", role, **scope)
        )
        accounts.change_own_password(con, auth.sign_in(con, login, temporary), temporary, PASSWORD, PASSWORD)
    accounts.change_own_password(con, admin, PASSWORD, "Definitif-2026", "Definitif-2026")
    con.execute("UPDATE app_user SET password_hash = $h WHERE login = 'admin'", {"h": auth.hash_password(PASSWORD)})
    con.close()
    return path


@pytest.fixture
def base_path(populated_base, tmp_path):
    """A private copy of the populated base (a page test: the app opens it)."""
    return shutil.copy(populated_base, tmp_path / "ror.duckdb")


@pytest.fixture
def base(base_path):
    con = duckdb.connect(str(base_path))
    yield con, base_path
    con.close()


def signed(con, login: str) -> auth.User:
    return auth.sign_in(con, login, PASSWORD)


def test_the_import_opens_a_peuplement_dossier_for_each_establishment(base):
    con, _ = base
    rows = con.sql("SELECT finess_eg, nom, statut FROM dossier WHERE peuplement ORDER BY 1").fetchall()
    assert len(rows) == 8 and all(statut == "brouillon" for _, _, statut in rows)
    assert (FOCH, "Peuplement de HOPITAL FOCH", "brouillon") in rows
    progress = peuplement.progress(con, ["92"]).row(0, named=True)
    assert progress | {"phase_depuis": None} == {
        "departement": "92",
        "nom": "Hauts-de-Seine",
        "phase": "peuplement",
        "phase_depuis": None,
        "eg": 1,
        "eg_peuples": 0,
        "eg_a_peupler": 1,
        "dossiers_ouverts": 1,
        "dossiers_publies": 0,
    }


def test_a_directeur_populates_his_eg_the_tutelle_validates_then_the_departement_goes_to_exploitation(base):
    con, _ = base
    directeur, tutelle, admin = signed(con, "dir.foch"), signed(con, "tutelle92"), signed(con, "admin")
    with pytest.raises(PermissionDenied, match=r"phase de peuplement : toute modification .* dossier collaboratif n° "):
        updates.update_eg(con, directeur, FOCH, {"telephone": "01 46 25 20 00"})

    (dossier_id,) = con.sql("SELECT dossier_id FROM dossier WHERE finess_eg = $f", params={"f": FOCH}).fetchall()[0]
    (eg_fiche,) = con.sql(
        "SELECT fiche_id FROM dossier_fiche WHERE dossier_id = $d AND niveau = 'EG'", params={"d": dossier_id}
    ).fetchall()[0]
    assert (
        drafts.save_fiche(
            con,
            directeur,
            eg_fiche,
            {"mail_alerte": "alerte@foch.fr", "email": "contact@foch.fr", "directeur_nom": "Jean Martin"},
            finalise=True,
        )
        == []
    )
    unit = drafts.add_uo(
        con,
        directeur,
        dossier_id,
        {"nom": "MEDECINE INTERNE", "type_code": "23", "champ_code": "01", "discipline": "MCO"},
    )
    activity = con.sql("SELECT min(code) FROM nomenclature WHERE system = 'TRE_R211'").fetchall()[0][0]
    missing = drafts.save_fiche(
        con,
        directeur,
        unit,
        {
            "telephone": "01 46 25 20 00",
            "responsable_nom": "Dr Claire Roux",
            "responsable_email": "c.roux@foch.fr",
            "codes": {"TRE_R211": [activity]},
        },
        finalise=True,
    )
    assert missing == []
    version = con.sql("SELECT version FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0]
    workflow.send(con, directeur, dossier_id, version, TODAY, today=TODAY)
    version += 1
    assert workflow.validate(con, tutelle, dossier_id, version, today=TODAY) == "publie"
    assert con.sql("SELECT nom FROM uo WHERE finess_eg = $f", params={"f": FOCH}).fetchall() == [("MEDECINE INTERNE",)]
    assert peuplement.progress(con, ["92"]).select("eg_peuples", "dossiers_ouverts", "dossiers_publies").row(0) == (
        1,
        0,
        1,
    )

    with pytest.raises(PermissionDenied):  # still in peuplement until the administrator says so
        updates.update_eg(con, directeur, FOCH, {"telephone": "01 46 25 20 00"})
    with pytest.raises(PermissionDenied):  # only the administrator sets a phase
        peuplement.set_phase(con, tutelle, "92", peuplement.EXPLOITATION)
    assert peuplement.set_phase(con, admin, "92", peuplement.EXPLOITATION) == []
    changed = updates.update_eg(con, directeur, FOCH, {"telephone": "01 46 25 20 00"})
    assert changed == {"telephone": "01 46 25 20 00"}
    assert con.sql("SELECT phase FROM departement WHERE code = '75'").fetchall() == [("peuplement",)]  # the others


def test_exploitation_is_refused_while_peuplement_dossiers_are_open_unless_confirmed(base):
    con, _ = base
    admin = signed(con, "admin")
    with pytest.raises(peuplement.PhaseError, match=r"4 dossier\(s\) de peuplement du département 75"):
        peuplement.set_phase(con, admin, "75", peuplement.EXPLOITATION)
    assert peuplement.phase_of(con, "75") == peuplement.PEUPLEMENT
    peuplement.set_phase(con, admin, "75", peuplement.EXPLOITATION, despite_open_dossiers=True)
    assert peuplement.phase_of(con, "75") == peuplement.EXPLOITATION
    with pytest.raises(peuplement.PhaseError, match="n'est pas du territoire"):
        peuplement.set_phase(con, admin, "13", peuplement.PEUPLEMENT)
    with pytest.raises(peuplement.PhaseError, match="Choisissez la phase"):
        peuplement.set_phase(con, admin, "75", "fini")


def test_back_to_peuplement_opens_the_dossiers_of_the_eg_without_units_only(rw_con, demo_db):
    from .helpers import user

    admin = user(rw_con, "admin")
    empty = rw_con.sql(
        "SELECT count(*) FROM eg WHERE departement = '93' AND finess_eg NOT IN "
        "(SELECT finess_eg FROM uo WHERE statut = 'active') AND finess_eg NOT IN "
        "(SELECT finess_eg FROM dossier WHERE statut IN ('brouillon', 'en_validation', 'programme'))"
    ).fetchall()[0][0]
    created = peuplement.set_phase(rw_con, admin, "93", peuplement.PEUPLEMENT)
    assert len(created) == empty
    assert peuplement.set_phase(rw_con, admin, "93", peuplement.PEUPLEMENT) == []  # never twice
    directeur = user(rw_con, "directeur")  # his EG are in the 92, still in exploitation
    updates.update_eg(rw_con, directeur, directeur.finess_eg[0], {"telephone": "01 46 25 20 01"})


def _app(path, monkeypatch) -> AppTest:
    monkeypatch.setenv("ROR_DB", str(path))
    monkeypatch.setenv("ROR_DEMO", "0")
    return AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)


def test_the_directeur_sees_his_peuplement_dossier_on_his_home_page(base_path, populated_base, monkeypatch):
    path = base_path
    at = open_page(_app(path, monkeypatch), populated_base, "pages/tableau_de_bord.py", "dir.foch")
    assert not at.exception
    assert "Peuplement : vos dossiers à compléter" in [s.value for s in at.subheader]
    assert "phase de peuplement" in texts(at)


def test_the_tutelle_sees_the_progress_and_the_administrator_sets_a_phase(base_path, populated_base, monkeypatch):
    path = base_path
    at = open_page(_app(path, monkeypatch), populated_base, "pages/tableau_de_bord.py", "tutelle92")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["departement"].to_list() == ["92"] and table["eg_a_peupler"].to_list() == [1]
    assert not at.get("form")  # only the administrator sets a phase
    at = open_page(_app(path, monkeypatch), populated_base, "pages/tableau_de_bord.py", "admin")
    assert len(at.dataframe[0].value) == 8
    at.selectbox(key="peuplement_departement").set_value("95")
    at.radio(key="peuplement_phase_choisie").set_value("exploitation")
    at.button(key="FormSubmitter:peuplement_phase-Appliquer").click().run()
    assert "dossier(s) de peuplement du département 95 ne sont pas encore publiés" in at.error[0].value
    at.checkbox(key="peuplement_malgre").check()
    at.button(key="FormSubmitter:peuplement_phase-Appliquer").click().run()
    assert not at.exception and not at.error
    at = open_page(_app(path, monkeypatch), populated_base, "pages/tableau_de_bord.py", "admin")  # read again
    shown = at.dataframe[0].value
    assert shown[shown["departement"] == "95"]["phase"].to_list() == ["Exploitation"]


def test_the_quality_page_counts_the_eg_without_units(base_path, populated_base, monkeypatch):
    path = base_path
    at = open_page(_app(path, monkeypatch), populated_base, "pages/qualite.py", "admin")
    assert not at.exception
    assert next(m.value for m in at.metric if m.label == "EG sans unité") == "8"


def test_the_fiche_says_why_it_cannot_be_changed_directly_during_peuplement(base_path, populated_base, monkeypatch):
    at = open_page(_app(base_path, monkeypatch), populated_base, "pages/fiche.py", "dir.foch", eg=FOCH)
    assert not at.exception
    assert not [t for t in at.toggle if t.label == "Modifier"]
    assert "Le département 92 est en phase de peuplement" in at.info[0].value
