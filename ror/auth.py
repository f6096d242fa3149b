"""Accounts: password hashing (argon2id), sign-in with slowing down after failures, the signed-in user."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from ror import audit
from ror.db import transaction

_HASHER = PasswordHasher()

ROLE_LABELS = {
    "directeur": "Directeur d'établissement",
    "referent": "Référent d'établissement",
    "tutelle": "Autorité de tutelle",
    "support": "Support régional",
    "admin": "Administrateur",
}

FREE_ATTEMPTS = 3  # failures allowed before each new one makes the user wait
MAX_DELAY_SECONDS = 300


@dataclass(frozen=True)
class User:
    """The signed-in user, with the scope of his role."""

    user_id: int
    login: str
    prenom: str
    nom: str
    role: str
    organisation: str | None = None
    departements: tuple[str, ...] = field(default_factory=tuple)  # territory of a tutelle
    finess_eg: tuple[str, ...] = field(default_factory=tuple)  # EG of a directeur or référent
    doit_changer_mot_de_passe: bool = False  # signed in with a temporary password: « Mon compte » first

    @property
    def display_name(self) -> str:
        return f"{self.prenom} {self.nom}"

    @property
    def role_label(self) -> str:
        return ROLE_LABELS[self.role]


class SignInError(Exception):
    """A sign-in refused, with the French message to show."""


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def delay_after(failed_attempts: int) -> int:
    """Seconds a user must wait after this many consecutive failures (0, then 2, 4, 8 ... capped)."""
    if failed_attempts < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failed_attempts - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS)


def load_user(con: duckdb.DuckDBPyConnection, user_id: int) -> User:
    *row, must_change = con.sql(
        "SELECT user_id, login, prenom, nom, role, organisation, coalesce(doit_changer_mot_de_passe, FALSE) "
        "FROM app_user WHERE user_id = $id",
        params={"id": user_id},
    ).fetchall()[0]
    departements = con.sql(
        "SELECT departement FROM user_territoire WHERE user_id = $id ORDER BY 1", params={"id": user_id}
    ).fetchall()
    egs = con.sql("SELECT finess_eg FROM user_eg WHERE user_id = $id ORDER BY 1", params={"id": user_id}).fetchall()
    return User(
        *row,
        departements=tuple(d for (d,) in departements),
        finess_eg=tuple(e for (e,) in egs),
        doit_changer_mot_de_passe=must_change,
    )


def sign_in(con: duckdb.DuckDBPyConnection, login: str, password: str, now: dt.datetime | None = None) -> User:
    """Check a login and password; raise SignInError with a French message when refused."""
    now = now or dt.datetime.now()
    login = (login or "").strip().lower()
    if not login or not password:
        raise SignInError("Saisissez votre identifiant et votre mot de passe.")
    rows = con.sql(
        "SELECT user_id, password_hash, actif, failed_attempts, locked_until FROM app_user WHERE login = $login",
        params={"login": login},
    ).fetchall()
    if not rows:
        verify_password(_DUMMY_HASH, password)  # same cost whether the login exists or not
        raise SignInError("Identifiant ou mot de passe incorrect.")
    user_id, password_hash, actif, failed, locked_until = rows[0]
    if locked_until and locked_until > now:
        wait = int((locked_until - now).total_seconds()) + 1
        raise SignInError(f"Trop de tentatives infructueuses : réessayez dans {wait} secondes.")
    if not verify_password(password_hash, password):
        failed += 1
        delay = delay_after(failed)
        with transaction(con):
            con.execute(
                "UPDATE app_user SET failed_attempts = $f, locked_until = $until WHERE user_id = $id",
                {"f": failed, "until": now + dt.timedelta(seconds=delay) if delay else None, "id": user_id},
            )
            audit.record(con, login, "connexion.echec", "UTILISATEUR", str(user_id), None, {"echecs": failed})
        message = "Identifiant ou mot de passe incorrect."
        if delay:
            message += f" Trop de tentatives : attendez {delay} secondes avant de réessayer."
        raise SignInError(message)
    if not actif:
        raise SignInError("Ce compte est désactivé. Contactez le support régional.")
    with transaction(con):
        con.execute(
            "UPDATE app_user SET failed_attempts = 0, locked_until = NULL, last_login_at = $now WHERE user_id = $id",
            {"now": now, "id": user_id},
        )
        audit.record(con, login, "connexion", "UTILISATEUR", str(user_id), None, None)
    return load_user(con, user_id)


def demo_accounts(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str, str, str | None]]:
    """(login, name, role label, organisation) of the demo accounts, for the login page in demo mode."""
    rows = con.sql(
        "SELECT login, prenom || ' ' || nom, role, organisation FROM app_user WHERE demo AND actif ORDER BY user_id"
    ).fetchall()
    return [(login, name, ROLE_LABELS[role], organisation) for login, name, role, organisation in rows]


_DUMMY_HASH = _HASHER.hash("not-a-password")
