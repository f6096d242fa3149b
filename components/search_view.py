"""The pieces of the Recherche page: the "Affiner" panel, the results per EG, the results map."""

from __future__ import annotations

import functools
from collections.abc import Callable

import polars as pl
import streamlit as st

from components import folium_once
from components import search_state as state
from components.maps import FOLIUM_MAX_EG, build_results_deck, clicked_finess
from components.tables import dataframe
from components.text import md
from ror.core import formats
from ror.recherche import search
from ror.recherche.filters import FILTERS, Filter

EG_PER_PAGE = 20
MAP_HEIGHT = 620
MAP_KEY = "r_carte"


FICHE = "r_fiche"  # the UO whose fiche the Recherche page opens in a dialog at its next run
FICHE_STATUS = "r_fiche_statut"  # its status as the list showed it (statut, statut_detail)


def open_fiche(key: str, units: list[dict]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[FICHE] = units[rows[0]]["uo_id"]
        st.session_state[FICHE_STATUS] = units[rows[0]]


def opened_fiche() -> tuple[int, dict | None] | None:
    """The UO a click in the results asked to open (once), and its status as the list showed it — at the same instant,
    so the fiche need not read it again (None: to be read)."""
    uo_id, status = st.session_state.pop(FICHE, None), st.session_state.pop(FICHE_STATUS, None)
    return None if uo_id is None else (uo_id, status)


def facet_options(facet: pl.DataFrame, selected: list[str]) -> tuple[list[str], dict[str, str]]:
    """The values of a filter (most frequent first, selected ones kept) and their 'label (count)'."""
    counts = dict(zip(facet["value"], facet["n"], strict=True))
    names = dict(zip(facet["value"], facet["libelle"], strict=True))
    options = [*facet["value"].to_list(), *[v for v in selected if v not in counts]]
    return options, {v: f"{names.get(v, v)} ({counts.get(v, 0)})" for v in options}


def render_filters(result: search.SearchResult, place: search.Place | None) -> None:
    """The « Affiner » panel: the rayon around the place, then every filter of FILTERS with its counts."""
    with st.sidebar:
        st.header("Affiner")
        if place is not None:
            st.slider("Rayon (km)", min_value=1, max_value=100, key="r_rayon", on_change=state.heard, args=("r_rayon",))
        for f in FILTERS:
            _filter_widget(f, result.facets.get(f.name))
        st.button("Réinitialiser les filtres", on_click=state.reset_filters, icon=":material/filter_alt_off:")


def _filter_widget(f: Filter, facet: pl.DataFrame | None) -> None:
    heard = {"on_change": state.heard, "args": (f.key,)}
    if f.widget == "toggle":
        st.toggle(f"{f.label} ({facet['n'][0] if facet.height else 0})", key=f.key, **heard)
    elif f.widget == "multiselect":
        options, text = facet_options(facet, st.session_state.get(f.key) or [])
        st.multiselect(f.label, options, key=f.key, format_func=text.get, placeholder="Tous", **heard)
    elif f.widget == "pills":
        options, text = facet_options(facet, st.session_state.get(f.key) or [])
        st.pills(
            f.label,
            options,
            selection_mode="multi",
            key=f.key,
            format_func=lambda v: f"{md(v)} ({text[v].rsplit('(', 1)[-1]}",  # a value may come from a link
            **heard,
        )
    elif f.widget == "segmented":
        options, text = facet_options(facet, [])
        st.segmented_control(f.label, options, key=f.key, format_func=lambda v: md(text[v]), **heard)
    elif f.widget == "number":
        st.number_input(
            f.label, min_value=0, max_value=120, value=None, step=1, key=f.key, placeholder="Tous les âges", **heard
        )


UO_TABLE = {
    "nom": st.column_config.TextColumn("Unité", width="large"),
    "type_libelle": "Type d'UO",
    "distance_km": st.column_config.NumberColumn("Distance (km)", format="localized"),
    "temps_min": st.column_config.NumberColumn("Temps estimé (min)", format="localized"),
    "public": "Patientèle",
    "statut_detail": "Statut",
    "telephone": "Téléphone",
}


def status_icon(statut: str) -> str:
    return ":green[:material/check_circle:]" if statut == "ouvert" else ":red[:material/cancel:]"


def render_results(result: search.SearchResult, selected: str | None, units_of: Callable[[str], pl.DataFrame]) -> None:
    """The EG found, a page at a time; an EG opened shows its UO (units_of: FINESS -> its UO described)."""
    eg = result.eg
    pages = max(1, -(-eg.height // EG_PER_PAGE))
    if selected is not None and selected in eg["finess_eg"]:
        index = eg["finess_eg"].to_list().index(selected)
        st.session_state["r_page"] = index // EG_PER_PAGE + 1
        st.session_state[f"r_eg_{selected}"] = True
    if st.session_state.get("r_page", 1) > pages:
        st.session_state["r_page"] = 1
    page = st.session_state.get("r_page", 1)
    for row in eg.slice((page - 1) * EG_PER_PAGE, EG_PER_PAGE).iter_rows(named=True):
        where = md(row["commune"])
        if row["distance_km"] is not None:
            where += f" · {formats.km(row['distance_km'])} · {row['temps_min']} min"
        label = (
            f"{status_icon(row['statut'])} **{md(row['eg_nom'])}** — {where} · {row['uo']} UO "
            f"({row['uo_ouvertes']} ouverte(s))"
        )
        key = f"r_eg_{row['finess_eg']}"
        with st.expander(label, key=key, on_change="rerun"):
            if not st.session_state.get(key):
                continue
            units = units_of(row["finess_eg"])
            st.caption(f"FINESS {row['finess_eg']} · cliquez sur une unité pour ouvrir sa fiche")
            table_key = f"r_uo_{row['finess_eg']}"
            dataframe(
                units.select(list(UO_TABLE)),
                hide_index=True,
                column_config=UO_TABLE,
                on_select=functools.partial(
                    open_fiche, table_key, units.select("uo_id", "statut", "statut_detail").rows(named=True)
                ),
                selection_mode="single-row",
                key=table_key,
            )
    if pages > 1:
        st.pagination(pages, key="r_page")


def render_map(
    result: search.SearchResult,
    place: search.Place | None,
    boundaries: pl.DataFrame,
    rendered: Callable[[], folium_once.Rendered],
) -> str | None:
    """The map of the EG found; returns the FINESS of the EG the user clicked, if any. Up to FOLIUM_MAX_EG, a Leaflet
    map, `rendered` once per search (components/search_reads.results_map)."""
    if result.eg.height > FOLIUM_MAX_EG:
        deck = build_results_deck(result.eg, boundaries, place)
        event = st.pydeck_chart(
            deck, key="r_carte_deck", height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object"
        )
        objects = (event.selection.objects or {}).get("resultats") if event else None
        return objects[0]["finess"] if objects else None
    # streamlit-folium 0.27 leaves its frame 0 px high under Streamlit 1.67: the container sets it (our CSS)
    st.html(f"<style>.st-key-r_carte_cadre iframe {{height: {MAP_HEIGHT}px !important;}}</style>")
    with st.container(key="r_carte_cadre"):
        clicked = folium_once.draw(rendered(), height=MAP_HEIGHT)
    return clicked_finess(clicked)
