"""Recherche: où and quoi, then refine; results per EG with their UO, a map, the fiche of a UO, Excel export."""

from __future__ import annotations

import datetime as dt
import functools
import re

import polars as pl
import streamlit as st
from streamlit_folium import st_folium

import queries
from components import search_state as state
from components.data import cursor, data_version
from components.fiches import render_uo_fiche
from components.maps import FOLIUM_MAX_EG, build_results_deck, build_results_folium
from components.session import require_user
from ror import db, exports, opening, search
from ror.permissions import scope_of

EG_PER_PAGE = 20
MAP_HEIGHT = 620


@st.cache_data(max_entries=128, show_spinner=False)
def run_search(version: int, query: search.SearchQuery) -> search.SearchResult:
    return search.search(cursor(), query)


@st.cache_data(max_entries=256, show_spinner=False)
def place_suggestions(version: int, text: str) -> list[search.Place]:
    return search.suggest_places(cursor(), text)


@st.cache_data(max_entries=256, show_spinner=False)
def term_suggestions(version: int, text: str) -> pl.DataFrame:
    return search.suggest_terms(cursor(), text)


@st.cache_data(max_entries=4, show_spinner=False)
def boundaries(version: int) -> pl.DataFrame:
    return queries.run(cursor(), "departement_boundaries")


def pick_place(places: dict[str, search.Place]) -> None:
    chosen = st.session_state.get("r_ou_suggestion")
    if chosen in places:
        st.session_state["r_lieu"] = chosen
        st.session_state["r_ou_texte"] = places[chosen].libelle
    st.session_state["r_ou_suggestion"] = None


def add_term(labels: dict[str, str]) -> None:
    chosen = st.session_state.get("r_quoi_suggestion")
    if chosen in labels:
        terms = list(st.session_state.get("r_termes") or [])
        st.session_state["r_termes"] = [*terms, labels[chosen]] if labels[chosen] not in terms else terms
        st.session_state["r_quoi"] = ""
    st.session_state["r_quoi_suggestion"] = None


def remove_term(label: str) -> None:
    st.session_state["r_termes"] = [t for t in st.session_state.get("r_termes") or [] if t != label]


def open_fiche(key: str, ids: list[int]) -> None:
    rows = st.session_state[key].selection.rows
    if rows:
        st.session_state["r_fiche"] = ids[rows[0]]


@st.dialog("Fiche de l'unité", width="large")
def show_fiche(uo_id: int, instant: dt.datetime) -> None:
    render_uo_fiche(cursor(), uo_id, instant)


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
            format_func=lambda v: f"{v} ({text[v].rsplit('(', 1)[-1]}",
        )
        multi_filter("Département", "r_departements", facets["departements"])
        multi_filter("Type d'UO", "r_types", facets["types"])
        publics, public_text = facet_options(facets["public"], [])
        st.segmented_control("Public", publics, key="r_public", format_func=public_text.get)
        st.number_input(
            "Âge (ans)", min_value=0, max_value=120, value=None, step=1, key="r_age", placeholder="Tous les âges"
        )
        multi_filter("Mode de prise en charge", "r_modes", facets["modes"])
        multi_filter("Temporalité d'accueil", "r_temporalites", facets["temporalites"])
        multi_filter("Activité opérationnelle", "r_activites", facets["activites"])
        multi_filter("Aptitude", "r_aptitudes", facets["aptitudes"])
        st.button("Réinitialiser les filtres", on_click=state.reset_filters, icon=":material/filter_alt_off:")


def criteria_text(place: search.Place | None, terms: tuple[str, ...], query: search.SearchQuery) -> dict[str, str]:
    f = query.filters
    shown = {
        "Où": place.label if place else "Tout le répertoire",
        "Quoi": ", ".join(terms) or "Toute l'offre",
        "Rayon": f"{query.rayon_km:g} km" if place and query.rayon_km else "—",
        "Tri": search.SORTS[query.tri],
    }
    for name, value in (
        ("Départements", f.departements),
        ("Disciplines", f.disciplines),
        ("Types d'UO", f.types),
        ("Modes de prise en charge", f.modes),
        ("Temporalités", f.temporalites),
        ("Activités", f.activites),
        ("Aptitudes", f.aptitudes),
    ):
        if value:
            shown[name] = ", ".join(value)
    if f.public:
        shown["Public"] = search.PUBLICS[f.public]
    if f.age is not None:
        shown["Âge"] = f"{f.age} ans"
    if f.ouvert:
        shown["Statut"] = "Ouvert maintenant"
    return shown


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


def render_results(result: search.SearchResult, selected: str | None) -> None:
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
        where = f"{row['commune'] or ''}"
        if row["distance_km"] is not None:
            where += f" · {row['distance_km']:.1f} km · {row['temps_min']} min"
        label = (
            f"{status_icon(row['statut'])} **{row['eg_nom']}** — {where} · {row['uo']} UO "
            f"({row['uo_ouvertes']} ouverte(s))"
        )
        key = f"r_eg_{row['finess_eg']}"
        with st.expander(label, key=key, on_change="rerun"):
            if not st.session_state.get(key):
                continue
            units = result.uo.filter(pl.col("finess_eg") == row["finess_eg"])
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


