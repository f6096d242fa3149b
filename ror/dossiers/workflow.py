"""The life of a dossier collaboratif: created from the répertoire, sent for validation by the directeur,
validated (published at its date d'effet) or refused by the tutelle, and its thread of messages.

States (dossier.statut): brouillon → en_validation → programme (date d'effet to come) → publie, or
en_validation → brouillon again when refused (motif_refus kept, and in the thread). Every transition is one
transaction with its audit row and checks the dossier's version: of two people acting at once, exactly one
wins and the other is told so. Publication writes the whole dossier or nothing.
"""

from __future__ import annotations

import datetime as dt
import json

import duckdb
import polars as pl

from ror import anomalies
from ror.core import audit, clock, db, reference
from ror.core.auth import User
from ror.core.errors import Conflict
from ror.core.permissions import PermissionDenied, allowed, require, signed_in
from ror.dossiers import notifications
from ror.dossiers.drafts import (
    EG_FIELDS,
    OPEN_STATES,
    UO_FIELDS,
    DossierError,
    departement_of,
    dossier_row,
    insert_fiche,
    uo_data_many,
)
from ror.recherche import search_index
from ror.repertoire import records

REFUSAL_REASONS = (
    "Informations incomplètes",
    "Capacité non conforme à l'autorisation",
    "Type d'unité inadapté à la catégorie de l'établissement",
    "Règles de nommage non respectées",
    "Doublon d'une unité existante",
    "Autre",
)


def create(con: duckdb.DuckDBPyConnection, user: User, finess_eg: str, *, today: dt.date | None = None) -> int:
    """A draft copy of the EG and all its active UO, named '<EG> – <date>'. One open dossier per EG."""
    require(con, user, "dossier.editer", finess_eg=finess_eg)
    today = today or clock.today()
    with db.transaction(con):
        existing = open_one(con, finess_eg)
        if existing is not None:
            raise DossierError(f"Un dossier est déjà ouvert pour cet établissement (n° {existing}).")
        name = eg_name(con, finess_eg)
        dossier_id = start(con, finess_eg, f"{name} – {today:%d/%m/%Y}", user.user_id)
        audit.record(con, user.login, "dossier.creer", "DOSSIER", str(dossier_id), None, {"finess_eg": finess_eg})
    return dossier_id


def eg_name(con: duckdb.DuckDBPyConnection, finess_eg: str) -> str:
    """The name the EG is known by (its nom d'usage, else its FINESS name)."""
    rows = con.sql("SELECT coalesce(nom_usage, nom) FROM eg WHERE finess_eg = $f", params={"f": finess_eg}).fetchall()
    return rows[0][0]


def start(
    con: duckdb.DuckDBPyConnection, finess_eg: str, nom: str, created_by: int, *, peuplement: bool = False
) -> int:
    """Insert a draft dossier named `nom` holding a copy of the EG and its active UO (inside the caller's
    transaction, once it has checked who may); returns its number."""
    return start_many(con, {finess_eg: nom}, created_by, peuplement=peuplement)[0]


def start_many(
    con: duckdb.DuckDBPyConnection, names: dict[str, str], created_by: int, *, peuplement: bool = False
) -> list[int]:
    """`start` for many EG at once (finess_eg -> the dossier's name), in a few statements whatever their number (the
    peuplement dossiers of a whole import); returns their numbers, in the order of `names`."""
    if not names:
        return []
    finess = list(names)
    eg = records.read_many(con, "eg", finess, EG_FIELDS)
    first = db.next_id(con, "dossier", "dossier_id")
    dossier_ids = list(range(first, first + len(finess)))
    first_fiche = db.next_id(con, "dossier_fiche", "fiche_id")
    rows = {"dossier_id": dossier_ids, "finess_eg": finess, "nom": [names[f] for f in finess]}
    reference.insert_frame(
        con,
        "dossier",
        pl.DataFrame(rows, schema_overrides={"dossier_id": pl.Int64}).with_columns(
            statut=pl.lit("brouillon"), created_by=pl.lit(created_by, pl.Int64), peuplement=pl.lit(peuplement)
        ),
    )
    fiches = {
        "fiche_id": list(range(first_fiche, first_fiche + len(finess))),
        "dossier_id": dossier_ids,
        "data": [json.dumps(eg[f], default=str) for f in finess],
    }
    reference.insert_frame(
        con,
        "dossier_fiche",
        pl.DataFrame(fiches, schema_overrides={"fiche_id": pl.Int64, "dossier_id": pl.Int64}).with_columns(
            niveau=pl.lit("EG"), action=pl.lit("inchange")
        ),
    )
    units = con.sql(
        "SELECT finess_eg, uo_id FROM uo WHERE list_contains($f, finess_eg) AND statut = 'active' ORDER BY uo_id",
        params={"f": finess},
    ).fetchall()
    dossier_of = dict(zip(finess, dossier_ids, strict=True))
    copies = uo_data_many(con, [uo_id for _, uo_id in units])  # a unit's copy holds its codes and planning
    for finess_eg, uo_id in units:
        insert_fiche(con, dossier_of[finess_eg], "UO", uo_id, "inchange", copies[uo_id])
    return dossier_ids


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
    today = today or clock.today()
    with db.transaction(con):
        dossier = dossier_row(con, dossier_id)
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
            "statut = 'en_validation', date_effet = $date, sent_by = $u, sent_at = current_timestamp",
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
            user_ids=notifications.tutelles_of(con, departement_of(con, dossier["finess_eg"])),
            cible_type="DOSSIER",
            cible_id=str(dossier_id),
        )


