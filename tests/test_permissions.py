import pytest

from ror.core.auth import User, load_user
from ror.core.permissions import REGION, PermissionDenied, allowed, require, role_allows, scope_of

TUTELLE_75 = User(1, "t75", "A", "B", "tutelle", departements=("75",))
DIRECTEUR = User(2, "dir", "C", "D", "directeur", finess_eg=("920000650",))
REFERENT = User(3, "ref", "E", "F", "referent", finess_eg=("920000650",))
SUPPORT = User(4, "sup", "G", "H", "support")
ADMIN = User(5, "adm", "I", "J", "admin")


def test_scopes():
    assert scope_of(TUTELLE_75).departements == ("75",)
    assert scope_of(DIRECTEUR).finess_eg == ("920000650",)
    assert scope_of(SUPPORT) == REGION and scope_of(ADMIN) == REGION
    assert scope_of(TUTELLE_75).as_params() == {"departements": ["75"], "finess_eg": None}


def test_tutelle_acts_only_on_its_departements():
    assert allowed(TUTELLE_75, "dossier.decider", departement="75")
    assert not allowed(TUTELLE_75, "dossier.decider", departement="93")
    assert not allowed(TUTELLE_75, "anomalie.trier", departement="93")
    assert not allowed(TUTELLE_75, "dossier.decider")


def test_directeur_and_referent_act_only_on_their_eg():
    assert allowed(DIRECTEUR, "dossier.envoyer", finess_eg="920000650")
    assert not allowed(DIRECTEUR, "dossier.envoyer", finess_eg="750000499")
    assert not allowed(REFERENT, "dossier.envoyer", finess_eg="920000650")  # only a directeur sends
    assert allowed(REFERENT, "eg.mise_a_jour_operationnelle", finess_eg="920000650")


def test_everyone_may_report_an_anomaly_anywhere():
    for user in (TUTELLE_75, DIRECTEUR, REFERENT, SUPPORT, ADMIN):
        assert allowed(user, "anomalie.signaler")


def test_creation_and_administration_roles():
    assert allowed(SUPPORT, "etablissement.creer") and not allowed(TUTELLE_75, "etablissement.creer")
    assert allowed(ADMIN, "import") and not allowed(SUPPORT, "import")


def test_require_raises_a_french_message(con):
    directeur = load_user(con, con.sql("SELECT user_id FROM app_user WHERE login = 'directeur'").fetchall()[0][0])
    with pytest.raises(PermissionDenied, match="Votre profil ne vous permet pas de valider ou refuser ce dossier"):
        require(con, directeur, "dossier.decider", departement="92")
    assert require(con, directeur, "dossier.editer", finess_eg=directeur.finess_eg[0]) is directeur


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        allowed(ADMIN, "tout.faire")


def test_role_allows_says_what_a_page_offers_before_any_territory():
    assert role_allows(SUPPORT, "anomalie.trier") and role_allows(ADMIN, "anomalie.file")
    assert not role_allows(ADMIN, "anomalie.trier") and role_allows(ADMIN, "parametres")
    assert not role_allows(DIRECTEUR, "anomalie.file") and role_allows(DIRECTEUR, "dossier.editer")
    with pytest.raises(ValueError):
        role_allows(SUPPORT, "n'existe pas")
