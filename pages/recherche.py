"""Recherche: où and quoi, then refine; results per EG with their UO, a map, the fiche of a UO, Excel export."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from components import search_state as state
from components.data import cursor, data_version, departement_boundaries
from components.fiches import render_uo_fiche
from components.page_part import page_part
from components.search_reads import (
    eg_units,
    forget_older_searches,
    place_of,
    place_suggestions,
    results_map,
    run_search,
    term_suggestions,
)
from components.search_view import opened_fiche, render_filters, render_map, render_results
from components.session import require_user
from components.text import md
from ror.administration import screen_exports
from ror.core import db, formats
from ror.core.permissions import scope_of
from ror.recherche import search
from ror.repertoire import opening


@st.dialog("Fiche de l'unité", width="large")
def show_fiche(uo_id: int, instant: dt.datetime, status: dict | None) -> None:
    st.page_link(
        "pages/fiche.py",
        label="Ouvrir la fiche complète (historique, mises à jour)",
        icon=":material/open_in_new:",
        query_params={"uo": str(uo_id)},
    )
    render_uo_fiche(cursor(), uo_id, instant, status)


@page_part("recherche/resultats")
def results_list(version: int, query: search.SearchQuery, result: search.SearchResult, clicked: str | None) -> None:
    """The EG found and the fiche of a unit opened from them: opening an EG or a fiche reruns this alone."""
    if clicked:
        st.caption(f"Sélectionné sur la carte : FINESS {md(clicked)}")
    render_results(result, clicked, lambda finess_eg: eg_units(version, query, finess_eg))
    if (opened := opened_fiche()) is not None:
        uo_id, status = opened
        show_fiche(uo_id, query.instant, status)


# ---------------------------------------------------------------------------------------------------------
user = require_user()
scope = scope_of(user)
version = data_version()
forget_older_searches(version)
state.load_from_url()
con = cursor()

place = state.chosen_place(lambda cle: place_of(version, cle))

st.title("Recherche")
st.caption("Trouver l'offre autour d'un lieu : où, quoi, puis affiner.")
where_col, what_col = st.columns(2, gap="large")
with where_col:
    typed_place = st.text_input(
        "Où",
        key="r_ou_texte",
        live=True,
        max_chars=200,
        placeholder="Commune, code postal ou établissement (3 lettres au moins)",
    )
    if place is None and search.long_enough(typed_place):
        found = place_suggestions(version, typed_place)
        if found:
            by_key = {p.cle: p for p in found}
            st.pills(
                "Suggestions de lieux",
                list(by_key),
                key="r_ou_suggestion",
                on_change=state.pick_place,
                args=(by_key,),
                format_func=lambda k: md(by_key[k].label) + (" · établissement" if by_key[k].type == "eg" else ""),
            )
            place = found[0]
            st.caption(f"Lieu retenu : {md(place.label)} — ou choisissez parmi les suggestions.")
        else:
            st.warning(
                "Aucune commune, aucun arrondissement ni aucun établissement ne correspond à "
                f"« {md(typed_place[:80])} »."
            )
    elif typed_place and place is None:
        st.caption(f"Saisissez au moins {search.MIN_CHARS} caractères.")
    elif place is not None:
        st.caption(f"{place.kind} : {md(place.detail)}")
with what_col:
    typed_terms = st.text_input(
        "Quoi",
        key="r_quoi",
        live=True,
        max_chars=500,
        placeholder="Unité, type d'UO, activité, aptitude, spécialisation, profession…",
    )
    if search.long_enough(typed_terms):
        labels = term_suggestions(version, typed_terms)
        if not labels.is_empty():
            by_code = {f"{r['system']}|{r['code']}": r for r in labels.iter_rows(named=True)}
            st.pills(
                "Suggestions",
                list(by_code),
                key="r_quoi_suggestion",
                on_change=state.add_term,
                args=({k: r["libelle"] for k, r in by_code.items()},),
                format_func=lambda k: f"{md(by_code[k]['libelle'])} · {md(by_code[k]['genre'])} ({by_code[k]['uo']})",
            )
    chosen = st.session_state.get("r_termes") or []
    if chosen:
        chips = st.container(horizontal=True)
        for label in chosen:
            chips.button(
                md(label),
                key=f"r_retirer_{label}",
                icon=":material/close:",
                on_click=state.remove_term,
                args=(label,),
                help="Retirer ce critère",
            )

if scope.departements:
    st.toggle(
        f"Mon territoire uniquement ({', '.join(scope.departements)})",
        key="r_territoire",
        on_change=state.heard,
        args=("r_territoire",),
    )

terms = search.query_terms(chosen, typed_terms or "")
instant = opening.local().replace(second=0, microsecond=0)
query = search.SearchQuery(
    ou=place,
    quoi=terms,
    rayon_km=float(st.session_state["r_rayon"]) if place else None,
    filters=state.filters(),
    tri=st.session_state.get("r_tri") or "distance",
    instant=instant,
    territoire=scope.departements if st.session_state.get("r_territoire") and scope.departements else None,
)
try:
    result = run_search(version, query)
except search.SearchError as exc:
    st.error(md(str(exc)))
    st.stop()

render_filters(result, place)

head, sort_col, export_col = st.columns([3, 2, 1], vertical_alignment="bottom")
head.markdown(
    f"**{formats.integer(result.total_eg)} établissement(s)** · {formats.integer(result.total_uo)} unité(s)"
    + f" — statuts au {instant:%d/%m/%Y à %H:%M}"
)
sort_col.segmented_control(
    "Trier par",
    list(search.SORTS),
    key="r_tri",
    format_func=search.SORTS.get,
    required=True,
    on_change=state.heard,
    args=("r_tri",),
)
export_col.download_button(
    "Exporter (Excel)",
    data=lambda: screen_exports.search_xlsx(result, search.units(cursor(), result), search.describe(query)),
    file_name=f"recherche_ror_{instant:%Y%m%d_%H%M}.xlsx",
    mime=screen_exports.XLSX_MIME,
    icon=":material/download:",
    on_click="ignore",
    disabled=result.empty,
)

if result.empty:
    if result.before_filters:
        st.info(f"Aucune unité avec ces filtres ({result.before_filters} sans les filtres d'« Affiner »).")
    else:
        st.info(
            "Aucune unité ne correspond à cette recherche. Essayez un autre terme, un rayon plus grand, "
            "ou retirez un critère."
        )
if not query.asks_something:  # the counts and the filters, not 3 000 establishments before anyone asked
    st.info(
        "Indiquez un lieu (« Où »), ce que vous cherchez (« Quoi ») ou un filtre d'« Affiner » : les établissements "
        "trouvés s'afficheront ici, avec leur carte.",
        icon=":material/travel_explore:",
    )
else:
    if result.truncated:
        st.info(
            f"Seuls les {formats.integer(result.eg.height)} premiers établissements "
            f"({search.SORTS[query.tri].lower()}) sont affichés et exportés : précisez la recherche (lieu et rayon, "
            "termes, filtres) pour voir les autres."
        )
    list_col, map_col = st.columns([11, 9], gap="medium")
    with map_col:
        tiles = db.get_setting(con, "carte_tuiles_url")
        clicked = render_map(result, place, departement_boundaries(), lambda: results_map(query, tiles, result))
    with list_col:
        results_list(version, query, result, clicked)

state.save_to_url(place.cle if place else None)
