"""Notifications: what happened to the user's dossiers and anomalies, newest first; filters by type and
source, sort by date (newest or oldest first) or by source alphabetically; « Ouvrir » goes to the dossier or the
anomaly, « Supprimer » hides it for this user only."""

import polars as pl
import streamlit as st

import queries
from components.anomalies import open_anomaly
from components.data import cursor
from components.dossier_review import open_dossier
from components.session import require_user
from components.text import md
from ror.dossiers import notifications

PAGE_SIZE = 20
ICONS = {
    "Information": ":blue[:material/info:]",
    "Succès": ":green[:material/check_circle:]",
    "Avertissement": ":orange[:material/warning:]",
    "Erreur": ":red[:material/error:]",
}


def open_target(user_id: int, row: dict) -> None:
    """Mark the notification read, and open what it is about."""
    notifications.mark_read(cursor(), user_id, [row["notification_id"]])
    if row["cible_type"] == "DOSSIER":
        open_dossier(int(row["cible_id"]))
    elif row["cible_type"] == "ANOMALIE":
        open_anomaly(int(row["cible_id"]))


user = require_user()
con = cursor()
st.title("Notifications")
found = queries.run(con, "notifications_of", user_id=user.user_id)
left, middle, right = st.columns([4, 5, 2])
types = left.pills("Type", notifications.TYPES, selection_mode="multi", key="notif_types")
sources = middle.pills("Source", notifications.SOURCES, selection_mode="multi", key="notif_sources")
ORDERS = {"recentes": "Plus récentes", "anciennes": "Plus anciennes", "source": "Source (A → Z)"}
order = right.selectbox("Trier par", list(ORDERS), format_func=ORDERS.get, key="notif_tri")
shown = found.filter(
    (pl.col("type").is_in(types) if types else pl.lit(True))
    & (pl.col("source").is_in(sources) if sources else pl.lit(True))
)
if order == "anciennes":
    shown = shown.sort(["created_at", "notification_id"])
elif order == "source":
    shown = shown.sort(["source", "created_at"], descending=[False, True])
unread = int((~found["lu"]).sum())
st.caption(f"{shown.height} notification(s) · {unread} non lue(s)")
if unread and st.button("Tout marquer comme lu", key="notif_tout_lu", type="tertiary", icon=":material/done_all:"):
    notifications.mark_read(con, user.user_id, found.filter(~pl.col("lu"))["notification_id"].to_list())
    st.rerun()
if shown.is_empty():
    st.info("Aucune notification." if found.is_empty() else "Aucune notification avec ces filtres.")
    st.stop()

pages = (shown.height - 1) // PAGE_SIZE + 1
page = st.pagination(pages, key="notif_page") if pages > 1 else 1
for row in shown.slice((page - 1) * PAGE_SIZE, PAGE_SIZE).iter_rows(named=True):
    with st.container(border=True):
        icon, text, actions = st.columns([0.4, 9, 2.6], vertical_alignment="center")
        icon.markdown(ICONS[row["type"]])
        objet = md(row["objet"]) if row["lu"] else f"**{md(row['objet'])}**"
        text.markdown(f"{objet}  \n:gray[{md(row['type'])} · {md(row['source'])} · {row['created_at']:%d/%m/%Y %H:%M}]")
        # one above the other: side by side, « Ouvrir » and « Supprimer » broke in the middle of the word at 1 280 px
        if row["cible_type"] in ("DOSSIER", "ANOMALIE") and actions.button(
            "Ouvrir", key=f"notif_ouvrir_{row['notification_id']}", icon=":material/open_in_new:"
        ):
            open_target(user.user_id, row)
        if actions.button(
            "Supprimer",
            key=f"notif_suppr_{row['notification_id']}",
            icon=":material/delete:",
            type="tertiary",
            help="Supprimer pour moi (les autres destinataires la gardent)",
        ):
            notifications.delete_for(con, user.user_id, row["notification_id"])
            st.rerun()
