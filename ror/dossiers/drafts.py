"""The draft of a dossier collaboratif: a copy of an EG and its UO read from the répertoire (one fiche each),
edited field by field (each change checked, in French), with the mandatory fields a fiche needs to be finalised;
units added, duplicated, closed or reopened in the draft. Only while the dossier is a draft, only by its EG's people.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

import queries
from ror.core import audit, db, validation
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.permissions import require
from ror.core.validation import ValidationError
from ror.repertoire import records
from ror.repertoire.records import EG_CONTACT_FIELDS, UO_OPERATIONAL_FIELDS

EG_FIELDS = (
    "nom_usage",
    *EG_CONTACT_FIELDS,
    "numero_voie",
    "type_voie",
    "voie",
    "complement",
    "code_postal",
    "commune_insee",
)
UO_FIELDS = (
    *UO_OPERATIONAL_FIELDS,
    "oi_id",
    "type_code",
    "champ_code",
    "discipline",
    "mode_pec_code",
    "temporalite_code",
    "lits",
    "places",
    "horaires_renseignes",
)
# The states the list of dossiers filters on: a refused dossier is a draft again, with its motif, « à corriger ».
REFUSED_TO_FIX = "refuse_a_corriger"
LIST_STATES = {
    "brouillon": "Brouillon",
    REFUSED_TO_FIX: "Refusé, à corriger",
    "en_validation": "En validation",
    "programme": "Publication programmée",
    "publie": "Publié",
}
STATUS_LABELS = {
    "brouillon": "Brouillon",
    "en_validation": "En validation",
    "programme": "Publication programmée",
    "publie": "Publié",
    "refuse": "Refusé",
}
OPEN_STATES = ("brouillon", "en_validation", "programme")


class DossierError(UserError):
    """A dossier action that cannot be done now, with the French message to show."""


def eg_data(con: duckdb.DuckDBPyConnection, finess_eg: str) -> dict:
    found = records.read(con, "eg", finess_eg, EG_FIELDS)
    if found is None:
        raise DossierError("Cet établissement n'existe pas (ou plus) dans le répertoire.")
    return found


def uo_data_many(con: duckdb.DuckDBPyConnection, uo_ids: list[int]) -> dict[int, dict]:
    """What a dossier holds of each UO — its columns, its codes by system, its semaine type and its closing periods —
    in two reads whatever their number (uo_id -> data; those that do not exist are left out)."""
    if not uo_ids:
        return {}
    found = records.read_many(con, "uo", uo_ids, UO_FIELDS)
    for uo_id, codes, slots, closings in queries.rows(con, "uo_contents", uo_ids=list(found)):
        by_system: dict[str, list[str]] = {}
        for code in codes or []:
            by_system.setdefault(code["system"], []).append(code["code"])
        periods = sorted(tuple(closing.values()) for closing in closings or [])
        found[uo_id] |= {
            "codes": {system: sorted(listed) for system, listed in sorted(by_system.items())},
            "creneaux": [list(slot.values()) for slot in slots or []],
            "fermetures": [
                [d1.isoformat(), d2.isoformat(), motif, reo.isoformat() if reo else None]
                for d1, d2, motif, reo in periods
            ],
        }
    return found


def dossier_row(con: duckdb.DuckDBPyConnection, dossier_id: int) -> dict:
    found = con.sql("SELECT * FROM dossier WHERE dossier_id = $id", params={"id": dossier_id})
    rows = found.fetchall()
    if not rows:
        raise DossierError("Ce dossier n'existe pas.")
    return dict(zip(found.columns, rows[0], strict=True))


def departement_of(con: duckdb.DuckDBPyConnection, finess_eg: str) -> str:
    return con.sql("SELECT departement FROM eg WHERE finess_eg = $f", params={"f": finess_eg}).fetchall()[0][0]


def insert_fiche(con, dossier_id: int, niveau: str, uo_id: int | None, action: str, data: dict) -> int:
    fiche_id = db.next_id(con, "dossier_fiche", "fiche_id")
    con.execute(
        "INSERT INTO dossier_fiche (fiche_id, dossier_id, niveau, uo_id, action, data) "
        "VALUES ($id, $d, $n, $u, $a, $data)",
        {"id": fiche_id, "d": dossier_id, "n": niveau, "u": uo_id, "a": action, "data": json.dumps(data, default=str)},
    )
    return fiche_id


# ---------------------------------------------------------------------------------------------------------
# Editing the draft


MANDATORY_UO = {
    "nom": "Nom",
    "type_code": "Type d'UO",
    "discipline": "Discipline",
    "responsable_nom": "Nom du responsable",
    "responsable_email": "E-mail du responsable",
}
MANDATORY_UO_CODES = {"TRE_R211": "au moins une activité opérationnelle", "TRE_R245": "au moins une spécialisation"}
# TRE_R245 only has codes for psychiatry and the médico-social (autisme, polyhandicap, Alzheimer…): a MCO, SMR
# or SLD unit has no spécialisation to give.
SPECIALISED_DISCIPLINES = ("PSY", "MSS")


def mandatory_codes(discipline: str | None) -> dict[str, str]:
    """The code lists a unit of this discipline must fill (system -> what is missing, in French)."""
    return {
        system: label
        for system, label in MANDATORY_UO_CODES.items()
        if system != "TRE_R245" or discipline in SPECIALISED_DISCIPLINES
    }


MANDATORY_EG = {
    "voie": "Voie",
    "code_postal": "Code postal",
    "commune_insee": "Commune",
    "telephone": "Téléphone",
    "email": "E-mail",
    "directeur_nom": "Directeur",
}


def _editable(con: duckdb.DuckDBPyConnection, user: User, fiche_id: int) -> tuple[dict, dict]:
    found = con.sql(
        "SELECT f.dossier_id, f.niveau, f.uo_id, f.action, f.data::VARCHAR AS data, f.finalise "
        "FROM dossier_fiche f WHERE fiche_id = $id",
        params={"id": fiche_id},
    )
    rows = found.fetchall()
    if not rows:
        raise DossierError("Cette fiche n'existe pas.")
    fiche = dict(zip(found.columns, rows[0], strict=True))
    dossier = dossier_row(con, fiche["dossier_id"])
    _require_draft(con, user, dossier)
    return dossier, fiche


def _require_draft(con: duckdb.DuckDBPyConnection, user: User, dossier: dict) -> None:
    """Only the EG's people edit a dossier, and only while it is a draft."""
    require(con, user, "dossier.editer", finess_eg=dossier["finess_eg"])
    if dossier["statut"] != "brouillon":
        raise DossierError(f"Le dossier est « {STATUS_LABELS[dossier['statut']]} » : il ne peut plus être modifié.")


