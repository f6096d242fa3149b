"""The peuplement phase on the Tableau de bord (ror/territoire/peuplement.py): a directeur's dossiers « Peuplement
de … » to complete; for the tutelle, the support and the administrator, the progress of each département; for the
administrator, the phase of each département."""

from __future__ import annotations

import streamlit as st

from components.data import cursor, data_version
from components.feedback import attempt
from components.tables import dataframe
from components.text import md
from ror.core.auth import User
from ror.core.permissions import PermissionDenied, allowed, role_allows
from ror.core.reference import DEPARTEMENT_NAMES
from ror.territoire import peuplement

STATUTS = {"brouillon": "À compléter", "en_validation": "En validation", "programme": "Publication programmée"}


def render_my_dossiers(user: User) -> None:
    """A directeur's or référent's peuplement dossiers not yet published, each with its link."""
    if not user.finess_eg:
        return
    dossiers = peuplement.dossiers_to_complete(cursor(), user.finess_eg)  # not cached: a dossier's steps change it
    if dossiers.is_empty():
        return
    st.subheader("Peuplement : vos dossiers à compléter")
    st.caption(
        "Votre département est en phase de peuplement : décrivez votre établissement et chacune de ses unités dans "
        "son dossier collaboratif (une fiche par unité, « Enr. et finaliser »), puis envoyez-le en validation à la "
        "tutelle. Toute modification passe par ce dossier jusqu'à la fin du peuplement."
    )
    for row in dossiers.iter_rows(named=True):
        state = STATUTS.get(row["statut"], row["statut"])
        label = f"{md(row['nom'])} — {state} · {row['finalisees']}/{row['fiches']} fiche(s) finalisée(s)"
        st.page_link(
            "pages/dossier.py",
            label=label,
            icon=":material/folder_open:",
            query_params={"dossier": str(row["dossier_id"])},
        )
        if row["motif_refus"] and row["statut"] == "brouillon":
            st.caption("Refusé par la tutelle, motif :")
            st.text(row["motif_refus"])


@st.cache_data(max_entries=64, show_spinner=False)
def _progress(version: int, departements: tuple[str, ...] | None):
    """Read once per data version and territory (the Tableau de bord reruns at every click): what it counts changes
    with a phase, an import or a publication, which all raise the data version."""
    return peuplement.progress(cursor(), list(departements) if departements is not None else None)


def render_progress(user: User, departements: tuple[str, ...] | None) -> None:
    """The peuplement of each département of the territory, shown while one of them is in peuplement or has peuplement
    dossiers; the administrator sets the phases there."""
    progress = _progress(data_version(), departements)
    in_progress = progress.filter(
        (progress["phase"] == peuplement.PEUPLEMENT) | (progress["dossiers_ouverts"] + progress["dossiers_publies"] > 0)
    )
    admin = role_allows(user, "parametres")
    if in_progress.is_empty() and not admin:
        return
    st.subheader("Peuplement du répertoire")
    shown = progress.with_columns(
        progress["phase"].replace_strict(peuplement.PHASE_LABELS, default="Exploitation").alias("phase"),
        (100 * progress["eg_peuples"] / progress["eg"].clip(lower_bound=1)).alias("avancement"),
    )
    dataframe(
        shown,
        hide_index=True,
        column_order=[
            "departement",
            "nom",
            "phase",
            "eg",
            "eg_peuples",
            "eg_a_peupler",
            "avancement",
            "dossiers_ouverts",
            "dossiers_publies",
        ],
        column_config={
            "departement": st.column_config.TextColumn("Dépt", width="small"),
            "nom": "Département",
            "phase": "Phase",
            "eg": st.column_config.NumberColumn("EG", format="localized"),
            "eg_peuples": st.column_config.NumberColumn(
                "EG peuplés", format="localized", help="avec au moins une unité active"
            ),
            "eg_a_peupler": st.column_config.NumberColumn(
                "EG à peupler", format="localized", help="sans aucune unité active"
            ),
            "avancement": st.column_config.ProgressColumn(
                "Avancement", format="%.0f\u202f%%", min_value=0, max_value=100
            ),
            "dossiers_ouverts": st.column_config.NumberColumn("Dossiers en cours", format="localized"),
            "dossiers_publies": st.column_config.NumberColumn("Dossiers publiés", format="localized"),
        },
    )
    if admin:
        _render_phase_form(user, progress["departement"].to_list())


def _render_phase_form(user: User, departements: list[str]) -> None:
    with st.form("peuplement_phase"):
        st.markdown("**Phase d'un département**")
        left, right = st.columns(2)
        departement = left.selectbox(
            "Département",
            departements,
            format_func=lambda d: f"{d} – {DEPARTEMENT_NAMES.get(d, d)}",
            key="peuplement_departement",
        )
        phase = right.radio(
            "Phase",
            list(peuplement.PHASE_LABELS),
            format_func=peuplement.PHASE_LABELS.get,
            horizontal=True,
            key="peuplement_phase_choisie",
        )
        despite = st.checkbox(
            "Passer en exploitation même si des dossiers de peuplement ne sont pas encore publiés",
            key="peuplement_malgre",
        )
        st.caption(
            "Peuplement : chaque établissement sans unité reçoit son dossier « Peuplement de … », et toute "
            "modification passe par un dossier collaboratif. Exploitation : les mises à jour opérationnelles se font "
            "directement sur la fiche."
        )
        if st.form_submit_button("Appliquer", type="primary"):
            done, created = attempt(
                lambda: peuplement.set_phase(cursor(), user, departement, phase, despite_open_dossiers=despite)
            )
            if done:
                st.toast(
                    f"Département {departement} : {peuplement.PHASE_LABELS[phase].lower()}"
                    + (f", {len(created)} dossier(s) de peuplement créé(s)." if created else "."),
                    icon=":material/check:",
                )
                st.rerun()


def direct_update_allowed(user: User, finess_eg: str) -> bool:
    """Whether the fiche offers « Modifier » (a mise à jour opérationnelle) to this person; during the peuplement
    of the EG's département, it says instead why changes go through the dossier collaboratif."""
    if not allowed(user, "eg.mise_a_jour_operationnelle", finess_eg=finess_eg):
        return False
    try:
        peuplement.require_exploitation(cursor(), finess_eg)
    except PermissionDenied as exc:
        st.info(str(exc), icon=":material/construction:")
        return False
    return True
