"""Anomalies: anyone signed in reports that something in the répertoire is wrong (on an EJ, an EG or a UO);
the tutelle of its département and the support triage it to the end.

States (anomalie.statut): nouvelle → en_cours → resolue or rejetee (a reason is mandatory); a closed report
may be reopened (→ en_cours) but not closed twice. Every change is one transaction with its event (the
report's timeline) and its audit row, and checks the report's version: of two people acting at once, exactly
one wins and the other is told so. Texts are stored as typed and shown as plain text by the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror import audit, db, formats, notifications, settings
from ror.auth import User
from ror.errors import Conflict, UserError
from ror.permissions import PermissionDenied, allowed, require, signed_in

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


def _text(value: str | None, what: str) -> str:
    text = (value or "").strip()
    if not text:
        raise AnomalyError(f"{what} est obligatoire.")
    if len(text) > MAX_TEXT:
        raise AnomalyError(f"{what} dépasse {formats.integer(MAX_TEXT)} caractères ({formats.integer(len(text))}).")
    return text


def _support_ids(con: duckdb.DuckDBPyConnection) -> list[int]:
    rows = con.sql("SELECT user_id FROM app_user WHERE role = 'support' AND actif ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def _event(con: duckdb.DuckDBPyConnection, anomalie_id: int, user: User | None, type: str, detail: str | None):
    con.execute(
        "INSERT INTO anomalie_evenement (event_id, anomalie_id, created_at, user_id, type, detail) "
        "VALUES ($id, $a, current_localtimestamp(), $u, $t, $d)",
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
    description = _text(description, "La description de l'anomalie")
    where = target(con, target_type, target_id)
    if champ is not None and champ not in FIELDS[target_type]:
        raise AnomalyError(f"Champ inconnu pour ce niveau : « {champ[:40]} ».")
    with db.transaction(con):
        anomalie_id = db.next_id(con, "anomalie", "anomalie_id")
        con.execute(
            "INSERT INTO anomalie (anomalie_id, target_type, target_id, departement, finess_eg, finess_ej, champ, "
            "description, reporter_id, created_at, updated_at) VALUES ($id, $tt, $ti, $dep, $eg, $ej, $champ, "
            "$desc, $u, current_localtimestamp(), current_localtimestamp())",
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
        _event(con, anomalie_id, user, "creation", f"Champ concerné : {champ}" if champ else None)
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
                u for u in notifications.tutelles_of(con, where.departement) + _support_ids(con) if u != user.user_id
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


def _for_triage(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int) -> dict:
    anomalie = get(con, anomalie_id)
    require(con, user, "anomalie.trier", departement=anomalie["departement"])
    return anomalie


def assignees(con: duckdb.DuckDBPyConnection, departement: str) -> dict[int, str]:
    """Who a report of this département may be assigned to: its tutelle and the support (user_id -> name)."""
    return {user_id: name for user_id, name in queries.rows(con, "anomaly_assignees", departement=departement)}


def _stale(anomalie: dict) -> Conflict:
    return Conflict(
        f"L'anomalie n° {anomalie['anomalie_id']} a été modifiée par quelqu'un d'autre depuis que vous l'avez "
        "ouverte : rechargez-la."
    )


def _fresh(anomalie: dict, version: int) -> None:
    """The person acted on the report as it is now (else Conflict, before any other check)."""
    if anomalie["version"] != version:
        raise _stale(anomalie)


def _move(con: duckdb.DuckDBPyConnection, anomalie: dict, version: int, assignments: str, params: dict) -> None:
    """Change the report if nobody did since `version`; else Conflict (exactly one of two wins)."""
    try:
        moved = con.execute(
            f"UPDATE anomalie SET {assignments}, version = version + 1, "  # assignments: code, never user text
            "updated_at = current_localtimestamp() WHERE anomalie_id = $id AND version = $v RETURNING anomalie_id",
            {**params, "id": anomalie["anomalie_id"], "v": version},
        ).fetchall()
    except duckdb.TransactionException as exc:
        raise _stale(anomalie) from exc
    if not moved:
        raise _stale(anomalie)


def _check_transition(anomalie: dict, statut: str) -> None:
    current = anomalie["statut"]
    if statut == current or statut not in TRANSITIONS[current]:
        if current not in OPEN_STATES and statut not in OPEN_STATES:
            raise AnomalyError(f"L'anomalie n° {anomalie['anomalie_id']} est déjà close ({STATUS_LABELS[current]}).")
        raise AnomalyError(
            f"L'anomalie n° {anomalie['anomalie_id']} est « {STATUS_LABELS[current]} » : elle ne peut pas passer "
            f"à « {STATUS_LABELS.get(statut, statut)} »."
        )


# ---------------------------------------------------------------------------------------------------------
# Triage


def change_status(
    con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int, version: int, statut: str, *, motif: str | None = None
) -> None:
    """En cours, Résolue, Rejetée (motif mandatory) or reopened; the reporter is told when it is closed."""
    if statut not in STATUS_LABELS:
        raise AnomalyError(f"Statut inconnu : « {statut} ».")
    if statut == "rejetee":
        motif = _text(motif, "Le motif du rejet")
    with db.transaction(con):
        _set_status(con, user, _for_triage(con, user, anomalie_id), version, statut, motif)


def _set_status(
    con: duckdb.DuckDBPyConnection,
    user: User,
    anomalie: dict,
    version: int,
    statut: str,
    motif: str | None,
    doublon_de: int | None = None,
) -> None:
    anomalie_id = anomalie["anomalie_id"]
    _fresh(anomalie, version)
    _check_transition(anomalie, statut)
    closing = statut not in OPEN_STATES
    motif = motif if statut == "rejetee" else None
    _move(
        con,
        anomalie,
        version,
        "statut = $s, motif_rejet = $motif, doublon_de = $doublon, "
        + ("closed_at = current_localtimestamp()" if closing else "closed_at = NULL"),
        {"s": statut, "motif": motif, "doublon": doublon_de},
    )
    change = f"{STATUS_LABELS[anomalie['statut']]} → {STATUS_LABELS[statut]}"
    _event(con, anomalie_id, user, "statut", change + (f" — motif : {motif}" if motif else ""))
    audit.record(
        con,
        user.login,
        "anomalie.statut",
        "ANOMALIE",
        str(anomalie_id),
        {"statut": anomalie["statut"]},
        {"statut": statut, "motif": motif, "doublon_de": doublon_de},
    )
    if closing and anomalie["reporter_id"] != user.user_id:
        notifications.notify(
            con,
            type="Succès" if statut == "resolue" else "Information",
            source="Anomalie",
            objet=f"Votre anomalie n° {anomalie_id} est {STATUS_LABELS[statut].lower()}"
            + (f" : {motif}" if motif else ""),
            user_ids=[anomalie["reporter_id"]],
            cible_type="ANOMALIE",
            cible_id=str(anomalie_id),
        )


def assign(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int, version: int, assignee_id: int | None) -> None:
    """Assign an open report to a tutelle of its département or to the support (None: nobody). A new report
    that someone takes is « En cours »."""
    with db.transaction(con):
        anomalie = _for_triage(con, user, anomalie_id)
        _fresh(anomalie, version)
        if anomalie["statut"] not in OPEN_STATES:
            raise AnomalyError(f"L'anomalie n° {anomalie_id} est close : rouvrez-la avant de l'assigner.")
        people = assignees(con, anomalie["departement"])
        if assignee_id is not None and assignee_id not in people:
            raise AnomalyError(
                "Cette personne ne peut pas traiter les anomalies de ce département (tutelle du territoire ou support)."
            )
        statut = "en_cours" if assignee_id is not None else anomalie["statut"]
        _move(con, anomalie, version, "assignee_id = $a, statut = $s", {"a": assignee_id, "s": statut})
        who = people[assignee_id] if assignee_id is not None else None
        _event(con, anomalie_id, user, "assignation", f"Assignée à {who}" if who else "Plus assignée")
        if statut != anomalie["statut"]:
            _event(con, anomalie_id, user, "statut", f"{STATUS_LABELS[anomalie['statut']]} → {STATUS_LABELS[statut]}")
        audit.record(
            con,
            user.login,
            "anomalie.assigner",
            "ANOMALIE",
            str(anomalie_id),
            {"assignee_id": anomalie["assignee_id"]},
            {"assignee_id": assignee_id},
        )
        if assignee_id is not None and assignee_id != user.user_id:
            notifications.notify(
                con,
                type="Information",
                source="Anomalie",
                objet=f"Anomalie n° {anomalie_id} assignée à vous par {user.display_name}",
                user_ids=[assignee_id],
                cible_type="ANOMALIE",
                cible_id=str(anomalie_id),
            )


def relance(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int, version: int) -> int:
    """« Relancer » (support): the establishment's directeur and référents are notified; returns the count."""
    with db.transaction(con):
        anomalie = get(con, anomalie_id)
        require(con, user, "anomalie.relancer", departement=anomalie["departement"])
        _fresh(anomalie, version)
        if anomalie["statut"] not in OPEN_STATES:
            raise AnomalyError(f"L'anomalie n° {anomalie_id} est close : il n'y a plus rien à relancer.")
        _move(con, anomalie, version, "relances = relances + 1", {})
        count = anomalie["relances"] + 1
        people = queries.rows(
            con, "anomaly_establishment_people", finess_eg=anomalie["finess_eg"], finess_ej=anomalie["finess_ej"]
        )
        _event(
            con, anomalie_id, user, "relance", f"Relance n° {count} de l'établissement ({len(people)} destinataire(s))"
        )
        audit.record(con, user.login, "anomalie.relancer", "ANOMALIE", str(anomalie_id), None, {"relances": count})
        notifications.notify(
            con,
            type="Avertissement",
            source="Anomalie",
            objet=f"Relance n° {count} : anomalie n° {anomalie_id} à corriger — {anomalie['description'][:120]}",
            user_ids=[r[0] for r in people],
            cible_type="ANOMALIE",
            cible_id=str(anomalie_id),
        )
    return count


