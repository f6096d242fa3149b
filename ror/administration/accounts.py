"""Accounts (support and administrator): create, change role and scope, deactivate, reset a password; and
« Mon compte », where anyone changes his own password. Every change is audited, never with a password.

A new or reset account gets a temporary password, shown once to the person who made it, and must choose its
own at the next sign-in. A directeur or référent is attached to his EG(s), a tutelle to its départements; the
support and the administrator see the whole région. Only an administrator creates or changes an administrator.
"""

from __future__ import annotations

import re
import secrets
import string
from dataclasses import dataclass, field

import duckdb

from ror.core import audit, db, settings, validation
from ror.core.auth import (
    ROLE_LABELS,
    TEMPORARY_HOURS_KEY,
    User,
    hash_password,
    is_demo_base,
    load_user,
    verify_password,
)
from ror.core.errors import Conflict, UserError
from ror.core.permissions import PermissionDenied, require, role_allows, signed_in
from ror.core.validation import ValidationError

MIN_PASSWORD = 12
PASSWORD_RULE = f"au moins {MIN_PASSWORD} caractères, dont au moins une lettre et un chiffre"
ESTABLISHMENT_ROLES = ("directeur", "referent")


@dataclass(frozen=True)
class Account:
    """What the support types for an account: identity, role and scope."""

    login: str
    prenom: str
    nom: str
    email: str | None
    role: str
    organisation: str | None = None
    departements: tuple[str, ...] = field(default_factory=tuple)
    finess_eg: tuple[str, ...] = field(default_factory=tuple)


def password_error(password: str | None) -> str | None:
    """What is wrong with a new password, in French, or None."""
    password = password or ""
    if len(password) < MIN_PASSWORD or not re.search(r"[A-Za-zÀ-ÿ]", password) or not re.search(r"\d", password):
        return f"Le mot de passe doit comporter {PASSWORD_RULE}."
    return None


def login_error(login: str) -> str | None:
    """What is wrong with an identifiant (already lower-cased), in French, or None."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{2,39}", login or ""):
        return "L'identifiant comporte 3 à 40 caractères : lettres sans accent, chiffres, « . », « - », « _ »."
    return None


def temporary_password() -> str:
    """A random password of 14 characters (letters and digits, no look-alikes), to give once."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0OoIl1")
    while True:
        password = "".join(secrets.choice(alphabet) for _ in range(14))
        if password_error(password) is None:
            return password


def may_give(user: User, role: str) -> bool:
    """Whether the user may give that role (or change an account that has it): only an administrator for the
    administrator's role."""
    return role_allows(user, "compte.gerer") and (role != "admin" or user.role == "admin")


def _may_manage(con: duckdb.DuckDBPyConnection, user: User, role: str) -> None:
    user = require(con, user, "compte.gerer")
    if not may_give(user, role):
        raise PermissionDenied("Seul un administrateur peut gérer un compte administrateur.")


def _checked(con: duckdb.DuckDBPyConnection, form: Account, user_id: int | None) -> Account:
    """The account cleaned, or ValidationError with every wrong field."""
    errors: dict[str, str] = {}
    login = (form.login or "").strip().lower()
    if message := login_error(login):
        errors["login"] = message
    elif con.sql(
        "SELECT 1 FROM app_user WHERE login = $l AND user_id IS DISTINCT FROM $id", params={"l": login, "id": user_id}
    ).fetchall():
        errors["login"] = f"L'identifiant « {login} » est déjà pris."
    cleaned = {}
    for name, label in (("prenom", "Le prénom"), ("nom", "Le nom"), ("organisation", "L'organisation")):
        try:
            cleaned[name] = validation.text(getattr(form, name), name, required=name != "organisation", label=label)
        except ValidationError as exc:
            errors |= exc.errors
    try:
        cleaned["email"] = validation.email(form.email)
        if not cleaned["email"]:
            errors["email"] = "L'adresse e-mail est obligatoire (elle reçoit les notifications)."
    except ValidationError as exc:
        errors |= exc.errors
    departements: tuple[str, ...] = ()
    finess_eg: tuple[str, ...] = ()
    if form.role not in ROLE_LABELS:
        errors["role"] = "Choisissez un rôle."
    elif form.role == "tutelle":
        known = {d for (d,) in con.sql("SELECT DISTINCT departement FROM commune").fetchall()}
        departements = tuple(sorted(set(form.departements)))
        if not departements:
            errors["departements"] = "Une autorité de tutelle agit sur au moins un département : choisissez-les."
        elif unknown := [d for d in departements if d not in known]:
            errors["departements"] = f"Départements inconnus : {', '.join(unknown)}."
    elif form.role in ESTABLISHMENT_ROLES:
        finess_eg = tuple(sorted(set(form.finess_eg)))
        known = {
            e
            for (e,) in con.sql(
                "SELECT finess_eg FROM eg WHERE list_contains($f, finess_eg)", params={"f": list(finess_eg)}
            ).fetchall()
        }
        if not finess_eg:
            errors["finess_eg"] = (
                "Un directeur ou un référent est rattaché à au moins un établissement : choisissez-le."
            )
        elif unknown := [e for e in finess_eg if e not in known]:
            errors["finess_eg"] = f"Établissements inconnus : {', '.join(unknown)}."
    if errors:
        raise ValidationError(errors)
    return Account(login=login, role=form.role, departements=departements, finess_eg=finess_eg, **cleaned)


