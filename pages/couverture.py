"""Couverture du territoire: for an offer, the estimated travel time from every commune to the nearest unit, on
a map, with the population beyond a threshold, the communes concerned and the capacity by département."""

import json

import polars as pl
import streamlit as st

import queries
from components.coverage_map import build_coverage_deck, render_coverage_legend
from components.data import cursor, data_version, departement_boundaries
from components.session import require_territory, require_user
from components.tables import dataframe
from ror.administration import screen_exports
from ror.core import formats
from ror.core.reference import DEPARTEMENT_NAMES, DISCIPLINES
from ror.recherche.filters import PUBLICS
from ror.territoire import coverage


@st.cache_data(max_entries=4, show_spinner=False)
def load_choices(version: int) -> pl.DataFrame:
    return queries.run(cursor(), "coverage_choices")


# st.cache_resource: shared by every session as it is, not copied at each run like st.cache_data (its frames are
# only read); keyed by the data version (docs/performance.md).
@st.cache_resource(max_entries=32, show_spinner="Calcul du temps d'accès de chaque commune…")
def load_coverage(version: int, offer: coverage.Offer) -> coverage.Coverage:
    return coverage.compute(cursor(), offer)


@st.cache_resource(max_entries=2, show_spinner=False)
def commune_boundaries(version: int) -> dict[str, dict]:
    """The communes' boundaries (code_insee -> geometry)."""
    return {code: json.loads(shape) for code, shape in queries.rows(cursor(), "commune_boundaries")}


@st.cache_resource(max_entries=16, show_spinner=False)
def coverage_map(version: int, offer: coverage.Offer, departements: tuple[str, ...] | None, threshold: int):
    """The map of an offer's coverage of a territory, built and written once for every session."""
    departement_shapes = departement_boundaries()
    if departements is not None:
        departement_shapes = departement_shapes.filter(pl.col("code").is_in(departements))
    communes = coverage.in_territory(load_coverage(version, offer).communes, departements)
    return build_coverage_deck(communes, commune_boundaries(version), departement_shapes, threshold)


def code_picker(label: str, system: str, discipline: str, key: str) -> str:
    """A type d'UO or an activité among those the offer's units carry, with how many (empty: any)."""
    found = choices.filter(pl.col("system") == system)
    if discipline:
        found = found.filter(pl.col("discipline") == discipline)
    found = found.group_by("code", "libelle").agg(pl.col("uo").sum()).sort("libelle")
    names = {row["code"]: f"{row['libelle']} ({row['uo']} UO)" for row in found.iter_rows(named=True)}
    if st.session_state.get(key) not in ("", *names):
        st.session_state[key] = ""  # a code of another discipline
    return st.selectbox(label, ["", *names], format_func=lambda c: names.get(c, "Tous"), key=key)


user = require_user()
st.title("Couverture du territoire")
departements = require_territory(user)
version = data_version()
choices = load_choices(version)
st.caption(
    "Temps d'accès estimé en voiture depuis chaque commune jusqu'à l'unité la plus proche de l'offre choisie "
    "(même modèle que la recherche). Une commune qui accueille l'offre est à son temps de trajet local. "
    "Paris compte pour ses 20 arrondissements."
)

discipline_col, type_col, activite_col, public_col, seuil_col = st.columns([1.2, 2, 2, 1.2, 1.4])
with discipline_col:
    discipline = st.selectbox(
        "Discipline",
        ["", *DISCIPLINES],
        format_func=lambda d: f"{d} – {DISCIPLINES[d]}" if d else "Toutes",
        key="cou_discipline",
    )
with type_col:
    type_code = code_picker("Type d'UO", "TRE_R244", discipline, "cou_type")
with activite_col:
    activite = code_picker("Activité", "TRE_R211", discipline, "cou_activite")
with public_col:
    public = st.selectbox("Public", ["", *PUBLICS], format_func=lambda p: PUBLICS.get(p, "Tous"), key="cou_public")
with seuil_col:
    threshold = st.slider(
        "Seuil (minutes)",
        coverage.MIN_THRESHOLD,
        coverage.MAX_THRESHOLD,
        coverage.DEFAULT_THRESHOLD,
        step=5,
        key="cou_seuil",
    )
if departements is None:
    chosen = st.multiselect(
        "Départements",
        sorted({*DEPARTEMENT_NAMES}),
        format_func=lambda d: f"{d} – {DEPARTEMENT_NAMES[d]}",
        placeholder="Toute la région",
        key="cou_deps",
    )
    shown_deps = tuple(chosen) or None
else:
    shown_deps = departements
    st.caption("Votre territoire : " + ", ".join(f"{d} – {DEPARTEMENT_NAMES.get(d, d)}" for d in departements))

