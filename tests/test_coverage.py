"""The coverage of the territory (ror/territoire/coverage.py): nearest site on hand-checked cases, local travel time,
an offer that no unit provides, the figures, and the whole demo region."""

from __future__ import annotations

import math

import polars as pl
import pytest

from ror.administration import screen_exports
from ror.recherche import geo, travel
from ror.territoire import coverage
from ror.territoire.coverage import CoverageError, Offer


def communes(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "code_insee": pl.String,
            "departement": pl.String,
            "population": pl.Int32,
            "lat": pl.Float64,
            "lon": pl.Float64,
            "superficie_km2": pl.Float64,
        },
        orient="row",
    )


def sites(*rows) -> pl.DataFrame:
    return pl.DataFrame(
        rows,
        schema={
            "site": pl.String,
            "commune_insee": pl.String,
            "departement": pl.String,
            "population": pl.Int32,
            "lat": pl.Float64,
            "lon": pl.Float64,
        },
        orient="row",
    )


def minutes(km: float, origin: str, destination: str) -> float:
    frame = pl.DataFrame({"km": [km]})
    return frame.select(travel.minutes_expr(pl.col("km"), pl.lit(origin), pl.lit(destination))).item()


# Two rural communes of Seine-et-Marne 0.2° of longitude apart (about 14.7 km), one site in each of two others.
A = ("77001", "77", 800, 48.5, 2.8, 10.0)
B = ("77002", "77", 800, 48.5, 3.0, 10.0)


def test_the_nearest_site_is_the_closest_in_the_same_zone():
    near, far = ("s1", "77003", "77", 900, 48.5, 2.85), ("s2", "77004", "77", 900, 48.5, 3.3)
    found = coverage.nearest_sites(communes(A), sites(far, near)).row(0, named=True)
    km = geo.haversine_km(48.5, 2.8, 48.5, 2.85)
    assert found["site"] == "s1"
    assert found["distance_km"] == pytest.approx(km, abs=0.01)
    assert found["temps_min"] == round(minutes(km, "rural", "rural"))  # hand-checked: 3.7 km × 1.3 at 50 km/h
    assert found["temps_min"] == 6
    assert not found["heberge"]


def test_a_farther_site_wins_when_it_is_reached_faster():
    # 5 km away in Paris (15 km/h) against 7 km away in a rural commune (50 km/h): the rural one is nearer in time.
    origin = communes(("75056", "75", 2_000_000, 48.8566, 2.3522, 105.0))
    paris_site = ("paris", "75056x", "75", 2_000_000, 48.8566 + 5 / 111.2, 2.3522)
    rural_site = ("rural", "77999", "77", 500, 48.8566 - 7 / 111.2, 2.3522)
    found = coverage.nearest_sites(origin, sites(paris_site, rural_site)).row(0, named=True)
    assert minutes(5, "paris", "paris") > minutes(7, "paris", "rural")
    assert found["site"] == "rural"


def test_a_commune_that_hosts_a_site_is_at_its_local_travel_time():
    # The site sits exactly on the centroid: the time is not zero but that of the mean trip inside the commune.
    hosted = ("s1", "77001", "77", 800, 48.5, 2.8)
    found = coverage.nearest_sites(communes(A, B), sites(hosted)).sort("code_insee")
    local_km = 2 / 3 * math.sqrt(10.0 / math.pi)
    a = found.row(0, named=True)
    assert a["heberge"] and a["site"] == "s1"
    assert a["distance_km"] == pytest.approx(local_km, abs=0.01)
    assert a["temps_min"] == round(minutes(local_km, "rural", "rural")) == 2
    b = found.row(1, named=True)
    assert not b["heberge"] and b["temps_min"] > a["temps_min"]


def test_more_sites_in_a_commune_shorten_its_local_trip():
    one = coverage.nearest_sites(communes(A), sites(("s1", "77001", "77", 800, 48.5, 2.8)))
    four = coverage.nearest_sites(
        communes(A), sites(*[(f"s{i}", "77001", "77", 800, 48.5 + i / 1000, 2.8) for i in range(4)])
    )
    assert four["distance_km"][0] == pytest.approx(one["distance_km"][0] / 2, abs=0.01)  # A/4: half the radius


def test_a_commune_without_a_bundled_area_uses_the_mean_french_commune():
    unknown = communes(("01001", "01", 800, 46.0, 5.0, None))
    found = coverage.nearest_sites(unknown, sites(("s1", "01001", "01", 800, 46.0, 5.0)))
    assert found["distance_km"][0] == pytest.approx(
        2 / 3 * math.sqrt(travel.MODEL.default_commune_km2 / math.pi), abs=0.01
    )


