"""Integrity report of a database: what `python -m ror check` prints and the Qualité page shows."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror.core.finess import finess_error

ERREUR, AVERTISSEMENT = "erreur", "avertissement"


@dataclass(frozen=True)
class Check:
    name: str  # queries/checks/<name>.sql
    title: str
    severity: str


CHECKS = (
    Check("eg_without_ej", "EG rattachées à une EJ inexistante", ERREUR),
    Check("uo_without_eg", "UO rattachées à une EG inexistante", ERREUR),
    Check("oi_without_eg", "Organisations internes orphelines", ERREUR),
    Check("rows_without_uo", "Listes, horaires ou fermetures d'une UO inexistante", ERREUR),
    Check("uo_without_activite", "UO sans activité opérationnelle", ERREUR),
    Check("uo_mss_without_specialisation", "UO médico-sociales sans spécialisation de prise en charge", ERREUR),
    Check("unknown_codes", "Codes absents des nomenclatures", ERREUR),
    Check("uo_discipline_invalid", "UO sans grand groupe de discipline valide", ERREUR),
    Check("eg_without_coordinates", "EG sans coordonnées (ou hors de France)", ERREUR),
    Check("eg_far_from_commune", "EG à plus de 15 km de leur commune (géolocalisation douteuse)", AVERTISSEMENT),
    Check("eg_finess_other_departement", "EG dont le FINESS ne commence pas par leur département", AVERTISSEMENT),
    Check("eg_without_uo", "EG sans aucune UO active", AVERTISSEMENT),
)
INVALID_FINESS = Check("invalid_finess", "Numéros FINESS invalides", ERREUR)


@dataclass(frozen=True)
class CheckResult:
    check: Check
    rows: pl.DataFrame  # identifiant, libelle

    @property
    def count(self) -> int:
        return self.rows.height


def invalid_finess(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    """EJ and EG whose FINESS number breaks the rule of ror.core.finess (length, prefix, control key)."""
    found = [
        {"identifiant": f"{niveau} {finess}", "libelle": f"{nom} : {error}"}
        for niveau, finess, nom in queries.rows(con, "checks/all_finess")
        if (error := finess_error(finess))
    ]
    return pl.DataFrame(found, schema={"identifiant": pl.String, "libelle": pl.String})


def run_checks(con: duckdb.DuckDBPyConnection) -> list[CheckResult]:
    results = [CheckResult(check, queries.run(con, f"checks/{check.name}")) for check in CHECKS]
    results.insert(0, CheckResult(INVALID_FINESS, invalid_finess(con)))
    return results


def has_errors(results: list[CheckResult]) -> bool:
    return any(r.count and r.check.severity == ERREUR for r in results)


def report(results: list[CheckResult], *, examples: int = 5) -> str:
    """The French text report, with a few examples of each problem."""
    lines = []
    for result in results:
        mark = "OK " if not result.count else ("ERR" if result.check.severity == ERREUR else "AVT")
        lines.append(f"[{mark}] {result.check.title} : {result.count}")
        for identifiant, libelle in result.rows.head(examples).iter_rows():
            lines.append(f"        - {identifiant} : {libelle}")
        if result.count > examples:
            lines.append(f"        … et {result.count - examples} autre(s)")
    errors = sum(r.count for r in results if r.check.severity == ERREUR)
    lines.append("")
    lines.append("Base intègre." if not errors else f"{errors} anomalie(s) d'intégrité à corriger.")
    return "\n".join(lines)
