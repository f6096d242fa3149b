"""Paris by arrondissement (data/migrations/015): Paris is one commune of 2.1 million inhabitants, its 20 municipal
arrondissements are where a person or an establishment actually is.

An address of Paris is in the arrondissement of its postal code (75013 → Paris 13e; 75016 and 75116 → Paris 16e); a
site without a geocoded position stands at its arrondissement's centre rather than at the centre of Paris."""

from __future__ import annotations

import duckdb
import polars as pl

import queries

PARIS = "75056"


def read(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """The arrondissements, 1er to 20e (queries/arrondissements.sql)."""
    return queries.run(con, "arrondissements")


def by_postal_code(arrondissements: pl.DataFrame) -> dict[str, dict]:
    """postal code → the arrondissement's row (both 75016 and 75116 give Paris 16e)."""
    return {code: row for row in arrondissements.iter_rows(named=True) for code in row["codes_postaux"].split("|")}


def of_address(arrondissements: dict[str, dict], commune_insee: str | None, code_postal: str | None) -> dict | None:
    """The arrondissement of a Paris address, from its postal code; None outside Paris or for a CEDEX code."""
    if commune_insee != PARIS or not code_postal:
        return None
    return arrondissements.get(code_postal)


def is_arrondissement(code_insee: str) -> bool:
    """Whether an INSEE code is one of an arrondissement of Paris (75101 … 75120) rather than of a commune."""
    return code_insee.startswith("751") and len(code_insee) == 5
