import json

import polars as pl
import pydeck as pdk
import pytest
import streamlit_folium

import queries
from components import folium_once
from components.folium_once import RETURNED
from components.maps import DISCIPLINE_COLORS, DepartementsOutlines, build_eg_deck, build_results_folium, view_for
from ror.core.permissions import REGION, Scope
from ror.recherche.search import Place


def test_deck_has_the_departements_and_one_dot_per_eg(con):
    points = queries.run(con, "eg_map_points", **Scope(departements=("93",)).as_params())
    deck = json.loads(build_eg_deck(points, queries.run(con, "departement_boundaries"), ("93",)).to_json())
    background, dots = deck["layers"]
    assert len(background["data"]["features"]) == 8
    assert len(dots["data"]) == points.height
    assert {tuple(d["color"][:3]) for d in dots["data"]} <= set(DISCIPLINE_COLORS.values())


def test_deck_needs_no_base_map_from_the_internet(con):
    points = queries.run(con, "eg_map_points", **REGION.as_params())
    text = build_eg_deck(points, queries.run(con, "departement_boundaries"), None).to_json()
    assert "cartocdn" not in text and "mapbox" not in text
    assert json.loads(text).get("mapStyle") in (None, "__MAP_STYLE__")


def test_a_deck_is_written_compact_and_once_with_what_pydeck_writes(con):
    points = queries.run(con, "eg_map_points", **REGION.as_params())
    boundaries = queries.run(con, "departement_boundaries")
    pydeck_text = pdk.Deck.to_json(build_eg_deck(points, boundaries, None))
    deck = build_eg_deck(points, boundaries, None)
    text = deck.to_json()
    assert json.loads(text) == json.loads(pydeck_text)
    assert len(text) < len(pydeck_text) / 2  # no indentation
    assert deck.to_json() is text  # written once


def test_view_frames_the_points():
    paris = pl.DataFrame({"lat": [48.85, 48.86], "lon": [2.34, 2.36]})
    region = pl.DataFrame({"lat": [48.2, 49.2], "lon": [1.5, 3.5]})
    assert view_for(paris).zoom > view_for(region).zoom
    assert 7 <= view_for(region).zoom <= 8.5, view_for(region).zoom
    assert view_for(pl.DataFrame({"lat": [], "lon": []}, schema={"lat": pl.Float64, "lon": pl.Float64})).zoom < 8


def test_a_click_on_a_results_marker_gives_its_finess():
    from components.maps import clicked_finess, eg_popup_text

    row = {
        "eg_nom": "CH (FINESS 000000000) X",
        "finess_eg": "920000650",
        "commune": "Nanterre",
        "distance_km": 1.2,
        "temps_min": 4,
        "uo": 2,
        "uo_ouvertes": 1,
    }
    tooltip = eg_popup_text(row).replace("\n", " — ")
    assert clicked_finess({"last_object_clicked_tooltip": tooltip}) == "920000650"  # not the one the name mimics
    assert clicked_finess({"last_object_clicked_tooltip": "CH X (FINESS 920000650) — Nanterre"}) == "920000650"
    assert clicked_finess({"last_object_clicked_tooltip": None}) is None and clicked_finess(None) is None


def test_the_results_map_draws_every_departement_from_one_geojson_written_once(con):
    boundaries = queries.run(con, "departement_boundaries")
    outlines = DepartementsOutlines(boundaries)
    drawn = json.loads(outlines.geojson)
    assert [f["properties"]["nom"] for f in drawn["features"]] == boundaries["nom"].to_list()
    assert [f["geometry"] for f in drawn["features"]] == [json.loads(g) for g in boundaries["geojson"]]
    assert DepartementsOutlines(boundaries).geojson is outlines.geojson  # not written again at the next run
    eg = pl.DataFrame(schema={"finess_eg": pl.String, "lat": pl.Float64, "lon": pl.Float64})
    page = build_results_folium(eg, boundaries, None).get_root().render()
    assert outlines.geojson in page and "interactive: false" in page  # under the markers, clicks go to them


def test_a_fiche_map_outlines_and_names_the_communes_around_the_site(con):
    points = queries.run(con, "eg_map_points", departements=None, finess_eg=["940000573"])  # CHI de Créteil
    site = points.row(0, named=True)
    around = queries.run(con, "zones_near", lat=site["lat"], lon=site["lon"], km=6.0)
    assert {"Créteil", "Maisons-Alfort", "Paris 12e"} <= set(around["nom"])  # Paris by its arrondissements
    assert "Paris" not in set(around["nom"])
    deck = json.loads(
        build_eg_deck(points, queries.run(con, "departement_boundaries"), ("94",), around, named=True).to_json()
    )
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert list(layers) == ["departements", "zones", "zones_noms", "eg"]
    assert len(layers["zones"]["data"]["features"]) == around.height
    assert {d["nom"] for d in layers["zones_noms"]["data"]} == set(around["nom"])
    assert layers["zones_noms"]["characterSet"] == "auto"  # accents drawn, not read as an expression
    assert deck["initialViewState"]["zoom"] <= 12  # the site's commune and its neighbours


def test_the_tableau_de_bord_map_outlines_paris_arrondissements_unnamed(con):
    points = queries.run(con, "eg_map_points", **REGION.as_params())
    arrondissements = queries.run(con, "arrondissements")
    deck = json.loads(
        build_eg_deck(points, queries.run(con, "departement_boundaries"), None, arrondissements).to_json()
    )
    assert [layer["id"] for layer in deck["layers"]] == ["departements", "zones", "eg"]
    assert len(deck["layers"][1]["data"]["features"]) == 20


def results_map(con, tiles: str | None = None):
    """The results map of the EG of the 93 around Bobigny, built anew."""
    eg = con.sql(
        "SELECT finess_eg, nom AS eg_nom, 'Bobigny' AS commune, 1.0 AS distance_km, 4 AS temps_min, 2 AS uo, "
        "1 AS uo_ouvertes, 'ouvert' AS statut, lat, lon FROM eg WHERE departement = '93' ORDER BY finess_eg LIMIT 30"
    ).pl()
    place = Place(
        cle="commune:93008", type="commune", libelle="Bobigny", detail="", lat=48.91, lon=2.44, departement="93"
    )
    return build_results_folium(eg, queries.run(con, "departement_boundaries"), place, tiles)


@pytest.mark.parametrize("tiles", [None, "https://tuiles.ror.invalid/{z}/{x}/{y}.png"])
def test_the_results_map_rendered_once_is_drawn_with_what_st_folium_sends(con, monkeypatch, tiles):
    """components/folium_once gives streamlit-folium's component the arguments st_folium would (streamlit-folium's
    own, private: an upgrade that changes them fails here)."""
    sent = []
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.append(kwargs))
    streamlit_folium.st_folium(
        results_map(con, tiles), key="r_carte", height=620, use_container_width=True, returned_objects=list(RETURNED)
    )
    rendered = folium_once.render(results_map(con, tiles), "r_carte")
    folium_once.draw(rendered, height=620)
    by_st_folium, by_us = ({k: v for k, v in s.items() if k != "on_change"} for s in sent)
    assert by_us == by_st_folium
    assert "Bobigny" in rendered.script and rendered.js_links and rendered.css_links
    assert all(link.startswith("/app/static/vendor/") for link in rendered.js_links + rendered.css_links)  # no CDN
