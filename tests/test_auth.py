import datetime as dt

import pytest

from ror.administration import accounts
from ror.core import auth
from ror.core.permissions import PermissionDenied
from ror.demo.users import DEMO_PASSWORD, DEMO_USERS, LISTED


def test_hash_is_argon2_and_never_the_password():
    hashed = auth.hash_password("s3cret-ROR")
    assert hashed.startswith("$argon2id$") and "s3cret-ROR" not in hashed
    assert auth.verify_password(hashed, "s3cret-ROR")
    assert not auth.verify_password(hashed, "wrong")
    assert not auth.verify_password("not a hash", "s3cret-ROR")


def test_hash_is_argon2id_at_owasps_minimum():
    assert auth.hash_password("s3cret-ROR").startswith("$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_hash_made_with_other_parameters_still_signs_in_and_is_replaced_without_ending_sessions(rw_con):
    from argon2 import PasswordHasher

    old = PasswordHasher().hash(DEMO_PASSWORD)  # the library's default, as the accounts of an older base
    assert "m=65536,t=3,p=4" in old
    rw_con.execute("UPDATE app_user SET password_hash = $h WHERE login = 'support'", {"h": old})
    before = auth.sign_in(rw_con, "tutelle-pc", DEMO_PASSWORD)  # an account already at the current parameters
    kept = rw_con.sql("SELECT password_hash FROM app_user WHERE login = 'tutelle-pc'").fetchall()[0][0]
    user = auth.sign_in(rw_con, "support", DEMO_PASSWORD)
    rehashed = rw_con.sql("SELECT password_hash FROM app_user WHERE login = 'support'").fetchall()[0][0]
    assert rehashed.startswith("$argon2id$v=19$m=19456,t=2,p=1$") and auth.verify_password(rehashed, DEMO_PASSWORD)
    assert auth.current(rw_con, user) == user  # its open sessions go on (not a change of password)
    auth.sign_in(rw_con, "tutelle-pc", DEMO_PASSWORD)
    assert rw_con.sql("SELECT password_hash FROM app_user WHERE login = 'tutelle-pc'").fetchall()[0][0] == kept
    assert auth.current(rw_con, before) == before
    with pytest.raises(auth.SignInError):  # a wrong password does not replace it
        rw_con.execute("UPDATE app_user SET password_hash = $h WHERE login = 'support'", {"h": old})
        auth.sign_in(rw_con, "support", "pas-le-bon-1")
    assert rw_con.sql("SELECT password_hash FROM app_user WHERE login = 'support'").fetchall()[0][0] == old


def test_delay_grows_after_the_free_attempts():
    assert [auth.delay_after(n) for n in range(6)] == [0, 0, 0, 2, 4, 8]
    assert auth.delay_after(50) == auth.MAX_DELAY_SECONDS


def test_good_password_signs_in_with_the_scope(rw_con):
    user = auth.sign_in(rw_con, "tutelle-pc", DEMO_PASSWORD)
    assert user.role == "tutelle" and user.departements == ("75", "92", "93", "94")
    assert rw_con.sql("SELECT count(*) FROM audit WHERE action = 'connexion'").fetchall()[0][0] == 1


def test_login_is_case_insensitive(rw_con):
    assert auth.sign_in(rw_con, "  Directeur ", DEMO_PASSWORD).role == "directeur"


@pytest.mark.parametrize(("login", "password"), [("directeur", "mauvais"), ("inconnu", DEMO_PASSWORD)])
def test_wrong_password_or_unknown_login_same_french_message(rw_con, login, password):
    with pytest.raises(auth.SignInError, match="Identifiant ou mot de passe incorrect"):
        auth.sign_in(rw_con, login, password)


def test_empty_fields_are_refused(rw_con):
    with pytest.raises(auth.SignInError, match="Saisissez"):
        auth.sign_in(rw_con, "", "")


def test_repeated_failures_slow_down_even_the_right_password_from_that_client(rw_con):
    now = dt.datetime(2026, 11, 23, 10, 0, 0)
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, "support", "faux", now=now, client="10.0.0.9")
    with pytest.raises(auth.SignInError, match="réessayez dans"):
        auth.sign_in(rw_con, "support", DEMO_PASSWORD, now=now + dt.timedelta(seconds=1), client="10.0.0.9")
    user = auth.sign_in(rw_con, "support", DEMO_PASSWORD, now=now + dt.timedelta(seconds=5), client="10.0.0.9")
    assert user.login == "support"
    assert rw_con.sql("SELECT count(*) FROM connexion_echec WHERE cle LIKE 'compte:support|%'").fetchall()[0][0] == 0
    assert rw_con.sql("SELECT count(*) FROM audit WHERE action = 'connexion.echec'").fetchall()[0][0] == 3
    assert rw_con.sql("SELECT count(*) FROM audit WHERE action = 'connexion.refusee'").fetchall()[0][0] == 1


def test_a_strangers_failures_do_not_lock_the_owner_out_from_his_own_computer(rw_con):
    now = dt.datetime(2026, 11, 23, 10, 0, 0)
    for second in range(30):  # thirty wrong passwords for admin in a few seconds, from one client
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, "admin", "devine", now=now + dt.timedelta(seconds=second / 10), client="203.0.113.5")
    with pytest.raises(auth.SignInError, match="réessayez dans"):
        auth.sign_in(rw_con, "admin", DEMO_PASSWORD, now=now + dt.timedelta(seconds=4), client="203.0.113.5")
    owner = auth.sign_in(rw_con, "admin", DEMO_PASSWORD, now=now + dt.timedelta(seconds=4), client="192.0.2.10")
    assert owner.login == "admin"


