"""The Qualité page's pieces: completeness with its drill-down, naming, integrity, fiches anciennes and the SMR
campaign (the figures come from ror/territoire/quality.py; pages/qualite.py loads and caches them)."""

from __future__ import annotations

import polars as pl
import streamlit as st

from components.anomalies import open_fiche
from components.data import cursor
from components.feedback import attempt
from components.tables import dataframe
from components.text import md
from ror.administration import screen_exports
from ror.core import clock, formats
from ror.core.auth import User
from ror.core.permissions import role_allows
from ror.core.reference import DEPARTEMENT_NAMES
from ror.territoire import campagne_smr, checks, quality

SCORE = st.column_config.ProgressColumn("Score", format="percent", min_value=0, max_value=1, width="small")
DEPT = st.column_config.TextColumn("Dépt", width="small")
RECORD_COLUMNS = {  # the columns that name an EG or a UO (ror.territoire.quality._record_keys)
    "departement": DEPT,
    "niveau": st.column_config.TextColumn("Niveau", width="small"),
    "identifiant": "FINESS / n° UO",
}


def departement_label(code: str) -> str:
    return f"{code} – {DEPARTEMENT_NAMES.get(code, code)}"


def render_completeness(data: quality.Quality) -> None:
    eg, uo = data.eg, data.uo
    met, total = eg["met_total"].sum(), eg["total_total"].sum()
    cols = st.columns(5)
    cols[0].metric("Score de complétude", formats.percent(met / total if total else None), border=True)
    complete = eg.filter(pl.col("met_total") == pl.col("total_total")).height
    cols[1].metric(
        "EG complets (avec leurs UO)", f"{formats.integer(complete)} / {formats.integer(eg.height)}", border=True
    )
    cols[2].metric("EG à compléter", formats.integer(eg.filter(pl.col("met") < pl.col("total")).height), border=True)
    cols[3].metric("UO à compléter", formats.integer(uo.filter(pl.col("met") < pl.col("total")).height), border=True)
    cols[4].metric(
        "EG sans unité",
        formats.integer(eg.filter(pl.col("uo") == 0).height),
        help="Établissements sans aucune unité active : à peupler (dossier « Peuplement de … »).",
        border=True,
    )
    st.caption(
        "Score : part des contrôles satisfaits (EG : champs obligatoires, contacts, directeur, coordonnées ; UO : "
        "champs obligatoires, contacts, semaine type, responsable, patientèle), cumulés UO → EG → EJ → département."
    )
    left, right = st.columns(2, gap="medium")
    with left:
        st.markdown("**Par département**")
        dataframe(
            quality.rollup(data, "departement").sort("departement"),
            hide_index=True,
            column_order=["departement", "eg", "uo", "eg_complets", "score"],
            column_config={"departement": DEPT, "eg": "EG", "uo": "UO", "eg_complets": "EG complets", "score": SCORE},
            key="qua_deps",
        )
    with right:
        st.markdown("**Par critère**")
        dataframe(
            quality.by_criterion(data).with_columns((pl.col("part") * 100).round(1)),
            hide_index=True,
            column_config={
                "niveau": st.column_config.TextColumn("Niveau", width="small"),
                "critere": "Critère",
                "manquants": "Fiches incomplètes",
                "fiches": "Fiches",
                "part": st.column_config.NumberColumn("Part (%)", format="localized"),
            },
            key="qua_criteres",
        )

    st.subheader("Fiches à compléter")
    codes = sorted(eg["departement"].unique().to_list())
    if not codes:
        st.info("Aucun établissement sur ce territoire.")
        return
    dep_col, ej_col = st.columns([1, 3])
    departement = dep_col.selectbox("Département", codes, format_func=departement_label, key="qua_dep")
    by_ej = quality.rollup(data, "finess_ej").filter(pl.col("departement") == departement)
    ej_names = {
        r["finess_ej"]: f"{r['ej_nom']} ({r['finess_ej']}) – {formats.percent(r['score'], 0)}"
        for r in by_ej.iter_rows(named=True)
    }
    if st.session_state.get("qua_ej") not in ("", *ej_names):
        st.session_state["qua_ej"] = ""
    finess_ej = ej_col.selectbox(
        "Entité juridique (les moins complètes d'abord)",
        ["", *ej_names],
        format_func=lambda e: ej_names.get(e, "Toutes"),
        key="qua_ej",
    )
    shown = eg.filter(pl.col("departement") == departement, pl.col("met_total") < pl.col("total_total"))
    if finess_ej:
        shown = shown.filter(pl.col("finess_ej") == finess_ej)
    shown = shown.sort("score_total", "finess_eg")
    st.caption(f"{shown.height} établissement(s) à compléter — sélectionnez-en un pour voir ses unités.")
    picked = dataframe(
        shown,
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_order=["finess_eg", "nom", "score_total", "uo", "uo_incompletes", "a_corriger"],
        column_config={
            "finess_eg": "FINESS",
            "nom": "Établissement",
            "score_total": SCORE,
            "uo": "UO",
            "uo_incompletes": "UO à compléter",
            "a_corriger": "À compléter sur l'EG",
        },
        key=f"qua_eg_{departement}_{finess_ej}",
    )
    rows = picked.selection.rows if picked else []
    if rows:
        render_establishment(data, shown.row(rows[0], named=True))


