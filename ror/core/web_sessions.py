"""A browser's session kept across a reload: a random token that the browser holds in an HttpOnly cookie (no script
can read it) and that the base keeps only hashed. A reload resumes the session when the token is known, not ended,
neither idle for an hour nor older than twelve hours, and its account still active with the same password: the
checks of an open session (auth.current). Sign-out ends it at once; so do a deactivation, a password change or a
reset, at the token's next use."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

import duckdb

from ror.core import auth, clock, db
from ror.core.auth import User

COOKIE = "ror_session"
IDLE_LIMIT = dt.timedelta(hours=1)  # signed out after an hour without a click (OWASP ASVS 3.3.2) …
SESSION_LIMIT = dt.timedelta(hours=12)  # … and after twelve hours in any case
SEEN_EVERY = dt.timedelta(minutes=5)  # how often a click records that the session is in use


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(con: duckdb.DuckDBPyConnection, user: User, now: dt.datetime | None = None) -> str:
    """A new token for the account just signed in (to give to the browser once)."""
    now = clock.in_paris(now) if now else clock.now()
    token = secrets.token_urlsafe(32)
    with db.transaction(con):
        con.execute(
            "INSERT INTO session_navigateur VALUES ($h, $id, $v, $now, $now, NULL)",
            {"h": _hash(token), "id": user.user_id, "v": user.session_version, "now": now},
        )
    return token


def resume(
    con: duckdb.DuckDBPyConnection, token: str | None, now: dt.datetime | None = None
) -> tuple[User, dt.datetime] | None:
    """The account of a token and when its session opened; None when the token is unknown, ended, idle or too
    old, or its account deactivated or its password changed since (the session is then ended)."""
    if not token:
        return None
    now = clock.in_paris(now) if now else clock.now()
    rows = con.sql(
        "SELECT user_id, version_session, ouverte_le, vue_le FROM session_navigateur "
        "WHERE jeton_sha256 = $h AND fermee_le IS NULL",
        params={"h": _hash(token)},
    ).fetchall()
    if not rows:
        return None
    user_id, session_version, opened, seen = rows[0]
    try:
        if now - seen > IDLE_LIMIT or now - opened > SESSION_LIMIT:
            raise auth.SessionEnded("expirée")
        user = auth.load_user(con, user_id)
        auth.current(con, user, now)  # deactivated, or its temporary password expired
        if user.session_version != session_version:
            raise auth.SessionEnded("mot de passe changé")
    except auth.SessionEnded:
        end(con, token, now)
        return None
    seen_now(con, token, now)
    return user, opened


def is_open(con: duckdb.DuckDBPyConnection, token: str) -> bool:
    """Whether the session of this token is still open (another tab of the browser may have signed out)."""
    return bool(
        con.execute(  # every run of every page: bound once (queries.rows)
            "SELECT 1 FROM session_navigateur WHERE jeton_sha256 = $h AND fermee_le IS NULL", {"h": _hash(token)}
        ).fetchall()
    )


def seen_now(con: duckdb.DuckDBPyConnection, token: str, now: dt.datetime | None = None) -> None:
    """Record that the session is in use (a write every five minutes at most)."""
    now = clock.in_paris(now) if now else clock.now()
    with db.transaction(con):
        con.execute(
            "UPDATE session_navigateur SET vue_le = $now WHERE jeton_sha256 = $h AND vue_le < $before",
            {"h": _hash(token), "now": now, "before": now - SEEN_EVERY},
        )


def carry_on(con: duckdb.DuckDBPyConnection, token: str, user: User) -> None:
    """After the person changed his own password: this browser's session goes on with the new version."""
    with db.transaction(con):
        con.execute(
            "UPDATE session_navigateur SET version_session = $v WHERE jeton_sha256 = $h AND user_id = $id",
            {"h": _hash(token), "v": user.session_version, "id": user.user_id},
        )


def end(con: duckdb.DuckDBPyConnection, token: str, now: dt.datetime | None = None) -> None:
    with db.transaction(con):
        con.execute(
            "UPDATE session_navigateur SET fermee_le = $now WHERE jeton_sha256 = $h AND fermee_le IS NULL",
            {"h": _hash(token), "now": clock.in_paris(now) if now else clock.now()},
        )
