"""Mises à jour opérationnelles: a directeur or référent changes the contacts, patientèle, name or planning
of his EG and its UO directly on the fiche. Each change is checked (ror/core/validation.py), written in one
transaction with its audit row (before / after / date d'effet), and searchable at once (data version).
Structural changes (type, discipline, adding or removing a UO …) go through a dossier collaboratif.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from ror.core import audit, clock, db, validation
from ror.core.auth import User
from ror.core.errors import Conflict, UserError
from ror.core.permissions import require
from ror.core.validation import ValidationError
from ror.dossiers.naming import normalise_name
from ror.recherche import search_index
from ror.repertoire import records
from ror.repertoire.records import EG_CONTACT_FIELDS, UO_OPERATIONAL_FIELDS
from ror.territoire import peuplement

ACTION = "eg.mise_a_jour_operationnelle"

STRUCTURAL_FIELDS = {
    "type_code": "le type d'UO",
    "discipline": "la discipline",
    "champ_code": "le champ d'activité",
    "statut": "l'ouverture ou la fermeture définitive",
    "finess_eg": "le rattachement à un autre établissement",
    "oi_id": "l'organisation interne",
    "lits": "la capacité autorisée",
    "places": "la capacité autorisée",
}


class StructuralChange(UserError):
    """A change that only a dossier collaboratif may make (French message)."""


def _refuse_structural(changes: dict) -> None:
    structural = [STRUCTURAL_FIELDS[f] for f in changes if f in STRUCTURAL_FIELDS]
    if structural:
        raise StructuralChange(
            f"Modifier {', '.join(dict.fromkeys(structural))} est un changement de structure : créez un dossier "
            "collaboratif pour le faire valider par l'autorité de tutelle."
        )


def _clean(changes: dict, current: dict, allowed: tuple[str, ...]) -> dict:
    """Only the operational fields, each checked (ror/core/validation.py); a unit's name follows the naming rule."""
    unknown = [field for field in changes if field not in allowed]
    if unknown:
        raise ValidationError({unknown[0]: f"Champ non modifiable ici : « {unknown[0]} »."})
    cleaned = validation.fiche_fields(changes, current)
    if cleaned.get("nom"):
        cleaned["nom"] = normalise_name(cleaned["nom"])
    return cleaned


def _current(con: duckdb.DuckDBPyConnection, table: str, ident, fields: tuple[str, ...]) -> dict:
    found = records.read(con, table, ident, (*fields, "updated_at", "updated_by"))
    if found is None:
        raise ValidationError({records.KEYS[table]: "Cet enregistrement n'existe pas (ou plus) dans le répertoire."})
    return found


def _check_not_changed(current: dict, seen_updated_at: dt.datetime | None) -> None:
    if seen_updated_at is not None and current["updated_at"] != seen_updated_at:
        by = f" par {current['updated_by']}" if current["updated_by"] else ""
        raise Conflict(
            f"Cette fiche a été modifiée{by} le {current['updated_at']:%d/%m/%Y à %H:%M} depuis son ouverture : "
            "rechargez-la, vos saisies sont conservées dans le formulaire."
        )


def _write(
    con: duckdb.DuckDBPyConnection,
    user: User,
    table: str,
    ident,
    before: dict,
    after: dict,
    effect: dt.date,
    action: str,
) -> dict:
    """UPDATE the changed columns, stamp who and when, audit, bump the data version (the search index follows).
    `before` carries the record's finess_eg. Returns the changes."""
    changed = {f: v for f, v in after.items() if before.get(f) != v}
    if not changed:
        return {}
    records.write(con, table, ident, changed, user.login)
    audit.record(
        con,
        user.login,
        action,
        table.upper(),
        str(ident),
        {f: before.get(f) for f in changed},
        {**changed, "date_effet": effect.isoformat()},
    )
    search_index.record_write(con, [before["finess_eg"]])
    return changed


