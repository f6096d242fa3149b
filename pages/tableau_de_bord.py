"""Tableau de bord: the offer of the user's scope at a glance, and the map of its EG."""

import polars as pl
import streamlit as st

import queries
from components.data import arrondissement_boundaries, cursor, data_version, departement_boundaries
from components.maps import build_eg_deck, render_eg_map
from components.peuplement import render_my_dossiers, render_progress
from components.session import require_user
from components.tables import dataframe
from ror.core import formats
from ror.core.permissions import Scope, reviews_territory, scope_of, territory
from ror.core.reference import DISCIPLINES


# st.cache_resource: shared by every session as it is, not copied at each run like st.cache_data (its frames are
# only read); keyed by the data version (docs/performance.md).
@st.cache_resource(max_entries=64, show_spinner=False)
def load_offer(version: int, scope: Scope) -> dict:
    """The scope's figures and the map of its EG (built and written once for everyone who shares the scope)."""
    con = cursor()
    params = scope.as_params()
    points = queries.run(con, "eg_map_points", **params)
    return {
        "totals": queries.run(con, "offer_totals", **params),
        "departements": queries.run(con, "offer_by_departement", **params),
        "disciplines": queries.run(con, "offer_by_discipline", **params),
        "map": build_eg_deck(
            points, departement_boundaries(), scope.departements, arrondissement_boundaries(), width=MAP_WIDTH
        ),
    }


def discipline_table(by_discipline: pl.DataFrame) -> pl.DataFrame:
    """One row per grand groupe de discipline, in the répertoire's order, with its label."""
    order = pl.DataFrame({"discipline": list(DISCIPLINES), "libelle": list(DISCIPLINES.values())})
    return order.join(by_discipline, on="discipline", how="left").fill_null(0)


MAP_WIDTH = 340  # pixels of the map's column at 1 280 px: every EG of the scope in view
COUNT_WIDTH = 54  # pixels: five counts beside a name fit the half page at 1 280 px, no column cut off
COUNT_COLUMNS = {
    key: st.column_config.NumberColumn(label, format="localized", width=COUNT_WIDTH)
    for key, label in (("ej", "EJ"), ("eg", "EG"), ("uo", "UO"), ("lits", "Lits"), ("places", "Places"))
}

user = require_user()
scope = scope_of(user)
offer = load_offer(data_version(), scope)
totals = offer["totals"].row(0, named=True)

st.title("Tableau de bord")
st.caption(f"Offre publiée · {scope.label}")
render_my_dossiers(user)
if reviews_territory(user):
    render_progress(user, territory(user))

cols = st.columns(5)
for col, (label, key) in zip(
    cols,
    [
        ("Entités juridiques", "ej"),
        ("Établissements (EG)", "eg"),
        ("Unités (UO)", "uo"),
        ("Lits", "lits"),
        ("Places", "places"),
    ],
    strict=True,
):
    col.metric(label, formats.integer(totals[key]), border=True)

map_col, tables_col = st.columns([5, 6], gap="medium")
with map_col:
    st.subheader("Carte des établissements")
    render_eg_map(offer["map"], key="tableau_de_bord_carte")
with tables_col:
    st.subheader("Par grand groupe de discipline")
    dataframe(
        discipline_table(offer["disciplines"]),
        hide_index=True,
        column_order=["libelle", "eg", "uo", "lits", "places"],
        column_config={"libelle": st.column_config.TextColumn("Discipline", width=150), **COUNT_COLUMNS},
    )
    st.subheader("Par département")
    dataframe(
        offer["departements"].with_columns(nom=pl.format("{} ({})", "nom", "departement")),
        hide_index=True,
        column_order=["nom", "ej", "eg", "uo", "lits", "places"],
        column_config={"nom": st.column_config.TextColumn("Département", width=130), **COUNT_COLUMNS},
    )
