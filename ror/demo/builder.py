"""The one demo builder: reference data, the real sanitaire sites, generated médico-social offer, users.

The database is built in a temporary file beside the target and moved into place at the end, so that a
failed or interrupted build never leaves a half-built database (nor destroys the previous one).
"""

from __future__ import annotations

import random
from pathlib import Path

import duckdb
import polars as pl

from ror.core import arrondissements as paris
from ror.core import clock, db, reference
from ror.core.progress import Progress, no_progress
from ror.demo import national
from ror.demo.activity import add_demo_activity
from ror.demo.anomalies import add_demo_anomalies
from ror.demo.dossiers import add_demo_dossiers
from ror.demo.medicosocial import build_medicosocial
from ror.demo.quality import add_demo_quality
from ror.demo.rows import Rows
from ror.demo.sanitaire import build_sanitaire
from ror.demo.users import create_demo_users
from ror.recherche import search_index

SCALES = ("idf", "national")

# The tables written from Rows, in this order.
TABLES = ("ej", "eg", "oi", "uo", "uo_code", "horaire", "fermeture")


def build_demo(path: Path | str, *, scale: str = "idf", seed: int = 42, progress: Progress | None = None) -> dict:
    """Build the demo database at `path` (replacing it) and return the row counts of its main tables."""
    if scale not in SCALES:
        raise ValueError(f"Échelle inconnue « {scale} » : choisissez parmi {', '.join(SCALES)}.")
    progress = progress or no_progress
    rng = random.Random(seed)
    progress(0.02, "Création du schéma")
    with db.new_base(Path(path), ".building") as con:
        progress(0.05, "Chargement des nomenclatures, communes et départements")
        with db.transaction(con):
            reference.load_reference(con)
        communes = con.sql("SELECT * FROM commune WHERE actuelle").pl()
        if scale == "national":
            progress(0.08, "Création du territoire national (communes et départements synthétiques)")
            extra_communes, extra_departements = national.synthetic_territory(rng)
            with db.transaction(con):
                reference.insert_frame(con, "commune", extra_communes)
                reference.insert_frame(con, "departement", extra_departements)
            communes = con.sql("SELECT * FROM commune WHERE actuelle").pl()
        labels = _labels(con)
        arrondissements = paris.read(con)

        rows = Rows()
        progress(0.12, "Établissements sanitaires réels (SAE 2023)")
        build_sanitaire(rows, communes, labels, rng, arrondissements)
        taken = {r["finess_eg"] for r in rows.eg} | {r["finess_ej"] for r in rows.ej}
        if scale == "national":
            progress(0.25, "Établissements sanitaires des autres départements")
            national.clone_sanitaire(rows, communes, rng, taken=taken)
        progress(0.35, "Établissements médico-sociaux générés")
        build_medicosocial(
            rows,
            communes,
            labels,
            rng,
            multiplier=national.MEDICOSOCIAL_MULTIPLIER if scale == "national" else 1.0,
            taken_finess=taken,
            arrondissements=arrondissements,
        )
        for index, table in enumerate(TABLES):
            progress(0.6 + 0.3 * index / len(TABLES), f"Écriture de la table {table}")
            _write(con, table, getattr(rows, table))
        progress(0.91, "Qualité des données : dates de mise à jour, campagne SMR, erreurs de saisie")
        add_demo_quality(con, rng, clock.now())
        progress(0.92, "Comptes de démonstration")
        with db.transaction(con):
            create_demo_users(con)
            db.set_setting(con, "demo_scale", scale)
            db.set_setting(con, "demo_seed", str(seed))
            db.set_setting(con, "demo_built_at", clock.now().isoformat(timespec="seconds"))
            db.bump_data_version(con)
        add_demo_activity(con, clock.today())
        add_demo_dossiers(con, clock.today())
        add_demo_anomalies(con, clock.now())
        progress(0.95, "Index de recherche")
        search_index.refresh(con)
        counts = table_counts(con)
    progress(1.0, "Base de démonstration prête")
    return counts


def _labels(con: duckdb.DuckDBPyConnection) -> dict[str, dict[str, str]]:
    labels: dict[str, dict[str, str]] = {}
    for system, code, libelle in con.sql("SELECT system, code, libelle FROM nomenclature").fetchall():
        labels.setdefault(system, {})[code] = libelle
    return labels


def _write(con: duckdb.DuckDBPyConnection, table: str, records: list[dict]) -> None:
    if not records:
        return
    with db.transaction(con):
        reference.insert_frame(con, table, pl.DataFrame(records, infer_schema_length=None))


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    counts = {}
    for table in (*TABLES, "commune", "app_user"):  # fixed names, never user text
        counts[table] = con.sql(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return counts