def _clean(con: duckdb.DuckDBPyConnection, changes: dict, current: dict, finess_eg: str) -> dict:
    """The changes checked field by field (phones, e-mails, texts, ages, capacity, address, organisation interne,
    planning); ValidationError names every wrong field in French, and nothing is saved."""
    errors = {}
    try:
        cleaned = validation.fiche_fields(changes, current)
    except ValidationError as exc:
        cleaned, errors = dict(changes), dict(exc.errors)

    def check(field: str, rule) -> None:
        try:
            cleaned[field] = rule(changes[field])
        except ValidationError as exc:
            errors.update(exc.errors)

    if changes.get("code_postal") is not None and not str(changes["code_postal"]).isdigit():
        errors["code_postal"] = f"Code postal invalide : « {changes['code_postal']} » (5 chiffres)."
    elif changes.get("commune_insee"):
        found = con.sql(
            "SELECT nom, codes_postaux FROM commune WHERE code_insee = $c", params={"c": changes["commune_insee"]}
        ).fetchall()
        if not found:
            errors["commune_insee"] = f"Commune inconnue : « {changes['commune_insee']} »."
        elif changes.get("code_postal") and changes["code_postal"] not in (found[0][1] or ""):
            errors["code_postal"] = f"Le code postal {changes['code_postal']} n'est pas celui de {found[0][0]}."
    if changes.get("oi_id") is not None:
        found = con.sql(
            "SELECT 1 FROM oi WHERE oi_id = TRY_CAST($o AS BIGINT) AND finess_eg = $f",
            params={"o": str(changes["oi_id"]), "f": finess_eg},
        ).fetchall()
        if found:
            cleaned["oi_id"] = int(changes["oi_id"])
        else:
            errors["oi_id"] = "Cette organisation interne (pôle, service, UF) n'est pas celle de l'établissement."
    if "creneaux" in changes:
        check("creneaux", lambda v: [list(slot) for slot in validation.slots([tuple(x) for x in v])])
    if "fermetures" in changes:
        check("fermetures", _closings)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _closings(rows: list) -> list[list]:
    def day(value):
        return dt.date.fromisoformat(value) if isinstance(value, str) else value

    periods = [(day(a), day(b), motif, day(reo)) for a, b, motif, reo in rows]
    return [
        [a.isoformat(), b.isoformat(), motif, reo.isoformat() if reo else None]
        for a, b, motif, reo in validation.closings(periods)
    ]


