import datetime as dt

import pytest

from ror import auth
from ror.demo.users import DEMO_PASSWORD


def test_hash_is_argon2_and_never_the_password():
    hashed = auth.hash_password("s3cret-ROR")
    assert hashed.startswith("$argon2id$") and "s3cret-ROR" not in hashed
    assert auth.verify_password(hashed, "s3cret-ROR")
    assert not auth.verify_password(hashed, "wrong")
    assert not auth.verify_password("not a hash", "s3cret-ROR")


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


def test_repeated_failures_slow_down_even_the_right_password(rw_con):
    now = dt.datetime(2026, 11, 23, 10, 0, 0)
    for _ in range(auth.FREE_ATTEMPTS):
        with pytest.raises(auth.SignInError):
            auth.sign_in(rw_con, "support", "faux", now=now)
    with pytest.raises(auth.SignInError, match="réessayez dans"):
        auth.sign_in(rw_con, "support", DEMO_PASSWORD, now=now + dt.timedelta(seconds=1))
    user = auth.sign_in(rw_con, "support", DEMO_PASSWORD, now=now + dt.timedelta(seconds=5))
    assert user.login == "support"
    assert rw_con.sql("SELECT failed_attempts FROM app_user WHERE login = 'support'").fetchall()[0][0] == 0
    assert rw_con.sql("SELECT count(*) FROM audit WHERE action = 'connexion.echec'").fetchall()[0][0] == 3


def test_deactivated_account_is_refused(rw_con):
    rw_con.execute("UPDATE app_user SET actif = FALSE WHERE login = 'referent'")
    with pytest.raises(auth.SignInError, match="désactivé"):
        auth.sign_in(rw_con, "referent", DEMO_PASSWORD)


def test_demo_accounts_are_listed_with_their_role(con):
    accounts = auth.demo_accounts(con)
    assert [a[0] for a in accounts] == ["directeur", "referent", "tutelle93", "tutelle-pc", "support", "admin"]
    assert accounts[2][2] == "Autorité de tutelle"
