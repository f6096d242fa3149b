"""Accounts: creation with a scope, the password rule, deactivation, reset, « Mon compte », who may do what."""

from __future__ import annotations

import pytest

from ror.administration import accounts
from ror.administration.accounts import Account
from ror.core import auth
from ror.core.permissions import PermissionDenied
from ror.core.validation import ValidationError
from ror.demo.users import DEMO_PASSWORD

from .helpers import user


def tutelle(**changes) -> Account:
    values = dict(
        login="Cd77.Martin",
        prenom="Anne",
        nom="Martin",
        email="a.martin@departement77.fr",
        role="tutelle",
        organisation="Conseil départemental de Seine-et-Marne",
        departements=("77",),
    )
    return Account(**(values | changes))


@pytest.mark.parametrize(
    ("password", "ok"),
    [("abcdefghijk1", True), ("abcdefghij1", False), ("abcdefghijkl", False), ("123456789012", False), (None, False)],
)
def test_password_rule(password, ok):
    assert (accounts.password_error(password) is None) is ok


def test_temporary_passwords_follow_the_rule_and_differ():
    made = {accounts.temporary_password() for _ in range(50)}
    assert len(made) == 50 and all(accounts.password_error(p) is None for p in made)


def test_a_new_account_signs_in_with_its_temporary_password_and_must_change_it(rw_con):
    user_id, password = accounts.create_account(rw_con, user(rw_con, "support"), tutelle())
    signed = auth.sign_in(rw_con, "cd77.martin", password)
    assert signed.user_id == user_id and signed.departements == ("77",) and signed.doit_changer_mot_de_passe
    accounts.change_own_password(rw_con, signed, password, "Seine-et-Marne-77", "Seine-et-Marne-77")
    assert not auth.sign_in(rw_con, "cd77.martin", "Seine-et-Marne-77").doit_changer_mot_de_passe
    journal = rw_con.sql(
        "SELECT action, new_value FROM audit WHERE target_id = $id ORDER BY audit_id", params={"id": str(user_id)}
    ).fetchall()
    assert [a for a, _ in journal if a.startswith("compte")] == ["compte.creer", "compte.mot_de_passe"]
    assert password not in str(journal)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"login": "directeur"}, "login", "déjà pris"),
        ({"login": "a b"}, "login", "3 à 40 caractères"),
        ({"prenom": ""}, "prenom", "obligatoire"),
        ({"email": ""}, "email", "obligatoire"),
        ({"email": "anne@"}, "email", "invalide"),
        ({"role": "chef"}, "role", "Choisissez un rôle"),
        ({"departements": ()}, "departements", "au moins un département"),
        ({"departements": ("13",)}, "departements", "inconnus : 13"),
        ({"role": "referent", "departements": ()}, "finess_eg", "au moins un établissement"),
        ({"role": "directeur", "finess_eg": ("999999999",)}, "finess_eg", "inconnus"),
    ],
)
def test_wrong_accounts_are_refused_field_by_field(rw_con, changes, field, message):
    with pytest.raises(ValidationError) as refused:
        accounts.create_account(rw_con, user(rw_con, "admin"), tutelle(**changes))
    assert message in refused.value.errors[field]


def test_only_an_admin_gives_or_touches_the_administrator_role(rw_con):
    support, admin = user(rw_con, "support"), user(rw_con, "admin")
    with pytest.raises(PermissionDenied, match="Seul un administrateur"):
        accounts.create_account(rw_con, support, tutelle(role="admin", departements=()))
    with pytest.raises(PermissionDenied):
        accounts.set_active(rw_con, support, admin.user_id, False)
    with pytest.raises(PermissionDenied):
        accounts.create_account(rw_con, user(rw_con, "tutelle93"), tutelle())
    accounts.create_account(rw_con, admin, tutelle(role="admin", departements=()))


def test_deactivation_blocks_sign_in_and_keeps_everything(rw_con):
    support = user(rw_con, "support")
    directeur = user(rw_con, "directeur")
    accounts.set_active(rw_con, support, directeur.user_id, False)
    with pytest.raises(auth.SignInError, match="désactivé"):
        auth.sign_in(rw_con, "directeur", DEMO_PASSWORD)
    assert rw_con.sql("SELECT count(*) FROM user_eg WHERE user_id = $id", params={"id": directeur.user_id}).fetchall()[
        0
    ][0]
    accounts.set_active(rw_con, support, directeur.user_id, True)
    assert auth.sign_in(rw_con, "directeur", DEMO_PASSWORD).user_id == directeur.user_id
    with pytest.raises(ValidationError, match="propre compte"):
        accounts.set_active(rw_con, support, support.user_id, False)


def test_reset_gives_a_new_password_and_lifts_a_lock(rw_con):
    referent = user(rw_con, "referent")
    for _ in range(auth.FREE_ATTEMPTS + 2):
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, "referent", "faux")
    password = accounts.reset_password(rw_con, user(rw_con, "support"), referent.user_id)
    assert auth.sign_in(rw_con, "referent", password).doit_changer_mot_de_passe
    with pytest.raises(auth.SignInError):
        auth.sign_in(rw_con, "referent", DEMO_PASSWORD)


def test_role_and_scope_change_and_a_stale_form_is_refused(rw_con):
    support = user(rw_con, "support")
    referent = user(rw_con, "referent")
    seen = accounts.snapshot(rw_con, referent.user_id)
    changed = accounts.update_account(
        rw_con,
        support,
        referent.user_id,
        Account("referent", "Julien", "Marchand", seen["email"], "tutelle", None, ("92",)),
        seen=seen,
    )
    assert changed["role"] == "tutelle" and changed["departements"] == ["92"] and changed["finess_eg"] == []
    with pytest.raises(accounts.Conflict):  # the same form, sent again on what it showed before
        accounts.update_account(
            rw_con,
            support,
            referent.user_id,
            Account("referent", "Julien", "Marchand", seen["email"], "directeur", None, (), seen["finess_eg"]),
            seen=seen,
        )


def test_own_password_errors(rw_con):
    referent = user(rw_con, "referent")
    with pytest.raises(ValidationError) as refused:
        accounts.change_own_password(rw_con, referent, "faux", "court", "court")
    assert set(refused.value.errors) == {"actuel", "nouveau"}
    with pytest.raises(ValidationError, match="différent de l'actuel"):
        accounts.change_own_password(rw_con, referent, DEMO_PASSWORD, DEMO_PASSWORD, DEMO_PASSWORD)
    with pytest.raises(ValidationError, match="sont différentes"):
        accounts.change_own_password(rw_con, referent, DEMO_PASSWORD, "Nouveau-2026-ror", "Nouveau-2026-rox")