def render_establishment(data: quality.Quality, row: dict) -> None:
    with st.container(border=True):
        head, action = st.columns([4, 1])
        head.markdown(
            f"**{md(row['nom'])}** · FINESS {md(row['finess_eg'])} · score {formats.percent(row['score_total'], 0)}"
        )
        if action.button("Ouvrir la fiche", key="qua_fiche", icon=":material/open_in_new:"):
            open_fiche("EG", row["finess_eg"])
        if row["a_corriger"]:
            st.markdown("À compléter sur l'établissement : " + md(row["a_corriger"]))
        units = data.uo.filter(pl.col("finess_eg") == row["finess_eg"], pl.col("met") < pl.col("total"))
        if units.is_empty():
            st.caption("Toutes ses unités sont complètes.")
            return
        dataframe(
            units.sort("score"),
            hide_index=True,
            column_order=["uo_id", "nom", "score", "a_corriger"],
            column_config={"uo_id": "N° UO", "nom": "Unité", "score": SCORE, "a_corriger": "À compléter"},
            key="qua_uo",
        )


def render_naming(found: pl.DataFrame) -> None:
    st.caption(
        "Règles de nommage du ROR (les mêmes que dans les dossiers collaboratifs) : majuscules sans accents, sigles "
        "sans points, pas d'abréviation, le nom d'usage d'un EG garde son nom officiel FINESS."
    )
    if found.is_empty():
        st.success("Aucun nom ne déroge aux règles de nommage sur ce territoire.")
        return
    st.markdown(f"**{found.height} nom(s) à corriger**, avec le nom suggéré :")
    dataframe(
        found,
        hide_index=True,
        column_order=["departement", "niveau", "identifiant", "nom", "suggestion", "probleme"],
        column_config={
            **RECORD_COLUMNS,
            "nom": "Nom actuel",
            "probleme": st.column_config.TextColumn("Règle(s) non respectée(s)", width="large"),
            "suggestion": "Nom suggéré",
        },
        key="qua_nommage",
    )


def render_integrity(results: list[checks.CheckResult], territorial: bool) -> None:
    """The integrity checks: their counts for a tutelle (they cover the whole base), their rows for the others."""
    st.caption("Les contrôles de « python -m ror check », sur toute la base.")
    if territorial:
        st.info(
            "Ces contrôles portent sur toute la base et sont suivis par le support régional : seuls les nombres sont "
            "affichés ici."
        )
    for result in results:
        severity = "Erreur" if result.check.severity == checks.ERREUR else "Avertissement"
        icon = (
            ":material/check_circle:"
            if not result.count
            else (":material/error:" if result.check.severity == checks.ERREUR else ":material/warning:")
        )
        label = f"{result.check.title} : {result.count}" + ("" if not result.count else f" ({severity.lower()})")
        if territorial or not result.count:
            st.markdown(f"{icon} {label}")
            continue
        with st.expander(label, icon=icon):
            dataframe(
                result.rows,
                hide_index=True,
                column_config={"identifiant": "Identifiant", "libelle": "Détail"},
                key=f"qua_check_{result.check.name}",
            )


def render_old(data: quality.Quality, months: int, user: User) -> None:
    found = quality.old_records(data, months)
    st.caption(
        f"EG et UO dont la fiche n'a pas été mise à jour depuis {months} mois ou plus (paramètre de l'administrateur)."
    )
    cols = st.columns(3)
    cols[0].metric("Fiches anciennes", formats.integer(found.height), border=True)
    cols[1].metric("dont EG", formats.integer(found.filter(pl.col("niveau") == "EG").height), border=True)
    cols[2].metric("dont UO", formats.integer(found.filter(pl.col("niveau") == "UO").height), border=True)
    dataframe(
        found,
        hide_index=True,
        column_order=["departement", "niveau", "identifiant", "nom", "updated_at", "mois", "updated_by"],
        column_config={
            **RECORD_COLUMNS,
            "nom": "Nom",
            "updated_at": st.column_config.DateColumn("Dernière mise à jour", format="DD/MM/YYYY"),
            "mois": st.column_config.NumberColumn(
                "Mois", format="localized", help="Mois écoulés depuis la dernière mise à jour"
            ),
            "updated_by": "Par",
        },
        key="qua_anciennes",
    )
    if role_allows(user, "parametres"):
        with st.expander("Paramètre : âge d'une fiche ancienne", icon=":material/settings:"):
            value = st.number_input(
                "Une fiche est ancienne au-delà de (mois)", 1, quality.MAX_OLD_MONTHS, value=months, key="qua_mois"
            )
            if (
                st.button("Enregistrer", key="qua_mois_enr")
                and attempt(lambda: quality.set_old_months(cursor(), user, int(value)))[0]
            ):
                st.rerun()