def missing_fields(niveau: str, data: dict) -> list[str]:
    """The mandatory fields (marked *) a fiche still lacks, in French; a UO name still 'COPIE DE …' too."""
    missing = []
    if niveau == "EG":
        return [label for field, label in MANDATORY_EG.items() if not data.get(field)]
    missing = [label for field, label in MANDATORY_UO.items() if not data.get(field)]
    missing += [
        label
        for system, label in mandatory_codes(data.get("discipline")).items()
        if not data.get("codes", {}).get(system)
    ]
    if (data.get("nom") or "").upper().startswith("COPIE DE"):
        missing.append("un nom qui ne commence plus par « COPIE DE »")
    return missing


def save_fiche(
    con: duckdb.DuckDBPyConnection, user: User, fiche_id: int, changes: dict, *, finalise: bool = False
) -> list[str]:
    """Save the draft of a fiche (« Enregistrer » or « Enr. et finaliser »). A saved fiche is not finalised
    any more; finalising checks the mandatory fields and returns those missing (then nothing is finalised)."""
    with db.transaction(con):
        dossier, fiche = _editable(con, user, fiche_id)
        allowed = set(EG_FIELDS) if fiche["niveau"] == "EG" else {*UO_FIELDS, "codes", "creneaux", "fermetures"}
        unknown = set(changes) - allowed
        if unknown:
            raise DossierError(f"Champ inconnu : {', '.join(sorted(unknown))}.")
        current = json.loads(fiche["data"])
        data = {**current, **_clean(con, changes, current, dossier["finess_eg"])}
        missing = missing_fields(fiche["niveau"], data) if finalise else []
        action = fiche["action"] if fiche["action"] in ("ajoute", "ferme") or not changes else "modifie"
        con.execute(
            "UPDATE dossier_fiche SET data = $data, action = $a, finalise = $fin, "
            "updated_at = current_timestamp WHERE fiche_id = $id",
            {"data": json.dumps(data, default=str), "a": action, "fin": finalise and not missing, "id": fiche_id},
        )
        audit.record(
            con,
            user.login,
            "dossier.fiche",
            "DOSSIER",
            str(dossier["dossier_id"]),
            None,
            {"fiche": fiche_id, "champs": sorted(changes), "finalise": finalise and not missing},
        )
    return missing


NEW_UNIT_FALLBACK = {"champ_code": "04", "discipline": "MSS"}  # médico-social, when nothing says otherwise


