"""AppTest of the administration pages per role: « Créer un établissement », « Comptes », « Import FINESS »,
« Export de l'offre », « Sauvegarde » and « Mon compte » (a tutelle or an establishment's people cannot reach the admin pages)."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from components.text import md
from ror.demo.users import DEMO_PASSWORD

from .conftest import PROJECT_DIR
from .helpers import ROLES, open_page, signed_in, texts

SAMPLES = Path(__file__).resolve().parent / "data" / "finess"
ADMIN_PAGES = {  # page -> roles that have it, and the refusal of the others
    "pages/etablissement_nouveau.py": (("support", "admin"), "créer un établissement"),
    "pages/comptes.py": (("support", "admin"), "gérer les comptes"),
    "pages/import_finess.py": (("admin",), "importer des données"),
    "pages/export_offre.py": (("support", "admin"), "exporter l'offre"),
    "pages/sauvegarde.py": (("admin",), "sauvegarder la base"),
}


def one(db: Path, query: str, **params):
    con = duckdb.connect(str(db))
    try:
        return con.sql(query, params=params or None).fetchall()
    finally:
        con.close()


@pytest.mark.parametrize("login", list(ROLES))
@pytest.mark.parametrize("page", list(ADMIN_PAGES))
def test_admin_pages_per_role(fresh_app, demo_db, login, page):
    roles, refusal = ADMIN_PAGES[page]
    if login not in roles:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            open_page(fresh_app, demo_db, page, login)  # not in the navigation
        direct = signed_in(AppTest.from_file(str(PROJECT_DIR / page), default_timeout=60), demo_db, login)
        assert not direct.exception
        assert refusal in direct.error[0].value  # and the script refuses when run anyway
        return
    at = open_page(fresh_app, demo_db, page, login)
    assert not at.exception
    assert not at.error


def test_support_creates_an_establishment_and_a_duplicate_is_refused(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/etablissement_nouveau.py", "support")
    at.text_input(key="eta_finess_eg").input("927770016")
    at.text_input(key="eta_finess_ej").input("920150059")  # Hôpital Foch's EJ
    at.text_input(key="eta_nom").input("CENTRE DE SANTE DES BRUYERES")
    at.selectbox(key="eta_categorie").set_value("124")
    at.selectbox(key="eta_commune").set_value("92073")
    at.text_input(key="eta_telephone").input("01 46 25 20 00")
    at.button(key="FormSubmitter:eta_form-Créer l'établissement").click().run()
    assert not at.exception
    assert not at.error, [e.value for e in at.error]
    assert "Établissement 927770016 créé" in at.success[0].value
    assert one(db_copy, "SELECT finess_ej, departement, coord_source FROM eg WHERE finess_eg = '927770016'") == [
        ("920150059", "92", "commune")
    ]
    # the same FINESS again: refused, with the name of the establishment that has it; what was typed stays
    at.button(key="FormSubmitter:eta_form-Créer l'établissement").click().run()
    assert "existe déjà : « CENTRE DE SANTE DES BRUYERES »" in " ".join(e.value for e in at.error)
    assert at.text_input(key="eta_nom").value == "CENTRE DE SANTE DES BRUYERES"


def test_wrong_fields_of_a_new_establishment_are_each_said(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/etablissement_nouveau.py", "admin")
    at.text_input(key="eta_finess_eg").input("927770017")  # wrong key
    at.text_input(key="eta_finess_ej").input("12345")
    at.text_input(key="eta_telephone").input("12 34")
    at.text_input(key="eta_email").input("pas-un-mail")
    at.button(key="FormSubmitter:eta_form-Créer l'établissement").click().run()
    errors = " ".join(e.value for e in at.error)
    for expected in (
        "clé de contrôle",
        "9 caractères",
        "nom de l'établissement est obligatoire",
        "catégorie FINESS est obligatoire",
        "commune",
        "Numéro de téléphone invalide",
        "Adresse e-mail invalide",
    ):
        assert expected in errors
    assert not at.success


def test_support_creates_a_tutelle_account_which_must_change_its_password(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/comptes.py", "support")
    at.segmented_control(key="cpt_vue").set_value("Créer un compte").run()
    assert "Administrateur" not in at.selectbox(key="cpt_new_role").options  # only an admin gives it
    at.text_input(key="cpt_new_login").input("cd77.martin")
    at.text_input(key="cpt_new_email").input("a.martin@departement77.fr")
    at.text_input(key="cpt_new_prenom").input("Anne")
    at.text_input(key="cpt_new_nom").input("Martin")
    at.selectbox(key="cpt_new_role").set_value("tutelle").run()
    at.button(key="cpt_creer").click().run()
    assert "au moins un département" in at.error[0].value  # a tutelle without territory is refused
    at.multiselect(key="cpt_new_departements").set_value(["77"])
    at.button(key="cpt_creer").click().run()
    assert not at.exception and not at.error
    assert "cd77.martin" in at.success[0].value
    password = at.code[0].value
    assert len(password) == 14
    rows = one(
        db_copy,
        "SELECT u.role, u.doit_changer_mot_de_passe, t.departement FROM app_user u "
        "JOIN user_territoire t USING (user_id) WHERE login = 'cd77.martin'",
    )
    assert rows == [("tutelle", True, "77")]
    assert one(db_copy, "SELECT count(*) FROM audit WHERE action = 'compte.creer'") == [(1,)]
    assert password not in str(one(db_copy, "SELECT new_value FROM audit WHERE action = 'compte.creer'"))


def _select_account(at, login: str):
    table = at.dataframe[0].value
    index = table["Identifiant"].to_list().index(login)
    at.session_state["cpt_liste"] = {"selection": {"rows": [index], "columns": [], "cells": []}}
    return at.run()


def test_support_deactivates_and_resets_an_account(fresh_app, demo_db, db_copy):
    at = _select_account(open_page(fresh_app, demo_db, "pages/comptes.py", "support"), "referent")
    assert at.text_input(key=f"cpt_{_id(db_copy, 'referent')}_login").value == "referent"
    at.button(key="cpt_desactiver").click().run()
    assert not at.exception
    assert one(db_copy, "SELECT actif FROM app_user WHERE login = 'referent'") == [(False,)]
    at.toggle(key="cpt_inactifs").set_value(True).run()
    at = _select_account(at, "referent")
    assert "désactivé" in at.warning[0].value
    at.button(key="cpt_reinitialiser").click().run()
    assert one(db_copy, "SELECT doit_changer_mot_de_passe FROM app_user WHERE login = 'referent'") == [(True,)]
    assert at.code[0].value


def _id(db: Path, login: str) -> int:
    return one(db, "SELECT user_id FROM app_user WHERE login = $l", l=login)[0][0]


def test_support_cannot_touch_an_administrator(fresh_app, demo_db, db_copy):
    at = _select_account(open_page(fresh_app, demo_db, "pages/comptes.py", "support"), "admin")
    at.button(key="cpt_desactiver").click().run()
    assert "Seul un administrateur" in at.error[0].value
    assert one(db_copy, "SELECT actif FROM app_user WHERE login = 'admin'") == [(True,)]


def test_two_supports_change_the_same_account(fresh_app, demo_db, db_copy):
    at = _select_account(open_page(fresh_app, demo_db, "pages/comptes.py", "support"), "directeur")
    user_id = _id(db_copy, "directeur")
    # meanwhile, the other support renames him
    one(db_copy, "UPDATE app_user SET nom = 'Fontaine-Roux' WHERE user_id = $id", id=user_id)
    at.text_input(key=f"cpt_{user_id}_organisation").input("Direction")
    at.button(key="cpt_enregistrer").click().run()
    assert "modifié par quelqu'un d'autre" in at.error[0].value
    assert one(db_copy, "SELECT nom, organisation FROM app_user WHERE user_id = $id", id=user_id) == [
        ("Fontaine-Roux", None)
    ]


def test_admin_imports_finess_with_progress_and_report(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/import_finess.py", "admin")
    assert "Aucun import FINESS" in texts(at)
    # AppTest has no file upload: the page's import is what the button runs, so run the same call it makes
    from ror.administration import finess_import
    from ror.core import auth

    con = duckdb.connect(str(db_copy))
    admin = auth.load_user(con, _id(db_copy, "admin"))
    steps = []
    report = finess_import.import_finess(
        con,
        (SAMPLES / "etalab-extrait-idf.csv").read_bytes(),
        "etalab-extrait-idf.csv",
        user=admin,
        progress=lambda f, m: steps.append(f),
    )
    con.close()
    assert steps[0] == 0.0 and steps[-1] == 1.0 and steps == sorted(steps)
    at.session_state["imp_rapport"] = report
    at.run()
    assert not at.exception
    assert "8 modifié(s)" in at.success[0].value
    assert [t.label for t in at.tabs] == ["Créés (0)", "Modifiés (8)", "Rejetés (5)", "Avertissements (1)"]
    journal = at.dataframe[-1].value
    assert journal["Fichier"].to_list() == ["etalab-extrait-idf.csv"] and journal["Hors territoire"][0] == 1


def test_export_page_prepares_a_download(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/export_offre.py", "support")
    at.segmented_control(key="exp_perimetre").set_value("Département").run()
    at.selectbox(key="exp_dep").set_value("93")
    at.segmented_control(key="exp_format").set_value("fhir")
    at.button(key="exp_preparer").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Département 93 :")
    assert "Prochain flux : à reprendre à partir du " in texts(at)
    assert "+01:00" not in texts(at) and "/" + "tmp" not in texts(at)  # no raw instant, no server path


def test_export_of_an_unknown_ej_says_so(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/export_offre.py", "admin")
    at.segmented_control(key="exp_perimetre").set_value("EJ").run()
    at.text_input(key="exp_ej").input("750000499")  # an EG number, not an EJ
    at.button(key="exp_preparer").click().run()
    assert "n'existe pas" in at.error[0].value


def test_the_administrator_downloads_a_backup_that_holds_the_base(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/sauvegarde.py", "admin")
    at.button(key="sauv_preparer").click().run()
    assert not at.exception and not at.error
    assert at.success[0].value.startswith("Sauvegarde prête : ror-sauvegarde-") and re.search(
        r"\(\d+,\d\u202fMo\)\.$", at.success[0].value
    )
    prepared = at.session_state["sauv_fichier"]
    copy = duckdb.connect(str(prepared), read_only=True)
    try:
        assert copy.sql("SELECT count(*) FROM eg").fetchall() == one(demo_db, "SELECT count(*) FROM eg")
    finally:
        copy.close()
    assert one(db_copy, "SELECT action, target_id FROM audit WHERE action = 'base.sauvegarder'") == [
        ("base.sauvegarder", prepared.name)
    ]
    prepared.unlink()


@pytest.mark.parametrize("login", list(ROLES))
def test_everyone_has_mon_compte(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/mon_compte.py", login)
    assert not at.exception
    assert at.title[0].value == "Mon compte"
    assert f"identifiant « {md(login)} »" in texts(at)


def test_mon_compte_changes_the_password_with_clear_errors(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/mon_compte.py", "referent")
    submit = "FormSubmitter:compte_mdp-Changer le mot de passe"
    at.text_input(key="compte_actuel").input("faux")
    at.text_input(key="compte_nouveau").input("court1")
    at.button(key=submit).click().run()
    errors = " ".join(e.value for e in at.error)
    assert "actuel est incorrect" in errors and "au moins 12 caractères" in errors
    at.text_input(key="compte_actuel").input(DEMO_PASSWORD)
    at.text_input(key="compte_nouveau").input("Nouveau-mot-2026")
    at.text_input(key="compte_confirmation").input("Nouveau-mot-2027")
    at.button(key=submit).click().run()
    assert "sont différentes" in at.error[0].value
    at.text_input(key="compte_confirmation").input("Nouveau-mot-2026")
    at.button(key=submit).click().run()
    assert not at.error and not at.exception
    from ror.core.auth import verify_password

    assert verify_password(
        one(db_copy, "SELECT password_hash FROM app_user WHERE login = 'referent'")[0][0], "Nouveau-mot-2026"
    )


def test_a_temporary_password_gives_only_mon_compte(fresh_app, demo_db, db_copy):
    import dataclasses

    from ror.core.auth import load_user

    con = duckdb.connect(str(demo_db), read_only=True)
    user = load_user(con, con.sql("SELECT user_id FROM app_user WHERE login = 'tutelle93'").fetchall()[0][0])
    con.close()
    fresh_app.session_state["auth_user"] = dataclasses.replace(user, doit_changer_mot_de_passe=True)
    at = fresh_app.run()
    assert not at.exception
    assert at.title[0].value == "Mon compte"
    assert "mot de passe provisoire" in at.warning[0].value
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("pages/recherche.py").run()
