"""Dossiers collaboratifs: a draft copy of an EG and its UO, edited by its directeur or référent, sent for
validation by the directeur, validated (published at its date d'effet) or refused by the tutelle.

States (dossier.statut): brouillon → en_validation → programme (date d'effet to come) → publie, or
en_validation → brouillon again when refused (motif_refus kept, and in the thread). Every transition is one
transaction with its audit row and checks the dossier's version: of two people acting at once, exactly one
wins and the other is told so. Publication writes the whole dossier or nothing.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb

import queries
from ror import anomalies, audit, db, formats, notifications, records, search_index, validation
from ror.auth import User
from ror.errors import Conflict, UserError
from ror.opening import DAY_NAMES
from ror.permissions import PermissionDenied, allowed, require, signed_in
from ror.records import FIELD_LABELS
from ror.reference import DISCIPLINES, UO_CODE_SYSTEMS
from ror.validation import CLOSING_REASONS, ValidationError

EG_FIELDS = (
    "nom_usage",
    "telephone",
    "email",
    "mail_alerte",
    "directeur_nom",
    "directeur_telephone",
    "directeur_email",
    "numero_voie",
    "type_voie",
    "voie",
    "complement",
    "code_postal",
    "commune_insee",
)
UO_FIELDS = (
    "nom",
    "oi_id",
    "type_code",
    "champ_code",
    "discipline",
    "mode_pec_code",
    "temporalite_code",
    "telephone",
    "email",
    "responsable_nom",
    "responsable_email",
    "public_enfants",
    "public_adultes",
    "age_min",
    "age_max",
    "lits",
    "places",
    "horaires_renseignes",
)
STATUS_LABELS = {
    "brouillon": "Brouillon",
    "en_validation": "En validation",
    "programme": "Publication programmée",
    "publie": "Publié",
    "refuse": "Refusé",
}
OPEN_STATES = ("brouillon", "en_validation", "programme")
REFUSAL_REASONS = (
    "Informations incomplètes",
    "Capacité non conforme à l'autorisation",
    "Type d'unité inadapté à la catégorie de l'établissement",
    "Règles de nommage non respectées",
    "Doublon d'une unité existante",
    "Autre",
)


class DossierError(UserError):
    """A dossier action that cannot be done now, with the French message to show."""


# ---------------------------------------------------------------------------------------------------------
# Reading the published répertoire as fiche data


def _eg_data(con: duckdb.DuckDBPyConnection, finess_eg: str) -> dict:
    found = records.read(con, "eg", finess_eg, EG_FIELDS)
    if found is None:
        raise DossierError("Cet établissement n'existe pas (ou plus) dans le répertoire.")
    return found


def _uo_data(con: duckdb.DuckDBPyConnection, uo_id: int) -> dict:
    data = records.read(con, "uo", uo_id, UO_FIELDS)
    codes: dict[str, list[str]] = {}
    for system, code, _ in queries.rows(con, "uo_codes", uo_id=uo_id):
        codes.setdefault(system, []).append(code)
    slots, closings = records.planning(con, uo_id)
    data["codes"] = {system: sorted(found) for system, found in codes.items()}
    data["creneaux"] = [list(slot) for slot in slots]
    data["fermetures"] = [
        [d1.isoformat(), d2.isoformat(), motif, reo.isoformat() if reo else None] for d1, d2, motif, reo in closings
    ]
    return data


def _dossier(con: duckdb.DuckDBPyConnection, dossier_id: int) -> dict:
    found = con.sql("SELECT * FROM dossier WHERE dossier_id = $id", params={"id": dossier_id})
    rows = found.fetchall()
    if not rows:
        raise DossierError("Ce dossier n'existe pas.")
    return dict(zip(found.columns, rows[0], strict=True))


def _departement(con: duckdb.DuckDBPyConnection, finess_eg: str) -> str:
    return con.sql("SELECT departement FROM eg WHERE finess_eg = $f", params={"f": finess_eg}).fetchall()[0][0]


# ---------------------------------------------------------------------------------------------------------
# Transitions


def create(con: duckdb.DuckDBPyConnection, user: User, finess_eg: str, *, today: dt.date | None = None) -> int:
    """A draft copy of the EG and all its active UO, named '<EG> – <date>'. One open dossier per EG."""
    require(con, user, "dossier.editer", finess_eg=finess_eg)
    today = today or dt.date.today()
    with db.transaction(con):
        existing = open_one(con, finess_eg)
        if existing is not None:
            raise DossierError(f"Un dossier est déjà ouvert pour cet établissement (n° {existing}).")
        eg = _eg_data(con, finess_eg)
        name = con.sql(
            "SELECT coalesce(nom_usage, nom) FROM eg WHERE finess_eg = $f", params={"f": finess_eg}
        ).fetchall()[0][0]
        dossier_id = db.next_id(con, "dossier", "dossier_id")
        con.execute(
            "INSERT INTO dossier (dossier_id, finess_eg, nom, statut, created_by) "
            "VALUES ($id, $f, $nom, 'brouillon', $u)",
            {"id": dossier_id, "f": finess_eg, "nom": f"{name} – {today:%d/%m/%Y}", "u": user.user_id},
        )
        _insert_fiche(con, dossier_id, "EG", None, "inchange", eg)
        for (uo_id,) in con.sql(
            "SELECT uo_id FROM uo WHERE finess_eg = $f AND statut = 'active' ORDER BY uo_id", params={"f": finess_eg}
        ).fetchall():
            _insert_fiche(con, dossier_id, "UO", uo_id, "inchange", _uo_data(con, uo_id))
        audit.record(con, user.login, "dossier.creer", "DOSSIER", str(dossier_id), None, {"finess_eg": finess_eg})
    return dossier_id


def open_one(con: duckdb.DuckDBPyConnection, finess_eg: str) -> int | None:
    """The EG's dossier in progress (draft, in validation or scheduled), if any."""
    found = con.sql(
        "SELECT max(dossier_id) FROM dossier WHERE finess_eg = $f AND list_contains($s, statut)",
        params={"f": finess_eg, "s": list(OPEN_STATES)},
    ).fetchall()
    return found[0][0]


