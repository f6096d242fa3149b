"""Who may do what. Every write in ror/ calls `require`, which reads the account again (its role, scope and
activity now, not as the session first saw them); every territorial read uses `scope_of`."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ror.core import auth
from ror.core.auth import User
from ror.core.errors import UserError


class PermissionDenied(UserError):
    """An action the user's role or territory does not allow, with the French message to show."""


@dataclass(frozen=True)
class Scope:
    """What part of the répertoire a user looks at by default: None means no restriction."""

    departements: tuple[str, ...] | None = None
    finess_eg: tuple[str, ...] | None = None

    @property
    def label(self) -> str:
        if self.finess_eg is not None:
            return "Mes établissements"
        if self.departements is not None:
            return "Mon territoire (" + ", ".join(self.departements) + ")"
        return "Île-de-France"

    def as_params(self) -> dict:
        """The bound parameters of the scoped queries in queries/ ($departements, $finess_eg)."""
        return {
            "departements": list(self.departements) if self.departements is not None else None,
            "finess_eg": list(self.finess_eg) if self.finess_eg is not None else None,
        }


REGION = Scope()


def scope_of(user: User) -> Scope:
    if user.role == "tutelle":
        return Scope(departements=user.departements)
    if user.role in ("directeur", "referent"):
        return Scope(finess_eg=user.finess_eg)
    return REGION


# action -> roles that may do it; territorial checks are added by `require`.
ACTIONS = {
    "eg.mise_a_jour_operationnelle": {"directeur", "referent"},
    "dossier.editer": {"directeur", "referent"},
    "dossier.envoyer": {"directeur"},
    "dossier.decider": {"tutelle"},
    "anomalie.signaler": {"directeur", "referent", "tutelle", "support", "admin"},
    "anomalie.trier": {"tutelle", "support"},
    "anomalie.file": {"tutelle", "support", "admin"},  # the queue of reports to triage (the administrator reads it)
    "anomalie.relancer": {"support"},
    "etablissement.creer": {"support", "admin"},
    "compte.gerer": {"support", "admin"},
    "import": {"admin"},
    "sauvegarde": {"admin"},
    "export": {"admin", "support"},
    "parametres": {"admin"},
    "territoire.consulter": {"tutelle", "support", "admin"},
    "campagne.etablissement": {"directeur", "referent"},  # « Ma campagne SMR »: the establishment's own to-do list
}

ACTION_LABELS = {
    "eg.mise_a_jour_operationnelle": "mettre à jour cet établissement",
    "dossier.editer": "modifier ce dossier",
    "dossier.envoyer": "envoyer ce dossier en validation",
    "dossier.decider": "valider ou refuser ce dossier",
    "anomalie.signaler": "signaler une anomalie",
    "anomalie.trier": "traiter cette anomalie",
    "anomalie.file": "consulter la file des anomalies",
    "anomalie.relancer": "relancer l'établissement",
    "etablissement.creer": "créer un établissement",
    "compte.gerer": "gérer les comptes",
    "import": "importer des données",
    "sauvegarde": "sauvegarder la base",
    "export": "exporter l'offre",
    "parametres": "modifier les paramètres",
    "territoire.consulter": "consulter la couverture et la qualité des données du territoire",
    "campagne.etablissement": "suivre la campagne SMR d'un établissement (page des directeurs et référents)",
}


def role_allows(user: User, action: str) -> bool:
    """Whether the user's role may do the action somewhere (before the check of a territory or an EG): what a page
    offers; `allowed` and `require` decide on a given record."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action}")
    return user.role in ACTIONS[action]


def allowed(user: User, action: str, *, departement: str | None = None, finess_eg: str | None = None) -> bool:
    """True when the user's role allows the action on that département or EG."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action}")
    if user.role not in ACTIONS[action]:
        return False
    if user.role == "tutelle" and action != "anomalie.signaler":
        return departement is not None and departement in user.departements
    if user.role in ("directeur", "referent") and action != "anomalie.signaler":
        return finess_eg is not None and finess_eg in user.finess_eg
    return True


def signed_in(con: duckdb.DuckDBPyConnection, user: User) -> User:
    """The account as it is now, for the writes anyone signed in may make (comments, favourites); PermissionDenied
    when it was deactivated or its password changed since the session began."""
    try:
        return auth.current(con, user)
    except auth.SessionEnded as exc:
        raise PermissionDenied(str(exc)) from exc


def require(
    con: duckdb.DuckDBPyConnection,
    user: User,
    action: str,
    *,
    departement: str | None = None,
    finess_eg: str | None = None,
) -> User:
    """The account as it is now, if it may do the action; else PermissionDenied (French message), also when the
    account was deactivated or its password changed since the session began."""
    user = signed_in(con, user)
    if not allowed(user, action, departement=departement, finess_eg=finess_eg):
        raise PermissionDenied(f"Votre profil ne vous permet pas de {ACTION_LABELS[action]}.")
    return user


def reviews_territory(user: User) -> bool:
    """Whether the user has the Territoire pages (coverage, data quality)."""
    return user.role in ACTIONS["territoire.consulter"]


def territory(user: User) -> tuple[str, ...] | None:
    """The départements a user reviews on the Territoire pages (None: the whole région): a tutelle its own,
    the support and the administrator all; PermissionDenied for an establishment's people."""
    if not reviews_territory(user):
        raise PermissionDenied(f"Votre profil ne vous permet pas de {ACTION_LABELS['territoire.consulter']}.")
    return scope_of(user).departements
