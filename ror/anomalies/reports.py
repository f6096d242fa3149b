"""Anomalies — the report: anyone signed in reports that something in the répertoire is wrong (on an EJ, an EG or a UO);
the tutelle of its département and the support triage it to the end.

States (anomalie.statut): nouvelle → en_cours → resolue or rejetee (a reason is mandatory); a closed report
may be reopened (→ en_cours) but not closed twice. Every change is one transaction with its event (the
report's timeline) and its audit row, and checks the report's version: of two people acting at once, exactly
one wins and the other is told so. Texts are stored as typed and shown as plain text by the pages.

This module: what a report is (states, levels, fields), reporting one, and who may see it. Triage: triage.py;
the queue and its summary: queue.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

import queries
from ror.core import audit, db, formats
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.permissions import allowed, require
from ror.dossiers import notifications

STATUS_LABELS = {"nouvelle": "Nouvelle", "en_cours": "En cours", "resolue": "Résolue", "rejetee": "Rejetée"}
OPEN_STATES = ("nouvelle", "en_cours")
TRANSITIONS = {
    "nouvelle": ("en_cours", "resolue", "rejetee"),
    "en_cours": ("resolue", "rejetee"),
    "resolue": ("en_cours",),  # « Rouvrir »
    "rejetee": ("en_cours",),
}
LEVELS = {"EJ": "Entité juridique", "EG": "Établissement", "UO": "Unité"}
# The part of a fiche a reporter may point at (optional), by level.
FIELDS = {
    "EJ": ("Raison sociale", "FINESS juridique", "Statut juridique", "Établissements rattachés", "Autre"),
    "EG": (
        "Nom ou nom d'usage",
        "Catégorie",
        "Adresse",
        "Position sur la carte",
        "Téléphone",
        "E-mail",
        "Mail d'alerte",
        "Directeur",
        "Unités (manquante, en trop, fermée)",
        "Autre",
    ),
    "UO": (
        "Nom",
        "Type d'UO",
        "Discipline",
        "Activités opérationnelles",
        "Spécialisations",
        "Patientèle et âges",
        "Lits ou places",
        "Semaine type (horaires)",
        "Fermetures",
        "Téléphone",
        "E-mail",
        "Responsable",
        "Unité fermée ou inexistante",
        "Autre",
    ),
}
REJECTION_REASONS = (
    "L'information du répertoire est exacte",
    "Hors du périmètre du ROR",
    "Signalement incompréhensible ou incomplet",
    "Autre",
)
EVENT_LABELS = {
    "creation": "Signalement",
    "statut": "Statut",
    "assignation": "Assignation",
    "commentaire": "Commentaire",
    "relance": "Relance",
    "doublon": "Doublon",
    "dossier": "Dossier collaboratif",
}
MAX_TEXT = 10_000
DELAY_KEY = "anomalie_delai_jours"
DEFAULT_DELAY = 15


class AnomalyError(UserError):
    """An anomaly action that cannot be done now, with the French message to show."""


@dataclass(frozen=True)
class Target:
    """What a report is about: its level and identifier, département, EG (None for an EJ), EJ and name."""

    type: str
    id: str
    departement: str
    finess_eg: str | None
    finess_ej: str
    label: str


def target(con: duckdb.DuckDBPyConnection, target_type: str, target_id: str) -> Target:
    """The EJ, EG or UO a report is about; AnomalyError when it is not in the répertoire."""
    if target_type not in LEVELS:
        raise AnomalyError(f"Niveau inconnu : « {target_type} » (EJ, EG ou UO).")
    target_id = str(target_id).strip()
    found = queries.rows(con, "anomaly_target", target_type=target_type, target_id=target_id)
    if not found or found[0][0] is None:
        raise AnomalyError(f"{LEVELS[target_type]} introuvable dans le répertoire : « {target_id[:20]} ».")
    departement, finess_eg, finess_ej, label = found[0]
    return Target(target_type, target_id, departement, finess_eg, finess_ej, label)


def checked_text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise AnomalyError(f"{what} est obligatoire.")
    if len(text) > MAX_TEXT:
        raise AnomalyError(f"{what} dépasse {formats.integer(MAX_TEXT)} caractères ({formats.integer(len(text))}).")
    return text


def support_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.sql("SELECT user_id FROM app_user WHERE role = 'support' AND actif ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def add_event(con: duckdb.DuckDBPyConnection, anomalie_id: int, user: User | None, type: str, detail: str | None):
    con.execute(
        "INSERT INTO anomalie_evenement (event_id, anomalie_id, created_at, user_id, type, detail) "
        "VALUES ($id, $a, current_timestamp, $u, $t, $d)",
        {
            "id": db.next_id(con, "anomalie_evenement", "event_id"),
            "a": anomalie_id,
            "u": user.user_id if user else None,
            "t": type,
            "d": detail,
        },
    )


# ---------------------------------------------------------------------------------------------------------
# Reporting


def similar_open(con: duckdb.DuckDBPyConnection, target_type: str, target_id: str) -> list[dict]:
    """The open reports on the same EJ, EG or UO (pointed out to whoever reports again)."""
    found = queries.run(con, "anomalies_of_target", target_type=target_type, target_id=str(target_id))
    return found.filter(found["statut"].is_in(OPEN_STATES)).to_dicts()


def report(
    con: duckdb.DuckDBPyConnection,
    user: User,
    target_type: str,
    target_id: str,
    description: str,
    champ: str | None = None,
) -> int:
    """« Signaler une anomalie »: stored with its reporter, target, département and time; the tutelle of the
    département and the support are notified. Returns the report's number."""
    require(con, user, "anomalie.signaler")
    description = checked_text(description, "La description de l'anomalie")
    where = target(con, target_type, target_id)
    if champ is not None and champ not in FIELDS[target_type]:
        raise AnomalyError(f"Champ inconnu pour ce niveau : « {champ[:40]} ».")
    with db.transaction(con):
        anomalie_id = db.next_id(con, "anomalie", "anomalie_id")
        con.execute(
            "INSERT INTO anomalie (anomalie_id, target_type, target_id, departement, finess_eg, finess_ej, champ, "
            "description, reporter_id, created_at, updated_at) VALUES ($id, $tt, $ti, $dep, $eg, $ej, $champ, "
            "$desc, $u, current_timestamp, current_timestamp)",
            {
                "id": anomalie_id,
                "tt": where.type,
                "ti": where.id,
                "dep": where.departement,
                "eg": where.finess_eg,
                "ej": where.finess_ej,
                "champ": champ,
                "desc": description,
                "u": user.user_id,
            },
        )
        add_event(con, anomalie_id, user, "creation", f"Champ concerné : {champ}" if champ else None)
        audit.record(
            con,
            user.login,
            "anomalie.signaler",
            "ANOMALIE",
            str(anomalie_id),
            None,
            {"cible": f"{where.type}:{where.id}", "champ": champ},
        )
        notifications.notify(
            con,
            type="Information",
            source="Anomalie",
            objet=f"Anomalie n° {anomalie_id} signalée : {where.label}" + (f" — {champ}" if champ else ""),
            user_ids=[
                u for u in notifications.tutelles_of(con, where.departement) + support_ids(con) if u != user.user_id
            ],
            cible_type="ANOMALIE",
            cible_id=str(anomalie_id),
        )
    return anomalie_id


