"""Estimated travel time by road ("temps estimé"), without a routing service.

Method (docs/recherche.md):
- road distance = straight-line (great-circle) distance × DETOUR_FACTOR. 1.3 is the usual average ratio of
  road to straight-line distance on European road networks;
- the first URBAN_KM kilometres of road are driven at the average speed of the zones at both ends (the mean
  of the two), the rest at INTERURBAN_KMH (main roads between towns);
- zones: Paris (75), petite couronne (92, 93, 94), rural (a commune under RURAL_POPULATION inhabitants,
  the INSEE threshold of an urban unit), grande couronne (every other commune, in or outside the region).
Everything the model assumes is in `TravelModel`: a routing service can replace `estimate_minutes` later.
"""

from __future__ import annotations

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
    """The zone of one place (the same rule as `zone_expr`)."""
    frame = pl.DataFrame({"departement": [departement], "population": [population]}, strict=False)
    return frame.select(zone_expr(model=model)).item()


def estimate_minutes(
    distance_km: pl.Series, origin_zone: str, destination_zones: pl.Series, model: TravelModel = MODEL
) -> pl.Series:
    """Estimated minutes by road from one origin to each destination (null where the distance is null)."""
    speeds = model.speeds_kmh
    frame = pl.DataFrame({"km": distance_km, "zone": destination_zones}, strict=False)
    road = pl.col("km") * model.detour_factor
    urban_speed = (pl.col("zone").replace_strict(speeds, default=speeds["grande_couronne"]) + speeds[origin_zone]) / 2
    urban = pl.min_horizontal(road, pl.lit(model.urban_km))
    interurban = (road - model.urban_km).clip(lower_bound=0)
    minutes = (urban / urban_speed + interurban / model.interurban_kmh) * 60
    return frame.select(minutes.round(0).cast(pl.Int32).alias("temps_min")).to_series()
