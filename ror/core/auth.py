"""Accounts: password hashing (argon2id), sign-in with slowing down after failures, the signed-in user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ror.core import audit, clock, db
from ror.core.errors import UserError

# argon2id at OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): ≈ 26 ms of one core per check. The library's
# default (RFC 9106's 64 MiB, 3 passes, 4 lanes) took ≈ 225 ms of processor per sign-in: twenty people signing in within
# the same seconds held the server's processor for four seconds (docs/securite.md, docs/performance.md). A hash made
# with other parameters is still checked with its own, and replaced at its owner's next sign-in.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)

ROLE_LABELS = {
    "directeur": "Directeur d'établissement",
    "referent": "Référent d'établissement",
    "tutelle": "Autorité de tutelle",
    "support": "Support régional",
    "admin": "Administrateur",
}

# Sign-in failures are counted per login *and* client address (a stranger's failures never lock the owner out
# from his own computer) and per client address (one client trying many logins is slowed down too).
FREE_ATTEMPTS = 3  # failures of one login from one client before each new one makes that client wait
FREE_CLIENT_ATTEMPTS = 10  # failures of any logins from one client before it must wait
MAX_DELAY_SECONDS = 300
MAX_CLIENT_DELAY_SECONDS = 900
FORGET_AFTER = dt.timedelta(hours=1)  # a client's failures older than that no longer count
TEMPORARY_HOURS_KEY = "mot_de_passe_provisoire_heures"
DEFAULT_TEMPORARY_HOURS = 72
UNKNOWN_CLIENT = "inconnu"
BASE_NATURE_KEY = "base_nature"  # setting: « demo » for a base built by build-demo (demo mode starts only on it)
DEMO_BASE = "demo"
WRONG = "Identifiant ou mot de passe incorrect."


@dataclass(frozen=True)
class User:
    """The signed-in user, with the scope of his role, as the account was at `version`."""

    user_id: int
    login: str
    prenom: str
    nom: str
    role: str
    organisation: str | None = None
    departements: tuple[str, ...] = field(default_factory=tuple)  # territory of a tutelle
    finess_eg: tuple[str, ...] = field(default_factory=tuple)  # EG of a directeur or référent
    doit_changer_mot_de_passe: bool = False  # signed in with a temporary password: « Mon compte » first
    version: int = 0  # the account's version when it was read (raised by every change of the account)
    session_version: int = 0  # raised when its password is changed or reset: older sessions end

    @property
    def display_name(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


class SignInError(UserError):
    """A sign-in refused, with the French message to show."""


class SessionEnded(UserError):
    """The account of an open session was deactivated or its password changed elsewhere: French message."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def delay_after(failed_attempts: int, free: int = FREE_ATTEMPTS, cap: int = MAX_DELAY_SECONDS) -> int:
    """Seconds to wait after this many consecutive failures (0 while free, then 2, 4, 8 ... capped)."""
    if failed_attempts < free:
        return 0
    return min(2 ** (failed_attempts - free + 1), cap)


_USER_ROW = (
    "SELECT user_id, login, prenom, nom, role, organisation, coalesce(doit_changer_mot_de_passe, FALSE), version, "
    "version_session FROM app_user WHERE user_id = $id"
)


def load_user(con: duckdb.DuckDBPyConnection, user_id: int) -> User:
    *row, must_change, version, session_version = con.sql(_USER_ROW, params={"id": user_id}).fetchall()[0]
    departements = con.sql(
        "SELECT departement FROM user_territoire WHERE user_id = $id ORDER BY 1", params={"id": user_id}
    ).fetchall()
    egs = con.sql("SELECT finess_eg FROM user_eg WHERE user_id = $id ORDER BY 1", params={"id": user_id}).fetchall()
    return User(
        *row,
        departements=tuple(d for (d,) in departements),
        finess_eg=tuple(e for (e,) in egs),
        doit_changer_mot_de_passe=must_change,
        version=version,
        session_version=session_version,
    )


def temporary_hours(con: duckdb.DuckDBPyConnection) -> int:
    """How long a temporary password stays valid (an administrator's setting, 72 h by default)."""
    return db.integer_setting(con, TEMPORARY_HOURS_KEY, DEFAULT_TEMPORARY_HOURS)


def _expired(con: duckdb.DuckDBPyConnection, given_at: dt.datetime | None, now: dt.datetime) -> bool:
    return given_at is not None and now > given_at + dt.timedelta(hours=temporary_hours(con))


def current(con: duckdb.DuckDBPyConnection, user: User, now: dt.datetime | None = None) -> User:
    """The account of an open session as it is now (one small read; the whole account only when it changed).
    SessionEnded when it was deactivated, its password changed or reset since the session began, or its
    temporary password expired."""
    rows = con.execute(  # every run of every page: bound once (queries.rows)
        "SELECT actif, version, version_session, doit_changer_mot_de_passe, mot_de_passe_donne_le "
        "FROM app_user WHERE user_id = $id",
        {"id": user.user_id},
    ).fetchall()
    if not rows or not rows[0][0]:
        raise SessionEnded("Votre compte a été désactivé : votre session est fermée. Contactez le support régional.")
    _, version, session_version, temporary, given_at = rows[0]
    if session_version != user.session_version:
        raise SessionEnded("Votre mot de passe a été changé ou réinitialisé : reconnectez-vous.")
    if temporary and _expired(con, given_at, clock.in_paris(now) if now else clock.now()):
        raise SessionEnded(_expired_message(con))
    return user if version == user.version else load_user(con, user.user_id)


