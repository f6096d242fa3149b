"""One anomaly (?anomalie=N): what was reported on which fiche, where it stands, its whole history; for the
tutelle of its département and the support the triage (take, assign, resolve, reject, reopen, duplicate,
relance); comments for everyone who may see it."""

import streamlit as st

import queries
from components.anomalies import (
    act,
    open_anomaly,
    open_fiche,
    render_timeline,
    seen_state,
    status_badge,
)
from components.data import cursor
from components.dossier_review import open_dossier
from components.feedback import INCOMPLETE_REASON, attempt, reason_input, render_refused_action
from components.session import require_user
from components.text import md, plain
from ror import anomalies
from ror.core.permissions import allowed

COMMENT = "ano_commentaire_"  # + the number of comments sent: a new, empty box after each one saved

user = require_user()
con = cursor()
if st.button("Anomalies", icon=":material/arrow_back:", type="tertiary", key="ano_retour"):
    st.switch_page("pages/anomalies.py")
ident = st.query_params.get("anomalie", "")
anomaly = anomalies.one(con, user, int(ident)) if ident.isdigit() else None
if anomaly is None:
    st.title("Anomalie")
    st.error(f"Anomalie introuvable ou hors de votre périmètre : « {md(ident[:20])} ».")
    st.stop()
anomalie_id = anomaly["anomalie_id"]
# the actions offered are those of the report as this person opened it: if someone changed it in between,
# acting is refused by ror/anomalies/ and the page says so (rather than a click that does nothing)
seen = seen_state(anomaly)
version = seen["version"]
delay = anomalies.delay_days(con)

st.title(f"Anomalie n° {anomalie_id}")
render_refused_action()
status_badge(anomaly["statut"])
late = anomaly["statut"] in anomalies.OPEN_STATES and anomaly["age_jours"] > delay
st.caption(
    f"Signalée le {anomaly['created_at']:%d/%m/%Y à %H:%M} par {md(anomaly['signale_par'])} · "
    + (f":red[**ouverte depuis {anomaly['age_jours']} jours**]" if late else f"{anomaly['age_jours']} jour(s)")
    + (f" · {anomaly['relances']} relance(s)" if anomaly["relances"] else "")
)

about, where = st.columns([3, 2], gap="large")
with about:
    st.markdown("##### Ce qui est signalé")
    if anomaly["champ"]:
        st.markdown(f"**Champ concerné** : {md(anomaly['champ'])}")
    with st.container(border=True):
        st.text(plain(anomaly["description"]))
    if anomaly["motif_rejet"]:
        st.markdown("**Motif du rejet**")
        st.text(plain(anomaly["motif_rejet"]))
    if anomaly["doublon_de"] and st.button(
        f"Voir l'anomalie n° {anomaly['doublon_de']} (l'originale)", key="ano_voir_originale", icon=":material/link:"
    ):
        open_anomaly(anomaly["doublon_de"])
    if anomaly["dossier_id"] and st.button(
        f"Résolue par le dossier collaboratif n° {anomaly['dossier_id']}",
        key="ano_voir_dossier",
        icon=":material/folder_shared:",
    ):
        open_dossier(anomaly["dossier_id"])
with where:
    st.markdown("##### Fiche concernée")
    st.markdown(
        f"**{anomalies.LEVELS[anomaly['target_type']]}** : {md(anomaly['cible'])}"
        + (f"  \n**Établissement** : {md(anomaly['etablissement'])}" if anomaly["target_type"] == "UO" else "")
        + f"  \n**Département** : {md(anomaly['departement'])}"
        + f"  \n**Assignée à** : {md(anomaly['assigne_a']) or 'personne'}"
    )
    if st.button("Ouvrir la fiche", key="ano_fiche", icon=":material/description:"):
        open_fiche(anomaly["target_type"], anomaly["target_id"])