def render_map(result: search.SearchResult, place: search.Place | None, version: int) -> str | None:
    """The map of the EG found; returns the FINESS of the EG the user clicked, if any."""
    if result.eg.height > FOLIUM_MAX_EG:
        deck = build_results_deck(result.eg, boundaries(version), place)
        event = st.pydeck_chart(
            deck, key="r_carte_deck", height=MAP_HEIGHT, on_select="rerun", selection_mode="single-object"
        )
        objects = (event.selection.objects or {}).get("resultats") if event else None
        return objects[0]["finess"] if objects else None
    # streamlit-folium 0.27 leaves its frame 0 px high under Streamlit 1.67: the container sets it (our CSS)
    st.html(f"<style>.st-key-r_carte_cadre iframe {{height: {MAP_HEIGHT}px !important;}}</style>")
    tiles = db.get_setting(cursor(), "carte_tuiles_url")
    fmap = build_results_folium(result.eg, boundaries(version), place, tiles)
    with st.container(key="r_carte_cadre"):
        clicked = st_folium(
            fmap,
            key="r_carte",
            height=MAP_HEIGHT,
            use_container_width=True,
            returned_objects=["last_object_clicked_tooltip"],
        )
    match = re.search(r"FINESS (\w{9})\)", (clicked or {}).get("last_object_clicked_tooltip") or "")
    return match.group(1) if match else None


# ---------------------------------------------------------------------------------------------------------
user = require_user()
scope = scope_of(user)
version = data_version()
state.load_from_url()
con = cursor()

place = search.place_by_key(con, st.session_state["r_lieu"]) if st.session_state.get("r_lieu") else None
if place is not None and st.session_state.get("r_ou_texte") in (None, ""):
    if "r_ou_texte" not in st.session_state:
        st.session_state["r_ou_texte"] = place.libelle  # opened from a shared link
    else:
        place = None  # the user cleared the field
elif place is not None and st.session_state.get("r_ou_texte") != place.libelle:
    place = None  # the user is typing another place
if place is None:
    st.session_state["r_lieu"] = None

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
    if place is None and typed_place and len(search.normalise(typed_place).replace(" ", "")) >= search.MIN_CHARS:
        found = place_suggestions(version, typed_place)
        if found:
            by_key = {p.cle: p for p in found}
            st.pills(
                "Suggestions de lieux",
                list(by_key),
                key="r_ou_suggestion",
                on_change=pick_place,
                args=(by_key,),
                format_func=lambda k: by_key[k].label + (" · établissement" if by_key[k].type == "eg" else ""),
            )
            place = found[0]
            st.caption(f"Lieu retenu : {place.label} — ou choisissez parmi les suggestions.")
        else:
            st.warning(f"Aucune commune ni aucun établissement ne correspond à « {typed_place[:80]} ».")
    elif typed_place and place is None:
        st.caption(f"Saisissez au moins {search.MIN_CHARS} caractères.")
    elif place is not None:
        st.caption(f"{'Établissement' if place.type == 'eg' else 'Commune'} : {place.detail}")
with what_col:
    typed_terms = st.text_input(
        "Quoi",
        key="r_quoi",
        live=True,
        max_chars=500,
        placeholder="Unité, type d'UO, activité, aptitude, spécialisation, profession…",
    )
    if typed_terms and len(search.normalise(typed_terms).replace(" ", "")) >= search.MIN_CHARS:
        labels = term_suggestions(version, typed_terms)
        if not labels.is_empty():
            by_code = {f"{r['system']}|{r['code']}": r for r in labels.iter_rows(named=True)}
            st.pills(
                "Suggestions",
                list(by_code),
                key="r_quoi_suggestion",
                on_change=add_term,
                args=({k: r["libelle"] for k, r in by_code.items()},),
                format_func=lambda k: f"{by_code[k]['libelle']} · {by_code[k]['genre']} ({by_code[k]['uo']})",
            )
    chosen = st.session_state.get("r_termes") or []
    if chosen:
        chips = st.container(horizontal=True)
        for label in chosen:
            chips.button(
                label,
                key=f"r_retirer_{label}",
                icon=":material/close:",
                on_click=remove_term,
                args=(label,),
                help="Retirer ce critère",
            )

if scope.departements:
    st.toggle(f"Mon territoire uniquement ({', '.join(scope.departements)})", key="r_territoire")

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
    st.error(str(exc))
    st.stop()

render_filters(result, place)

head, sort_col, export_col = st.columns([3, 2, 1], vertical_alignment="bottom")
head.markdown(
    f"**{result.eg.height:,} établissement(s)** · {result.uo.height:,} unité(s)".replace(",", "\u202f")
    + f" — statuts au {instant:%d/%m/%Y à %H:%M}"
)
sort_col.segmented_control("Trier par", list(search.SORTS), key="r_tri", format_func=search.SORTS.get, required=True)
export_col.download_button(
    "Exporter (Excel)",
    data=lambda: exports.search_xlsx(result, criteria_text(place, terms, query)),
    file_name=f"recherche_ror_{instant:%Y%m%d_%H%M}.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
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
list_col, map_col = st.columns([11, 9], gap="medium")
with map_col:
    clicked = render_map(result, place, version)
with list_col:
    if clicked:
        st.caption(f"Sélectionné sur la carte : FINESS {clicked}")
    render_results(result, clicked)

if st.session_state.get("r_fiche") is not None:
    show_fiche(st.session_state.pop("r_fiche"), instant)

state.save_to_url(place.cle if place else None)