def test_one_client_trying_many_logins_is_slowed_down(rw_con):
    now = dt.datetime(2026, 11, 23, 10, 0, 0)
    for number in range(auth.FREE_CLIENT_ATTEMPTS):
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, f"personne{number}", "devine", now=now, client="203.0.113.7")
    with pytest.raises(auth.SignInError, match="réessayez dans"):
        auth.sign_in(rw_con, "directeur", DEMO_PASSWORD, now=now + dt.timedelta(seconds=1), client="203.0.113.7")
    # an hour later the client's old failures no longer count
    later = now + dt.timedelta(hours=2)
    assert auth.sign_in(rw_con, "directeur", DEMO_PASSWORD, now=later, client="203.0.113.7").login == "directeur"


def test_unknown_and_known_logins_are_answered_alike(rw_con, monkeypatch):
    """Same message, the same slowing down (so the « Trop de tentatives » message tells nothing), same cost."""
    now = dt.datetime(2026, 11, 23, 10, 0, 0)
    answers = {}
    for login in ("admin", "nexistepas"):
        said = []
        for attempt in range(auth.FREE_ATTEMPTS + 1):
            with pytest.raises(auth.SignInError) as refused:
                auth.sign_in(rw_con, login, "devine", now=now + dt.timedelta(seconds=attempt * 10), client=login)
            said.append(str(refused.value))
        answers[login] = said
    assert answers["admin"] == answers["nexistepas"]
    assert "attendez" in answers["admin"][-1]
    hashes_checked = []
    real_verify = auth.verify_password

    def counting(password_hash, password):
        hashes_checked.append(password_hash)
        return real_verify(password_hash, password)

    monkeypatch.setattr(auth, "verify_password", counting)
    for login in ("admin", "nexistepas"):
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, login, "devine", now=now + dt.timedelta(days=1), client=f"autre-{login}")
    assert len(hashes_checked) == 2  # one argon2 verification each: the same cost (no timing in a test)
    assert hashes_checked[1] == auth._DUMMY_HASH and hashes_checked[0].startswith("$argon2id$")


def test_deactivated_account_is_refused(rw_con):
    rw_con.execute("UPDATE app_user SET actif = FALSE WHERE login = 'referent'")
    with pytest.raises(auth.SignInError, match="désactivé"):
        auth.sign_in(rw_con, "referent", DEMO_PASSWORD)


def test_temporary_password_expires_after_the_administrators_delay(rw_con):
    support = auth.sign_in(rw_con, "support", DEMO_PASSWORD)
    referent_id = rw_con.sql("SELECT user_id FROM app_user WHERE login = 'referent'").fetchall()[0][0]
    password = accounts.reset_password(rw_con, support, referent_id)
    given = rw_con.sql("SELECT mot_de_passe_donne_le FROM app_user WHERE user_id = $i", params={"i": referent_id})
    given = given.fetchall()[0][0]
    assert auth.sign_in(rw_con, "referent", password, now=given + dt.timedelta(hours=71)).doit_changer_mot_de_passe
    with pytest.raises(auth.SignInError, match=r"provisoire a expiré \(il est valable 72 heures\)"):
        auth.sign_in(rw_con, "referent", password, now=given + dt.timedelta(days=400))
    rw_con.execute("UPDATE setting SET value = '24' WHERE key = 'mot_de_passe_provisoire_heures'")
    with pytest.raises(auth.SignInError, match="valable 24 heures"):
        auth.sign_in(rw_con, "referent", password, now=given + dt.timedelta(hours=25))


def test_demo_accounts_are_listed_with_their_role(con):
    found = auth.demo_accounts(con, LISTED)
    assert [a[0] for a in found] == ["directeur", "referent", "tutelle93", "tutelle-pc", "support", "admin"]
    assert found[2][2] == "Autorité de tutelle"


def test_every_account_of_a_demo_base_is_flagged_and_the_base_says_it_is_a_demo(con):
    assert auth.is_demo_base(con)
    assert con.sql("SELECT count(*) FILTER (NOT demo), count(*) FROM app_user").fetchall()[0] == (0, len(DEMO_USERS))


def test_no_demo_account_on_a_production_base(rw_con):
    rw_con.execute("DELETE FROM setting WHERE key = 'base_nature'")
    assert auth.demo_accounts(rw_con, LISTED) == []
    with pytest.raises(auth.SignInError, match="base de production"):
        auth.sign_in(rw_con, "admin", DEMO_PASSWORD)


def test_only_the_administrator_sets_how_long_a_temporary_password_lasts(rw_con):
    admin = auth.sign_in(rw_con, "admin", DEMO_PASSWORD)
    accounts.set_temporary_hours(rw_con, admin, 48)
    assert auth.temporary_hours(rw_con) == 48
    with pytest.raises(accounts.SettingError, match="de 1 à 720 heures"):
        accounts.set_temporary_hours(rw_con, admin, 0)
    with pytest.raises(PermissionDenied):
        accounts.set_temporary_hours(rw_con, auth.sign_in(rw_con, "support", DEMO_PASSWORD), 24)