def snapshot(con: duckdb.DuckDBPyConnection, user_id: int) -> dict:
    """An account as the journal and the conflict check see it (never its password)."""
    found = con.sql(
        "SELECT login, prenom, nom, email, role, organisation, actif FROM app_user WHERE user_id = $id",
        params={"id": user_id},
    ).fetchall()
    if not found:
        raise ValidationError({"compte": "Ce compte n'existe pas."})
    values = dict(zip(("login", "prenom", "nom", "email", "role", "organisation", "actif"), found[0], strict=True))
    values["departements"] = [
        d
        for (d,) in con.sql(
            "SELECT departement FROM user_territoire WHERE user_id = $id ORDER BY 1", params={"id": user_id}
        ).fetchall()
    ]
    values["finess_eg"] = [
        e
        for (e,) in con.sql(
            "SELECT finess_eg FROM user_eg WHERE user_id = $id ORDER BY 1", params={"id": user_id}
        ).fetchall()
    ]
    return values


def _identity(account: Account) -> dict:
    """The bound parameters of an account's row."""
    return {
        "login": account.login,
        "prenom": account.prenom,
        "nom": account.nom,
        "email": account.email,
        "role": account.role,
        "org": account.organisation,
    }


def _write_scope(con: duckdb.DuckDBPyConnection, user_id: int, account: Account) -> None:
    con.execute("DELETE FROM user_territoire WHERE user_id = $id", {"id": user_id})
    con.execute("DELETE FROM user_eg WHERE user_id = $id", {"id": user_id})
    for departement in account.departements:
        con.execute("INSERT INTO user_territoire VALUES ($id, $d)", {"id": user_id, "d": departement})
    for finess in account.finess_eg:
        con.execute("INSERT INTO user_eg VALUES ($id, $e)", {"id": user_id, "e": finess})


def create_account(con: duckdb.DuckDBPyConnection, user: User, form: Account) -> tuple[int, str]:
    """Create an account; returns its id and the temporary password to give to its owner (shown once)."""
    _may_manage(con, user, form.role)
    password = temporary_password()
    with db.transaction(con):
        account = _checked(con, form, None)
        user_id = db.next_id(con, "app_user", "user_id")
        con.execute(
            "INSERT INTO app_user (user_id, login, prenom, nom, email, role, organisation, password_hash, "
            "doit_changer_mot_de_passe, mot_de_passe_donne_le, demo) "
            "VALUES ($id, $login, $prenom, $nom, $email, $role, $org, $hash, TRUE, current_timestamp, $demo)",
            _identity(account) | {"id": user_id, "hash": hash_password(password), "demo": is_demo_base(con)},
        )
        _write_scope(con, user_id, account)
        audit.record(con, user.login, "compte.creer", "UTILISATEUR", str(user_id), None, snapshot(con, user_id))
    return user_id, password


def update_account(
    con: duckdb.DuckDBPyConnection, user: User, user_id: int, form: Account, *, seen: dict | None = None
) -> dict:
    """Change an account's identity, role and scope. `seen` is the account as the form showed it: if someone
    changed it since, Conflict. Returns the fields changed."""
    with db.transaction(con):
        before = snapshot(con, user_id)
        _may_manage(con, user, before["role"])
        _may_manage(con, user, form.role)
        if seen is not None and seen != before:
            raise Conflict("Ce compte a été modifié par quelqu'un d'autre depuis son ouverture : il est rechargé.")
        account = _checked(con, form, user_id)
        if user_id == user.user_id and account.role != before["role"]:
            raise ValidationError({"role": "Vous ne pouvez pas changer votre propre rôle."})
        con.execute(
            "UPDATE app_user SET login = $login, prenom = $prenom, nom = $nom, email = $email, role = $role, "
            "organisation = $org, version = version + 1 WHERE user_id = $id",
            _identity(account) | {"id": user_id},
        )
        _write_scope(con, user_id, account)
        after = snapshot(con, user_id)
        changed = {k: after[k] for k in after if after[k] != before[k]}
        if changed:
            audit.record(
                con,
                user.login,
                "compte.modifier",
                "UTILISATEUR",
                str(user_id),
                {k: before[k] for k in changed},
                changed,
            )
    return changed