def test_the_tree_finds_the_same_site_as_a_brute_force_search():
    import random

    rng = random.Random(3)
    origins = communes(*[(f"c{i}", "77", 500, 48 + rng.random(), 2 + rng.random(), 10.0) for i in range(60)])
    targets = sites(*[(f"s{i}", f"x{i}", "77", 500, 48 + rng.random(), 2 + rng.random()) for i in range(40)])
    found = coverage.nearest_sites(origins, targets)
    for row, origin in zip(found.iter_rows(named=True), origins.iter_rows(named=True), strict=True):
        best = min(
            targets.iter_rows(named=True),
            key=lambda s: geo.haversine_km(origin["lat"], origin["lon"], s["lat"], s["lon"]),
        )
        assert row["site"] == best["site"]


def test_an_offer_with_no_unit_anywhere_leaves_everyone_beyond_the_threshold(con):
    result = coverage.compute(con, Offer(type_code="999999"))
    assert result.units.is_empty()
    assert result.communes.height == 1295  # 1 276 communes, Paris by its 20 arrondissements
    assert result.communes["temps_min"].null_count() == 1295
    figures = coverage.summary(result.communes, 30)
    assert figures.population_beyond == figures.population > 12_000_000
    assert figures.share_beyond == 1.0


def test_every_commune_of_the_region_gets_a_time_for_the_whole_offer(con):
    result = coverage.compute(con, Offer())
    assert result.communes.height == 1295  # every commune of the bundled boundaries, former ones included; Paris
    assert result.communes["temps_min"].null_count() == 0  # by its 20 arrondissements
    paris_13 = result.communes.filter(pl.col("code_insee") == "75113").row(0, named=True)
    assert paris_13["heberge"] and paris_13["temps_min"] <= 3  # dozens of sites in the 13e: the local trip is short
    assert coverage.summary(result.communes, 30).population_beyond == 0


def test_a_narrow_offer_leaves_remote_communes_beyond_the_threshold(con):
    result = coverage.compute(con, Offer(discipline="SMR"))
    far = coverage.beyond(coverage.in_territory(result.communes, ("77",)), 30)
    assert far.height > 0
    assert set(far["departement"]) == {"77"}
    assert far["temps_min"].min() > 30
    assert far["temps_min"].to_list() == sorted(far["temps_min"].to_list(), reverse=True)
    assert far["finess_eg"].null_count() == 0 and far["uo_nom"].null_count() == 0


def test_capacity_per_1000_inhabitants_by_departement_and_for_the_region(con):
    result = coverage.compute(con, Offer(discipline="SLD"))
    table = coverage.by_departement(result, ("93", "94"))
    assert table["departement"].to_list() == ["93", "94", coverage.REGION]
    region = table.row(-1, named=True)
    assert region["uo"] == result.units.height
    assert region["lits"] == result.units["lits"].sum()
    assert region["lits_1000"] == pytest.approx(region["lits"] * 1000 / region["population"], abs=0.01)
    assert region["nom"] == "Ensemble de la région"


def test_offer_and_threshold_errors_are_french():
    with pytest.raises(CoverageError, match="Public inconnu"):
        Offer(public="seniors").checked()
    with pytest.raises(CoverageError, match="Discipline inconnue"):
        Offer(discipline="XYZ").checked()
    with pytest.raises(CoverageError, match="entre 5 et 180 minutes"):
        coverage.check_threshold(0)


def test_bands_and_offer_label():
    assert [coverage.band_of(m) for m in (0, 10, 11, 30, 31, 60, 61, None)] == [0, 0, 1, 2, 3, 4, 5, 6]
    assert len(coverage.band_labels()) == 7
    labels = {("TRE_R244", "48"): "Institut médico-éducatif (IME)"}
    assert Offer("MSS", "48", None, "enfants").label(labels) == "MSS · Institut médico-éducatif (IME) · enfants"
    assert Offer().label(labels) == "Toute l'offre active"


def test_the_communes_beyond_export_as_csv_and_excel(con):
    result = coverage.compute(con, Offer(discipline="SMR"))
    far = coverage.beyond(result.communes, 30)
    csv = screen_exports.coverage_csv(far).decode("utf-8-sig")
    assert csv.splitlines()[0].startswith("Code INSEE;Commune;Département;Population;Temps estimé (min)")
    assert len(csv.splitlines()) == far.height + 1
    workbook = screen_exports.coverage_xlsx(far, coverage.by_departement(result, None), [("Offre", "SMR")])
    assert workbook[:2] == b"PK"


def test_commune_areas_come_from_the_real_boundaries(con):
    paris, smallest = con.sql(
        "SELECT max(superficie_km2) FILTER (WHERE code_insee = '75056'), min(superficie_km2) FROM commune"
    ).fetchall()[0]
    assert 100 < paris < 110  # 105.4 km² (IGN)
    assert 0 < smallest < 1
