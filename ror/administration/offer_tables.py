"""The published offer as people read it: Excel (sheets EJ, EG, UO with labels and French headers, and « À propos »)
and CSV (one line per UO with its EG and EJ)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

from ror.administration import screen_exports
from ror.core import formats
from ror.repertoire.opening import DAY_NAMES

if TYPE_CHECKING:
    from ror.administration.offer_export import Offer

EJ_COLUMNS = {
    "finess_ej": "FINESS juridique",
    "raison_sociale": "Raison sociale",
    "statut_juridique": "Statut juridique",
    "departement": "Département",
    "updated_at": "Mis à jour le",
}
EG_COLUMNS = {
    "finess_eg": "FINESS géographique",
    "finess_ej": "FINESS juridique",
    "nom": "Raison sociale",
    "nom_usage": "Nom d'usage",
    "categorie_libelle": "Catégorie FINESS",
    "adresse": "Adresse",
    "complement": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "commune_insee": "Code INSEE",
    "departement": "Département",
    "telephone": "Téléphone",
    "email": "E-mail",
    "siret": "SIRET",
    "lat": "Latitude",
    "lon": "Longitude",
    "updated_at": "Mis à jour le",
}
UO_COLUMNS = {
    "uo_id": "Identifiant UO",
    "finess_eg": "FINESS géographique",
    "nom": "Unité",
    "oi_chemin": "Organisation interne",
    "type_libelle": "Type d'UO",
    "champ_libelle": "Champ d'activité",
    "discipline": "Discipline",
    "mode_pec_libelle": "Mode de prise en charge",
    "temporalite_libelle": "Temporalité d'accueil",
    "activites": "Activités opérationnelles",
    "publics": "Publics pris en charge",
    "public": "Patientèle",
    "ages": "Âges",
    "lits": "Lits",
    "places": "Places",
    "telephone": "Téléphone",
    "email": "E-mail",
    "responsable_nom": "Responsable",
    "semaine_type": "Semaine type",
    "statut_libelle": "Statut",
    "updated_at": "Mis à jour le",
}


def _hhmm(minutes: int) -> str:
    return formats.clock(minutes % 1440).replace(":", "h")


def week_text(slots: list[dict]) -> str:
    """A UO's semaine type in a line: « lun 08h00-18h00, mar 08h00-18h00 … »."""
    return ", ".join(f"{DAY_NAMES[s['jour']][:3].lower()} {_hhmm(s['debut_min'])}-{_hhmm(s['fin_min'])}" for s in slots)


def _labels(codes: list[dict], system: str) -> str:
    return " | ".join(c["libelle"] for c in codes if c["system"] == system)


def people_frames(offer: Offer) -> dict[str, pl.DataFrame]:
    """The three levels with labels and French headers, as a person reads them."""
    eg = offer.eg.with_columns(
        pl.concat_str(["numero_voie", "type_voie", "voie"], separator=" ", ignore_nulls=True).alias("adresse")
    )
    uo = offer.uo.with_columns(
        pl.col("codes").map_elements(lambda c: _labels(c, "TRE_R211"), return_dtype=pl.String).alias("activites"),
        pl.col("codes").map_elements(lambda c: _labels(c, "TRE_R239"), return_dtype=pl.String).alias("publics"),
        pl.col("horaires").map_elements(week_text, return_dtype=pl.String).alias("semaine_type"),
        pl.when(pl.col("public_enfants") & pl.col("public_adultes"))
        .then(pl.lit("Enfants et adultes"))
        .when(pl.col("public_enfants"))
        .then(pl.lit("Enfants"))
        .otherwise(pl.lit("Adultes"))
        .alias("public"),
        pl.concat_str(
            [pl.col("age_min").cast(pl.String).fill_null("0"), pl.col("age_max").cast(pl.String).fill_null("…")],
            separator=" – ",
        ).alias("ages"),
        pl.when(pl.col("statut") == "active")
        .then(pl.lit("Active"))
        .otherwise(pl.lit("Fermée"))
        .alias("statut_libelle"),
    )
    return {
        "EJ": screen_exports.french(offer.ej, EJ_COLUMNS),
        "EG": screen_exports.french(eg, EG_COLUMNS),
        "UO": screen_exports.french(uo, UO_COLUMNS),
    }


def _about(offer: Offer) -> list[tuple[str, str]]:
    about = [("Périmètre", offer.scope.label), ("Offre publiée au", f"{offer.until:%d/%m/%Y à %H:%M}")]
    if offer.since:
        about.append(("Changements depuis le", f"{offer.since:%d/%m/%Y à %H:%M}"))
    return [*about, ("EJ / EG / UO", f"{offer.ej.height} / {offer.eg.height} / {offer.uo.height}")]


def to_xlsx(offer: Offer) -> bytes:
    """Excel: sheets EJ, EG, UO (labels, French headers) and « À propos »."""
    return screen_exports.workbook_xlsx(people_frames(offer), _about(offer))


def to_csv(offer: Offer) -> bytes:
    """CSV (`;`, UTF-8 with BOM for Excel): one line per UO, with its EG and EJ."""
    frames = people_frames(offer)
    eg = frames["EG"].rename({"Mis à jour le": "EG mis à jour le", "Téléphone": "Téléphone EG", "E-mail": "E-mail EG"})
    ej = frames["EJ"].drop("Mis à jour le", "Département").rename({"Raison sociale": "Raison sociale EJ"})
    table = frames["UO"].join(eg, on="FINESS géographique", how="left").join(ej, on="FINESS juridique", how="left")
    return screen_exports.write_csv(table)
