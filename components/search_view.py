"""The pieces of the Recherche page: the "Affiner" panel, the results per EG, the results map."""

from __future__ import annotations

import functools
from collections.abc import Callable

import polars as pl
import streamlit as st
from streamlit_folium import st_folium

from components import search_state as state
from components.maps import FOLIUM_MAX_EG, build_results_deck, build_results_folium, clicked_finess
from components.text import md
from ror import search

EG_PER_PAGE = 20
MAP_HEIGHT = 620


FICHE = "r_fiche"  # the UO whose fiche the Recherche page opens in a dialog at its next run


def open_fiche(key: str, ids: list[int]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state[FICHE] = ids[rows[0]]


def opened_fiche() -> int | None:
    """The UO a click in the results asked to open (once)."""
    return st.session_state.pop(FICHE, None)


def facet_options(facet: pl.DataFrame, selected: list[str]) -> tuple[list[str], dict[str, str]]:
    """The values of a filter (most frequent first, selected ones kept) and their 'label (count)'."""
    counts = dict(zip(facet["value"], facet["n"], strict=True))
    names = dict(zip(facet["value"], facet["libelle"], strict=True))
    options = [*facet["value"].to_list(), *[v for v in selected if v not in counts]]
    return options, {v: f"{names.get(v, v)} ({counts.get(v, 0)})" for v in options}


def multi_filter(label: str, key: str, facet: pl.DataFrame) -> None:
    options, text = facet_options(facet, st.session_state.get(key) or [])
    st.multiselect(label, options, key=key, format_func=text.get, placeholder="Tous")


def render_filters(result: search.SearchResult, place: search.Place | None) -> None:
    facets = result.facets
    with st.sidebar:
        st.header("Affiner")
        if place is not None:
            st.slider("Rayon (km)", min_value=1, max_value=100, key="r_rayon")
        st.toggle(f"Ouvert maintenant ({facets['ouvert']['n'][0]})", key="r_ouvert")
        options, text = facet_options(facets["disciplines"], st.session_state.get("r_disciplines") or [])
        st.pills(
            "Discipline",
            options,
            selection_mode="multi",
            key="r_disciplines",
            format_func=lambda v: f"{md(v)} ({text[v].rsplit('(', 1)[-1]}",  # a value may come from a link
        )
        multi_filter("Département", "r_departements", facets["departements"])
        multi_filter("Type d'UO", "r_types", facets["types"])
        publics, public_text = facet_options(facets["public"], [])
        st.segmented_control("Public", publics, key="r_public", format_func=lambda v: md(public_text[v]))
        st.number_input(
            "Âge (ans)", min_value=0, max_value=120, value=None, step=1, key="r_age", placeholder="Tous les âges"
        )
        multi_filter("Mode de prise en charge", "r_modes", facets["modes"])
        multi_filter("Temporalité d'accueil", "r_temporalites", facets["temporalites"])
        multi_filter("Activité opérationnelle", "r_activites", facets["activites"])
        multi_filter("Aptitude", "r_aptitudes", facets["aptitudes"])
        st.button("Réinitialiser les filtres", on_click=state.reset_filters, icon=":material/filter_alt_off:")


UO_TABLE = {
    "nom": st.column_config.TextColumn("Unité", width="large"),
    "type_libelle": "Type d'UO",
    "distance_km": st.column_config.NumberColumn("Distance (km)", format="%.1f"),
    "temps_min": st.column_config.NumberColumn("Temps estimé (min)"),
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
            where += f" · {row['distance_km']:.1f} km · {row['temps_min']} min"
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
            st.dataframe(
                units.select(list(UO_TABLE)),
                hide_index=True,
                column_config=UO_TABLE,
                on_select=functools.partial(open_fiche, table_key, units["uo_id"].to_list()),
                selection_mode="single-row",
                key=table_key,
            )
    if pages > 1:
        st.pagination(pages, key="r_page")


def render_map(
    result: search.SearchResult, place: search.Place | None, boundaries: pl.DataFrame, tiles: str | None
) -> str | None:
    """The map of the EG found; returns the FINESS of the EG the user clicked, if any."""
    if result.eg.height > FOLIUM_MAX_EG:
        deck = build_results_deck(result.eg, boundaries, place)
        event = st.pydeck_chart(
            deck, key="r_carte_deck", height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object"
        )
        objects = (event.selection.objects or {}).get("resultats") if event else None
        return objects[0]["finess"] if objects else None
    # streamlit-folium 0.27 leaves its frame 0 px high under Streamlit 1.67: the container sets it (our CSS)
    st.html(f"<style>.st-key-r_carte_cadre iframe {{height: {MAP_HEIGHT}px !important;}}</style>")
    fmap = build_results_folium(result.eg, boundaries, place, tiles)
    with st.container(key="r_carte_cadre"):
        clicked = st_folium(
            fmap,
            key="r_carte",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip"],
        )
    return clicked_finess(clicked)
