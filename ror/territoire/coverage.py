"""Coverage of the territory by an offer: for every commune, the estimated travel time to the nearest unit.

Method (docs/territoire.md): the travel-time model of the search (`ror/recherche/travel.py`), from each commune's
centroid to each site (the EG) of the offer. The nearest site is found per zone of destination with a k-d
tree (exact great-circle nearest neighbour), since, zones being fixed, time grows with distance. A commune
that hosts n sites of the offer is at its local travel time (`travel.local_km`): sites inside a commune are
not a drive from its centroid to them.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import numpy as np
import polars as pl
from scipy.spatial import cKDTree

import queries
from ror.core.errors import UserError
from ror.core.reference import DEPARTEMENT_NAMES, DISCIPLINES
from ror.recherche import travel
from ror.recherche.filters import PUBLICS
from ror.recherche.geo import EARTH_RADIUS_KM

MIN_THRESHOLD, MAX_THRESHOLD, DEFAULT_THRESHOLD = 5, 180, 30  # minutes
# Colour bands of the map: (upper bound in minutes, label); the last band has no bound.
BANDS = ((10, "10 min ou moins"), (20, "11 à 20 min"), (30, "21 à 30 min"), (45, "31 à 45 min"), (60, "46 à 60 min"))
BEYOND_BANDS = "plus de 60 min"
NO_UNIT = "aucune unité de cette offre"


class CoverageError(UserError):
    """An offer or a threshold that cannot be computed; the message is French and says what to change."""


@dataclass(frozen=True)
class Offer:
    """What a commune must reach: None everywhere means every active unit of the répertoire."""

    discipline: str | None = None  # grand groupe de discipline (MCO, SMR …)
    type_code: str | None = None  # TRE_R244
    activite: str | None = None  # TRE_R211
    public: str | None = None  # 'enfants' / 'adultes'

    def checked(self) -> Offer:
        if self.discipline not in (None, *DISCIPLINES):
            raise CoverageError(f"Discipline inconnue : « {self.discipline} ».")
        if self.public not in (None, *PUBLICS):
            raise CoverageError("Public inconnu : choisissez enfants ou adultes.")
        return self

    def as_params(self) -> dict:
        return {
            "discipline": self.discipline,
            "type_code": self.type_code,
            "activite": self.activite,
            "public": self.public,
        }

    def label(self, labels: dict[tuple[str, str], str]) -> str:
        """The offer in words, e.g. « SMR · Soins Médicaux et de Réadaptation (SMR) gériatrie · adultes »."""
        parts = [
            self.discipline,
            self.type_code and labels.get(("TRE_R244", self.type_code), self.type_code),
            self.activite and labels.get(("TRE_R211", self.activite), self.activite),
            self.public and PUBLICS[self.public].lower(),
        ]
        return " · ".join(p for p in parts if p) or "Toute l'offre active"


def check_threshold(minutes: int) -> int:
    if not MIN_THRESHOLD <= minutes <= MAX_THRESHOLD:
        raise CoverageError(f"Le seuil doit être compris entre {MIN_THRESHOLD} et {MAX_THRESHOLD} minutes.")
    return minutes


def band_of(minutes: int | None) -> int:
    """The index of a time's colour band: 0 … len(BANDS) (beyond 60 min), len(BANDS) + 1 without a unit."""
    if minutes is None:
        return len(BANDS) + 1
    return next((i for i, (bound, _) in enumerate(BANDS) if minutes <= bound), len(BANDS))


def band_labels() -> list[str]:
    return [label for _, label in BANDS] + [BEYOND_BANDS, NO_UNIT]


# ---------------------------------------------------------------------------------------------------------
# The nearest site of every commune (pure: polars frames in, polars frame out)


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi)])


def _with_zone(frame: pl.DataFrame, model: travel.TravelModel) -> pl.DataFrame:
    return frame.with_columns(zone=travel.zone_expr(model=model))