def _expired_message(con: duckdb.DuckDBPyConnection) -> str:
    return (
        f"Votre mot de passe provisoire a expiré (il est valable {temporary_hours(con)} heures) : demandez-en un "
        "nouveau au support régional."
    )


def _throttle_keys(login: str, client: str) -> tuple[str, str]:
    return f"compte:{login[:100]}|{client}", f"client:{client}"


def _waiting(con: duckdb.DuckDBPyConnection, keys: tuple[str, str], now: dt.datetime) -> int:
    """Seconds this login must still wait from this client (0: it may try)."""
    until = con.sql(
        "SELECT max(bloque_jusqua) FROM connexion_echec WHERE list_contains($k, cle) AND bloque_jusqua > $now",
        params={"k": list(keys), "now": now},
    ).fetchall()[0][0]
    return int((until - now).total_seconds()) + 1 if until else 0


def _count_failure(con: duckdb.DuckDBPyConnection, keys: tuple[str, str], now: dt.datetime) -> int:
    """Count one failure for the login+client and for the client; returns the longest wait it imposes."""
    waits = []
    for key, free, cap in (
        (keys[0], FREE_ATTEMPTS, MAX_DELAY_SECONDS),
        (keys[1], FREE_CLIENT_ATTEMPTS, MAX_CLIENT_DELAY_SECONDS),
    ):
        found = con.sql("SELECT echecs, derniere FROM connexion_echec WHERE cle = $k", params={"k": key}).fetchall()
        failures = found[0][0] + 1 if found and now - found[0][1] < FORGET_AFTER else 1
        wait = delay_after(failures, free, cap)
        con.execute(
            "INSERT INTO connexion_echec VALUES ($k, $n, $now, $until) ON CONFLICT (cle) DO UPDATE SET "
            "echecs = excluded.echecs, derniere = excluded.derniere, bloque_jusqua = excluded.bloque_jusqua",
            {"k": key, "n": failures, "now": now, "until": now + dt.timedelta(seconds=wait) if wait else None},
        )
        waits.append(wait)
    return max(waits)


def sign_in(
    con: duckdb.DuckDBPyConnection,
    login: str,
    password: str,
    now: dt.datetime | None = None,
    *,
    client: str | None = None,
) -> User:
    """Check a login and password from a client address; raise SignInError with a French message when refused.

    Unknown and known logins are answered alike: same message, same argon2 cost, same slowing down (counted per
    login and client, and per client). Every attempt is journaled, with the client address."""
    now = clock.in_paris(now) if now else clock.now()
    login = (login or "").strip().lower()
    client = (client or UNKNOWN_CLIENT)[:100]
    if not login or not password:
        raise SignInError("Saisissez votre identifiant et votre mot de passe.")
    keys = _throttle_keys(login, client)
    if wait := _waiting(con, keys, now):
        with db.transaction(con):
            audit.record(con, login[:100], "connexion.refusee", "CONNEXION", client, None, {"attente_s": wait})
        raise SignInError(f"Trop de tentatives infructueuses : réessayez dans {wait} secondes.")
    rows = con.sql(
        "SELECT user_id, password_hash, actif, doit_changer_mot_de_passe, mot_de_passe_donne_le, demo "
        "FROM app_user WHERE login = $login",
        params={"login": login},
    ).fetchall()
    if rows:
        user_id, password_hash, actif, temporary, given_at, demo = rows[0]
        right = verify_password(password_hash, password)
    else:
        verify_password(_DUMMY_HASH, password)  # the same cost whether the login exists or not
        user_id, right = None, False
    if not right:
        with db.transaction(con):
            wait = _count_failure(con, keys, now)
            audit.record(con, login[:100], "connexion.echec", "CONNEXION", client, None, {"compte": user_id})
        message = WRONG + (f" Trop de tentatives : attendez {wait} secondes avant de réessayer." if wait else "")
        raise SignInError(message)
    if not actif:
        raise SignInError("Ce compte est désactivé. Contactez le support régional.")
    if demo and not is_demo_base(con):
        raise SignInError("Ce compte de démonstration ne peut pas se connecter à une base de production.")
    if temporary and _expired(con, given_at, now):
        raise SignInError(_expired_message(con))
    with db.transaction(con):
        con.execute("DELETE FROM connexion_echec WHERE cle = $k", {"k": keys[0]})
        con.execute("UPDATE app_user SET last_login_at = $now WHERE user_id = $id", {"now": now, "id": user_id})
        if _HASHER.check_needs_rehash(password_hash):  # made with other parameters: rehashed with the current ones
            con.execute(
                "UPDATE app_user SET password_hash = $h WHERE user_id = $id",
                {"h": hash_password(password), "id": user_id},
            )
        audit.record(con, login, "connexion", "UTILISATEUR", str(user_id), None, {"client": client})
    return load_user(con, user_id)


def is_demo_base(con: duckdb.DuckDBPyConnection) -> bool:
    return db.get_setting(con, BASE_NATURE_KEY) == DEMO_BASE


def demo_accounts(con: duckdb.DuckDBPyConnection, logins: tuple[str, ...]) -> list[tuple[str, str, str, str | None]]:
    """(login, name, role label, organisation) of the demo accounts among `logins`, for the login page in demo mode:
    none on a base that is not a demo base."""
    if not is_demo_base(con):
        return []
    rows = con.sql(
        "SELECT login, prenom || ' ' || nom, role, organisation FROM app_user "
        "WHERE demo AND actif AND list_contains($logins, login) ORDER BY user_id",
        params={"logins": list(logins)},
    ).fetchall()
    return [(login, name, ROLE_LABELS[role], organisation) for login, name, role, organisation in rows]


_DUMMY_HASH = _HASHER.hash("not-a-password")