def comment(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int, texte: str) -> None:
    """A comment in the report's timeline, by anyone who may see it."""
    texte = _text(texte, "Le commentaire")
    with db.transaction(con):
        user = signed_in(con, user)
        anomalie = get(con, anomalie_id)
        if not can_see(user, anomalie):
            raise PermissionDenied("Votre profil ne vous permet pas de voir cette anomalie.")
        con.execute(
            "UPDATE anomalie SET updated_at = current_localtimestamp() WHERE anomalie_id = $id", {"id": anomalie_id}
        )
        _event(con, anomalie_id, user, "commentaire", texte)
        audit.record(con, user.login, "anomalie.commenter", "ANOMALIE", str(anomalie_id), None, None)


def mark_duplicate(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int, version: int, of_id: int) -> None:
    """Close a report as the duplicate of another one (rejected, with that report as its reason; the other
    report's timeline says so too)."""
    if of_id == anomalie_id:
        raise AnomalyError("Une anomalie ne peut pas être le doublon d'elle-même.")
    with db.transaction(con):
        anomalie = _for_triage(con, user, anomalie_id)
        try:
            original = get(con, of_id)
        except AnomalyError:
            original = None
        if original is None or not can_see(user, original):
            raise AnomalyError(f"L'anomalie n° {of_id} n'existe pas ou n'est pas de votre territoire.")
        if original["doublon_de"] == anomalie_id:
            raise AnomalyError(f"L'anomalie n° {of_id} est déjà marquée comme doublon de la n° {anomalie_id}.")
        _set_status(con, user, anomalie, version, "rejetee", f"Doublon de l'anomalie n° {of_id}", of_id)
        _event(con, of_id, user, "doublon", f"L'anomalie n° {anomalie_id} a été marquée comme son doublon")


