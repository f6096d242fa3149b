"""AppTest of « Aide » per role (the support's contacts, the lost password, the guides of the role first), the
administrator changing the support's contacts with checked input, and the sign-in page giving them too."""

from __future__ import annotations

import pytest

from .helpers import ROLES, open_page, texts

PAGE = "pages/aide.py"


@pytest.mark.parametrize("login", list(ROLES))
def test_aide_per_role(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, PAGE, login)
    assert not at.exception and not at.error
    shown = texts(at)
    assert "01 83 76 30 31" in shown and "Mot de passe oublié" in shown
    first = at.expander[0].label
    if login in ("directeur", "referent"):
        assert first == "Mettre à jour son établissement : fiche et dossier collaboratif" or "Rechercher" in first
        assert "La campagne SMR de votre établissement" in [e.label for e in at.expander]
    if login.startswith("tutelle"):
        assert [e.label for e in at.expander].index("Valider les dossiers et suivre son territoire") < 3
    assert bool([e for e in at.expander if e.label == "Modifier les coordonnées du support"]) == (login == "admin")


def test_the_administrator_changes_the_support_contacts_and_bad_input_is_refused(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, PAGE, "admin")
    at.text_input(key="aide_support_telephone").input("12")
    at.text_input(key="aide_support_email").input("pas-un-mail")
    at.button(key="FormSubmitter:aide_support-Enregistrer").click().run()
    errors = " ".join(e.value for e in at.error)
    assert "Numéro de téléphone invalide" in errors and "adresse e-mail" in errors.lower()
    assert at.text_input(key="aide_support_telephone").value == "12"  # what was typed stays
    at.text_input(key="aide_support_telephone").input("01 44 02 00 00")
    at.text_input(key="aide_support_email").input("support@ars-idf.fr")
    at.button(key="FormSubmitter:aide_support-Enregistrer").click().run()
    assert not at.error
    at.run()
    assert "01 44 02 00 00" in texts(at)


def test_the_sign_in_page_gives_the_support_contacts(app):
    at = app.run()
    assert "Mot de passe oublié" in texts(at) and "01 83 76 30 31" in texts(at)
