"""Anomalies: for the tutelle (its territory) and the support (everything) the queue to triage, with filters,
sorts and actions on a selection, and a summary with its Excel export; for everyone the reports he made, and
for an establishment's people those on their establishments."""

import streamlit as st

from components.anomalies import open_anomaly, queue_table
from components.data import cursor
from components.feedback import attempt
from components.session import require_user
from components.tables import dataframe
from components.text import md
from ror import anomalies
from ror.administration import screen_exports
from ror.core import clock, permissions
from ror.core.config import IDF_DEPARTEMENTS
from ror.core.permissions import role_allows

user = require_user()
con = cursor()
st.title("Anomalies")
delay = anomalies.delay_days(con)
triage = role_allows(user, "anomalie.file")
st.caption(
    "Tout utilisateur signale ce qui est faux depuis une fiche (« Signaler une anomalie ») ; l'autorité de tutelle "
    "du département et le support régional les traitent jusqu'à leur résolution."
)


def render_selection_actions(found, rows: list[int]) -> None:
    """What can be done on the selected reports: open one, assign, change status, mark as duplicate."""
    picked = found[rows]
    versions = dict(zip(picked["anomalie_id"].to_list(), picked["version"].to_list(), strict=True))
    with st.container(border=True):
        st.markdown(f"**{len(versions)} anomalie(s) sélectionnée(s)**")
        if len(versions) == 1 and st.button(
            f"Ouvrir l'anomalie n° {next(iter(versions))}", key="ano_ouvrir", icon=":material/open_in_new:"
        ):
            open_anomaly(next(iter(versions)))
        if not role_allows(user, "anomalie.trier"):
            return  # the administrator sees the queue, the tutelle and the support act on it
        assign_col, status_col, duplicate_col = st.columns(3, gap="medium")
        people = anomalies.assignees(con, *picked["departement"].unique().to_list())
        with assign_col:
            who = st.selectbox(
                "Assigner à",
                [user.user_id, *[p for p in people if p != user.user_id]],
                format_func=lambda p: "Moi" if p == user.user_id else people[p],
                key="ano_lot_assignee",
            )
            if st.button("Assigner", key="ano_lot_assigner", icon=":material/person_add:"):
                run_bulk(versions, "assigner", assignee_id=who)
        with status_col:
            statut = st.selectbox(
                "Nouveau statut",
                list(anomalies.STATUS_LABELS)[1:],
                format_func=anomalies.STATUS_LABELS.get,
                key="ano_lot_statut",
            )
            motif = None
            if statut == "rejetee":
                motif = st.selectbox(
                    "Motif du rejet *", anomalies.REJECTION_REASONS, index=None, key="ano_lot_motif", placeholder="—"
                )
            if st.button("Changer le statut", key="ano_lot_changer", icon=":material/published_with_changes:"):
                run_bulk(versions, "statut", statut=statut, motif=motif)
        with duplicate_col:
            original = st.number_input("Doublon de l'anomalie n°", min_value=1, step=1, key="ano_lot_original")
            if st.button("Marquer comme doublon", key="ano_lot_doublon", icon=":material/content_copy:"):
                run_bulk(versions, "doublon", of_id=int(original))


MAX_ROWS = 500  # rows of the queue table (the count and the export cover them all)
BULK_OUTCOME = "ano_lot_resultat"  # what the last action on a selection did, shown after the reload
GENERATION = "ano_lot_generation"  # part of the queue table's key: a new table after each action


def run_bulk(versions: dict[int, int], action: str, **options) -> None:
    """Act on the selection, then reload the queue and say what was done and what was not (and why)."""
    st.session_state[BULK_OUTCOME] = anomalies.bulk(cursor(), user, versions, action, **options)
    # the table comes back without a selection: its rows may have moved or left the filters
    st.session_state[GENERATION] = st.session_state.get(GENERATION, 0) + 1
    st.rerun()


def render_bulk_outcome() -> None:
    if outcome := st.session_state.pop(BULK_OUTCOME, None):
        done, failed = outcome
        if done:
            st.success(f"{len(done)} anomalie(s) mise(s) à jour : " + ", ".join(f"n° {i}" for i in done) + ".")
        for anomalie_id, message in failed.items():
            st.error(f"N° {anomalie_id} non modifiée : {md(message)}")


