"""An open session follows its account: every run and every write read it again (ror/auth.current)."""

from __future__ import annotations

import pytest

from ror.administration import accounts
from ror.administration.accounts import Account
from ror.core import auth
from ror.core.permissions import PermissionDenied
from ror.demo.users import DEMO_PASSWORD
from ror.repertoire import favoris, updates

from .helpers import user


def _as_tutelle_of(con, login: str, departements: tuple[str, ...]) -> Account:
    seen = accounts.snapshot(con, user(con, login).user_id)
    return Account(login, seen["prenom"], seen["nom"], seen["email"], "tutelle", None, departements)


def test_an_unchanged_account_is_the_same_object(rw_con):
    session = auth.sign_in(rw_con, "directeur", DEMO_PASSWORD)
    assert auth.current(rw_con, session) is session


def test_deactivation_ends_the_open_session_and_its_writes(rw_con):
    session = auth.sign_in(rw_con, "directeur", DEMO_PASSWORD)
    finess = session.finess_eg[0]
    accounts.set_active(rw_con, user(rw_con, "support"), session.user_id, False)
    with pytest.raises(auth.SessionEnded, match="désactivé"):
        auth.current(rw_con, session)
    with pytest.raises(PermissionDenied, match="désactivé"):
        updates.update_eg(rw_con, session, finess, {"telephone": "01 23 45 67 89"})
    with pytest.raises(PermissionDenied, match="désactivé"):
        favoris.add(rw_con, session, f"eg:{finess}")


def test_a_role_change_applies_at_the_next_click(rw_con):
    session = auth.sign_in(rw_con, "directeur", DEMO_PASSWORD)
    finess = session.finess_eg[0]
    accounts.update_account(
        rw_con, user(rw_con, "support"), session.user_id, _as_tutelle_of(rw_con, "directeur", ("93",))
    )
    now = auth.current(rw_con, session)
    assert (now.role, now.departements, now.finess_eg) == ("tutelle", ("93",), ())
    with pytest.raises(PermissionDenied, match="mettre à jour cet établissement"):
        updates.update_eg(rw_con, session, finess, {"telephone": "01 23 45 67 89"})  # the old copy writes nothing


def test_a_new_scope_applies_to_writes_made_with_the_old_copy(rw_con):
    session = auth.sign_in(rw_con, "directeur", DEMO_PASSWORD)
    kept, removed = session.finess_eg[0], session.finess_eg[1]
    seen = accounts.snapshot(rw_con, session.user_id)
    accounts.update_account(
        rw_con,
        user(rw_con, "support"),
        session.user_id,
        Account("directeur", seen["prenom"], seen["nom"], seen["email"], "directeur", None, (), (kept,)),
    )
    with pytest.raises(PermissionDenied):
        updates.update_eg(rw_con, session, removed, {"telephone": "01 23 45 67 89"})
    updates.update_eg(rw_con, session, kept, {"telephone": "01 23 45 67 89"})
    assert auth.current(rw_con, session).finess_eg == (kept,)


def test_a_reset_password_ends_the_open_sessions(rw_con):
    session = auth.sign_in(rw_con, "referent", DEMO_PASSWORD)
    accounts.reset_password(rw_con, user(rw_con, "support"), session.user_id)
    with pytest.raises(auth.SessionEnded, match="reconnectez-vous"):
        auth.current(rw_con, session)
    with pytest.raises(PermissionDenied, match="reconnectez-vous"):
        favoris.add(rw_con, session, f"eg:{session.finess_eg[0]}")


def test_changing_ones_password_ends_the_other_sessions_but_not_this_one(rw_con):
    here = auth.sign_in(rw_con, "support", DEMO_PASSWORD)
    elsewhere = auth.sign_in(rw_con, "support", DEMO_PASSWORD)
    here = accounts.change_own_password(rw_con, here, DEMO_PASSWORD, "Nouveau-mot-2026", "Nouveau-mot-2026")
    assert auth.current(rw_con, here) is here
    with pytest.raises(auth.SessionEnded):
        auth.current(rw_con, elsewhere)