offer = coverage.Offer(discipline or None, type_code or None, activite or None, public or None)
result = load_coverage(version, offer)
communes = coverage.in_territory(result.communes, shown_deps)
figures = coverage.summary(communes, threshold)
far = coverage.beyond(communes, threshold)
by_departement = coverage.by_departement(result, shown_deps)
labels = {(r["system"], r["code"]): r["libelle"] for r in choices.unique(["system", "code"]).iter_rows(named=True)}
offer_label = offer.label(labels)

if result.units.is_empty():
    st.warning(
        f"Aucune unité active ne correspond à l'offre « {offer_label} » : toute la population est sans accès. "
        "Élargissez l'offre (discipline, type d'UO, activité ou public)."
    )
territory_units = coverage.in_territory(result.units, shown_deps)
metrics = st.columns(4)
metrics[0].metric(
    f"Population au-delà de {threshold} min", formats.integer(figures.population_beyond) + " hab.", border=True
)
metrics[1].metric(
    "Part de la population", formats.percent(figures.share_beyond, 2 if figures.share_beyond < 0.01 else 1), border=True
)
metrics[2].metric(
    "Communes au-delà du seuil",
    f"{formats.integer(figures.communes_beyond)} / {formats.integer(figures.communes)}",
    border=True,
)
metrics[3].metric(
    f"UO de l'offre ({formats.integer(territory_units['finess_eg'].n_unique())} EG)",
    formats.integer(territory_units.height),
    border=True,
)

map_col, figures_col = st.columns([3, 2], gap="medium")
with map_col:
    st.pydeck_chart(coverage_map(version, offer, shown_deps, threshold), key="cou_carte", height=560)
    render_coverage_legend(threshold)
    st.caption(f"Offre : {offer_label}")

with figures_col:
    communes_tab, departements_tab = st.tabs(
        [f"Communes au-delà du seuil ({far.height})", "Par département"], key="cou_onglet"
    )
with communes_tab:
    dataframe(
        far.with_columns(pl.col("distance_km").round(1)),
        empty=f"Aucune commune au-delà de {threshold} min : toute la population du territoire est dans le seuil.",
        hide_index=True,
        height=420,
        column_order=["nom", "departement", "population", "temps_min", "distance_km", "eg_nom", "uo_nom"],
        column_config={
            "nom": "Commune",
            "departement": st.column_config.TextColumn("Dépt", width="small"),
            "population": st.column_config.NumberColumn("Population", format="localized"),
            "temps_min": st.column_config.NumberColumn(
                "Temps (min)", format="localized", help="Vide : aucune unité de l'offre"
            ),
            "distance_km": st.column_config.NumberColumn("Distance (km)", format="localized"),
            "eg_nom": "Établissement le plus proche",
            "uo_nom": "Unité",
        },
        key="cou_communes",
    )
    criteria = [("Offre", offer_label), ("Seuil", f"{threshold} min")]
    criteria.append(("Territoire", ", ".join(shown_deps) if shown_deps else "Toute la région"))
    csv_col, xlsx_col = st.columns(2)
    csv_col.download_button(
        "Exporter (CSV)",
        data=lambda: screen_exports.coverage_csv(far),
        file_name=f"couverture_{threshold}min.csv",
        mime="text/csv",
        on_click="ignore",
        icon=":material/download:",
        key="cou_csv",
    )
    xlsx_col.download_button(
        "Exporter (Excel)",
        data=lambda: screen_exports.coverage_xlsx(far, by_departement, criteria),
        file_name=f"couverture_{threshold}min.xlsx",
        mime=screen_exports.XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="cou_xlsx",
    )
with departements_tab:
    st.markdown("**Capacité de l'offre pour 1 000 habitants**, par département et pour la région")
    dataframe(
        by_departement,
        hide_index=True,
        column_order=["departement", "nom", "population", "eg", "uo", "lits", "places", "lits_1000", "places_1000"],
        column_config={
            "departement": st.column_config.TextColumn("Dépt", width="small"),
            "nom": "Nom",
            "population": st.column_config.NumberColumn("Population", format="localized"),
            "eg": st.column_config.NumberColumn("EG", format="localized"),
            "uo": st.column_config.NumberColumn("UO", format="localized"),
            "lits": st.column_config.NumberColumn("Lits", format="localized"),
            "places": st.column_config.NumberColumn("Places", format="localized"),
            "lits_1000": st.column_config.NumberColumn("Lits / 1 000 hab.", format="localized"),
            "places_1000": st.column_config.NumberColumn("Places / 1 000 hab.", format="localized"),
        },
        key="cou_departements",
    )
    chart = by_departement.filter(pl.col("departement") != coverage.REGION)
    if not chart.is_empty():
        st.markdown("**Unités de l'offre par département**")
        st.bar_chart(chart, x="departement", y="uo", x_label="Département", y_label="Unités (UO)", height=220)
