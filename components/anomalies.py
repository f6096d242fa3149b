"""Anomalies in the pages: the « Signaler une anomalie » window, the open anomalies of a fiche, the queue
table, a report's timeline. Texts typed by people are always shown as plain text (st.text), never markdown.

An action on a report is made on the version the person opened (SEEN): if someone acted in between,
ror/anomalies/ refuses it with a Conflict and the page reloads the report and says why.
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

from components.data import cursor
from components.feedback import act_on_seen_version, attempt
from components.tables import dataframe
from components.text import md
from ror import anomalies
from ror.core.auth import User

PENDING = "ano_signaler"  # (level, id, label) of the fiche the report window is open for
SEEN = "ano_vu_"  # + anomaly id: its version and status when the page opened it
STATUS_COLORS = {"nouvelle": "blue", "en_cours": "orange", "resolue": "green", "rejetee": "gray"}
EVENT_ICONS = {
    "creation": ":material/flag:",
    "statut": ":material/published_with_changes:",
    "assignation": ":material/person:",
    "commentaire": ":material/chat:",
    "relance": ":material/campaign:",
    "doublon": ":material/content_copy:",
    "dossier": ":material/folder_shared:",
}
FICHE_PARAMS = {"EJ": "ej", "EG": "eg", "UO": "uo"}


def open_anomaly(anomalie_id: int) -> None:
    """Open a report's page afresh."""
    st.session_state.pop(SEEN + str(anomalie_id), None)
    st.switch_page("pages/anomalie.py", query_params={"anomalie": str(anomalie_id)})


def open_fiche(target_type: str, target_id: str) -> None:
    st.switch_page("pages/fiche.py", query_params={FICHE_PARAMS[target_type]: target_id})


def status_badge(statut: str) -> None:
    st.badge(anomalies.STATUS_LABELS[statut], color=STATUS_COLORS[statut])


# ---------------------------------------------------------------------------------------------------------
# Reporting


def request_report(target_type: str, target_id: str, label: str, champ: str | None = None) -> None:
    """Open the « Signaler une anomalie » window for an EJ, EG or UO (shown by render_report_window), its « Champ
    concerné » already chosen when given (ex. « Adresse »)."""
    st.session_state[PENDING] = (target_type, str(target_id), label)
    if champ in anomalies.FIELDS[target_type]:
        st.session_state["ano_champ"] = champ


def _forget_report() -> None:
    st.session_state.pop(PENDING, None)


@st.dialog("Signaler une anomalie", width="large", on_dismiss=_forget_report)
def _report_window(user: User, target_type: str, target_id: str, label: str) -> None:
    st.markdown(f"**{anomalies.LEVELS[target_type]}** : {md(label)}")
    similar = anomalies.similar_open(cursor(), target_type, target_id)
    if similar:
        st.warning(
            f"{len(similar)} anomalie(s) déjà ouverte(s) sur cette fiche : vérifiez qu'il ne s'agit pas de la même.",
            icon=":material/info:",
        )
        for other in similar:
            st.caption(
                f"N° {other['anomalie_id']} du {other['created_at']:%d/%m/%Y}"
                + (f" · {md(other['champ'])}" if other["champ"] else "")
                + f" · {anomalies.STATUS_LABELS[other['statut']]}"
            )
            st.text(other["description"][:300] + ("…" if len(other["description"]) > 300 else ""))
    champ = st.selectbox(
        "Champ concerné (facultatif)", anomalies.FIELDS[target_type], index=None, placeholder="—", key="ano_champ"
    )
    description = st.text_area(
        "Ce qui est faux, et si vous la connaissez la bonne information *",
        max_chars=anomalies.MAX_TEXT,
        height=160,
        key="ano_description",
    )
    if st.button("Envoyer le signalement", type="primary", key="ano_envoyer", icon=":material/send:"):
        done, found = attempt(lambda: anomalies.report(cursor(), user, target_type, target_id, description, champ))
        if done:
            _forget_report()
            for key in ("ano_champ", "ano_description"):
                st.session_state.pop(key, None)
            st.toast(
                f"Anomalie n° {found} signalée : l'autorité de tutelle et le support sont prévenus.",
                icon=":material/check:",
            )
            st.rerun()


