"""What the Recherche page reads that does not depend on the person: searches, the units of an EG found, the map of
the results, places and terms suggested — shared by every session (st.cache_resource: as it is, not copied at each
run like st.cache_data; its frames are only read) and keyed by the data version — the map by what it draws
(docs/performance.md)."""

from __future__ import annotations

import hashlib

import numpy as np
import polars as pl
import streamlit as st

from components import folium_once
from components.data import cursor, departement_boundaries
from components.maps import build_results_folium
from components.search_view import MAP_KEY
from ror.recherche import search


@st.cache_resource(max_entries=128, show_spinner=False)
def run_search(version: int, query: search.SearchQuery) -> search.SearchResult:
    return search.search(cursor(), query)


@st.cache_resource(show_spinner=False)
def _searched_version() -> list[int]:
    return [-1]


def forget_older_searches(version: int) -> None:
    """After a write, the searches kept are dropped: each holds the search index of its version in memory."""
    seen = _searched_version()
    if seen[0] != version:
        seen[0] = version
        run_search.clear()
        eg_units.clear()


def results_map(query: search.SearchQuery, tiles: str | None, result: search.SearchResult) -> folium_once.Rendered:
    """The Leaflet map of a search's results (`result`), rendered once for every session. It is kept by what it draws
    — the EG found, the place, the background — not by data version: after a publication, the map of a search whose
    EG did not change is not rendered again (≈ 10 ms of the first run of each search)."""
    return _results_map(map_key(result), query.ou, tiles, result)


def map_key(result: search.SearchResult) -> str:
    """The EG found, in any order (sorting them moves no marker; a truncated list keeps other EG): a digest of their
    rows."""
    rows = np.sort(result.eg.hash_rows().to_numpy())
    return hashlib.blake2b(rows.tobytes(), digest_size=16).hexdigest()


@st.cache_resource(max_entries=64, show_spinner=False)
def _results_map(
    shown: str, place: search.Place | None, tiles: str | None, _result: search.SearchResult
) -> folium_once.Rendered:
    fmap = build_results_folium(_result.eg, departement_boundaries(), place, tiles)
    return folium_once.render(fmap, MAP_KEY)


@st.cache_resource(max_entries=256, show_spinner=False)
def eg_units(version: int, query: search.SearchQuery, finess_eg: str) -> pl.DataFrame:
    return search.units(cursor(), run_search(version, query), [finess_eg])


@st.cache_data(max_entries=256, show_spinner=False)
def place_of(version: int, cle: str) -> search.Place | None:
    return search.place_by_key(cursor(), cle)


@st.cache_data(max_entries=256, show_spinner=False)
def place_suggestions(version: int, text: str) -> list[search.Place]:
    return search.suggest_places(cursor(), text)


@st.cache_data(max_entries=256, show_spinner=False)
def term_suggestions(version: int, text: str) -> pl.DataFrame:
    return search.suggest_terms(cursor(), text)
