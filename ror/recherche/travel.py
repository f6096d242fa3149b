"""Estimated travel time by road ("temps estimé"), without a routing service.

Method (docs/recherche.md):
- road distance = straight-line (great-circle) distance × DETOUR_FACTOR. 1.3 is the usual average ratio of
  road to straight-line distance on European road networks;
- the first URBAN_KM kilometres of road are driven at the average speed of the zones at both ends (the mean
  of the two), the rest at INTERURBAN_KMH (main roads between towns);
- zones: Paris (75), petite couronne (92, 93, 94), rural (a commune under RURAL_POPULATION inhabitants,
  the INSEE threshold of an urban unit), grande couronne (every other commune, in or outside the region).
- inside a commune (docs/territoire.md): each of the n sites a commune hosts serves an equal share of its area,
  a disc; the mean straight-line distance to the centre of a disc of radius R is 2R/3 (`local_km`).
Everything the model assumes is in `TravelModel`: a routing service can replace `minutes_expr` later.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import polars as pl

ZONE_LABELS = {
    "paris": "Paris",
    "petite_couronne": "Petite couronne",
    "grande_couronne": "Grande couronne",
    "rural": "Commune rurale",
}


@dataclass(frozen=True)
class TravelModel:
    detour_factor: float = 1.3
    # average door-to-door car speeds (km/h) in each zone, at usual daytime traffic
    speeds_kmh: dict[str, float] = field(
        default_factory=lambda: {"paris": 15.0, "petite_couronne": 22.0, "grande_couronne": 35.0, "rural": 50.0}
    )
    urban_km: float = 10.0
    interurban_kmh: float = 70.0
    rural_population: int = 2000
    petite_couronne: tuple[str, ...] = ("92", "93", "94")
    # area of a commune whose boundary is not bundled: the mean area of a French commune (about 15 km²)
    default_commune_km2: float = 15.0


MODEL = TravelModel()


def zone_expr(departement: str = "departement", population: str = "population", model: TravelModel = MODEL):
    """The zone of a place, as a polars expression over its département and its commune's population."""
    dep, pop = pl.col(departement), pl.col(population)
    return (
        pl.when(dep == "75")
        .then(pl.lit("paris"))
        .when(dep.is_in(model.petite_couronne))
        .then(pl.lit("petite_couronne"))
        .when(pop.is_not_null() & (pop < model.rural_population))
        .then(pl.lit("rural"))
        .otherwise(pl.lit("grande_couronne"))
    )


def zone_of(departement: str | None, population: int | None, model: TravelModel = MODEL) -> str:
    """The zone of one place: the rule of `zone_expr` for a single value (a polars frame per call cost ~1 ms a search;
    tests/test_search.py keeps the two equal)."""
    if departement == "75":
        return "paris"
    if departement in model.petite_couronne:
        return "petite_couronne"
    if population is not None and population < model.rural_population:
        return "rural"
    return "grande_couronne"


def minutes_expr(km: pl.Expr, origin_zone: pl.Expr, destination_zone: pl.Expr, model: TravelModel = MODEL) -> pl.Expr:
    """Estimated minutes by road for a straight-line distance between two zones (unrounded; null with km)."""
    speeds = model.speeds_kmh

    def speed(zone: pl.Expr) -> pl.Expr:
        return zone.replace_strict(speeds, default=speeds["grande_couronne"], return_dtype=pl.Float64)

    road = km * model.detour_factor
    urban_speed = (speed(origin_zone) + speed(destination_zone)) / 2
    urban = pl.min_horizontal(road, pl.lit(model.urban_km))
    interurban = (road - model.urban_km).clip(lower_bound=0)
    return (urban / urban_speed + interurban / model.interurban_kmh) * 60


def local_km(superficie_km2: pl.Expr, sites: pl.Expr, model: TravelModel = MODEL) -> pl.Expr:
    """Mean straight-line distance to the nearest of `sites` sites spread over a commune of that area: each
    serves a disc of area A/n, whose mean distance to its centre is 2/3 of its radius."""
    area = superficie_km2.fill_null(model.default_commune_km2)
    return 2 / 3 * (area / (math.pi * sites)).sqrt()