def create_or_open(con: duckdb.DuckDBPyConnection, user: User, finess_eg: str) -> tuple[int, bool]:
    """« Créer un dossier collaboratif »: the EG's dossier in progress if there is one, else a new one.
    Returns (dossier_id, created)."""
    existing = open_one(con, finess_eg)
    if existing is not None:
        require(con, user, "dossier.editer", finess_eg=finess_eg)
        return existing, False
    return create(con, user, finess_eg), True


def _insert_fiche(con, dossier_id: int, niveau: str, uo_id: int | None, action: str, data: dict) -> int:
    fiche_id = db.next_id(con, "dossier_fiche", "fiche_id")
    con.execute(
        "INSERT INTO dossier_fiche (fiche_id, dossier_id, niveau, uo_id, action, data) "
        "VALUES ($id, $d, $n, $u, $a, $data)",
        {"id": fiche_id, "d": dossier_id, "n": niveau, "u": uo_id, "a": action, "data": json.dumps(data, default=str)},
    )
    return fiche_id


def _transition(
    con: duckdb.DuckDBPyConnection, dossier: dict, version: int, statut_from: str, assignments: str, params: dict
) -> None:
    """Move the dossier on if nobody did since `version`; else Conflict (exactly one of two wins)."""
    try:
        moved = con.execute(
            f"UPDATE dossier SET {assignments}, version = version + 1 "  # assignments: code, never user text
            "WHERE dossier_id = $id AND version = $v AND statut = $from RETURNING dossier_id",
            {**params, "id": dossier["dossier_id"], "v": version, "from": statut_from},
        ).fetchall()
    except duckdb.TransactionException as exc:
        raise Conflict("Ce dossier vient d'être traité par quelqu'un d'autre : rechargez-le.") from exc
    if not moved:
        raise Conflict("Ce dossier a changé depuis son ouverture (déjà envoyé, validé ou refusé) : rechargez-le.")


