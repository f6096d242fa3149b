"""Export de l'offre (administrateur, support): the published offer of the région, a département or an EJ as
Excel, CSV or FHIR R4, or only what was published since an instant (the synchronisation feed)."""

import datetime as dt

import polars as pl
import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.session import require_action, require_user
from components.tables import dataframe
from components.text import md
from ror.administration import offer_export, offer_feed, screen_exports
from ror.core import clock, config, formats
from ror.core.reference import DEPARTEMENT_NAMES

FORMATS = {"xlsx": "Excel (une feuille par niveau)", "csv": "CSV (une ligne par UO)", "fhir": "FHIR R4 (JSON)"}
MIME = {
    "xlsx": screen_exports.XLSX_MIME,
    "csv": "text/csv",
    "fhir": "application/fhir+json",
}

user = require_user()
st.title("Export de l'offre")
require_action(user, "export")
st.caption(
    "L'offre publiée (jamais les brouillons des dossiers) : EJ, EG et UO avec leurs activités, publics, âges et "
    "horaires. Le flux de synchronisation ne contient que ce qui a été publié depuis l'instant choisi ; l'export "
    "indique l'instant à reprendre au passage suivant."
)
kind = st.segmented_control(
    "Périmètre", ["Région", "Département", "EJ"], default="Région", required=True, key="exp_perimetre"
)
scope_text = "region"
if kind == "Département":
    departement = st.selectbox(
        "Département", list(DEPARTEMENT_NAMES), format_func=lambda d: f"{d} – {DEPARTEMENT_NAMES[d]}", key="exp_dep"
    )
    scope_text = departement
elif kind == "EJ":
    scope_text = "ej:" + st.text_input("FINESS juridique de l'EJ", max_chars=9, key="exp_ej").strip()
fmt = st.segmented_control(
    "Format", list(FORMATS), format_func=FORMATS.get, default="xlsx", required=True, key="exp_format"
)
since = None
if st.toggle("Seulement ce qui a été publié depuis… (flux de synchronisation)", key="exp_flux"):
    day, hour = st.columns(2)
    since_day = day.date_input(
        "Depuis le", value=clock.today() - dt.timedelta(days=1), format="DD/MM/YYYY", key="exp_depuis_jour"
    )
    since_time = hour.time_input("à", value=dt.time(18, 0), key="exp_depuis_heure")
    since = dt.datetime.combine(since_day, since_time)

if st.button("Préparer l'export", type="primary", key="exp_preparer", icon=":material/inventory_2:"):

    def prepare():
        offer = offer_export.load(cursor(), user, offer_export.parse_scope(scope_text), since=since)
        return offer, offer_export.render(offer, fmt)

    with st.spinner("Préparation de l'export…"):
        done, result = attempt(prepare)
    if done:
        st.session_state["exp_resultat"] = (fmt, *result)

if prepared := st.session_state.get("exp_resultat"):
    fmt_done, offer, content = prepared
    st.success(
        f"{md(offer.scope.label)} : {offer.ej.height} EJ, {offer.eg.height} EG, {offer.uo.height} UO"
        + (f" publiés depuis le {offer.since:%d/%m/%Y à %H:%M}" if offer.since else "")
        + f" · offre au {offer.until:%d/%m/%Y à %H:%M}.",
        icon=":material/check:",
    )
    st.download_button(
        f"Télécharger ({formats.megabytes(len(content))})",
        data=content,
        file_name=offer_export.file_name(offer, fmt_done),
        mime=MIME[fmt_done],
        on_click="ignore",
        key="exp_telecharger",
        icon=":material/download:",
    )
    if offer.since is not None or fmt_done == "fhir":
        st.caption(f"Prochain flux : à reprendre à partir du {offer.until:%d/%m/%Y à %H:%M}.")

st.subheader("Flux quotidien de synchronisation")
folder = config.feed_dir()
last, files = offer_feed.feed_status(cursor(), folder)
st.caption(
    f"Chaque jour à {offer_feed.FEED_TIME:%H:%M}, l'application écrit dans son dossier de flux le flux FHIR de ce "
    "qui a été publié depuis le précédent, pour les outils aval (ViaTrajectoire…). Hors application : "
    "« python -m ror export --format fhir --since INSTANT --out FICHIER »."
)
if last:
    st.markdown(f"Flux suivi jusqu'au **{last:%d/%m/%Y à %H:%M}**.")
if files:
    dataframe(
        pl.DataFrame(
            {"Fichier": [f.name for f in files], "Taille (Ko)": [round(f.stat().st_size / 1024) for f in files]}
        ),
        hide_index=True,
    )
else:
    st.info("Aucun flux écrit pour l'instant : le premier le sera au prochain passage de 18 h.")
