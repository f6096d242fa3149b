"""Maps. `build_*` functions are pure (testable without Streamlit); `render_*` draw them.

pydeck maps use no base map (map_provider=None): the background is the départements' GeoJSON, so they
render with no internet at all.
"""

from __future__ import annotations

import functools
import json
import math
import re

import polars as pl
import pydeck as pdk
import streamlit as st
from branca.element import Element, MacroElement
from jinja2 import Template
from pydeck.bindings import json_tools

from components.text import deck_text, html_text
from ror.core import formats
from ror.core.reference import DISCIPLINES

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


class CompactDeck(pdk.Deck):
    """A pydeck deck whose JSON is written without indentation, once: the coverage map of the région is 7.2 MB of
    pydeck's indented JSON (0.5 s) and 1.7 MB of this (0.14 s), and a cached deck is drawn again at each run without
    writing it again. Every map of the app is built as one and not changed after."""

    def to_json(self) -> str:
        if getattr(self, "_written", None) is None:
            compact = {"sort_keys": True, "separators": (",", ":")}
            self._written = json.dumps(self, default=json_tools.default_serialize, **compact)
        return self._written


def view_for(points: pl.DataFrame, width: int = 450) -> pdk.ViewState:
    """A view that frames the points (Île-de-France when there are none) on a map about `width` pixels wide."""
    if points.is_empty():
        return pdk.ViewState(latitude=48.71, longitude=2.5, zoom=7.6)
    lat_span = points["lat"].max() - points["lat"].min()
    lon_span = points["lon"].max() - points["lon"].min()
    # degrees of longitude to show, with a margin so that no point sits on the edge (one site: its commune and
    # neighbours)
    span = max(lon_span * 1.15, lat_span * 1.7, 0.12)
    # deck.gl draws the world 512 * 2**zoom pixels wide
    zoom = max(4.5, min(12.0, math.log2(width * 360 / 512 / span)))
    middle = (points["lat"].min() + points["lat"].max()) / 2, (points["lon"].min() + points["lon"].max()) / 2
    return pdk.ViewState(latitude=float(middle[0]), longitude=float(middle[1]), zoom=zoom)  # the bounds' middle


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


def outline_layer(shapes: pl.DataFrame, layer_id: str, color: list[int], width: float) -> pdk.Layer:
    """The boundaries of a frame's `geojson` geometries as lines only (communes, arrondissements, départements)."""
    features = [
        {"type": "Feature", "geometry": json.loads(row["geojson"]), "properties": {}}
        for row in shapes.iter_rows(named=True)
    ]
    return pdk.Layer(
        "GeoJsonLayer",
        {"type": "FeatureCollection", "features": features},
        id=layer_id,
        stroked=True,
        filled=False,
        get_line_color=color,
        line_width_min_pixels=width,
        pickable=False,
    )


def zones_layers(zones: pl.DataFrame, *, named: bool) -> list[pdk.Layer]:
    """Communes or arrondissements (code_insee, nom, lat, lon, geojson) outlined over the départements, and their names
    at their centres when `named` (the fiche's map: what is around the site)."""
    layers = [outline_layer(zones, "zones", [150, 160, 175], 1)]
    if named:
        names = [
            {"nom": deck_text(row["nom"]), "lon": row["lon"], "lat": row["lat"]} for row in zones.iter_rows(named=True)
        ]
        layers.append(
            pdk.Layer(
                "TextLayer",
                names,
                id="zones_noms",
                get_position=["lon", "lat"],
                get_text="nom",
                get_size=12,
                get_color=[90, 100, 115],
                character_set="'auto'",  # quoted: pydeck reads a bare string as an expression
                font_family='\'"Source Sans", "Source Sans Pro", sans-serif\'',
                pickable=False,
            )
        )
    return layers