# ---------------------------------------------------------------------------------------------------------
# Who sees and who acts


def can_see(user: User, anomalie: dict) -> bool:
    """Support and administrators: all; a tutelle: its territory; the EG's people: their establishments;
    everyone: his own reports."""
    return (
        user.role in ("support", "admin")
        or anomalie["reporter_id"] == user.user_id
        or allowed(user, "anomalie.trier", departement=anomalie["departement"])
        or (user.role in ("directeur", "referent") and anomalie["finess_eg"] in user.finess_eg)
    )


def can_triage(user: User, anomalie: dict) -> bool:
    return allowed(user, "anomalie.trier", departement=anomalie["departement"])


def visible_scope(user: User) -> dict:
    """The bound parameters of queries/anomalies_list.sql for what this user may see."""
    if user.role in ("support", "admin"):
        return {"departements": None, "finess_eg": None, "reporter_id": None}
    if user.role == "tutelle":
        return {"departements": list(user.departements), "finess_eg": None, "reporter_id": user.user_id}
    return {"departements": [], "finess_eg": list(user.finess_eg), "reporter_id": user.user_id}


def get(con: duckdb.DuckDBPyConnection, anomalie_id: int) -> dict:
    found = con.sql("SELECT * FROM anomalie WHERE anomalie_id = $id", params={"id": anomalie_id})
    rows = found.fetchall()
    if not rows:
        raise AnomalyError(f"L'anomalie n° {anomalie_id} n'existe pas.")
    return dict(zip(found.columns, rows[0], strict=True))
