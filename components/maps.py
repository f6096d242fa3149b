"""Maps. `build_*` functions are pure (testable without Streamlit); `render_*` draw them.

pydeck maps use no base map (map_provider=None): the background is the départements' GeoJSON, so they
render with no internet at all.
"""

from __future__ import annotations

import json
import math

import polars as pl
import pydeck as pdk
import streamlit as st

from ror.reference import DISCIPLINES

# One colour per grand groupe de discipline (RGB), and the emoji of the legend that matches it.
DISCIPLINE_COLORS = {
    "MCO": (28, 131, 225),
    "SMR": (33, 170, 80),
    "PSY": (128, 61, 245),
    "SLD": (255, 140, 0),
    "MSS": (220, 60, 60),
    None: (140, 140, 140),
}
# The Streamlit colour names that match, for the legend.
DISCIPLINE_LEGEND_COLORS = {"MCO": "blue", "SMR": "green", "PSY": "violet", "SLD": "orange", "MSS": "red"}


def view_for(points: pl.DataFrame) -> pdk.ViewState:
    """A view that frames the points (Île-de-France when there are none)."""
    if points.is_empty():
        return pdk.ViewState(latitude=48.71, longitude=2.5, zoom=7.6)
    lat_span = points["lat"].max() - points["lat"].min()
    lon_span = points["lon"].max() - points["lon"].min()
    span = max(lon_span, lat_span * 1.5, 0.01)  # degrees of longitude to show
    # deck.gl draws the world 512 * 2**zoom pixels wide; the map is about 450 pixels wide.
    zoom = max(4.5, min(13.0, math.log2(450 * 360 / 512 / span)))
    return pdk.ViewState(latitude=float(points["lat"].mean()), longitude=float(points["lon"].mean()), zoom=zoom)


def departements_layer(boundaries: pl.DataFrame, highlighted: tuple[str, ...] | None) -> pdk.Layer:
    """The départements' boundaries as a background; `highlighted` ones darker (None: all)."""
    in_scope, out_of_scope = [225, 232, 240, 200], [242, 242, 242, 160]
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(row["geojson"]),
            "properties": {
                "nom": f"{row['nom']} ({row['code']})",
                "fill": in_scope if highlighted is None or row["code"] in highlighted else out_of_scope,
            },
        }
        for row in boundaries.iter_rows(named=True)
    ]
    return pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id="departements",
        stroked=True,
        filled=True,
        get_fill_color="properties.fill",
        get_line_color=[120, 130, 145],
        line_width_min_pixels=1,
        pickable=False,
    )


def build_eg_deck(points: pl.DataFrame, boundaries: pl.DataFrame, highlighted: tuple[str, ...] | None) -> pdk.Deck:
    """EG as dots coloured by main discipline, over the départements' boundaries.

    points: finess_eg, nom, commune, departement, lat, lon, discipline, uo (queries/eg_map_points.sql)
    boundaries: code, nom, geojson; `highlighted` départements are drawn darker (None: all).
    """
    background = departements_layer(boundaries, highlighted)
    records = [
        {
            "nom": row["nom"],
            "finess": row["finess_eg"],
            "commune": row["commune"],
            "discipline": DISCIPLINES.get(row["discipline"], "Aucune UO active"),
            "uo": row["uo"],
            "lon": row["lon"],
            "lat": row["lat"],
            "color": [*DISCIPLINE_COLORS.get(row["discipline"], DISCIPLINE_COLORS[None]), 210],
        }
        for row in points.iter_rows(named=True)
    ]
    dots = pdk.Layer(
        "ScatterplotLayer",
        records,
        id="eg",
        get_position=["lon", "lat"],
        get_fill_color="color",
        get_line_color=[255, 255, 255],
        stroked=True,
        line_width_min_pixels=0.5,
        radius_min_pixels=3,
        radius_max_pixels=9,
        get_radius=250,
        pickable=True,
    )
    return pdk.Deck(
        layers=[background, dots],
        initial_view_state=view_for(points),
        map_provider=None,  # no base map (Streamlit's default one is fetched from a CDN)
        tooltip={"text": "{nom}\n{commune} · FINESS {finess}\n{discipline} · {uo} UO"},  # text: never HTML
    )


def render_discipline_legend() -> None:
    st.caption(
        " · ".join(
            f":{DISCIPLINE_LEGEND_COLORS[code]}[:material/circle:] {code} – {label}"
            for code, label in DISCIPLINES.items()
        )
        + " · :gray[:material/circle:] aucune UO active"
    )


def render_eg_map(deck: pdk.Deck, *, key: str) -> None:
    st.pydeck_chart(deck, key=key, height=520)
    render_discipline_legend()