def set_active(con: duckdb.DuckDBPyConnection, user: User, user_id: int, actif: bool) -> None:
    """Deactivate (the account can no longer sign in; nothing of it is deleted) or reactivate an account."""
    if user_id == user.user_id and not actif:
        raise ValidationError({"actif": "Vous ne pouvez pas désactiver votre propre compte."})
    with db.transaction(con):
        before = snapshot(con, user_id)
        _may_manage(con, user, before["role"])
        if before["actif"] == actif:
            return
        con.execute(
            "UPDATE app_user SET actif = $a, version = version + 1 WHERE user_id = $id", {"a": actif, "id": user_id}
        )
        action = "compte.reactiver" if actif else "compte.desactiver"
        audit.record(con, user.login, action, "UTILISATEUR", str(user_id), {"actif": before["actif"]}, {"actif": actif})


def reset_password(con: duckdb.DuckDBPyConnection, user: User, user_id: int) -> str:
    """Give an account a new temporary password (returned, to show once; it expires), end its open sessions and
    lift the slowing down of its sign-in."""
    password = temporary_password()
    with db.transaction(con):
        before = snapshot(con, user_id)
        _may_manage(con, user, before["role"])
        con.execute(
            "UPDATE app_user SET password_hash = $h, doit_changer_mot_de_passe = TRUE, "
            "mot_de_passe_donne_le = current_timestamp, version = version + 1, "
            "version_session = version_session + 1 WHERE user_id = $id",
            {"h": hash_password(password), "id": user_id},
        )
        con.execute(
            "DELETE FROM connexion_echec WHERE starts_with(cle, $prefix)", {"prefix": f"compte:{before['login']}|"}
        )
        audit.record(con, user.login, "compte.reinitialiser", "UTILISATEUR", str(user_id), None, {"temporaire": True})
    return password


def change_own_password(con: duckdb.DuckDBPyConnection, user: User, current: str, new: str, confirmation: str) -> User:
    """« Mon compte »: the signed-in user changes his password (the current one is asked again). His other open
    sessions end; returns his account as this session goes on with it."""
    user = signed_in(con, user)
    errors: dict[str, str] = {}
    stored = con.sql("SELECT password_hash FROM app_user WHERE user_id = $id", params={"id": user.user_id}).fetchall()
    if not current or not stored or not verify_password(stored[0][0], current):
        errors["actuel"] = "Le mot de passe actuel est incorrect."
    if message := password_error(new):
        errors["nouveau"] = message
    elif new == current:
        errors["nouveau"] = "Le nouveau mot de passe doit être différent de l'actuel."
    elif new != confirmation:
        errors["confirmation"] = "Les deux saisies du nouveau mot de passe sont différentes."
    if errors:
        raise ValidationError(errors)
    with db.transaction(con):
        con.execute(
            "UPDATE app_user SET password_hash = $h, doit_changer_mot_de_passe = FALSE, mot_de_passe_donne_le = NULL, "
            "version = version + 1, version_session = version_session + 1 WHERE user_id = $id",
            {"h": hash_password(new), "id": user.user_id},
        )
        audit.record(con, user.login, "compte.mot_de_passe", "UTILISATEUR", str(user.user_id), None, None)
    return load_user(con, user.user_id)


MAX_TEMPORARY_HOURS = 24 * 30


class SettingError(UserError):
    """A setting out of its bounds: French message."""


def set_temporary_hours(con: duckdb.DuckDBPyConnection, user: User, hours: int) -> None:
    """How long a temporary password stays valid, in hours (administrator only, journaled)."""
    settings.set_integer(
        con,
        user,
        TEMPORARY_HOURS_KEY,
        hours,
        (1, MAX_TEMPORARY_HOURS),
        SettingError,
        f"La durée d'un mot de passe provisoire va de 1 à {MAX_TEMPORARY_HOURS} heures.",
    )