def build_eg_deck(
    points: pl.DataFrame,
    boundaries: pl.DataFrame,
    highlighted: tuple[str, ...] | None,
    zones: pl.DataFrame | None = None,
    *,
    named: bool = False,
    width: int = 450,
) -> pdk.Deck:
    """EG as dots coloured by main discipline, over the départements' boundaries (and `zones`, see zones_layers).

    points: finess_eg, nom, commune, departement, lat, lon, discipline, uo (queries/eg_map_points.sql)
    boundaries: code, nom, geojson; `highlighted` départements are drawn darker (None: all).
    """
    background = [departements_layer(boundaries, highlighted)]
    if zones is not None and not zones.is_empty():
        background += zones_layers(zones, named=named)
    records = [
        {
            "nom": deck_text(row["nom"]),
            "finess": deck_text(row["finess_eg"]),
            "commune": deck_text(row["commune"]),
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
    return CompactDeck(
        layers=[*background, dots],
        initial_view_state=view_for(points, width),
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
        text += f" · {formats.km(row['distance_km'])} · {row['temps_min']} min (temps estimé)"
    return text + f"\n{row['uo']} UO trouvée(s), {row['uo_ouvertes']} ouverte(s)"


_TOOLTIP_FINESS = re.compile(r"\(FINESS (\w{9})\)")


def clicked_finess(event: dict | None) -> str | None:
    """The FINESS of the EG whose marker was clicked on the results map, read from st_folium's event (the marker's
    tooltip, written by eg_popup_text), or None when nothing was clicked."""
    found = _TOOLTIP_FINESS.findall((event or {}).get("last_object_clicked_tooltip") or "")
    return found[-1] if found else None  # the last one: a name may mimic it, the commune that follows cannot


# A row of FastMarkerCluster's data: lat, lon, fill colour, tooltip (HTML, escaped); hovered, the tooltip follows the
# pointer (folium.Tooltip's sticky); clicked, streamlit-folium reads it (clicked_finess).
MARKER_CALLBACK = """function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 7, color: "white", weight: 1, fill: true, fillColor: row[2], fillOpacity: 0.9});
    marker.bindTooltip(row[3], {sticky: true});
    return marker;
}"""


@functools.lru_cache(maxsize=4)
def _outlines_geojson(rows: tuple[tuple[str, str], ...]) -> str:
    """The départements' (nom, geometry) as one GeoJSON text, ready for a <script> (written once per set)."""
    features = [{"type": "Feature", "geometry": json.loads(g), "properties": {"nom": nom}} for nom, g in rows]
    return json.dumps({"type": "FeatureCollection", "features": features}).replace("</", "<\\/")


class _Text(Element):
    """Text already rendered, added as it is."""

    def __init__(self, text: str):
        super().__init__()
        self._text = text

    def render(self, **kwargs) -> str:
        return self._text


class RenderedAsText(MacroElement):
    """A MacroElement whose rendered header, html and script go into the page as plain text: branca wraps each in
    `Element(text)`, which compiles that text as a Jinja template at every run — for the marker layer, the data of
    every EG (≈ 140 ms a run for 600 EG)."""

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        macros = self._template.module.__dict__
        for part, target in (("header", figure.header), ("html", figure.html), ("script", figure.script)):
            if (macro := macros.get(part)) is not None:
                target.add_child(_Text(macro(self, kwargs)), name=self.get_name())
        for element in self._children.values():
            element.render(**kwargs)


class DepartementsOutlines(RenderedAsText):
    """The départements drawn under the markers (the whole background when there is no tile server). A
    folium.GeoJson would encode the geometries again and measure their bounds at every run (~30 ms); this layer
    writes the GeoJSON text made once."""

    _template = Template(
        "{% macro script(this, kwargs) %}L.geoJson({{ this.geojson }}, {interactive: false, style: "
        '{color: "#7a8291", weight: 1, fillColor: "#e1e8f0", fillOpacity: 0.6}})'
        ".addTo({{ this._parent.get_name() }});{% endmacro %}"
    )

    def __init__(self, boundaries: pl.DataFrame):
        super().__init__()
        self.geojson = _outlines_geojson(tuple(zip(boundaries["nom"], boundaries["geojson"], strict=True)))


def build_results_folium(eg: pl.DataFrame, boundaries: pl.DataFrame, place, tiles_url: str | None = None):
    """Leaflet map of the EG found (clustered), coloured by open status, and the searched place.

    Without a tile server (tiles_url None) the background is the départements' GeoJSON."""
    import folium
    from folium.plugins import FastMarkerCluster

    def text_of(row: dict) -> str:
        return eg_popup_text(row).replace("\n", " — ")

    center = [place.lat, place.lon] if place else [48.71, 2.5]

    # maxZoom: without a tile layer the map has none, and marker clusters need one
    class ResultsMap(folium.Map, RenderedAsText):
        pass

    fmap = ResultsMap(location=center, zoom_start=11 if place else 9, tiles=None, control_scale=True)
    fmap.options.update(max_zoom=18, min_zoom=5)
    fmap.default_js, fmap.default_css = LEAFLET_JS, LEAFLET_CSS
    if tiles_url:
        folium.TileLayer(tiles_url, attr="Fond de carte", name="Fond de carte").add_to(fmap)
    DepartementsOutlines(boundaries).add_to(fmap)

    # One layer for every EG, its markers made in the browser (FastMarkerCluster): folium compiles a template for each
    # element it renders, at every run — one per marker cost 1.5 ms each. The tooltip is HTML for Leaflet: every
    # character it could read is an entity (html_text, which also keeps folium's templates from reading « { »).
    class Clusters(FastMarkerCluster, RenderedAsText):
        pass

    points = eg.filter(pl.col("lat").is_not_null())
    clusters = Clusters(
        [
            [row["lat"], row["lon"], STATUS_MAP_COLORS.get(row["statut"], "#888888"), html_text(text_of(row))]
            for row in points.iter_rows(named=True)
        ],
        callback=MARKER_CALLBACK,
        name="Établissements",
        options={"maxClusterRadius": 40, "disableClusteringAtZoom": 14},
    )
    clusters.default_js, clusters.default_css = CLUSTER_JS, CLUSTER_CSS
    clusters.add_to(fmap)
    if place is not None:
        folium.CircleMarker(
            [place.lat, place.lon],
            radius=9,
            color="#1c3f95",
            weight=3,
            fill=True,
            fill_color="#ffffff",
            fill_opacity=1,
            tooltip=folium.Tooltip("Lieu recherché : " + html_text(place.libelle)),
        ).add_to(fmap)
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
            "texte": deck_text(eg_popup_text(row)),
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
    return CompactDeck(
        layers=layers,
        initial_view_state=view_for(eg.filter(pl.col("lat").is_not_null())),
        map_provider=None,
        tooltip={"text": "{texte}"},
    )
