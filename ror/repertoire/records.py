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
        directeur_telephone directeur_email numero_voie type_voie voie complement code_postal commune_insee lat lon
        coord_source siret date_ouverture date_autorisation finess_maj updated_at updated_by""".split()
    ),
    "uo": frozenset(
        """uo_id finess_eg nom oi_id type_code champ_code discipline mode_pec_code temporalite_code telephone email
        responsable_nom responsable_email public_enfants public_adultes age_min age_max lits places
        horaires_renseignes statut updated_at updated_by""".split()
    ),
}
# The French label of each field of an EG or UO fiche (histories, dossier reviews).
# The « Contacts et direction » of an EG, in reading order (labels: FIELD_LABELS): its fiche, its operational update
# and its fiche in a dossier show these.
EG_CONTACT_FIELDS = ("telephone", "email", "mail_alerte", "directeur_nom", "directeur_telephone", "directeur_email")
# What an operational update may change of a UO (the rest of a unit goes through a dossier collaboratif).
UO_OPERATIONAL_FIELDS = (
    "nom",
    "telephone",
    "email",
    "responsable_nom",
    "responsable_email",
    "public_enfants",
    "public_adultes",
    "age_min",
    "age_max",
)
FIELD_HELP = {"mail_alerte": "L'adresse prévenue en cas de crise ou de cyberattaque."}
FIELD_LABELS = {
    "nom": "Nom",
    "nom_usage": "Nom d'usage",
    "telephone": "Téléphone",
    "email": "E-mail",
    "mail_alerte": "Mail d'alerte",
    "directeur_nom": "Directeur",
    "directeur_telephone": "Téléphone du directeur",
    "directeur_email": "E-mail du directeur",
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


def write(con: duckdb.DuckDBPyConnection, table: str, ident, values: dict, updated_by: str) -> None:
    """Set some columns of one EG or UO and stamp who and when (inside the caller's transaction)."""
    key = _checked(table, values)
    assignments = ", ".join(f"{field} = ${field}" for field in values)
    con.execute(
        f"UPDATE {table} SET {assignments}, updated_at = current_localtimestamp(), updated_by = $updated_by "
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


Slot = tuple[int, int, int]  # jour, debut_min, fin_min
Closing = tuple[dt.date, dt.date, str, dt.date | None]  # date_debut, date_fin, motif, reouverture_prevue


def planning(con: duckdb.DuckDBPyConnection, uo_id: int) -> tuple[list[Slot], list[Closing]]:
    """A UO's slots (by day and start) and closing periods (by start)."""
    slots = [tuple(r) for r in queries.rows(con, "uo_horaires", uo_id=uo_id)]
    closings = sorted(tuple(r) for r in queries.rows(con, "uo_fermetures", uo_id=uo_id))
    return slots, closings


def replace_planning(con: duckdb.DuckDBPyConnection, uo_id: int, slots: list, closings: list) -> None:
    """Replace a UO's slots and closing periods (inside the caller's transaction)."""
    con.execute("DELETE FROM horaire WHERE uo_id = $id", {"id": uo_id})
    for jour, debut, fin in slots:
        con.execute("INSERT INTO horaire VALUES ($id, $j, $d, $f)", {"id": uo_id, "j": jour, "d": debut, "f": fin})
    con.execute("DELETE FROM fermeture WHERE uo_id = $id", {"id": uo_id})
    for debut, fin, motif, reouverture in closings:
        con.execute(
            "INSERT INTO fermeture VALUES ($fid, $id, $d, $f, $m, $r)",
            {
                "fid": db.next_id(con, "fermeture", "fermeture_id"),
                "id": uo_id,
                "d": debut,
                "f": fin,
                "m": motif,
                "r": reouverture,
            },
        )