def send(
    con: duckdb.DuckDBPyConnection,
    user: User,
    dossier_id: int,
    version: int,
    date_effet: dt.date,
    *,
    today: dt.date | None = None,
) -> None:
    """Envoyer en validation (directeur only): every fiche finalised, a date d'effet today or later."""
    today = today or dt.date.today()
    with db.transaction(con):
        dossier = _dossier(con, dossier_id)
        require(con, user, "dossier.envoyer", finess_eg=dossier["finess_eg"])
        if date_effet < today:
            raise DossierError("La date d'effet ne peut pas être passée.")
        pending = con.sql(
            "SELECT count(*) FROM dossier_fiche WHERE dossier_id = $id AND NOT finalise", params={"id": dossier_id}
        ).fetchall()[0][0]
        if pending:
            raise DossierError(f"{pending} fiche(s) ne sont pas finalisées : finalisez-les avant l'envoi.")
        _transition(
            con,
            dossier,
            version,
            "brouillon",
            "statut = 'en_validation', date_effet = $date, sent_by = $u, sent_at = current_localtimestamp()",
            {"date": date_effet, "u": user.user_id},
        )
        audit.record(
            con, user.login, "dossier.envoyer", "DOSSIER", str(dossier_id), None, {"date_effet": date_effet.isoformat()}
        )
        notifications.notify(
            con,
            type="Information",
            source="Validation DC",
            objet=f"Dossier à valider : {dossier['nom']}",
            user_ids=notifications.tutelles_of(con, _departement(con, dossier["finess_eg"])),
            cible_type="DOSSIER",
            cible_id=str(dossier_id),
        )


def refuse(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, version: int, motif: str) -> None:
    """Refuser (tutelle of the département): back to draft for the directeur, with the reason."""
    motif = (motif or "").strip()
    if not motif:
        raise DossierError("Indiquez le motif du refus.")
    with db.transaction(con):
        dossier = _dossier(con, dossier_id)
        require(con, user, "dossier.decider", departement=_departement(con, dossier["finess_eg"]))
        _transition(
            con,
            dossier,
            version,
            "en_validation",
            "statut = 'brouillon', motif_refus = $motif, decided_by = $u, decided_at = current_localtimestamp()",
            {"motif": motif, "u": user.user_id},
        )
        con.execute(
            "INSERT INTO dossier_message (message_id, dossier_id, user_id, texte) VALUES ($id, $d, $u, $t)",
            {
                "id": db.next_id(con, "dossier_message", "message_id"),
                "d": dossier_id,
                "u": user.user_id,
                "t": f"Refus : {motif}",
            },
        )
        audit.record(con, user.login, "dossier.refuser", "DOSSIER", str(dossier_id), None, {"motif": motif})
        notifications.notify(
            con,
            type="Avertissement",
            source="Refus DC",
            objet=f"Dossier refusé : {dossier['nom']} — {motif}",
            user_ids=notifications.people_of(con, dossier["finess_eg"]),
            cible_type="DOSSIER",
            cible_id=str(dossier_id),
        )


def validate(
    con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, version: int, *, today: dt.date | None = None
) -> str:
    """Valider (tutelle of the département): published at once, or scheduled for its date d'effet.
    Returns the new statut ('publie' / 'programme')."""
    today = today or dt.date.today()
    with db.transaction(con):
        dossier = _dossier(con, dossier_id)
        require(con, user, "dossier.decider", departement=_departement(con, dossier["finess_eg"]))
        later = dossier["date_effet"] is not None and dossier["date_effet"] > today
        _transition(
            con,
            dossier,
            version,
            "en_validation",
            "statut = $statut, decided_by = $u, decided_at = current_localtimestamp()",
            {"statut": "programme" if later else "publie", "u": user.user_id},
        )
        audit.record(con, user.login, "dossier.valider", "DOSSIER", str(dossier_id), None, None)
        if not later:
            _publish(con, dossier)
        notifications.notify(
            con,
            type="Succès",
            source="Validation DC",
            objet=f"Dossier validé : {dossier['nom']}"
            + (f" (publication le {dossier['date_effet']:%d/%m/%Y})" if later else " et publié"),
            user_ids=notifications.people_of(con, dossier["finess_eg"]),
            cible_type="DOSSIER",
            cible_id=str(dossier_id),
        )
    return "programme" if later else "publie"