def render_report_window(user: User) -> None:
    """The report window, while one is asked for (call once per run, after request_report)."""
    if pending := st.session_state.get(PENDING):
        _report_window(user, *pending)


def render_fiche_anomalies(con: duckdb.DuckDBPyConnection, user: User, target_type: str, target_id: str) -> None:
    """On a fiche: « Signaler une anomalie » and the open anomalies of the record (of an EG: and of its UO)."""
    label = anomalies.target(con, target_type, target_id).label
    st.markdown("##### Anomalies ouvertes")
    if target_type == "EG":
        found = pl.DataFrame(anomalies.correctable(con, target_id))
    else:
        found = pl.DataFrame(anomalies.similar_open(con, target_type, target_id))
    if found.is_empty():
        st.caption("Aucune anomalie ouverte sur cette fiche.")
    for row in found.iter_rows(named=True):
        with st.container(border=True):
            head, action = st.columns([6, 1], vertical_alignment="center")
            where = f" · {md(row['cible'])}" if target_type == "EG" and row["target_type"] == "UO" else ""
            head.markdown(
                f"**N° {row['anomalie_id']}** · {anomalies.STATUS_LABELS[row['statut']]} · signalée le "
                f"{row['created_at']:%d/%m/%Y}" + (f" · {md(row['champ'])}" if row["champ"] else "") + where
            )
            head.text(row["description"][:300] + ("…" if len(row["description"]) > 300 else ""))
            if anomalies.can_see(user, row) and action.button(
                "Ouvrir", key=f"fiche_ano_{row['anomalie_id']}", icon=":material/open_in_new:"
            ):
                open_anomaly(row["anomalie_id"])
    if st.button("Signaler une anomalie", icon=":material/flag:", key="fiche_signaler"):
        request_report(target_type, target_id, label)
    render_report_window(user)


def render_dossier_anomalies(con: duckdb.DuckDBPyConnection, user: User, dossier: dict, *, editable: bool) -> None:
    """The anomalies a dossier corrects (resolved when it is published): chosen among the open ones of its
    establishment while it is a draft, read by everyone else."""
    st.markdown("#### Anomalies corrigées par ce dossier")
    dossier_id = dossier["dossier_id"]
    linked = anomalies.linked(con, dossier_id)
    if not editable:
        if not linked:
            st.caption("Ce dossier ne corrige aucune anomalie signalée.")
        for anomalie_id in linked:
            found = anomalies.get(con, anomalie_id)
            st.markdown(
                f"**N° {anomalie_id}** · {anomalies.STATUS_LABELS[found['statut']]}"
                + (f" · {md(found['champ'])}" if found["champ"] else "")
            )
            st.text(found["description"][:300])
        return
    open_ones = {a["anomalie_id"]: a for a in anomalies.correctable(con, dossier["finess_eg"])}
    if not open_ones:
        st.caption("Aucune anomalie ouverte sur cet établissement ou ses unités.")
        return
    st.caption(
        "Elles seront résolues automatiquement à la publication du dossier, avec le dossier dans leur historique."
    )

    def label(anomalie_id: int) -> str:
        found = open_ones[anomalie_id]
        text = found["description"].replace("\n", " ")
        return (
            f"N° {anomalie_id} · {found['cible']}"
            + (f" · {found['champ']}" if found["champ"] else "")
            + (f" — {text[:80]}{'…' if len(text) > 80 else ''}")
        )

    chosen = st.multiselect(
        "Anomalies que ce dossier corrige",
        list(open_ones),
        default=[a for a in linked if a in open_ones],
        format_func=label,
        key=f"dos_anomalies_{dossier_id}",
        placeholder="Aucune",
    )
    changed = sorted(chosen) != sorted(linked)
    if (
        changed
        and st.button("Enregistrer la liste", key="dos_anomalies_enr")
        and attempt(lambda: anomalies.link_dossier(cursor(), user, dossier_id, chosen))[0]
    ):
        st.toast("Anomalies du dossier enregistrées.", icon=":material/check:")
        st.rerun()