def add_uo(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, data: dict) -> int:
    """A new UO in the draft (not finalised). Without a champ d'activité or a discipline, it takes those usual for
    its type, else those of the dossier's other units, else the médico-social ones: to be checked on its fiche."""
    if not data.get("champ_code") or not data.get("discipline"):
        usual = queries.run(con, "new_unit_defaults", type_code=data.get("type_code"), dossier_id=dossier_id)
        defaults = {k: v or NEW_UNIT_FALLBACK[k] for k, v in usual.row(0, named=True).items()}
        data = data | {k: data.get(k) or defaults[k] for k in defaults}
    with db.transaction(con):
        eg_fiche = con.sql(
            "SELECT fiche_id FROM dossier_fiche WHERE dossier_id = $d AND niveau = 'EG'", params={"d": dossier_id}
        ).fetchall()[0][0]
        _editable(con, user, eg_fiche)
        blank = {field: None for field in UO_FIELDS} | {
            "public_enfants": False,
            "public_adultes": True,
            "horaires_renseignes": True,
            "codes": {},
            "creneaux": [],
            "fermetures": [],
        }
        fiche_id = insert_fiche(con, dossier_id, "UO", None, "ajoute", blank | data)
        audit.record(con, user.login, "dossier.uo_ajouter", "DOSSIER", str(dossier_id), None, {"fiche": fiche_id})
    return fiche_id


def duplicate_uo(con: duckdb.DuckDBPyConnection, user: User, fiche_id: int) -> int:
    """« Dupliquer »: a new UO with everything copied, named 'COPIE DE …' (to be renamed before finalising)."""
    dossier, fiche = _editable(con, user, fiche_id)
    if fiche["niveau"] != "UO":
        raise DossierError("Seule une unité peut être dupliquée.")
    data = json.loads(fiche["data"])
    return add_uo(con, user, dossier["dossier_id"], {**data, "nom": f"COPIE DE {data['nom']}"})


def close_uo(con: duckdb.DuckDBPyConnection, user: User, fiche_id: int) -> None:
    """Close a published UO (or drop a UO added in this draft)."""
    with db.transaction(con):
        dossier, fiche = _editable(con, user, fiche_id)
        if fiche["niveau"] != "UO":
            raise DossierError("Seule une unité peut être fermée.")
        if fiche["action"] == "ajoute":
            con.execute("DELETE FROM dossier_fiche WHERE fiche_id = $id", {"id": fiche_id})
        else:
            con.execute(
                "UPDATE dossier_fiche SET action = 'ferme', finalise = TRUE WHERE fiche_id = $id", {"id": fiche_id}
            )
        audit.record(
            con, user.login, "dossier.uo_fermer", "DOSSIER", str(dossier["dossier_id"]), None, {"fiche": fiche_id}
        )


def reopen_uo(con: duckdb.DuckDBPyConnection, user: User, fiche_id: int) -> None:
    """« Annuler la fermeture »: the unit stays open, its fiche to be finalised again."""
    with db.transaction(con):
        dossier, fiche = _editable(con, user, fiche_id)
        if fiche["action"] != "ferme":
            raise DossierError("Cette unité n'est pas fermée dans le dossier.")
        con.execute(
            "UPDATE dossier_fiche SET action = 'modifie', finalise = FALSE WHERE fiche_id = $id", {"id": fiche_id}
        )
        audit.record(
            con, user.login, "dossier.uo_rouvrir", "DOSSIER", str(dossier["dossier_id"]), None, {"fiche": fiche_id}
        )


def rename(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, nom: str) -> None:
    """Rename the dossier (draft only)."""
    nom = validation.text(nom, "nom", required=True, label="Le nom du dossier")
    with db.transaction(con):
        dossier = dossier_row(con, dossier_id)
        _require_draft(con, user, dossier)
        con.execute("UPDATE dossier SET nom = $n WHERE dossier_id = $id", {"n": nom, "id": dossier_id})
        audit.record(con, user.login, "dossier.renommer", "DOSSIER", str(dossier_id), dossier["nom"], nom)