def publish_due(con: duckdb.DuckDBPyConnection, today: dt.date | None = None) -> list[int]:
    """Publish the scheduled dossiers whose date d'effet has come; each one whole or not at all (a failure
    leaves it scheduled and raises an Erreur notification). Returns the dossiers published."""
    today = today or dt.date.today()
    due = con.sql(
        "SELECT dossier_id FROM dossier WHERE statut = 'programme' AND date_effet <= $d ORDER BY 1",
        params={"d": today},
    ).fetchall()
    published = []
    for (dossier_id,) in due:
        try:
            with db.transaction(con):
                dossier = _dossier(con, dossier_id)
                _transition(con, dossier, dossier["version"], "programme", "statut = 'publie'", {})
                _publish(con, dossier)
                audit.record(con, "système", "dossier.publier", "DOSSIER", str(dossier_id), None, None)
                notifications.notify(
                    con,
                    type="Succès",
                    source="Publication",
                    objet=f"Dossier publié : {dossier['nom']}",
                    user_ids=notifications.people_of(con, dossier["finess_eg"]),
                    cible_type="DOSSIER",
                    cible_id=str(dossier_id),
                )
            published.append(dossier_id)
        except Exception as exc:  # any failure: nothing of this dossier was written; say so
            with db.transaction(con):
                notifications.notify(
                    con,
                    type="Erreur",
                    source="Erreur",
                    objet=f"Publication impossible du dossier {dossier_id} : {exc}",
                    user_ids=notifications.people_of(con, _dossier(con, dossier_id)["finess_eg"]),
                    cible_type="DOSSIER",
                    cible_id=str(dossier_id),
                )
    return published


def _publish(con: duckdb.DuckDBPyConnection, dossier: dict) -> None:
    """Write every fiche of the dossier into the répertoire, and resolve the anomalies it names (inside the
    caller's transaction)."""
    fiches = con.sql(
        "SELECT niveau, uo_id, action, data::VARCHAR FROM dossier_fiche WHERE dossier_id = $id ORDER BY fiche_id",
        params={"id": dossier["dossier_id"]},
    ).fetchall()
    finess = dossier["finess_eg"]
    for niveau, uo_id, action, raw in fiches:
        data = json.loads(raw)
        if niveau == "EG":
            records.write(con, "eg", finess, {f: data.get(f) for f in EG_FIELDS}, "dossier")
        elif action == "ferme":
            records.write(con, "uo", uo_id, {"statut": "fermee"}, "dossier")
        elif action == "ajoute":
            new_id = db.next_id(con, "uo", "uo_id")
            con.execute(
                "INSERT INTO uo (uo_id, finess_eg, nom, type_code, champ_code, discipline, source) "
                "VALUES ($id, $f, $nom, $t, $c, $d, 'dossier')",
                {
                    "id": new_id,
                    "f": finess,
                    "nom": data["nom"],
                    "t": data["type_code"],
                    "c": data["champ_code"],
                    "d": data["discipline"],
                },
            )
            _write_uo(con, new_id, data)
        elif action == "modifie":
            _write_uo(con, uo_id, data)
    search_index.record_write(con, [finess])
    anomalies.resolve_by_dossier(con, dossier["dossier_id"], dossier["nom"])


def _write_uo(con, uo_id: int, data: dict) -> None:
    records.write(con, "uo", uo_id, {f: data.get(f) for f in UO_FIELDS}, "dossier")
    con.execute("DELETE FROM uo_code WHERE uo_id = $id", {"id": uo_id})
    for system, codes in data.get("codes", {}).items():
        for code in codes:
            con.execute("INSERT INTO uo_code VALUES ($id, $s, $c)", {"id": uo_id, "s": system, "c": code})
    records.replace_planning(con, uo_id, data.get("creneaux", []), data.get("fermetures", []))


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
    dossier = _dossier(con, fiche["dossier_id"])
    _require_draft(con, user, dossier)
    return dossier, fiche


