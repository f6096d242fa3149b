"""Reference data: nomenclatures, communes and départements, loaded from the files of data/."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from ror.core import config
from ror.recherche.geo import area_km2

NOMENCLATURE_DIR = config.DATA_DIR / "nomenclatures"
GEO_DIR = config.DATA_DIR / "geo"

# system -> (file, has a short label column, has a status column)
NOMENCLATURE_FILES = {
    "TRE_R66": "TRE_R66_CategorieEtablissement.csv",
    "TRE_R211": "TRE_R211_ActiviteOperationnelle.csv",
    "TRE_R213": "TRE_R213_ModePriseEnCharge.csv",
    "TRE_R227": "TRE_R227_ChampActivite.csv",
    "TRE_R239": "TRE_R239_PublicPrisEnCharge.csv",
    "TRE_R240": "TRE_R240_TemporaliteAccueil.csv",
    "TRE_R243": "TRE_R243_CompetenceSpecifique.csv",
    "TRE_R244": "TRE_R244_CategorieOrganisation.csv",
    "TRE_R245": "TRE_R245_SpecialisationDePriseEnCharge.csv",
    "TRE_R338": "TRE_R338_ModaliteAccueil.csv",
    "JDV_J203": "JDV_J203_TypeOrganisationInterne_ROR.csv",
    "APTITUDE_ROR_IF": "APTITUDE_ROR_IF.csv",
}
PROFESSION_FILE = "JDV_J186_ProfessionRessource_ROR.csv"  # system;code;libelle (codes of several TRE)

# The labels a user sees for the systems of a UO's code lists.
UO_CODE_SYSTEMS = {
    "TRE_R211": "Activités opérationnelles",
    "APTITUDE_ROR_IF": "Aptitudes",
    "TRE_R245": "Spécialisations de prise en charge",
    "TRE_R243": "Compétences spécifiques",
    "JDV_J186": "Professions ressources",
    "TRE_R239": "Publics pris en charge",
    "TRE_R338": "Modalités d'accueil",
}

DEPARTEMENT_NAMES = {
    "75": "Paris",
    "77": "Seine-et-Marne",
    "78": "Yvelines",
    "91": "Essonne",
    "92": "Hauts-de-Seine",
    "93": "Seine-Saint-Denis",
    "94": "Val-de-Marne",
    "95": "Val-d'Oise",
}


def read_nomenclatures() -> pl.DataFrame:
    """Every code list as rows (system, code, libelle, libelle_court, actif)."""
    frames = []
    for system, file in NOMENCLATURE_FILES.items():
        df = pl.read_csv(NOMENCLATURE_DIR / file, separator=";", infer_schema=False)
        frames.append(
            pl.DataFrame(
                {
                    "system": system,
                    "code": df["code"],
                    "libelle": df["libelle"],
                    "libelle_court": df["libelle_court"] if "libelle_court" in df.columns else None,
                    "actif": (df["statut"] != "deprecated") if "statut" in df.columns else True,
                },
                schema_overrides={"libelle_court": pl.String},
            )
        )
    professions = pl.read_csv(NOMENCLATURE_DIR / PROFESSION_FILE, separator=";", infer_schema=False)
    # J186 gathers codes of several TRE: the code is prefixed by its TRE to stay unique.
    frames.append(
        pl.DataFrame(
            {
                "system": "JDV_J186",
                "code": professions["system"].str.extract(r"^(TRE_\w+?)-") + ":" + professions["code"],
                "libelle": professions["libelle"],
                "libelle_court": None,
                "actif": True,
            },
            schema_overrides={"libelle_court": pl.String},
        )
    )
    return pl.concat(frames).with_columns(pl.col("libelle").str.strip_chars()).filter(pl.col("libelle") != "")


def read_commune_boundaries() -> pl.DataFrame:
    """code_insee, geojson (the geometry), superficie_km2 of every commune of the bundled boundaries."""
    geo = json.loads((GEO_DIR / "communes-ile-de-france.geojson").read_text(encoding="utf-8"))
    return pl.DataFrame(
        [
            {
                "code_insee": f["properties"]["code"],
                "geojson": json.dumps(f["geometry"], separators=(",", ":")),
                "superficie_km2": round(area_km2(f["geometry"]), 3),
            }
            for f in geo["features"]
        ]
    )


def read_communes() -> pl.DataFrame:
    """The communes with their centroid, population and postal codes, and their boundary and area."""
    df = pl.read_csv(GEO_DIR / "communes_idf_centroides.csv", separator=";", infer_schema=False)
    return df.select(
        pl.col("code_insee"),
        pl.col("nom"),
        pl.col("departement"),
        pl.col("codes_postaux"),
        pl.col("lat").cast(pl.Float64),
        pl.col("lon").cast(pl.Float64),
        pl.col("population").cast(pl.Int32),
        (pl.col("in_cog_2026") == "True").alias("actuelle"),
    ).join(read_commune_boundaries(), on="code_insee", how="left")


def read_departements() -> pl.DataFrame:
    geo = json.loads((GEO_DIR / "departements-ile-de-france.geojson").read_text(encoding="utf-8"))
    rows = [
        {
            "code": f["properties"]["code"],
            "nom": f["properties"]["nom"],
            "geojson": json.dumps(f["geometry"], separators=(",", ":")),
        }
        for f in geo["features"]
    ]
    return pl.DataFrame(rows)


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    """Replace the reference tables by the bundled files (inside the caller's transaction)."""
    nomenclatures = read_nomenclatures()
    communes = read_communes()
    departements = read_departements()
    for table, frame in (("nomenclature", nomenclatures), ("commune", communes), ("departement", departements)):
        con.execute(f"DELETE FROM {table}")  # fixed table names
        insert_frame(con, table, frame)


def insert_frame(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame) -> None:
    """Insert a polars frame into a table, matching columns by name (table names are never user text)."""
    con.register("_frame", frame)
    try:
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM _frame")
    finally:
        con.unregister("_frame")


# Grands groupes de discipline of the répertoire filters, in display order.
DISCIPLINES = {
    "MCO": "Médecine, chirurgie, obstétrique",
    "SMR": "Soins médicaux et de réadaptation",
    "PSY": "Psychiatrie",
    "SLD": "Soins de longue durée",
    "MSS": "Médico-social",
}
