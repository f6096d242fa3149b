"""Import FINESS (administrateur): the FINESS open-data extract of establishments, with a progress bar and the
report (created, updated with the fields changed, unchanged, rejected lines and why); the journal of imports."""

import json

import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.feedback import attempt
from components.session import require_action, require_user
from components.tables import dataframe
from components.text import md
from ror.administration import finess_import
from ror.repertoire.records import FIELD_LABELS

user = require_user()
st.title("Import FINESS")
require_action(user, "import")
st.caption(
    "L'extrait FINESS des établissements publié sur data.gouv.fr (fichier latin-1 à lignes « structureet » et "
    "« geolocalisation », coordonnées Lambert 93), ou un CSV UTF-8 avec en-tête. L'import crée ou met à jour EJ "
    "et EG et ne supprime rien ; un second import du même fichier ne change rien. Les contacts tenus à jour par les "
    "établissements (téléphones, e-mails, directeur) ne sont jamais écrasés."
)
upload = st.file_uploader("Fichier FINESS", type=["csv", "txt"], key="imp_fichier")
if upload is not None and st.button("Importer", type="primary", key="imp_lancer", icon=":material/upload:"):
    bar = st.progress(0.0, text="Lecture du fichier")
    done, report = attempt(
        lambda: finess_import.import_finess(
            cursor(), upload.getvalue(), upload.name, user=user, progress=lambda f, m: bar.progress(f, text=m)
        )
    )
    bar.empty()
    if done:
        st.session_state["imp_rapport"] = report

if report := st.session_state.get("imp_rapport"):
    st.success(md(report.summary()), icon=":material/task_alt:")
    changed = [
        {"FINESS": finess, "Champ": FIELD_LABELS.get(name, name), "Avant": str(before or ""), "Après": str(after)}
        for finess, fields in report.modifies.items()
        for name, (before, after) in fields.items()
    ]
    tabs = st.tabs(
        [
            f"Créés ({len(report.crees)})",
            f"Modifiés ({len(report.modifies)})",
            f"Rejetés ({len(report.rejetes)})",
            f"Avertissements ({len(report.avertissements)})",
        ]
    )
    tabs[0].dataframe(pl.DataFrame({"FINESS géographique": report.crees}), hide_index=True)
    tabs[1].dataframe(pl.DataFrame(changed) if changed else pl.DataFrame(), hide_index=True, width="stretch")
    for tab, lines in ((tabs[2], report.rejetes), (tabs[3], report.avertissements)):
        tab.dataframe(
            pl.DataFrame(lines, schema=["Ligne", "FINESS", "Motif"], orient="row"), hide_index=True, width="stretch"
        )
    st.download_button(
        "Télécharger le rapport",
        data=report.text(),
        file_name=f"rapport-import-{report.fichier}.txt",
        key="imp_rapport_txt",
        on_click="ignore",
        icon=":material/download:",
    )

st.subheader("Imports précédents")
journal = queries.run(cursor(), "finess_imports")
if journal.is_empty():
    st.info("Aucun import FINESS n'a encore été fait.")
else:
    dataframe(
        journal.select(
            pl.col("created_at").alias("Date"),
            pl.col("user_login").alias("Par"),
            pl.col("fichier").alias("Fichier"),
            pl.col("lignes").alias("Lignes"),
            pl.col("crees").alias("Créés"),
            pl.col("modifies").alias("Modifiés"),
            pl.col("inchanges").alias("Inchangés"),
            pl.col("rejetes").alias("Rejetés"),
            pl.col("rapport")
            .map_elements(lambda r: json.loads(r).get("hors_territoire", 0), return_dtype=pl.Int64)
            .alias("Hors territoire"),
        ),
        hide_index=True,
        width="stretch",
        column_config={"Date": st.column_config.DatetimeColumn(format="DD/MM/YYYY HH:mm")},
    )