def render_smr(campaign: campagne_smr.Campaign, territoire: str) -> None:
    st.caption(
        "Réforme des autorisations (2023) : les SSR deviennent SMR. Pour chaque établissement ayant des unités SMR — "
        f"EG : {campagne_smr.SMR_EG_ITEMS} ; UO : {campagne_smr.SMR_UO_ITEMS} (conseillé : {campagne_smr.SMR_ADVICE}). "
        "Finalisé : tout est fait ; En cours : un dossier collaboratif est ouvert."
    )
    if campaign.eg.is_empty():
        st.info("Aucun établissement de ce territoire n'a d'unité SMR.")
        return
    progress = campagne_smr.campaign_progress(campaign)
    total = progress.row(-1, named=True)
    cols = st.columns(4)
    cols[0].metric("EG avec unités SMR", formats.integer(total["eg"]), border=True)
    for col, status in zip(cols[1:], campagne_smr.CAMPAIGN_STATUSES, strict=True):
        col.metric(campagne_smr.CAMPAIGN_STATUSES[status], formats.integer(total[status]), border=True)
    st.markdown("**Avancement par département**")
    dataframe(
        progress,
        hide_index=True,
        column_config={
            "departement": DEPT,
            "eg": "EG",
            **{status: label for status, label in campagne_smr.CAMPAIGN_STATUSES.items()},
            "avancement": st.column_config.ProgressColumn("Finalisés", format="percent", min_value=0, max_value=1),
        },
        key="qua_smr_avancement",
    )
    statuses = st.pills(
        "Statut",
        list(campagne_smr.CAMPAIGN_STATUSES),
        format_func=campagne_smr.CAMPAIGN_STATUSES.get,
        selection_mode="multi",
        default=["a_faire", "en_cours"],
        key="qua_smr_statuts",
    )
    shown = campaign.eg.filter(pl.col("statut").is_in(statuses or list(campagne_smr.CAMPAIGN_STATUSES)))
    picked = dataframe(
        shown.with_columns(pl.col("statut").replace_strict(campagne_smr.CAMPAIGN_STATUSES)),
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        column_order=["departement", "finess_eg", "etablissement", "uo_smr", "statut", "a_faire", "directeur_nom"],
        column_config={
            "departement": DEPT,
            "finess_eg": "FINESS",
            "etablissement": "Établissement",
            "uo_smr": "UO SMR",
            "statut": "Statut",
            "a_faire": "Points à faire",
            "directeur_nom": "Directeur",
        },
        key=f"qua_smr_eg_{'_'.join(sorted(statuses or []))}",
    )
    st.download_button(
        "Exporter les listes à faire par établissement (Excel)",
        data=lambda: screen_exports.smr_campaign_xlsx(campaign.eg, campaign.todo, territoire),
        file_name=f"campagne_smr_{clock.today():%Y%m%d}.xlsx",
        mime=screen_exports.XLSX_MIME,
        on_click="ignore",
        icon=":material/download:",
        key="qua_smr_export",
    )
    rows = picked.selection.rows if picked else []
    if rows:
        row = shown.row(rows[0], named=True)
        todo = campaign.todo.filter(pl.col("finess_eg") == row["finess_eg"])
        with st.container(border=True):
            st.markdown(
                f"**{md(row['etablissement'])}** · FINESS {md(row['finess_eg'])} · "
                f"{campagne_smr.CAMPAIGN_STATUSES[row['statut']]}"
            )
            text = screen_exports.smr_todo_text(row, todo)
            st.code(text, language=None)
            st.download_button(
                "Télécharger la liste de cet établissement",
                data=text.encode(),
                file_name=f"campagne_smr_{row['finess_eg']}.txt",
                mime="text/plain",
                on_click="ignore",
                icon=":material/download:",
                key="qua_smr_liste",
            )
