"""What a dossier changes, the tutelle's decision, the directeur's « Envoyer en validation », the thread.

A decision or a sending is made on the version of the dossier the person opened (SEEN): if someone acted in
between, ror/dossiers/ refuses it with a Conflict and the page says so.
"""

from __future__ import annotations

import duckdb
import polars as pl
import streamlit as st

import queries
from components.data import cursor
from components.feedback import INCOMPLETE_REASON, act_on_seen_version, attempt, reason_input
from components.tables import dataframe
from components.text import md, plain
from ror import dossiers
from ror.core import clock
from ror.core.auth import User
from ror.core.permissions import allowed

SEEN = "dos_vu_"  # + dossier id: {"version", "statut"} of the dossier when it was opened
MESSAGE = "dos_message_"  # + the number of messages sent: a new, empty box after each one saved


def open_dossier(dossier_id: int) -> None:
    """Open a dossier's page afresh (what it showed before is forgotten)."""
    st.session_state.pop(SEEN + str(dossier_id), None)
    st.switch_page("pages/dossier.py", query_params={"dossier": str(dossier_id)})


def start_dossier(user: User, finess_eg: str) -> None:
    """« Créer un dossier collaboratif » for an EG: opens the one in progress if there is one."""
    done, found = attempt(lambda: dossiers.create_or_open(cursor(), user, finess_eg))
    if not done:
        return
    dossier_id, created = found
    if not created:
        st.toast("Un dossier est déjà en cours pour cet établissement : il s'ouvre.")
    open_dossier(dossier_id)


def seen(dossier: dict) -> dict:
    """The version and state of the dossier as this person first saw it on the page."""
    return st.session_state.setdefault(
        SEEN + str(dossier["dossier_id"]), {"version": dossier["version"], "statut": dossier["statut"]}
    )


def _act(action, success: str, dossier_id: int) -> None:
    act_on_seen_version(action, success, SEEN + str(dossier_id))


def render_changes(con: duckdb.DuckDBPyConnection, dossier_id: int) -> None:
    """What publishing the dossier changes in the répertoire, field by field, with counts per kind."""
    changes = pl.DataFrame(
        dossiers.diff(con, dossier_id),
        schema={c: pl.String for c in ("niveau", "cible", "action", "champ", "avant", "après")},
    )
    units = changes.filter(pl.col("niveau") == "UO").unique(["cible", "action"])
    counts = st.columns(4)
    counts[0].metric("Établissement", "modifié" if (changes["niveau"] == "EG").any() else "inchangé")
    for column, (action, label) in zip(
        counts[1:], (("ajoutée", "UO ajoutées"), ("modifiée", "UO modifiées"), ("fermée", "UO fermées")), strict=True
    ):
        column.metric(label, int((units["action"] == action).sum()))
    if changes.is_empty():
        st.info("Ce dossier ne change rien au répertoire publié.")
        return
    dataframe(
        changes.select("cible", "action", "champ", "avant", "après"),
        hide_index=True,
        key="dos_changements",
        column_config={  # 805 px: the five columns side by side from a 1 280 px screen (a cell shows all on hover)
            "cible": st.column_config.TextColumn("Fiche", width=200),
            "action": st.column_config.TextColumn("Unité", width=75),
            "champ": st.column_config.TextColumn("Champ", width=150),
            "avant": st.column_config.TextColumn("Publié aujourd'hui", width=190),
            "après": st.column_config.TextColumn("Après publication", width=190),
        },
    )


def render_decision(user: User, dossier: dict) -> None:
    """« Valider le dossier » (published at its date d'effet) or « Refuser le dossier » with a reason."""
    version, dossier_id = seen(dossier)["version"], dossier["dossier_id"]
    st.markdown("#### Décision")
    today = clock.today()
    when = (
        "publié dès la validation"
        if dossier["date_effet"] <= today
        else f"publication programmée le {dossier['date_effet']:%d/%m/%Y}"
    )
    validate, refuse = st.columns(2, gap="large")
    with validate, st.container(border=True):
        st.markdown(f"**Valider** — {when}.")
        if st.button("Valider le dossier", type="primary", key="dos_valider", icon=":material/check:"):
            _act(lambda: dossiers.validate(cursor(), user, dossier_id, version), "Dossier validé.", dossier_id)
    with refuse, st.container(border=True), st.form("dos_refus", border=False):
        # one form: the reason and the button reach the server together (nothing typed is lost)
        motif = reason_input(
            "Motif du refus *",
            dossiers.REFUSAL_REASONS,
            key="dos_motif",
            details="Précisions pour l'établissement",
            long=True,
        )
        if st.form_submit_button("Refuser le dossier", icon=":material/close:", key="dos_refuser"):
            if motif is None:
                st.error(INCOMPLETE_REASON)
            else:
                _act(lambda: dossiers.refuse(cursor(), user, dossier_id, version, motif), "Dossier refusé.", dossier_id)


def render_send(user: User, dossier: dict, pending: int) -> None:
    """« Envoyer en validation » with a date d'effet: the directeur, once every fiche is finalised."""
    st.markdown("#### Envoyer en validation")
    may_send = allowed(user, "dossier.envoyer", finess_eg=dossier["finess_eg"])
    if not may_send:
        st.caption("Seul le directeur de l'établissement peut envoyer le dossier en validation.")
        return
    left, right = st.columns([1, 2], vertical_alignment="bottom")
    effect = left.date_input(
        "Date d'effet *", clock.today(), min_value=clock.today(), format="DD/MM/YYYY", key="dos_date_effet"
    )
    why = f"{pending} fiche(s) à finaliser avant l'envoi." if pending else None
    if right.button(
        "Envoyer en validation",
        type="primary",
        key="dos_envoyer",
        disabled=bool(pending),
        help=why,
        icon=":material/send:",
    ):
        version = seen(dossier)["version"]
        _act(
            lambda: dossiers.send(cursor(), user, dossier["dossier_id"], version, effect),
            "Dossier envoyé à l'autorité de tutelle.",
            dossier["dossier_id"],
        )
    if why:
        st.caption(why)


def render_thread(con: duckdb.DuckDBPyConnection, user: User, dossier: dict) -> None:
    """The exchange between the establishment and the tutelle, oldest first, and a new message."""
    messages = queries.run(con, "dossier_messages", dossier_id=dossier["dossier_id"])
    if messages.is_empty():
        st.caption("Aucun échange sur ce dossier.")
    for row in messages.iter_rows(named=True):
        with st.chat_message("assistant" if row["role"] == "tutelle" else "user"):
            st.caption(f"{md(row['auteur'])} · {row['created_at']:%d/%m/%Y %H:%M}")
            st.text(plain(row["texte"]))
    may_write = allowed(user, "dossier.editer", finess_eg=dossier["finess_eg"]) or allowed(
        user, "dossier.decider", departement=dossier["departement"]
    )
    if may_write:
        sent_count = st.session_state.setdefault(MESSAGE + "n", 0)
        with st.form("dos_message"):  # the text and its button reach the server together
            text = st.text_area("Nouveau message", max_chars=2000, key=f"{MESSAGE}{sent_count}")
            sent = st.form_submit_button("Envoyer le message")
        if sent and attempt(lambda: dossiers.comment(cursor(), user, dossier["dossier_id"], text))[0]:
            st.session_state[MESSAGE + "n"] = sent_count + 1  # saved: a new empty box; refused, the text stays
            st.rerun()
