"""The Couverture page's map: the communes coloured by the time to the nearest unit of an offer (pydeck), and its
legend. The shared pieces (compact deck, départements' outlines, view) are in components/maps.py."""

from __future__ import annotations

import polars as pl
import pydeck as pdk
import streamlit as st

from components.maps import CompactDeck, outline_layer, view_for
from components.text import deck_text
from ror.core import arrondissements as paris
from ror.core import formats
from ror.territoire import coverage

# One colour per band of ror.territoire.coverage.band_of (green: near … red: far), grey: no unit of the offer at all.
BAND_COLORS = [
    (26, 152, 80),
    (145, 207, 96),
    (217, 239, 139),
    (254, 224, 139),
    (252, 141, 89),
    (215, 48, 39),
    (150, 150, 150),
]


def coverage_text(row: dict, threshold: int) -> str:
    """What hovering a commune shows: name, population, time and the nearest unit (plain text)."""
    population = formats.integer(row["population"])
    head = f"{row['nom']} ({row['departement']}) · {population} hab."
    if row["temps_min"] is None:
        return f"{head}\nAucune unité de cette offre dans le répertoire"
    verdict = "au-delà du seuil" if row["temps_min"] > threshold else "dans le seuil"
    inside = "Dans l'arrondissement" if paris.is_arrondissement(row["code_insee"]) else "Dans la commune"
    where = inside if row["heberge"] else f"À {formats.km(row['distance_km'])} (vol d'oiseau)"
    others = f" (+{row['uo_site'] - 1} autre(s) unité(s) du site)" if row["uo_site"] and row["uo_site"] > 1 else ""
    return (
        f"{head}\nTemps estimé : {row['temps_min']} min ({verdict} de {threshold} min)\n"
        f"Unité la plus proche : {row['uo_nom']}{others}\n{row['eg_nom']} · {where}"
    )


def _coverage_records(communes: pl.DataFrame, threshold: int) -> list[dict]:
    return [
        {
            "code": row["code_insee"],
            "texte": deck_text(coverage_text(row, threshold)),
            "fill": [*BAND_COLORS[coverage.band_of(row["temps_min"])], 215],
            "far": row["temps_min"] is None or row["temps_min"] > threshold,
            "lat": row["lat"],
            "lon": row["lon"],
        }
        for row in communes.iter_rows(named=True)
    ]


def build_coverage_deck(
    communes: pl.DataFrame, boundaries: dict[str, dict], departements: pl.DataFrame, threshold: int
) -> pdk.Deck:
    """The communes as a choropleth of the time to the nearest unit; those beyond the threshold outlined.
    A commune without a bundled boundary (the synthetic national territory) is drawn as a dot.

    communes: ror.territoire.coverage.Coverage.communes (of the territory); boundaries: code_insee -> GeoJSON geometry;
    departements: code, nom, geojson (their outlines, on top)."""
    records = _coverage_records(communes, threshold)
    shapes = [r for r in records if r["code"] in boundaries]
    dots = [r for r in records if r["code"] not in boundaries]
    features = [
        {
            "type": "Feature",
            "geometry": boundaries[r["code"]],
            "properties": {
                "fill": r["fill"],
                "line": [60, 20, 20] if r["far"] else [255, 255, 255],
                "width": 1.6 if r["far"] else 0.4,
            },
            "texte": r["texte"],  # top level: the tooltip template reads the picked object's own keys
        }
        for r in shapes
    ]
    layers = [
        pdk.Layer(
            "GeoJsonLayer",
            {"type": "FeatureCollection", "features": features},
            id="communes",
            stroked=True,
            filled=True,
            get_fill_color="properties.fill",
            get_line_color="properties.line",
            get_line_width="properties.width",  # (line_width_units="pixels" draws nothing in Streamlit's deck.gl)
            line_width_min_pixels=0.4,
            line_width_max_pixels=3,
            pickable=True,
            auto_highlight=True,
        ),
        outline_layer(departements, "departements", [40, 50, 70], 1.5),
    ]
    if dots:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                dots,
                id="communes_points",
                get_position=["lon", "lat"],
                get_fill_color="fill",
                radius_min_pixels=2,
                radius_max_pixels=6,
                get_radius=800,
                pickable=True,
            )
        )
    return CompactDeck(
        layers=layers,
        initial_view_state=view_for(communes),
        map_provider=None,
        tooltip={"text": "{texte}"},
    )


def render_coverage_legend(threshold: int) -> None:
    """The bands in minutes (colours are constants of this module, no user text)."""
    swatches = " ".join(
        f'<span style="display:inline-block;width:0.9em;height:0.9em;background:rgb{color};'
        f'border:1px solid #888;margin:0 0.25em 0 0.8em;vertical-align:-0.1em"></span>{label}'
        for color, label in zip(BAND_COLORS, coverage.band_labels(), strict=True)
    )
    st.markdown(
        f'<div style="font-size:0.85em">{swatches}<br><span style="display:inline-block;width:0.9em;height:0.9em;'
        f'border:2px solid rgb(60,20,20);margin:0 0.25em 0 0.8em;vertical-align:-0.1em"></span>'
        f"contour foncé : au-delà du seuil de {int(threshold)} min</div>",
        unsafe_allow_html=True,
    )
