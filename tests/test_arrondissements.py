"""Paris by arrondissement (data/migrations/015, ror/core/arrondissements.py): reference data, the « Où » of the
search, the zone of an EG, the coverage, the demo's placement and the positions of new establishments."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import pytest
import shapely

import queries
from ror.administration import establishments
from ror.core import arrondissements as paris
from ror.core.finess import make_finess
from ror.recherche import search
from ror.territoire import coverage

from .helpers import user


def test_the_twenty_arrondissements_are_loaded_by_their_migration(con):
    rows = paris.read(con)
    assert rows["numero"].to_list() == list(range(1, 21))
    assert rows["code_insee"].to_list() == [f"751{n:02d}" for n in range(1, 21)]
    assert rows.row(12, named=True) | {"geojson": None} == rows.row(12, named=True) | {
        "code_insee": "75113",
        "nom": "Paris 13e",
        "nom_officiel": "Gobelins",
        "codes_postaux": "75013",
        "geojson": None,
    }
    assert 2_000_000 < rows["population"].sum() < 2_300_000
    assert rows["superficie_km2"].sum() == pytest.approx(105.4, abs=0.5)  # Paris without its two woods: 86.9 + 18.5
    assert all(json.loads(g)["type"] in ("Polygon", "MultiPolygon") for g in rows["geojson"])


def test_an_address_of_paris_is_in_the_arrondissement_of_its_postal_code(con):
    by_code = paris.by_postal_code(paris.read(con))
    assert paris.of_address(by_code, "75056", "75013")["nom"] == "Paris 13e"
    assert paris.of_address(by_code, "75056", "75016")["code_insee"] == "75116"
    assert paris.of_address(by_code, "75056", "75116")["code_insee"] == "75116"  # the second code of the 16e
    assert paris.of_address(by_code, "75056", "75571") is None  # a CEDEX code
    assert paris.of_address(by_code, "75056", None) is None
    assert paris.of_address(by_code, "94028", "75013") is None  # not Paris
    assert paris.is_arrondissement("75113") and not paris.is_arrondissement("75056")
    assert not paris.is_arrondissement("94028")


def test_the_zone_of_an_eg_of_paris_is_its_arrondissement(con):
    zones = con.sql(
        "SELECT e.code_postal, z.zone_insee, z.zone FROM eg e JOIN eg_zone z USING (finess_eg) "
        "WHERE e.commune_insee = '75056'"
    ).pl()
    assert zones["zone"].null_count() == 0
    assert set(zones["zone"]) == {f"Paris {n}{'er' if n == 1 else 'e'}" for n in range(1, 21)}
    with_code = zones.filter(pl.col("code_postal").str.contains(r"^750(0[1-9]|1\d|20)$"))
    assert (with_code["zone_insee"] == "751" + with_code["code_postal"].str.slice(3)).all()
    outside = con.sql(
        "SELECT count(*) FROM eg e JOIN eg_zone z USING (finess_eg) WHERE e.commune_insee <> '75056' "
        "AND z.zone_insee <> e.commune_insee"
    ).fetchall()
    assert outside == [(0,)]


@pytest.mark.parametrize("typed", ["Paris 13e", "Paris 13", "paris 13E", "13e arrondissement", "75013", "Gobelins"])
def test_where_finds_an_arrondissement_by_any_of_its_names(con, typed):
    found = search.suggest_places(con, typed)[0]
    assert (found.cle, found.type, found.libelle) == ("arrondissement:75113", "arrondissement", "Paris 13e")
    assert found.kind == "Arrondissement de Paris"
    assert found.population > 150_000 and found.departement == "75"
    assert search.place_by_key(con, found.cle) == found


def test_paris_itself_stays_a_place_and_its_arrondissements_follow(con):
    found = search.suggest_places(con, "Paris")
    assert found[0].cle == "commune:75056"
    assert {p.type for p in found[1:]} >= {"arrondissement"}
    assert search.suggest_places(con, "75116")[0].libelle == "Paris 16e"


def test_distances_start_from_the_arrondissement(con):
    gobelins = search.place_by_key(con, "arrondissement:75113")
    paris_centre = search.place_by_key(con, "commune:75056")
    assert (gobelins.lat, gobelins.lon) != (paris_centre.lat, paris_centre.lon)
    result = search.search(con, search.SearchQuery(ou=gobelins, rayon_km=1.5, instant=dt.datetime(2026, 11, 24, 10)))
    assert not result.empty
    nearest = result.eg.row(0, named=True)  # sorted by distance
    assert nearest["distance_km"] <= 1.5
    assert nearest["commune"] in ("Paris 13e", "Paris 5e", "Paris 14e", "Paris 12e")


def test_the_coverage_draws_paris_by_arrondissement(con):
    result = coverage.compute(con, coverage.Offer())
    codes = set(result.communes["code_insee"])
    assert "75056" not in codes and {f"751{n:02d}" for n in range(1, 21)} <= codes
    arrondissements = result.communes.filter(pl.col("code_insee").str.starts_with("751"))
    assert arrondissements["heberge"].all()  # every arrondissement hosts units of the whole offer
    assert arrondissements["temps_min"].max() <= 5
    assert arrondissements["finess_eg"].null_count() == 0
    assert result.units.filter(pl.col("commune_insee") == "75056").is_empty()  # units are in their arrondissement
    boundaries = {code for code, _ in queries.rows(con, "commune_boundaries")}
    assert "75056" not in boundaries and "75113" in boundaries


def test_the_demo_spreads_paris_establishments_inside_their_arrondissement(con):
    shapes = {r["code_insee"]: shapely.geometry.shape(json.loads(r["geojson"])) for r in paris.read(con).to_dicts()}
    generated = con.sql(
        "SELECT z.zone_insee, e.lat, e.lon, e.code_postal FROM eg e JOIN eg_zone z USING (finess_eg) "
        "WHERE e.commune_insee = '75056' AND e.coord_source = 'generee'"
    ).pl()
    assert generated.height > 300
    assert generated["zone_insee"].n_unique() == 20  # no longer every one of them in the 1er
    for row in generated.iter_rows(named=True):
        assert shapes[row["zone_insee"]].contains(shapely.Point(row["lon"], row["lat"])), row
    # in proportion to the population: the 15e (233 000 inhabitants) has more of them than the 1er (15 000)
    counts = generated.group_by("zone_insee").len()
    per = dict(counts.iter_rows())
    assert per["75115"] > 3 * per["75101"]
    # a real site the extract does not locate stands at its arrondissement's centre, not at the centre of Paris
    approximate = con.sql(
        "SELECT e.lat, e.lon, a.lat, a.lon FROM eg e JOIN arrondissement a ON a.codes_postaux LIKE '%' || e.code_postal "
        "|| '%' WHERE e.coord_source = 'arrondissement'"
    ).fetchall()
    assert approximate and all((r[0], r[1]) == (r[2], r[3]) for r in approximate)


def test_a_new_establishment_of_paris_stands_at_its_arrondissements_centre(rw_con):
    finess = make_finess("75", 777002)
    form = establishments.NewEstablishment(
        finess_eg=finess,
        finess_ej="750712184",
        nom="CENTRE MEDICAL DES GOBELINS",
        categorie_code="124",
        commune_insee="75056",
        code_postal="75013",
        telephone="0142356140",
        email="accueil@gobelins.fr",
    )
    establishments.create(rw_con, user(rw_con, "support"), form)
    row = rw_con.sql(
        "SELECT e.coord_source, e.lat = a.lat AND e.lon = a.lon FROM eg e, arrondissement a "
        "WHERE e.finess_eg = $f AND a.code_insee = '75113'",
        params={"f": finess},
    ).fetchall()
    assert row == [("arrondissement", True)]


def test_a_place_shows_its_postal_codes_shortly(con):
    paris, *_ = search.suggest_places(con, "Paris")
    assert paris.detail == "75 · 75001 à 75020"  # not its 21 codes: the arrondissements stay in view beside it
    assert search.suggest_places(con, "Saint-Maur-des-Fossés")[0].detail == "94 · 94100, 94210"
    assert search.place_by_key(con, "commune:75056").detail == paris.detail
