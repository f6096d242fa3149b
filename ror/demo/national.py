"""A France-sized synthetic territory for benchmarks (`build-demo --scale national`).

Île-de-France keeps its real data; the 88 other metropolitan départements get synthetic communes around
an approximate prefecture position (data/geo/departements_france_approx.csv), sanitaire sites cloned from
the units of real Île-de-France sites, and generated médico-social establishments at a higher density,
so that the database holds more than 60 000 EG and 250 000 UO. It is for measuring speed, not for reading.
"""

from __future__ import annotations

import copy
import math
import random
from collections import defaultdict

import polars as pl

from ror.core import config
from ror.core.finess import make_finess
from ror.demo.medicosocial import SURNOMS
from ror.demo.rows import Rows
from ror.dossiers.naming import normalise_name

COMMUNES_PER_DEPARTEMENT = 380
SANITAIRE_PER_100K = 44.0
MEDICOSOCIAL_MULTIPLIER = 3.3
_PREFIXES = (
    "Saint-Martin",
    "Villeneuve",
    "Montigny",
    "Beaumont",
    "Fontaine",
    "Champagne",
    "Bourg",
    "Roche",
    "Mont",
    "Val",
    "Sainte-Marie",
    "Neuville",
    "Chateauneuf",
    "Pont",
    "Bois",
)
_SUFFIXES = (
    "sur-Loire",
    "les-Bains",
    "le-Haut",
    "la-Forêt",
    "en-Plaine",
    "sur-Mer",
    "des-Champs",
    "le-Vieux",
    "la-Rivière",
    "du-Lac",
    "en-Vallée",
    "sous-Bois",
)


def departements_table() -> pl.DataFrame:
    df = pl.read_csv(
        config.DATA_DIR / "geo" / "departements_france_approx.csv", separator=";", schema_overrides={"code": pl.String}
    )
    return df.filter(~pl.col("code").is_in(list(config.IDF_DEPARTEMENTS)))


def synthetic_territory(rng: random.Random) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(communes, départements) of the 88 départements outside Île-de-France."""
    communes = []
    deps = departements_table()
    for dep in deps.iter_rows(named=True):
        weights = [rng.lognormvariate(0, 1.3) for _ in range(COMMUNES_PER_DEPARTEMENT)]
        total = sum(weights)
        for index, weight in enumerate(weights, start=1):
            communes.append(
                {
                    "code_insee": f"{dep['code']}{index:03d}",
                    "nom": f"{rng.choice(_PREFIXES)}-{rng.choice(_SUFFIXES)}",
                    "departement": dep["code"],
                    "codes_postaux": f"{dep['code'].replace('A', '0').replace('B', '0')}{index % 1000:03d}",
                    "lat": dep["lat"] + rng.uniform(-0.45, 0.45),
                    "lon": dep["lon"] + rng.uniform(-0.6, 0.6),
                    "population": max(50, int(dep["population_milliers"] * 1000 * weight / total)),
                    "actuelle": True,
                }
            )
    departements = deps.select("code", "nom", pl.lit(None, dtype=pl.String).alias("geojson"))
    return pl.DataFrame(communes), departements


def clone_sanitaire(rows: Rows, communes: pl.DataFrame, rng: random.Random, *, taken: set[str]) -> None:
    """Give every département outside Île-de-France sanitaire sites whose units copy real IDF sites."""
    units_by_eg: dict[str, list[dict]] = defaultdict(list)
    for uo in rows.uo:
        units_by_eg[uo["finess_eg"]].append(uo)
    codes_by_uo: dict[int, list[dict]] = defaultdict(list)
    for code in rows.uo_code:
        codes_by_uo[code["uo_id"]].append(code)
    hours_by_uo: dict[int, list[dict]] = defaultdict(list)
    for hour in rows.horaire:
        hours_by_uo[hour["uo_id"]].append(hour)
    models = [eg for eg in rows.eg if units_by_eg.get(eg["finess_eg"])]
    model_weights = [len(units_by_eg[eg["finess_eg"]]) for eg in models]  # large hospitals weigh more
    others = communes.filter(~pl.col("departement").is_in(list(config.IDF_DEPARTEMENTS)))
    serial = 800000
    for (departement,), dep_communes in others.group_by("departement", maintain_order=True):
        population = dep_communes["population"].sum()
        count = math.ceil(SANITAIRE_PER_100K * population / 100_000)
        commune_rows = dep_communes.to_dicts()
        weights = dep_communes["population"].to_list()
        for _ in range(count):
            model = rng.choices(models, weights=model_weights)[0]
            commune = rng.choices(commune_rows, weights=weights)[0]
            while True:
                serial += 1
                finess_eg = make_finess(departement, serial % 1_000_000)
                if finess_eg not in taken:
                    taken.add(finess_eg)
                    break
            finess_ej = finess_eg  # one EJ per cloned site keeps the tree simple
            name = normalise_name(f"CENTRE HOSPITALIER {rng.choice(SURNOMS)} {commune['nom']}")
            rows.ej.append(
                {
                    "finess_ej": finess_ej,
                    "raison_sociale": name,
                    "departement": departement,
                    "statut_juridique": "public",
                    "source": "généré (national)",
                }
            )
            rows.eg.append(
                {
                    **model,
                    "finess_eg": finess_eg,
                    "finess_ej": finess_ej,
                    "nom": name,
                    "commune_insee": commune["code_insee"],
                    "code_postal": commune["codes_postaux"],
                    "departement": departement,
                    "lat": commune["lat"],
                    "lon": commune["lon"],
                    "coord_source": "generee",
                    "source": "généré (national)",
                }
            )
            for unit in units_by_eg[model["finess_eg"]]:
                clone = copy.copy(unit)
                clone.update(finess_eg=finess_eg, oi_id=None, source="généré (national)")
                codes = defaultdict(list)
                for code in codes_by_uo[unit["uo_id"]]:
                    codes[code["system"]].append(code["code"])
                semaine = [(h["jour"], h["debut_min"], h["fin_min"]) for h in hours_by_uo[unit["uo_id"]]]
                del clone["uo_id"], clone["horaires_renseignes"]
                rows.add_uo(clone, codes, semaine if unit["horaires_renseignes"] else None)