# ---------------------------------------------------------------------------------------------------------
# The queue


def queue_table(found: pl.DataFrame, delay: int, *, key: str, selection: str = "multi-row"):
    """The reports as a table, ages past the delay highlighted; returns the selected rows' positions."""
    shown = found.select(
        pl.col("anomalie_id"),
        pl.col("statut").replace_strict(anomalies.STATUS_LABELS).alias("statut"),
        pl.col("age_jours"),
        pl.col("target_type").replace_strict(anomalies.LEVELS).alias("niveau"),
        pl.col("cible"),
        pl.col("etablissement"),
        pl.col("departement"),
        pl.col("champ"),
        pl.col("signale_par"),
        pl.col("assigne_a"),
        pl.col("relances"),
        pl.col("created_at"),
    )
    late = (found["statut"].is_in(anomalies.OPEN_STATES) & (found["age_jours"] > delay)).to_list()

    def highlight(column):
        return ["background-color: #fde2e1; color: #a4161a; font-weight: 600" if x else "" for x in late]

    table = shown.to_pandas()
    picked = dataframe(
        table.style.apply(highlight, subset=["age_jours"]) if any(late) else table,  # a Styler costs ~20 ms a table
        hide_index=True,
        placeholder="—",
        on_select="rerun",
        selection_mode=selection,
        key=key,
        column_config={
            "anomalie_id": st.column_config.NumberColumn("N°", format="%d", width="small"),
            "statut": st.column_config.TextColumn("Statut", width="small"),
            "age_jours": st.column_config.NumberColumn(
                "Âge (j)", format="%d", width="small", help=f"En rouge : ouverte depuis plus de {delay} jours"
            ),
            "niveau": st.column_config.TextColumn("Niveau"),
            "cible": st.column_config.TextColumn("Sur", width="medium"),
            "etablissement": st.column_config.TextColumn("Établissement", width="medium"),
            "departement": st.column_config.TextColumn("Dép.", width="small"),
            "champ": st.column_config.TextColumn("Champ"),
            "signale_par": st.column_config.TextColumn("Signalée par"),
            "assigne_a": st.column_config.TextColumn("Assignée à"),
            "relances": st.column_config.NumberColumn("Relances", format="%d", width="small"),
            "created_at": st.column_config.DatetimeColumn("Signalée le", format="DD/MM/YYYY"),
        },
    )
    return picked.selection.rows


# ---------------------------------------------------------------------------------------------------------
# One report


def seen_state(anomaly: dict) -> dict:
    """The version and status of the report as this person first saw it on the page."""
    return st.session_state.setdefault(
        SEEN + str(anomaly["anomalie_id"]), {"version": anomaly["version"], "statut": anomaly["statut"]}
    )


def act(action, success: str, anomalie_id: int) -> None:
    act_on_seen_version(action, success, SEEN + str(anomalie_id))


def render_timeline(events: pl.DataFrame) -> None:
    """The report's history, oldest first: who, when, what (texts as typed)."""
    for event in events.iter_rows(named=True):
        icon, body = st.columns([0.4, 12])
        icon.markdown(EVENT_ICONS.get(event["type"], ":material/circle:"))
        who = md(event["auteur"]) or "Système"
        body.markdown(
            f"**{anomalies.EVENT_LABELS.get(event['type'], event['type'])}** · {who} · "
            f":gray[{event['created_at']:%d/%m/%Y %H:%M}]"
        )
        if event["detail"]:
            body.text(event["detail"])