def update_eg(
    con: duckdb.DuckDBPyConnection,
    user: User,
    finess_eg: str,
    changes: dict,
    *,
    date_effet: dt.date | None = None,
    seen_updated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict:
    """Change the contacts of an EG (phones, e-mails, mail d'alerte, directeur). Returns what changed."""
    require(con, user, ACTION, finess_eg=finess_eg)
    peuplement.require_exploitation(con, finess_eg)
    _refuse_structural(changes)
    effect = validation.date_effet(date_effet, today or clock.today())
    cleaned = _clean(changes, {}, EG_CONTACT_FIELDS)
    with db.transaction(con):
        before = _current(con, "eg", finess_eg, (*EG_CONTACT_FIELDS, "finess_eg"))
        _check_not_changed(before, seen_updated_at)
        return _write(con, user, "eg", finess_eg, before, cleaned, effect, "eg.modifier")


def rename_eg(
    con: duckdb.DuckDBPyConnection,
    user: User,
    finess_eg: str,
    nom_usage: str | None,
    *,
    seen_updated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict:
    """« Renommer » an EG: its surnom (nom d'usage), the first step of the SMR campaign guide; empty gives it back
    its FINESS name. An operational update (audited, in the history); during peuplement it goes through the dossier.
    Returns what changed."""
    require(con, user, ACTION, finess_eg=finess_eg)
    peuplement.require_exploitation(con, finess_eg)
    cleaned = validation.fiche_fields({"nom_usage": (nom_usage or "").strip() or None}, {})
    if cleaned["nom_usage"]:
        cleaned["nom_usage"] = normalise_name(cleaned["nom_usage"])
    with db.transaction(con):
        before = _current(con, "eg", finess_eg, ("nom_usage", "finess_eg"))
        _check_not_changed(before, seen_updated_at)
        return _write(con, user, "eg", finess_eg, before, cleaned, today or clock.today(), "eg.renommer")


def update_uo(
    con: duckdb.DuckDBPyConnection,
    user: User,
    uo_id: int,
    changes: dict,
    *,
    date_effet: dt.date | None = None,
    seen_updated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict:
    """Change a UO's name, contacts, responsable or patientèle. Returns what changed."""
    _refuse_structural(changes)
    with db.transaction(con):
        before = _current(con, "uo", uo_id, (*UO_OPERATIONAL_FIELDS, "finess_eg", "type_code"))
        require(con, user, ACTION, finess_eg=before["finess_eg"])
        peuplement.require_exploitation(con, before["finess_eg"])
        effect = validation.date_effet(date_effet, today or clock.today())
        _check_not_changed(before, seen_updated_at)
        cleaned = _clean(changes, before, UO_OPERATIONAL_FIELDS)
        return _write(con, user, "uo", uo_id, before, cleaned, effect, "uo.modifier")


def update_planning(
    con: duckdb.DuckDBPyConnection,
    user: User,
    uo_id: int,
    *,
    creneaux: list[tuple[int, int, int]],
    fermetures: list[tuple[dt.date, dt.date, str, dt.date | None]],
    horaires_renseignes: bool = True,
    date_effet: dt.date | None = None,
    seen_updated_at: dt.datetime | None = None,
    today: dt.date | None = None,
) -> dict:
    """Replace a UO's semaine type and closing periods. Returns what changed."""
    slots = validation.slots(creneaux) if horaires_renseignes else []
    periods = validation.closings(fermetures)
    with db.transaction(con):
        before = _current(con, "uo", uo_id, ("finess_eg", "horaires_renseignes"))
        require(con, user, ACTION, finess_eg=before["finess_eg"])
        peuplement.require_exploitation(con, before["finess_eg"])
        effect = validation.date_effet(date_effet, today or clock.today())
        _check_not_changed(before, seen_updated_at)
        old_slots, old_periods = records.planning(con, uo_id)
        old = {"horaires_renseignes": before["horaires_renseignes"], "creneaux": old_slots, "fermetures": old_periods}
        new = {"horaires_renseignes": horaires_renseignes, "creneaux": slots, "fermetures": periods}
        changed = {f: v for f, v in new.items() if old[f] != v}
        if not changed:
            return {}
        records.replace_planning(con, uo_id, slots, periods)
        records.write(con, "uo", uo_id, {"horaires_renseignes": horaires_renseignes}, user.login)
        audit.record(
            con,
            user.login,
            "uo.planning",
            "UO",
            str(uo_id),
            {f: old[f] for f in changed},
            {**changed, "date_effet": effect.isoformat()},
        )
        search_index.record_write(con, [before["finess_eg"]])
        return changed


def describe_change(old_value: str | None, new_value: str | None) -> list[tuple[str, str, str]]:
    """The lines of one audit row as a person reads them: (field label, before, after)."""
    old = json.loads(old_value) if old_value else {}
    new = json.loads(new_value) if new_value else {}
    lines = []
    for field in [*new, *(f for f in old if f not in new)]:
        if field == "date_effet":
            continue
        lines.append((records.FIELD_LABELS.get(field, field), _shown(old.get(field)), _shown(new.get(field))))
    return lines


def _shown(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, list):
        return f"{len(value)} élément(s)"
    return str(value)


ACTION_LABELS = {
    "uo.modifier": "Mise à jour opérationnelle",
    "uo.planning": "Semaine type et fermetures",
    "eg.modifier": "Mise à jour opérationnelle",
}


def history_rows(history) -> list[dict]:
    """The rows of queries/history.sql as a person reads them: one line per changed field."""
    rows = []
    for r in history.iter_rows(named=True):
        new = json.loads(r["new_value"]) if r["new_value"] else {}
        effect = new.get("date_effet")
        for label, before, after in describe_change(r["old_value"], r["new_value"]) or [("—", "—", "—")]:
            rows.append(
                {
                    "Date": r["created_at"],
                    "Par": r["auteur"],
                    "Action": ACTION_LABELS.get(r["action"], r["action"]),
                    "Champ": label,
                    "Avant": before,
                    "Après": after,
                    "Date d'effet": dt.date.fromisoformat(effect) if effect else None,
                }
            )
    return rows