def refuse(con: duckdb.DuckDBPyConnection, user: User, dossier_id: int, version: int, motif: str) -> None:
    """Refuser (tutelle of the département): back to draft for the directeur, with the reason."""
    motif = (motif or "").strip()
    if not motif:
        raise DossierError("Indiquez le motif du refus.")
    with db.transaction(con):
        dossier = dossier_row(con, dossier_id)
        require(con, user, "dossier.decider", departement=departement_of(con, dossier["finess_eg"]))
        _transition(
            con,
            dossier,
            version,
            "en_validation",
            "statut = 'brouillon', motif_refus = $motif, decided_by = $u, decided_at = current_timestamp",
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
    today = today or clock.today()
    with db.transaction(con):
        dossier = dossier_row(con, dossier_id)
        require(con, user, "dossier.decider", departement=departement_of(con, dossier["finess_eg"]))
        later = dossier["date_effet"] is not None and dossier["date_effet"] > today
        _transition(
            con,
            dossier,
            version,
            "en_validation",
            "statut = $statut, decided_by = $u, decided_at = current_timestamp",
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
    today = today or clock.today()
    due = con.sql(
        "SELECT dossier_id FROM dossier WHERE statut = 'programme' AND date_effet <= $d ORDER BY 1",
        params={"d": today},
    ).fetchall()
    published = []
    for (dossier_id,) in due:
        try:
            with db.transaction(con):
                dossier = dossier_row(con, dossier_id)
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
        except Exception as exc:  # any failure: nothing of this dossier was written; say so, and to whom to turn
            with db.transaction(con):
                notifications.notify(
                    con,
                    type="Erreur",
                    source="Erreur",
                    objet=f"Publication impossible du dossier {dossier_id} : rien n'a été publié. Contactez le "
                    "support régional, qui a reçu le détail de l'erreur.",
                    user_ids=notifications.people_of(con, dossier_row(con, dossier_id)["finess_eg"]),
                    cible_type="DOSSIER",
                    cible_id=str(dossier_id),
                )
                notifications.notify(
                    con,
                    type="Erreur",
                    source="Erreur",
                    objet=f"Publication impossible du dossier {dossier_id} (l'établissement est prévenu) : "
                    f"{type(exc).__name__} — {str(exc)[:300]}",
                    user_ids=notifications.support_accounts(con),
                    cible_type="DOSSIER",
                    cible_id=str(dossier_id),
                )
    return published


def _publish(con: duckdb.DuckDBPyConnection, dossier: dict) -> None:
    """Write every fiche of the dossier into the répertoire, and resolve the anomalies it names (inside the
    caller's transaction). A few statements for the whole dossier, whatever its number of fiches."""
    fiches = con.sql(
        "SELECT niveau, uo_id, action, data::VARCHAR AS data FROM dossier_fiche "
        "WHERE dossier_id = $id AND (niveau = 'EG' OR action <> 'inchange') ORDER BY fiche_id",
        params={"id": dossier["dossier_id"]},
    ).pl()
    finess = dossier["finess_eg"]
    eg = fiches.filter(pl.col("niveau") == "EG").select(finess_eg=pl.lit(finess), data="data")
    records.write_from_json(con, "eg", eg, EG_FIELDS, "dossier")
    units = fiches.filter(pl.col("niveau") == "UO")
    closed = units.filter(pl.col("action") == "ferme").select(uo_id="uo_id", data=pl.lit('{"statut": "fermee"}'))
    records.write_from_json(con, "uo", closed, ("statut",), "dossier")
    added = units.filter(pl.col("action") == "ajoute")
    first = db.next_id(con, "uo", "uo_id")
    added = added.with_columns(uo_id=pl.int_range(first, first + added.height, dtype=pl.Int64))
    con.register("_added", added.select("uo_id", "data"))
    try:
        con.execute(
            "INSERT INTO uo (uo_id, finess_eg, nom, type_code, champ_code, discipline, source) "
            "SELECT uo_id, $f, data::JSON ->> 'nom', data::JSON ->> 'type_code', data::JSON ->> 'champ_code', "
            "data::JSON ->> 'discipline', 'dossier' FROM _added",
            {"f": finess},
        )
    finally:
        con.unregister("_added")
    written = pl.concat([added, units.filter(pl.col("action") == "modifie")]).select("uo_id", "data")
    records.write_from_json(con, "uo", written, UO_FIELDS, "dossier")
    _write_codes_and_plannings(con, written)
    search_index.record_write(con, [finess])
    anomalies.resolve_by_dossier(con, dossier["dossier_id"], dossier["nom"])


def _write_codes_and_plannings(con: duckdb.DuckDBPyConnection, units: pl.DataFrame) -> None:
    """The code lists, semaine type and closing periods of the UO written, as their fiches say."""
    codes, plannings = [], {}
    for uo_id, raw in units.iter_rows():
        data = json.loads(raw)
        codes += [(uo_id, system, code) for system, found in data.get("codes", {}).items() for code in found]
        plannings[uo_id] = (data.get("creneaux", []), data.get("fermetures", []))
    con.register("_ids", units.select("uo_id"))
    schema = {"uo_id": pl.Int64, "system": pl.String, "code": pl.String}
    con.register("_codes", pl.DataFrame(codes, schema=schema, orient="row"))
    try:
        con.execute("DELETE FROM uo_code WHERE uo_id IN (SELECT uo_id FROM _ids)")
        con.execute("INSERT INTO uo_code SELECT uo_id, system, code FROM _codes")
    finally:
        con.unregister("_ids")
        con.unregister("_codes")
    records.replace_plannings(con, plannings)


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
        dossier = dossier_row(con, dossier_id)
        departement = departement_of(con, dossier["finess_eg"])
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
