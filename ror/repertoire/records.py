"""Rows of the published répertoire as plain dicts, for the two ways it is written: the mises à jour
opérationnelles (ror/repertoire/updates.py) and the publication of a dossier (ror/dossiers/). One place for the
whitelist of columns, the « who and when » stamp, and a UO's planning (semaine type and fermetures)."""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

import queries
from ror.core import db

KEYS = {"eg": "finess_eg", "uo": "uo_id"}
COLUMNS = {  # what may be read or written here; column names never come from elsewhere
    "eg": frozenset(
        """finess_eg finess_ej nom nom_usage categorie_code departement telephone email mail_alerte directeur_nom
        directeur_telephone directeur_email cme_nom cme_telephone cme_email numero_voie type_voie voie complement
        code_postal commune_insee lat lon coord_source siret date_ouverture date_autorisation finess_maj updated_at
        updated_by""".split()
    ),
    "uo": frozenset(
        """uo_id finess_eg nom oi_id type_code champ_code discipline mode_pec_code temporalite_code telephone email
        responsable_nom responsable_fonction responsable_telephone responsable_email public_enfants public_adultes
        age_min age_max lits places
        horaires_renseignes statut updated_at updated_by""".split()
    ),
}
# The French label of each field of an EG or UO fiche (histories, dossier reviews).
# The « Contacts et direction » of an EG, in reading order (labels: FIELD_LABELS): its fiche, its operational update
# and its fiche in a dossier show these.
EG_CONTACT_FIELDS = (
    "telephone",
    "email",
    "mail_alerte",
    "directeur_nom",
    "directeur_telephone",
    "directeur_email",
    "cme_nom",
    "cme_telephone",
    "cme_email",
)
# What an operational update may change of a UO (the rest of a unit goes through a dossier collaboratif).
UO_OPERATIONAL_FIELDS = (
    "nom",
    "telephone",
    "email",
    "responsable_nom",
    "responsable_fonction",
    "responsable_telephone",
    "responsable_email",
    "public_enfants",
    "public_adultes",
    "age_min",
    "age_max",
)
FIELD_HELP = {
    "mail_alerte": "L'adresse prévenue en cas de crise ou de cyberattaque.",
    "cme_nom": "Facultatif : le président de la commission médicale d'établissement (guide de la campagne SMR).",
}
FIELD_LABELS = {
    "nom": "Nom",
    "nom_usage": "Nom d'usage",
    "telephone": "Téléphone",
    "email": "E-mail",
    "mail_alerte": "Mail d'alerte",
    "directeur_nom": "Directeur",
    "directeur_telephone": "Téléphone du directeur",
    "directeur_email": "E-mail du directeur",
    "cme_nom": "Président de la CME",
    "cme_telephone": "Téléphone du président de la CME",
    "cme_email": "E-mail du président de la CME",
    "numero_voie": "Numéro",
    "type_voie": "Type de voie",
    "voie": "Voie",
    "complement": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune_insee": "Commune (code INSEE)",
    "finess_ej": "FINESS juridique",
    "categorie_code": "Catégorie FINESS",
    "lat": "Latitude",
    "lon": "Longitude",
    "coord_source": "Origine des coordonnées",
    "siret": "SIRET",
    "date_ouverture": "Date d'ouverture",
    "date_autorisation": "Date d'autorisation",
    "finess_maj": "Mise à jour FINESS",
    "oi_id": "Organisation interne",
    "type_code": "Type d'UO",
    "champ_code": "Champ d'activité",
    "discipline": "Discipline",
    "mode_pec_code": "Mode de prise en charge",
    "temporalite_code": "Temporalité d'accueil",
    "responsable_nom": "Responsable",
    "responsable_fonction": "Fonction du responsable",
    "responsable_telephone": "Téléphone du responsable",
    "responsable_email": "E-mail du responsable",
    "public_enfants": "Public enfants",
    "public_adultes": "Public adultes",
    "age_min": "Âge minimum",
    "age_max": "Âge maximum",
    "lits": "Lits",
    "places": "Places",
    "horaires_renseignes": "Horaires renseignés",
    "creneaux": "Semaine type",
    "fermetures": "Périodes de fermeture",
    "date_effet": "Date d'effet",
}


def _checked(table: str, fields) -> str:
    if table not in KEYS or not set(fields) <= COLUMNS[table]:
        raise ValueError(f"colonnes non autorisées : {table} {sorted(set(fields) - COLUMNS.get(table, set()))}")
    return KEYS[table]


def read(con: duckdb.DuckDBPyConnection, table: str, ident, fields: tuple[str, ...]) -> dict | None:
    """Some columns of one EG or UO, or None if it does not exist."""
    key = _checked(table, fields)
    found = con.sql(f"SELECT {', '.join(fields)} FROM {table} WHERE {key} = $id", params={"id": ident}).fetchall()
    return dict(zip(fields, found[0], strict=True)) if found else None


def read_many(con: duckdb.DuckDBPyConnection, table: str, idents: list, fields: tuple[str, ...]) -> dict:
    """Some columns of many EG or UO in one read: key -> {field: value} (those that do not exist are left out)."""
    key = _checked(table, fields)
    found = con.sql(
        f"SELECT {key}, {', '.join(fields)} FROM {table} WHERE list_contains($ids, {key})", params={"ids": idents}
    ).fetchall()
    return {row[0]: dict(zip(fields, row[1:], strict=True)) for row in found}


