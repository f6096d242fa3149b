"""What publishing a dossier would change, field by field, as the tutelle reads it before deciding: labels for
codes, days and hours, dates; the unit lists' codes removed and added."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

import queries
from ror.core import formats
from ror.core.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.core.validation import CLOSING_REASONS
from ror.dossiers.drafts import dossier_row, eg_data, uo_data_many
from ror.repertoire.opening import DAY_NAMES
from ror.repertoire.records import FIELD_LABELS

_CODED_FIELDS = {
    "type_code": "TRE_R244",
    "champ_code": "TRE_R227",
    "mode_pec_code": "TRE_R213",
    "temporalite_code": "TRE_R240",
}


def _labels(con: duckdb.DuckDBPyConnection) -> dict[tuple[str, str], str]:
    return {
        (system, code): label
        for system, code, label in con.sql("SELECT system, code, libelle FROM nomenclature").fetchall()
    }


def _shown(labels: dict, field: str, value) -> str:
    """A fiche value as a reviewer reads it: labels for codes, Oui/Non, days and hours, dates."""
    if value is None or value == [] or value == "":
        return "—"
    if isinstance(value, bool):
        return "Oui" if value else "Non"
    if field in _CODED_FIELDS:
        return labels.get((_CODED_FIELDS[field], value), value)
    if field == "discipline":
        return DISCIPLINES.get(value, value)
    if field == "oi_id":
        return labels.get(("OI", str(value)), str(value))
    if field == "creneaux":
        return " · ".join(f"{DAY_NAMES[j][:3]} {formats.clock(d)}–{formats.clock(f % 1440)}" for j, d, f in value)
    if field == "fermetures":
        return " · ".join(
            f"du {dt.date.fromisoformat(a):%d/%m/%Y} au {dt.date.fromisoformat(b):%d/%m/%Y} "
            f"({CLOSING_REASONS.get(motif, motif)})"
            for a, b, motif, _ in value
        )
    return str(value)


def _code_changes(labels: dict, before: dict, after: dict) -> list[tuple[str, str, str]]:
    """(list, removed, added) for each code list of a unit that changed, with labels."""
    found = []
    for system, title in UO_CODE_SYSTEMS.items():
        old, new = set(before.get(system, [])), set(after.get(system, []))
        if old != new:
            removed = ", ".join(sorted(labels.get((system, c), c) for c in old - new)) or "—"
            added = ", ".join(sorted(labels.get((system, c), c) for c in new - old)) or "—"
            found.append(
                (title, f"retiré : {removed}" if old - new else "—", f"ajouté : {added}" if new - old else "—")
            )
    return found


def diff(con: duckdb.DuckDBPyConnection, dossier_id: int) -> list[dict]:
    """What publishing the dossier would change, field by field, as a reviewer reads it: one dict per change
    with niveau (EG / UO), cible (the UO's name or 'Établissement'), action (modifiée / ajoutée / fermée),
    champ (its French label), avant, après (labels, not codes)."""
    dossier = dossier_row(con, dossier_id)
    labels = _labels(con) | {
        ("OI", str(oi_id)): chemin
        for oi_id, chemin in queries.rows(con, "eg_organisation", finess_eg=dossier["finess_eg"])
    }
    changes = []

    def add(niveau, cible, action, champ, avant, apres):
        changes.append(
            {"niveau": niveau, "cible": cible, "action": action, "champ": champ, "avant": avant, "après": apres}
        )

    fiches = con.sql(
        "SELECT niveau, uo_id, action, data::VARCHAR FROM dossier_fiche WHERE dossier_id = $id "
        "AND action <> 'inchange' ORDER BY niveau = 'UO', fiche_id",
        params={"id": dossier_id},
    ).fetchall()
    published = uo_data_many(
        con, [uo_id for niveau, uo_id, action, _ in fiches if niveau == "UO" and action != "ajoute"]
    )
    for niveau, uo_id, action, raw in fiches:
        data = json.loads(raw)
        if niveau == "EG":
            before, target, verb = (
                json.loads(json.dumps(eg_data(con, dossier["finess_eg"]), default=str)),
                "Établissement",
                "modifiée",
            )
        elif action == "ajoute":
            before, target, verb = {"codes": {}}, data["nom"], "ajoutée"
        else:
            before = json.loads(json.dumps(published[uo_id], default=str))
            target, verb = before["nom"], "modifiée"
            if action == "ferme":
                add("UO", target, "fermée", "Statut", "Active", "Fermée")
                continue
        for field, label in FIELD_LABELS.items():
            if (
                field in data
                and data[field] != before.get(field)
                and not (verb == "ajoutée" and data[field] in (None, [], ""))
            ):
                add(
                    niveau,
                    target,
                    verb,
                    label,
                    _shown(labels, field, before.get(field)),
                    _shown(labels, field, data[field]),
                )
        for title, removed, added in _code_changes(labels, before.get("codes", {}), data.get("codes", {})):
            add(niveau, target, verb, title, removed, added)
    return changes
