"""Triage of an anomaly by the tutelle of its département or the support: status, assignment, relance,
comment, duplicate, several at once; and the dossiers collaboratifs that correct anomalies (resolved at
publication). Every change checks the report's version (one of two people acting at once wins)."""

from __future__ import annotations

import duckdb

import queries
from ror.anomalies.reports import (
    OPEN_STATES,
    STATUS_LABELS,
    TRANSITIONS,
    AnomalyError,
    add_event,
    can_see,
    checked_text,
    get,
)
from ror.core import audit, db
from ror.core.auth import User
from ror.core.errors import Conflict, UserError
from ror.core.permissions import PermissionDenied, require, signed_in
from ror.dossiers import notifications


def _for_triage(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int) -> dict:
    anomalie = get(con, anomalie_id)
    require(con, user, "anomalie.trier", departement=anomalie["departement"])
    return anomalie


def assignees(con: duckdb.DuckDBPyConnection, *departements: str) -> dict[int, str]:
    """Who a report of these départements may be assigned to: their tutelle and the support (user_id -> name),
    tutelle first."""
    return dict(queries.rows(con, "anomaly_assignees", departements=list(departements)))


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
            "updated_at = current_timestamp WHERE anomalie_id = $id AND version = $v RETURNING anomalie_id",
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
        motif = checked_text(motif, "Le motif du rejet")
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
        + ("closed_at = current_timestamp" if closing else "closed_at = NULL"),
        {"s": statut, "motif": motif, "doublon": doublon_de},
    )
    change = f"{STATUS_LABELS[anomalie['statut']]} → {STATUS_LABELS[statut]}"
    add_event(con, anomalie_id, user, "statut", change + (f" — motif : {motif}" if motif else ""))
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
        add_event(con, anomalie_id, user, "assignation", f"Assignée à {who}" if who else "Plus assignée")
        if statut != anomalie["statut"]:
            add_event(
                con, anomalie_id, user, "statut", f"{STATUS_LABELS[anomalie['statut']]} → {STATUS_LABELS[statut]}"
            )
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
        add_event(
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
    texte = checked_text(texte, "Le commentaire")
    with db.transaction(con):
        user = signed_in(con, user)
        anomalie = get(con, anomalie_id)
        if not can_see(user, anomalie):
            raise PermissionDenied("Votre profil ne vous permet pas de voir cette anomalie.")
        con.execute("UPDATE anomalie SET updated_at = current_timestamp WHERE anomalie_id = $id", {"id": anomalie_id})
        add_event(con, anomalie_id, user, "commentaire", texte)
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
        add_event(con, of_id, user, "doublon", f"L'anomalie n° {anomalie_id} a été marquée comme son doublon")


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
            "UPDATE anomalie SET statut = 'resolue', dossier_id = $d, closed_at = current_timestamp, "
            "updated_at = current_timestamp, version = version + 1 WHERE anomalie_id = $id",
            {"d": dossier_id, "id": anomalie_id},
        )
        add_event(
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