def nearest_sites(
    communes: pl.DataFrame, sites: pl.DataFrame, model: travel.TravelModel = travel.MODEL
) -> pl.DataFrame:
    """For every commune, the site of shortest estimated travel time.

    communes: code_insee, departement, population, lat, lon, superficie_km2.
    sites: site (an identifier), commune_insee, departement, population (of its commune), lat, lon.
    Returns the communes' code_insee with site (null: no site at all), distance_km (straight line from the
    centroid; the local distance for a commune that hosts sites), temps_min (rounded) and heberge (the commune
    hosts at least one site)."""
    origins = _with_zone(communes, model)
    sites = _with_zone(sites, model)
    n = origins.height
    best_minutes = np.full(n, np.inf)
    best_km = np.full(n, np.nan)
    best_site = np.full(n, -1, dtype=np.int64)
    origin_vectors = _unit_vectors(origins["lat"].to_numpy(), origins["lon"].to_numpy())
    for zone in sites["zone"].unique().sort().to_list():
        in_zone = sites.with_row_index("i").filter(pl.col("zone") == zone)
        tree = cKDTree(_unit_vectors(in_zone["lat"].to_numpy(), in_zone["lon"].to_numpy()))
        chord, index = tree.query(origin_vectors)
        km = 2 * EARTH_RADIUS_KM * np.arcsin(np.clip(chord / 2, 0, 1))
        minutes = (
            pl.DataFrame({"km": km, "origin": origins["zone"]})
            .select(travel.minutes_expr(pl.col("km"), pl.col("origin"), pl.lit(zone), model))
            .to_series()
            .to_numpy()
        )
        better = minutes < best_minutes
        best_minutes[better], best_km[better] = minutes[better], km[better]
        best_site[better] = in_zone["i"].to_numpy()[index[better]]
    found = pl.DataFrame(
        {
            "code_insee": origins["code_insee"],
            "row": best_site,
            "distance_km": best_km,
            "temps": best_minutes,
        }
    ).with_columns(
        pl.when(pl.col("row") >= 0).then(pl.col("row")).alias("row"),
        pl.when(pl.col("row") >= 0).then(pl.col("temps")).alias("temps"),
        pl.when(pl.col("row") >= 0).then(pl.col("distance_km")).alias("distance_km"),
    )
    local = _local(origins, sites, model)
    return (
        found.join(local, on="code_insee", how="left")
        .join(sites.with_row_index("row").select(pl.col("row").cast(pl.Int64), "site"), on="row", how="left")
        .select(
            "code_insee",
            pl.coalesce("local_site", "site").alias("site"),
            pl.coalesce("local_km", "distance_km").round(2).alias("distance_km"),
            pl.coalesce("local_temps", "temps").round(0).cast(pl.Int32).alias("temps_min"),
            pl.col("local_site").is_not_null().alias("heberge"),
        )
    )


def _local(origins: pl.DataFrame, sites: pl.DataFrame, model: travel.TravelModel) -> pl.DataFrame:
    """The communes that host sites: their local distance and time, and the hosted site nearest the centroid."""
    hosted = sites.join(
        origins.select("code_insee", "superficie_km2", pl.col("zone").alias("zone_commune"), "lat", "lon"),
        left_on="commune_insee",
        right_on="code_insee",
        suffix="_commune",
    )
    squared = (pl.col("lat") - pl.col("lat_commune")) ** 2 + (
        (pl.col("lon") - pl.col("lon_commune")) * np.cos(np.radians(46.5))
    ) ** 2  # only to order the sites of one commune
    return (
        hosted.group_by("commune_insee")
        .agg(
            pl.col("site").sort_by(squared).first().alias("local_site"),
            pl.len().alias("n"),
            pl.col("superficie_km2").first(),
            pl.col("zone_commune").first(),
        )
        .with_columns(local_km=travel.local_km(pl.col("superficie_km2"), pl.col("n"), model))
        .with_columns(
            local_temps=travel.minutes_expr(pl.col("local_km"), pl.col("zone_commune"), pl.col("zone_commune"), model)
        )
        .select(pl.col("commune_insee").alias("code_insee"), "local_site", "local_km", "local_temps")
    )


# ---------------------------------------------------------------------------------------------------------
# The coverage of an offer


@dataclass
class Coverage:
    offer: Offer
    communes: pl.DataFrame  # one row per commune: see `compute`
    units: pl.DataFrame  # the offer's UO (queries/coverage_units.sql)