BULK_ACTIONS = {
    "assigner": "Assigner",
    "statut": "Changer le statut",
    "doublon": "Marquer comme doublon",
}


def bulk(
    con: duckdb.DuckDBPyConnection, user: User, versions: dict[int, int], action: str, **options
) -> tuple[list[int], dict[int, str]]:
    """One action on a selection (each report in its own transaction): assign (assignee_id), change status
    (statut, motif) or mark as duplicate (of_id). Returns (done, {anomalie_id: French reason it failed})."""
    if action not in BULK_ACTIONS:
        raise ValueError(f"unknown bulk action {action}")
    done, failed = [], {}
    for anomalie_id, version in versions.items():
        try:
            if action == "assigner":
                assign(con, user, anomalie_id, version, options.get("assignee_id"))
            elif action == "statut":
                change_status(con, user, anomalie_id, version, options["statut"], motif=options.get("motif"))
            else:
                mark_duplicate(con, user, anomalie_id, version, int(options["of_id"]))
            done.append(anomalie_id)
        except UserError as exc:  # refused, conflicting or out of scope: said for this one, the others go on
            failed[anomalie_id] = str(exc)
    return done, failed


# ---------------------------------------------------------------------------------------------------------
# Dossiers collaboratifs that correct anomalies


def link_dossier(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, anomalie_ids: list[int]) -> None:
    """The open anomalies of the dossier's establishment that it corrects (replaces the previous list)."""
    found = con.sql(
        "SELECT finess_eg, statut FROM dossier WHERE dossier_id = $id", params={"id": dossier_id}
    ).fetchall()
    if not found:
        raise AnomalyError("Ce dossier n'existe pas.")
    finess_eg, statut = found[0]
    require(con, user, "dossier.editer", finess_eg=finess_eg)
    if statut != "brouillon":
        raise AnomalyError("Le dossier n'est plus un brouillon : ses anomalies ne peuvent plus changer.")
    open_ids = {r["anomalie_id"] for r in correctable(con, finess_eg)}
    unknown = set(anomalie_ids) - open_ids
    if unknown:
        raise AnomalyError(
            "Anomalie(s) non ouverte(s) sur cet établissement : " + ", ".join(f"n° {i}" for i in sorted(unknown))
        )
    with db.transaction(con):
        con.execute("DELETE FROM dossier_anomalie WHERE dossier_id = $d", {"d": dossier_id})
        for anomalie_id in sorted(set(anomalie_ids)):
            con.execute("INSERT INTO dossier_anomalie VALUES ($d, $a)", {"d": dossier_id, "a": anomalie_id})
        audit.record(
            con, user.login, "dossier.anomalies", "DOSSIER", str(dossier_id), None, {"anomalies": sorted(anomalie_ids)}
        )