# Leaflet and its marker clusters are served by Streamlit from static/vendor (no CDN: the maps work offline).
STATIC = "/app/static/vendor"
LEAFLET_JS = [("leaflet", f"{STATIC}/leaflet/leaflet.js")]
LEAFLET_CSS = [("leaflet_css", f"{STATIC}/leaflet/leaflet.css")]
CLUSTER_JS = [("markerclusterjs", f"{STATIC}/leaflet.markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{STATIC}/leaflet.markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{STATIC}/leaflet.markercluster/MarkerCluster.Default.css"),
]
STATUS_MAP_COLORS = {"ouvert": "#1e9e4a", "ferme": "#d63b3b"}
STATUS_DECK_COLORS = {"ouvert": [30, 158, 74, 220], "ferme": [214, 59, 59, 220]}
FOLIUM_MAX_EG = 1500  # above, the results map is drawn by pydeck (WebGL) rather than one marker per EG


def eg_popup_text(row: dict) -> str:
    """Name, FINESS, distance and time of an EG of the results (plain text: never HTML)."""
    text = f"{row['eg_nom']} (FINESS {row['finess_eg']})\n{row['commune'] or ''}"
    if row["distance_km"] is not None:
        text += f" · {row['distance_km']:.1f} km · {row['temps_min']} min (temps estimé)"
    return text + f"\n{row['uo']} UO trouvée(s), {row['uo_ouvertes']} ouverte(s)"


def build_results_folium(eg: pl.DataFrame, boundaries: pl.DataFrame, place, tiles_url: str | None = None):
    """Leaflet map of the EG found (clustered), coloured by open status, and the searched place.

    Without a tile server (tiles_url None) the background is the départements' GeoJSON."""
    import folium
    from folium.plugins import MarkerCluster

    center = [place.lat, place.lon] if place else [48.71, 2.5]
    # maxZoom: without a tile layer the map has none, and marker clusters need one
    fmap = folium.Map(location=center, zoom_start=11 if place else 9, tiles=None, control_scale=True)
    fmap.options.update(max_zoom=18, min_zoom=5)
    fmap.default_js, fmap.default_css = LEAFLET_JS, LEAFLET_CSS
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Fond de carte", name="Fond de carte").add_to(fmap)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {"type": "Feature", "geometry": json.loads(r["geojson"]), "properties": {"nom": r["nom"]}}
                for r in boundaries.iter_rows(named=True)
            ],
        },
        name="Départements",
        style_function=lambda _: {"color": "#7a8291", "weight": 1, "fillColor": "#e1e8f0", "fillOpacity": 0.6},
        control=False,
    ).add_to(fmap)
    clusters = MarkerCluster(name="Établissements", options={"maxClusterRadius": 40, "disableClusteringAtZoom": 14})
    clusters.default_js, clusters.default_css = CLUSTER_JS, CLUSTER_CSS
    clusters.add_to(fmap)
    for row in eg.filter(pl.col("lat").is_not_null()).iter_rows(named=True):
        color = STATUS_MAP_COLORS.get(row["statut"], "#888888")
        text = eg_popup_text(row)
        folium.CircleMarker(
            [row["lat"], row["lon"]],
            radius=7,
            color="white",
            weight=1,
            fill=True,
            fill_color=color,
            fill_opacity=0.9,
            # the popup text shows on hover (streamlit-folium drops markers that carry a folium.Popup)
            tooltip=folium.Tooltip(text.replace("\n", " — ")),
        ).add_to(clusters)
    if place is not None:
        folium.CircleMarker(
            [place.lat, place.lon],
            radius=9,
            color="#1c3f95",
            weight=3,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            tooltip=folium.Tooltip(f"Lieu recherché : {place.libelle}"),
        ).add_to(fmap)
    points = eg.filter(pl.col("lat").is_not_null())
    if not points.is_empty():
        lats = [*points["lat"].to_list(), *([place.lat] if place else [])]
        lons = [*points["lon"].to_list(), *([place.lon] if place else [])]
        fmap.fit_bounds([[min(lats), min(lons)], [max(lats), max(lons)]], max_zoom=14)
    return fmap


def build_results_deck(eg: pl.DataFrame, boundaries: pl.DataFrame, place) -> pdk.Deck:
    """The same map for thousands of EG: one WebGL layer, no marker per EG."""
    background = departements_layer(boundaries, None)
    records = [
        {
            "finess": row["finess_eg"],
            "texte": eg_popup_text(row),
            "lon": row["lon"],
            "lat": row["lat"],
            "color": STATUS_DECK_COLORS.get(row["statut"], [136, 136, 136, 220]),
        }
        for row in eg.filter(pl.col("lat").is_not_null()).iter_rows(named=True)
    ]
    layers = [
        background,
        pdk.Layer(
            "ScatterplotLayer",
            records,
            id="resultats",
            get_position=["lon", "lat"],
            get_fill_color="color",
            radius_min_pixels=2,
            radius_max_pixels=8,
            get_radius=200,
            pickable=True,
        ),
    ]
    if place is not None:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                [{"lon": place.lon, "lat": place.lat}],
                id="lieu",
                get_position=["lon", "lat"],
                get_fill_color=[28, 63, 149],
                radius_min_pixels=7,
            )
        )
    return pdk.Deck(
        layers=layers,
        initial_view_state=view_for(eg.filter(pl.col("lat").is_not_null())),
        map_provider=None,
        tooltip={"text": "{texte}"},
    )