def compute(con: duckdb.DuckDBPyConnection, offer: Offer) -> Coverage:
    """The coverage of every commune of the répertoire by an offer.

    communes: code_insee, nom, departement, population, actuelle, temps_min (null: no unit anywhere),
    distance_km, heberge, finess_eg, eg_nom, uo_nom (a unit of the nearest site), uo_site (its units of the
    offer)."""
    offer = offer.checked()
    communes = queries.run(con, "coverage_communes")
    units = queries.run(con, "coverage_units", **offer.as_params())
    sites = units.group_by("finess_eg", maintain_order=True).agg(
        pl.col("eg_nom", "commune_insee", "departement", "lat", "lon", "population").first(),
        pl.col("nom").first().alias("uo_nom"),
        pl.len().alias("uo_site"),
    )
    if sites.is_empty():
        nearest = communes.select(
            "code_insee",
            pl.lit(None, pl.String).alias("site"),
            pl.lit(None, pl.Float64).alias("distance_km"),
            pl.lit(None, pl.Int32).alias("temps_min"),
            pl.lit(False).alias("heberge"),
        )
    else:
        nearest = nearest_sites(
            communes,
            sites.rename({"finess_eg": "site"}).select(
                "site", "commune_insee", "departement", "population", "lat", "lon"
            ),
        )
    described = (
        communes.select("code_insee", "nom", "departement", "population", "actuelle", "lat", "lon")
        .join(nearest, on="code_insee")
        .join(sites.select(pl.col("finess_eg").alias("site"), "eg_nom", "uo_nom", "uo_site"), on="site", how="left")
        .rename({"site": "finess_eg"})
    )
    return Coverage(offer=offer, communes=described, units=units)


# ---------------------------------------------------------------------------------------------------------
# Figures


def in_territory(communes: pl.DataFrame, departements: tuple[str, ...] | None) -> pl.DataFrame:
    return communes if departements is None else communes.filter(pl.col("departement").is_in(departements))


def beyond(communes: pl.DataFrame, threshold: int) -> pl.DataFrame:
    """The communes whose nearest unit is further than the threshold (or that no unit serves), longest first."""
    check_threshold(threshold)
    return communes.filter(pl.col("temps_min").is_null() | (pl.col("temps_min") > threshold)).sort(
        ["temps_min", "population"], descending=True, nulls_last=False
    )


@dataclass(frozen=True)
class Summary:
    population: int
    population_beyond: int
    communes: int
    communes_beyond: int

    @property
    def share_beyond(self) -> float:
        return self.population_beyond / self.population if self.population else 0.0


def summary(communes: pl.DataFrame, threshold: int) -> Summary:
    far = beyond(communes, threshold)
    return Summary(
        population=int(communes["population"].sum()),
        population_beyond=int(far["population"].sum()),
        communes=communes.height,
        communes_beyond=far.height,
    )


REGION = "Région"


def by_departement(coverage: Coverage, departements: tuple[str, ...] | None) -> pl.DataFrame:
    """Per département of the territory, and for the whole région: population, the offer's units and EG, its
    lits and places, and both per 1 000 inhabitants (departement 'Région' last: the regional figure)."""
    population = coverage.communes.group_by("departement").agg(pl.col("population").sum())
    units = coverage.units.group_by("departement").agg(
        pl.len().alias("uo"),
        pl.col("finess_eg").n_unique().alias("eg"),
        pl.col("lits").sum().alias("lits"),
        pl.col("places").sum().alias("places"),
    )
    rows = population.join(units, on="departement", how="full", coalesce=True).fill_null(0)
    region = rows.select(pl.lit(REGION).alias("departement"), pl.exclude("departement").sum())
    table = pl.concat([in_territory(rows, departements).sort("departement"), region], how="vertical_relaxed")
    per_1000 = pl.when(pl.col("population") > 0).then(1000 / pl.col("population"))
    return table.with_columns(
        nom=pl.col("departement").replace_strict(
            {**DEPARTEMENT_NAMES, REGION: "Ensemble de la région"}, default=pl.col("departement")
        ),
        lits_1000=(pl.col("lits") * per_1000).round(2),
        places_1000=(pl.col("places") * per_1000).round(2),
    )