def correctable(con: duckdb.DuckDBPyConnection, finess_eg: str) -> list[dict]:
    """The open anomalies on an EG or its UO (those a dossier of that EG may correct)."""
    return queries.run(con, "anomalies_of_establishment", finess_eg=finess_eg, statuts=list(OPEN_STATES)).to_dicts()


def linked(con: duckdb.DuckDBPyConnection, dossier_id: int) -> list[int]:
    rows = con.sql(
        "SELECT anomalie_id FROM dossier_anomalie WHERE dossier_id = $d ORDER BY 1", params={"d": dossier_id}
    ).fetchall()
    return [r[0] for r in rows]


def resolve_by_dossier(con: duckdb.DuckDBPyConnection, dossier_id: int, dossier_nom: str) -> list[int]:
    """When a dossier is published (inside its transaction): the open anomalies it names are resolved, with
    the dossier in their history, and their reporters told. Returns those resolved."""
    open_ones = con.sql(
        "SELECT a.anomalie_id, a.statut, a.reporter_id, a.assignee_id FROM anomalie a "
        "JOIN dossier_anomalie d USING (anomalie_id) WHERE d.dossier_id = $d AND list_contains($open, a.statut) "
        "ORDER BY 1",
        params={"d": dossier_id, "open": list(OPEN_STATES)},
    ).fetchall()
    for anomalie_id, statut, reporter_id, assignee_id in open_ones:
        con.execute(
            "UPDATE anomalie SET statut = 'resolue', dossier_id = $d, closed_at = current_localtimestamp(), "
            "updated_at = current_localtimestamp(), version = version + 1 WHERE anomalie_id = $id",
            {"d": dossier_id, "id": anomalie_id},
        )
        _event(
            con,
            anomalie_id,
            None,
            "dossier",
            f"{STATUS_LABELS[statut]} → Résolue par la publication du dossier n° {dossier_id} « {dossier_nom} »",
        )
        audit.record(
            con,
            "système",
            "anomalie.statut",
            "ANOMALIE",
            str(anomalie_id),
            {"statut": statut},
            {"statut": "resolue", "dossier_id": dossier_id},
        )
        notifications.notify(
            con,
            type="Succès",
            source="Anomalie",
            objet=f"Anomalie n° {anomalie_id} résolue par la publication du dossier « {dossier_nom} »",
            user_ids=[u for u in (reporter_id, assignee_id) if u is not None],
            cible_type="ANOMALIE",
            cible_id=str(anomalie_id),
        )
    return [r[0] for r in open_ones]