def render_queue() -> None:
    territory = list(permissions.territory(user) or IDF_DEPARTEMENTS)  # a tutelle's, or the whole région
    first, second = st.columns([3, 2])
    statuts = first.pills(
        "Statut",
        list(anomalies.STATUS_LABELS),
        selection_mode="multi",
        default=list(anomalies.OPEN_STATES),
        format_func=anomalies.STATUS_LABELS.get,
        key="ano_statuts",
    )
    niveaux = second.pills(
        "Niveau", list(anomalies.LEVELS), selection_mode="multi", format_func=anomalies.LEVELS.get, key="ano_niveaux"
    )
    a, b, c, d, e = st.columns([2, 2.5, 2, 2, 3])  # « Plus anciennes d'abord » whole at 1 280 px
    departements = a.multiselect("Département", territory, key="ano_deps", placeholder="Tous")
    etablissement = b.text_input("Établissement", key="ano_etab", placeholder="Nom ou FINESS")
    assignee_options = {0: "Tous", user.user_id: "Moi", anomalies.NOBODY: "Non assignées"}  # 0: no filter
    people = anomalies.assignees(con, *(departements or territory))
    assignee_options |= {k: v for k, v in people.items() if k != user.user_id}
    if not role_allows(user, "anomalie.trier"):  # nothing is ever assigned to who does not triage
        assignee_options.pop(user.user_id)
    assignee = c.selectbox("Assignée à", list(assignee_options), format_func=assignee_options.get, key="ano_assignee")
    ages = {0: "Toutes", delay + 1: f"En retard (plus de {delay} j)", 30: "Plus de 30 jours", 90: "Plus de 90 jours"}
    age_min = d.selectbox("Ancienneté", list(ages), format_func=ages.get, key="ano_age")
    tri = e.selectbox("Trier par", list(anomalies.SORTS), format_func=anomalies.SORTS.get, key="ano_tri")
    found = anomalies.queue(
        con,
        user,
        statuts=statuts,
        niveaux=niveaux,
        departements=departements,
        etablissement=etablissement,
        assignee_id=assignee or None,
        age_min=age_min or None,
        tri=tri,
    )
    if found.is_empty():
        st.info("Aucune anomalie avec ces filtres.")
        return
    late = int((found["statut"].is_in(anomalies.OPEN_STATES) & (found["age_jours"] > delay)).sum())
    st.caption(
        f"{found.height} anomalie(s)"
        + (f" · :red[**{late} en retard**] (plus de {delay} jours)" if late else "")
        + " · sélectionnez des lignes pour agir"
    )
    render_bulk_outcome()
    shown = found.head(MAX_ROWS)
    if found.height > MAX_ROWS:
        st.caption(
            f"Les {MAX_ROWS} premières dans cet ordre sont affichées : précisez les filtres pour voir les autres."
        )
    rows = queue_table(shown, delay, key=f"ano_file_{st.session_state.get(GENERATION, 0)}")
    if rows:
        render_selection_actions(shown, rows)


def export_workbook() -> bytes:
    """Every anomaly the user sees and the summary, as Excel (run on the download's own thread)."""
    export_con = con.cursor()
    try:
        return screen_exports.anomalies_xlsx(anomalies.queue(export_con, user), anomalies.summary(export_con, user))
    finally:
        export_con.close()


def render_summary() -> None:
    found = anomalies.summary(con, user)
    metrics = st.columns(4)
    metrics[0].metric("Anomalies", found["total"])
    metrics[1].metric("Ouvertes", found["open"])
    metrics[2].metric(f"En retard (plus de {found['delay']} j)", found["late"])
    median = found["median_age"]
    metrics[3].metric("Âge médian des ouvertes", "—" if median is None else f"{median:.0f} j")
    left, right = st.columns([3, 4], gap="large")
    with left:
        st.markdown("##### Par statut et département")
        dataframe(found["by_departement"], hide_index=True, key="ano_synthese_dep")
    with right:
        st.markdown("##### Les plus anciennes encore ouvertes")
        if found["oldest"].is_empty():
            st.caption("Aucune anomalie ouverte.")
        else:
            rows = queue_table(found["oldest"], found["delay"], key="ano_anciennes", selection="single-row")
            if rows:
                open_anomaly(int(found["oldest"]["anomalie_id"][rows[0]]))
    st.download_button(
        "Exporter en Excel",
        export_workbook,  # built when clicked, not at every run
        file_name=f"anomalies_{clock.today():%Y%m%d}.xlsx",
        mime=screen_exports.XLSX_MIME,
        icon=":material/download:",
        key="ano_export",
        on_click="ignore",
    )
    if role_allows(user, "parametres"):
        with st.expander("Paramètre : délai de traitement", icon=":material/settings:"):
            days = st.number_input(
                "Une anomalie ouverte est en retard au-delà de (jours)", 1, 365, value=delay, key="ano_delai"
            )
            if (
                st.button("Enregistrer le délai", key="ano_delai_enr")
                and attempt(lambda: anomalies.set_delay_days(cursor(), user, int(days)))[0]
            ):
                st.rerun()


def render_own(mine: bool) -> None:
    found = anomalies.queue(con, user, mine=mine, tri="recentes")
    if not mine:
        found = found.filter(found["reporter_id"] != user.user_id)
    if found.is_empty():
        st.info(
            "Vous n'avez signalé aucune anomalie : « Signaler une anomalie » se trouve sur chaque fiche et dans le "
            "menu « Actions » du répertoire."
            if mine
            else "Aucune anomalie signalée par d'autres sur vos établissements."
        )
        return
    st.caption(f"{found.height} anomalie(s) · cliquez sur une ligne pour l'ouvrir")
    rows = queue_table(found, delay, key="ano_miennes" if mine else "ano_etablissements", selection="single-row")
    if rows:
        open_anomaly(int(found["anomalie_id"][rows[0]]))


if triage:
    tabs = ["File de traitement", "Synthèse", "Mes signalements"]
    queue_tab, summary_tab, own_tab = st.tabs(tabs, key="ano_onglet")
    with queue_tab:
        render_queue()
    with summary_tab:
        render_summary()
    with own_tab:
        render_own(mine=True)
else:
    own_tab, establishment_tab = st.tabs(["Mes signalements", "Sur mes établissements"], key="ano_onglet")
    with own_tab:
        render_own(mine=True)
    with establishment_tab:
        render_own(mine=False)