def _require_draft(con: duckdb.DuckDBPyConnection, user: User, dossier: dict) -> None:
    """Only the EG's people edit a dossier, and only while it is a draft."""
    require(con, user, "dossier.editer", finess_eg=dossier["finess_eg"])
    if dossier["statut"] != "brouillon":
        raise DossierError(f"Le dossier est « {STATUS_LABELS[dossier['statut']]} » : il ne peut plus être modifié.")


def _clean(con: duckdb.DuckDBPyConnection, changes: dict, current: dict) -> dict:
    """The changes checked field by field (phones, e-mails, texts, ages, capacity, address, planning);
    ValidationError names every wrong field in French, and nothing is saved."""
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
        data = {**current, **_clean(con, changes, current)}
        missing = missing_fields(fiche["niveau"], data) if finalise else []
        action = fiche["action"] if fiche["action"] in ("ajoute", "ferme") or not changes else "modifie"
        con.execute(
            "UPDATE dossier_fiche SET data = $data, action = $a, finalise = $fin, "
            "updated_at = current_localtimestamp() WHERE fiche_id = $id",
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
        fiche_id = _insert_fiche(con, dossier_id, "UO", None, "ajoute", blank | data)
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
        dossier = _dossier(con, dossier_id)
        _require_draft(con, user, dossier)
        con.execute("UPDATE dossier SET nom = $n WHERE dossier_id = $id", {"n": nom, "id": dossier_id})
        audit.record(con, user.login, "dossier.renommer", "DOSSIER", str(dossier_id), dossier["nom"], nom)


def can_see(user: User, finess_eg: str, departement: str) -> bool:
    """The EG's directeur and référents, the tutelle of its département, the support and the administrators."""
    return (
        user.role in ("support", "admin")
        or allowed(user, "dossier.editer", finess_eg=finess_eg)
        or allowed(user, "dossier.decider", departement=departement)
    )


def comment(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, texte: str) -> None:
    """A message in the dossier's thread, by its establishment's people or its tutelle."""
    texte = (texte or "").strip()
    if not texte:
        raise DossierError("Le message est vide.")
    if len(texte) > 2000:
        raise DossierError("Le message dépasse 2 000 caractères.")
    with db.transaction(con):
        user = signed_in(con, user)
        dossier = _dossier(con, dossier_id)
        departement = _departement(con, dossier["finess_eg"])
        if not (
            allowed(user, "dossier.editer", finess_eg=dossier["finess_eg"])
            or allowed(user, "dossier.decider", departement=departement)
        ):
            raise PermissionDenied("Votre profil ne vous permet pas d'écrire dans ce dossier.")
        con.execute(
            "INSERT INTO dossier_message (message_id, dossier_id, user_id, texte) VALUES ($id, $d, $u, $t)",
            {"id": db.next_id(con, "dossier_message", "message_id"), "d": dossier_id, "u": user.user_id, "t": texte},
        )
        audit.record(con, user.login, "dossier.message", "DOSSIER", str(dossier_id), None, None)


# ---------------------------------------------------------------------------------------------------------
# What changes


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
    dossier = _dossier(con, dossier_id)
    labels = _labels(con) | {
        ("OI", str(oi_id)): nom
        for oi_id, nom in con.sql(
            "SELECT oi_id, nom FROM oi WHERE finess_eg = $f", params={"f": dossier["finess_eg"]}
        ).fetchall()
    }
    changes = []

    def add(niveau, cible, action, champ, avant, apres):
        changes.append(
            {"niveau": niveau, "cible": cible, "action": action, "champ": champ, "avant": avant, "après": apres}
        )

    for niveau, uo_id, action, raw in con.sql(
        "SELECT niveau, uo_id, action, data::VARCHAR FROM dossier_fiche WHERE dossier_id = $id "
        "AND action <> 'inchange' ORDER BY niveau = 'UO', fiche_id",
        params={"id": dossier_id},
    ).fetchall():
        data = json.loads(raw)
        if niveau == "EG":
            before, target, verb = (
                json.loads(json.dumps(_eg_data(con, dossier["finess_eg"]), default=str)),
                "Établissement",
                "modifiée",
            )
        elif action == "ajoute":
            before, target, verb = {"codes": {}}, data["nom"], "ajoutée"
        else:
            before = json.loads(json.dumps(_uo_data(con, uo_id), default=str))
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
