"""The session a browser keeps across a reload (ror/core/web_sessions.py): resumed while it holds, ended by sign-out,
idleness, age, a deactivation, a password change or reset; the person's own password change carries it on."""

from __future__ import annotations

import datetime as dt

from ror.administration import accounts
from ror.core import auth, clock, web_sessions
from ror.demo.users import DEMO_PASSWORD

from .helpers import user

NOW = dt.datetime(2026, 12, 3, 9, 0)


def opened(con, login: str = "referent") -> tuple[auth.User, str]:
    signed = auth.sign_in(con, login, DEMO_PASSWORD, NOW)
    return signed, web_sessions.open_session(con, signed, NOW)


def test_a_token_resumes_its_session_and_only_its_hash_is_kept(rw_con):
    signed, token = opened(rw_con)
    resumed, since = web_sessions.resume(rw_con, token, NOW + dt.timedelta(minutes=30))
    assert resumed.user_id == signed.user_id and since == clock.in_paris(NOW)  # the same instant, read in Paris
    assert not rw_con.sql("SELECT 1 FROM session_navigateur WHERE jeton_sha256 = $t", params={"t": token}).fetchall()
    assert web_sessions.resume(rw_con, token[:-1] + "x", NOW) is None
    assert web_sessions.resume(rw_con, "", NOW) is None and web_sessions.resume(rw_con, None, NOW) is None


def test_sign_out_ends_it_for_good(rw_con):
    _, token = opened(rw_con)
    assert web_sessions.is_open(rw_con, token)
    web_sessions.end(rw_con, token, NOW)
    assert web_sessions.resume(rw_con, token, NOW) is None
    assert not web_sessions.is_open(rw_con, token)  # the other tabs of that browser end at their next click


def test_an_idle_hour_or_twelve_hours_end_it_and_a_click_every_few_minutes_keeps_it(rw_con):
    _, token = opened(rw_con)
    assert web_sessions.resume(rw_con, token, NOW + dt.timedelta(minutes=61)) is None
    _, token = opened(rw_con)
    for minutes in range(50, 12 * 60, 50):  # a click every 50 minutes: never idle for an hour …
        assert web_sessions.resume(rw_con, token, NOW + dt.timedelta(minutes=minutes)) is not None
    assert web_sessions.resume(rw_con, token, NOW + dt.timedelta(hours=12, minutes=1)) is None  # … but 12 h at most


def test_a_deactivation_or_a_reset_ends_it(rw_con):
    support = user(rw_con, "support")
    signed, token = opened(rw_con)
    accounts.reset_password(rw_con, support, signed.user_id)
    assert web_sessions.resume(rw_con, token, NOW) is None
    signed, token = opened(rw_con, "directeur")
    accounts.set_active(rw_con, support, signed.user_id, False)
    assert web_sessions.resume(rw_con, token, NOW) is None


def test_ones_own_password_change_ends_the_other_browsers_not_this_one(rw_con):
    signed, here = opened(rw_con)
    _, elsewhere = opened(rw_con)
    changed = accounts.change_own_password(rw_con, signed, DEMO_PASSWORD, "Nouveau-mot-2026", "Nouveau-mot-2026")
    web_sessions.carry_on(rw_con, here, changed)
    assert web_sessions.resume(rw_con, here, NOW)[0].session_version == changed.session_version
    assert web_sessions.resume(rw_con, elsewhere, NOW) is None


def test_signing_out_in_another_tab_ends_this_one_at_its_next_click(fresh_app, demo_db, db_copy):
    import duckdb

    from components.session import TOKEN

    from .helpers import signed_in, texts

    con = duckdb.connect(str(db_copy))
    token = web_sessions.open_session(con, user(con, "tutelle93"))
    at = signed_in(fresh_app, demo_db, "tutelle93")
    at.session_state[TOKEN] = token  # this tab's session is that browser's
    at.run()
    assert at.title[0].value == "Tableau de bord"
    web_sessions.end(con, token)  # « Se déconnecter » in another tab
    con.close()
    at.run()
    assert "Vous vous êtes déconnecté (dans un autre onglet)" in texts(at)