def write(con: duckdb.DuckDBPyConnection, table: str, ident, values: dict, updated_by: str) -> None:
    """Set some columns of one EG or UO and stamp who and when (inside the caller's transaction)."""
    key = _checked(table, values)
    assignments = ", ".join(f"{field} = ${field}" for field in values)
    con.execute(
        f"UPDATE {table} SET {assignments}, updated_at = current_timestamp, updated_by = $updated_by "
        f"WHERE {key} = $ident",
        {**values, "updated_by": updated_by, "ident": ident},
    )


def write_many(con: duckdb.DuckDBPyConnection, table: str, rows: pl.DataFrame) -> None:
    """Set columns of many EG or UO at once: one row per record, its key and the new values (the demo builder;
    inside the caller's transaction, nothing stamped)."""
    key = _checked(table, rows.columns)
    if rows.is_empty():
        return
    con.register("_rows", rows)
    try:
        assignments = ", ".join(f"{field} = _rows.{field}" for field in rows.columns if field != key)
        con.execute(f"UPDATE {table} SET {assignments} FROM _rows WHERE {table}.{key} = _rows.{key}")
    finally:
        con.unregister("_rows")


def write_from_json(
    con: duckdb.DuckDBPyConnection, table: str, fiches: pl.DataFrame, fields: tuple[str, ...], updated_by: str
) -> None:
    """Set `fields` of many EG or UO from fiches written as JSON — a frame of the key and `data` (VARCHAR), each
    field a member of the JSON read as its column's type — and stamp who and when (inside the caller's
    transaction; one statement whatever their number)."""
    key = _checked(table, fields)
    if fiches.is_empty():
        return
    types = dict(
        con.sql(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = $t", params={"t": table}
        ).fetchall()
    )
    assignments = ", ".join(f"{field} = CAST(_fiches.data::JSON ->> '{field}' AS {types[field]})" for field in fields)
    con.register("_fiches", fiches)
    try:
        con.execute(
            f"UPDATE {table} SET {assignments}, updated_at = current_timestamp, updated_by = $by "
            f"FROM _fiches WHERE {table}.{key} = _fiches.{key}",
            {"by": updated_by},
        )
    finally:
        con.unregister("_fiches")


Slot = tuple[int, int, int]  # jour, debut_min, fin_min
Closing = tuple[dt.date, dt.date, str, dt.date | None]  # date_debut, date_fin, motif, reouverture_prevue
CLOSING_COLUMNS = ("date_debut", "date_fin", "motif", "reouverture_prevue")


def planning(con: duckdb.DuckDBPyConnection, uo_id: int) -> tuple[list[Slot], list[Closing]]:
    """A UO's slots (by day and start) and closing periods (by start)."""
    slots = [tuple(r) for r in queries.rows(con, "uo_horaires", uo_id=uo_id)]
    closings = sorted(tuple(r) for r in queries.rows(con, "uo_fermetures", uo_id=uo_id))
    return slots, closings


def replace_planning(con: duckdb.DuckDBPyConnection, uo_id: int, slots: list, closings: list) -> None:
    """Replace a UO's slots and closing periods (inside the caller's transaction)."""
    replace_plannings(con, {uo_id: (slots, closings)})


def replace_plannings(con: duckdb.DuckDBPyConnection, plannings: dict[int, tuple[list, list]]) -> None:
    """Replace the slots and closing periods of many UO at once: uo_id -> (slots, closings), a closing's dates as
    dates or ISO texts (inside the caller's transaction; a few statements whatever their number)."""
    if not plannings:
        return
    ids = pl.DataFrame({"uo_id": list(plannings)}, schema={"uo_id": pl.Int64})
    slots = pl.DataFrame(
        [(uo_id, *slot) for uo_id, (found, _) in plannings.items() for slot in found],
        schema={"uo_id": pl.Int64, "jour": pl.Int32, "debut_min": pl.Int32, "fin_min": pl.Int32},
        orient="row",
    )
    first = db.next_id(con, "fermeture", "fermeture_id")
    closings = pl.DataFrame(
        [
            (first + n, uo_id, str(debut), str(fin), motif, str(reouverture) if reouverture else None)
            for n, (uo_id, debut, fin, motif, reouverture) in enumerate(
                (uo_id, *closing) for uo_id, (_, found) in plannings.items() for closing in found
            )
        ],
        schema={"fermeture_id": pl.Int64, "uo_id": pl.Int64, **dict.fromkeys(CLOSING_COLUMNS, pl.String)},
        orient="row",
    )
    for name, frame in (("_ids", ids), ("_slots", slots), ("_closings", closings)):
        con.register(name, frame)
    try:
        con.execute("DELETE FROM horaire WHERE uo_id IN (SELECT uo_id FROM _ids)")
        con.execute("INSERT INTO horaire SELECT uo_id, jour, debut_min, fin_min FROM _slots")
        con.execute("DELETE FROM fermeture WHERE uo_id IN (SELECT uo_id FROM _ids)")
        con.execute(
            "INSERT INTO fermeture SELECT fermeture_id, uo_id, date_debut::DATE, date_fin::DATE, motif, "
            "reouverture_prevue::DATE FROM _closings"
        )
    finally:
        for name in ("_ids", "_slots", "_closings"):
            con.unregister(name)