if anomalies.can_triage(user, anomaly):
    st.markdown("#### Traitement")
    moves = anomalies.TRANSITIONS[seen["statut"]]
    closed = seen["statut"] not in anomalies.OPEN_STATES
    status_col, assign_col, other_col = st.columns(3, gap="medium")
    with status_col, st.container(border=True):
        st.markdown("**Statut**")
        if (
            "en_cours" in moves
            and seen["statut"] == "nouvelle"
            and st.button("Prendre en charge", key="ano_prendre", type="primary", icon=":material/pan_tool:")
        ):
            act(
                lambda: anomalies.assign(cursor(), user, anomalie_id, version, user.user_id),
                "Prise en charge.",
                anomalie_id,
            )
        if "resolue" in moves and st.button("Résoudre", key="ano_resoudre", icon=":material/check_circle:"):
            act(
                lambda: anomalies.change_status(cursor(), user, anomalie_id, version, "resolue"),
                "Anomalie résolue.",
                anomalie_id,
            )
        if (
            "en_cours" in moves
            and seen["statut"] != "nouvelle"
            and st.button("Rouvrir", key="ano_rouvrir", icon=":material/replay:")
        ):
            act(
                lambda: anomalies.change_status(cursor(), user, anomalie_id, version, "en_cours"),
                "Anomalie rouverte.",
                anomalie_id,
            )
        if "rejetee" in moves:
            with st.form("ano_rejet", border=False):  # the reason and its button reach the server together
                motif = reason_input(
                    "Motif du rejet *", anomalies.REJECTION_REASONS, key="ano_motif", details="Précisions"
                )
                rejected = st.form_submit_button("Rejeter", icon=":material/block:", key="ano_rejeter")
            if rejected and motif is None:
                st.error(INCOMPLETE_REASON)
            elif rejected:
                act(
                    lambda: anomalies.change_status(cursor(), user, anomalie_id, version, "rejetee", motif=motif),
                    "Anomalie rejetée.",
                    anomalie_id,
                )
    with assign_col, st.container(border=True):
        st.markdown("**Assignation**")
        people = anomalies.assignees(con, anomaly["departement"])
        options = [user.user_id, *[p for p in people if p != user.user_id], anomalies.NOBODY]
        who = st.selectbox(
            "Assigner à",
            options,
            index=options.index(anomaly["assignee_id"]) if anomaly["assignee_id"] in options else 0,
            format_func=lambda p: "Personne" if p == anomalies.NOBODY else ("Moi" if p == user.user_id else people[p]),
            key="ano_assignee_un",
            disabled=closed,
        )
        if st.button(
            "Assigner",
            key="ano_assigner",
            icon=":material/person_add:",
            disabled=closed,
        ):
            act(
                lambda: anomalies.assign(
                    cursor(), user, anomalie_id, version, None if who == anomalies.NOBODY else who
                ),
                "Assignation enregistrée.",
                anomalie_id,
            )
    with other_col, st.container(border=True):
        st.markdown("**Suivi**")
        if allowed(user, "anomalie.relancer") and st.button(
            "Relancer l'établissement",
            key="ano_relancer",
            icon=":material/campaign:",
            disabled=closed,
            help="Le directeur et les référents de l'établissement reçoivent une notification.",
        ):
            act(lambda: anomalies.relance(cursor(), user, anomalie_id, version), "Établissement relancé.", anomalie_id)
        original = st.number_input("Doublon de l'anomalie n°", min_value=1, step=1, value=None, key="ano_original")
        if st.button(
            "Marquer comme doublon",
            key="ano_doublon",
            icon=":material/content_copy:",
            disabled=original is None or closed,
        ):
            act(
                lambda: anomalies.mark_duplicate(cursor(), user, anomalie_id, version, int(original)),
                "Anomalie marquée comme doublon.",
                anomalie_id,
            )

st.markdown("#### Historique")
render_timeline(queries.run(con, "anomaly_events", anomalie_id=anomalie_id))
sent_count = st.session_state.setdefault(COMMENT + "n", 0)
with st.form("ano_commentaire"):  # the text and its button reach the server together
    text = st.text_area(
        "Ajouter un commentaire", max_chars=anomalies.MAX_TEXT, height=100, key=f"{COMMENT}{sent_count}"
    )
    sent = st.form_submit_button("Commenter", icon=":material/chat:")
if sent and attempt(lambda: anomalies.comment(cursor(), user, anomalie_id, text))[0]:
    st.session_state[COMMENT + "n"] = sent_count + 1  # saved: a new empty box; refused, the text stays in it
    st.toast("Commentaire ajouté.", icon=":material/check:")
    st.rerun()
