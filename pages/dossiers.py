"""Dossiers collaboratifs: those of the user's establishments or territory, by state; a directeur or
référent creates one for his EG; a click opens it."""

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.dossier_review import open_dossier, start_dossier
from components.session import require_user
from components.tables import dataframe
from ror import dossiers
from ror.core.permissions import role_allows, scope_of

user = require_user()
con = cursor()
st.title("Dossiers collaboratifs")
scope = scope_of(user)
st.caption(
    "Un dossier est une copie de travail d'un établissement et de ses unités : l'établissement la modifie, le "
    "directeur l'envoie en validation, l'autorité de tutelle la valide (publication à la date d'effet) ou la refuse."
)

if user.finess_eg:
    mine = queries.run(
        con, "dossier_establishments", finess_eg=list(user.finess_eg), etats_ouverts=list(dossiers.OPEN_STATES)
    )
    names = dict(zip(mine["finess_eg"], mine["nom"], strict=True))
    in_progress = set(mine.filter(pl.col("dossier_en_cours").is_not_null())["finess_eg"])
    with st.expander("Créer un dossier collaboratif", icon=":material/note_add:"):
        finess = st.selectbox(
            "Établissement",
            list(names),
            format_func=lambda f: f"{names[f]} ({f})" + (" — dossier en cours" if f in in_progress else ""),
            key="doss_eg",
        )
        if st.button(
            "Ouvrir le dossier en cours" if finess in in_progress else "Créer le dossier",
            type="primary",
            key="doss_creer",
        ):
            start_dossier(user, finess)

default = (
    ["en_validation"]
    if role_allows(user, "dossier.decider")
    else [*dossiers.OPEN_STATES, dossiers.REFUSED_TO_FIX]  # an establishment's refused dossier is work to do
)
shown = st.pills(
    "État",
    list(dossiers.LIST_STATES),
    selection_mode="multi",
    default=default,
    format_func=dossiers.LIST_STATES.get,
    key="doss_etats",
)
found = queries.run(con, "dossiers_list", **scope.as_params(), statuts=shown or None)
if found.is_empty():
    st.info(
        "Aucun dossier dans cet état pour " + scope.label.lower() + "."
        if shown
        else "Aucun dossier pour " + scope.label.lower() + "."
    )
    st.stop()
table = found.with_columns(
    pl.when((pl.col("statut") == "brouillon") & pl.col("motif_refus").is_not_null())
    .then(pl.lit(dossiers.LIST_STATES[dossiers.REFUSED_TO_FIX]))
    .otherwise(pl.col("statut").replace_strict(dossiers.STATUS_LABELS))
    .alias("etat"),
    (pl.col("finalisees").cast(pl.String) + " / " + pl.col("fiches").cast(pl.String)).alias("avancement"),
)
st.caption(f"{found.height} dossier(s) · cliquez sur une ligne pour l'ouvrir")
picked = dataframe(
    table.select("dossier_id", "nom", "etablissement", "departement", "etat", "avancement", "date_effet", "sent_at"),
    hide_index=True,
    placeholder="—",
    on_select="rerun",
    selection_mode="single-row",
    key="doss_table",
    column_config={
        "dossier_id": st.column_config.NumberColumn("N°", format="%d", width="small"),
        "nom": st.column_config.TextColumn("Dossier", width="large"),
        "etablissement": st.column_config.TextColumn("Établissement", width="medium"),
        "departement": st.column_config.TextColumn("Dép.", width="small"),
        "etat": st.column_config.TextColumn("État"),
        "avancement": st.column_config.TextColumn("Fiches finalisées", width="small"),
        "date_effet": st.column_config.DateColumn("Date d'effet", format="DD/MM/YYYY"),
        "sent_at": st.column_config.DatetimeColumn("Envoyé le", format="DD/MM/YYYY"),
    },
)
rows = picked.selection.rows
if rows:
    open_dossier(int(table["dossier_id"][rows[0]]))
