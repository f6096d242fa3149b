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


def build_eg_deck(points: pl.DataFrame, boundaries: pl.DataFrame, highlighted: tuple[str, ...] | None) -> pdk.Deck:
    """EG as dots coloured by main discipline, over the départements' boundaries.

    points: finess_eg, nom, commune, departement, lat, lon, discipline, uo (queries/eg_map_points.sql)
    boundaries: code, nom, geojson; `highlighted` départements are drawn darker (None: all).
    """
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
    background = pdk.Layer(
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