# ---------------------------------------------------------------------------------------------------------
# The queue, its summary and the delay setting

SORTS = {
    "anciennete": "Plus anciennes d'abord",
    "recentes": "Plus récentes d'abord",
    "activite": "Dernière activité",
    "departement": "Département",
    "etablissement": "Établissement",
    "relances": "Plus relancées",
}
_SORT_COLUMNS = {
    "anciennete": (["created_at"], [False]),
    "recentes": (["created_at"], [True]),
    "activite": (["updated_at"], [True]),
    "departement": (["departement", "created_at"], [False, False]),
    "etablissement": (["etablissement", "created_at"], [False, False]),
    "relances": (["relances", "created_at"], [True, False]),
}
NOBODY = -1  # the assignee filter « Non assignées »


def queue(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    statuts: list[str] | None = None,
    niveaux: list[str] | None = None,
    departements: list[str] | None = None,
    etablissement: str | None = None,
    assignee_id: int | None = None,
    age_min: int | None = None,
    mine: bool = False,
    target: tuple[str, str] | None = None,
    tri: str = "anciennete",
    anomalie_id: int | None = None,
) -> pl.DataFrame:
    """The anomalies this user may see, filtered (None / empty: no filter) and sorted (a key of SORTS)."""
    columns, descending = _SORT_COLUMNS[tri]
    found = queries.run(
        con,
        "anomalies_list",
        **visible_scope(user),
        statuts=statuts or None,
        niveaux=niveaux or None,
        deps=departements or None,
        etablissement=(etablissement or "").strip() or None,
        assignee_id=assignee_id,
        age_min=age_min,
        mine=user.user_id if mine else None,
        target_type=target[0] if target else None,
        target_id=str(target[1]) if target else None,
        anomalie_id=anomalie_id,
    )
    return found.sort(columns, descending=descending, nulls_last=True, maintain_order=True)


def one(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int) -> dict | None:
    """One report as the queue shows it, or None when it does not exist or the user may not see it."""
    found = queue(con, user, anomalie_id=anomalie_id)
    return found.row(0, named=True) if found.height else None


def summary(con: duckdb.DuckDBPyConnection, user: User, *, oldest: int = 10) -> dict:
    """For the support (and a tutelle, on its territory): counts by status and département, open and late
    counts, the median age of the open reports and the oldest open ones."""
    found = queue(con, user)
    delay = delay_days(con)
    open_ = found.filter(pl.col("statut").is_in(OPEN_STATES))
    by_departement = (
        found.group_by("departement")
        .agg([(pl.col("statut") == s).sum().alias(STATUS_LABELS[s]) for s in STATUS_LABELS])
        .with_columns(pl.sum_horizontal(list(STATUS_LABELS.values())).alias("Total"))
        .sort("departement")
        .rename({"departement": "Département"})
    )
    return {
        "total": found.height,
        "open": open_.height,
        "late": open_.filter(pl.col("age_jours") > delay).height,
        "median_age": open_["age_jours"].median() if open_.height else None,
        "delay": delay,
        "by_status": {STATUS_LABELS[s]: int((found["statut"] == s).sum()) for s in STATUS_LABELS},
        "by_departement": by_departement,
        "oldest": open_.sort(["age_jours", "anomalie_id"], descending=[True, False]).head(oldest),
    }


def delay_days(con: duckdb.DuckDBPyConnection) -> int:
    """Past this age (days) an open report is late (setting 'anomalie_delai_jours')."""
    return db.integer_setting(con, DELAY_KEY, DEFAULT_DELAY)


def set_delay_days(con: duckdb.DuckDBPyConnection, user: User, days: int) -> None:
    settings.set_integer(
        con,
        user,
        DELAY_KEY,
        days,
        (1, 365),
        AnomalyError,
        "Le délai de traitement doit être un nombre de jours entre 1 et 365.",
    )
