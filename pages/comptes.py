"""Comptes (support, administrateur): the accounts with their role and scope; create one, change its role or
scope, deactivate or reactivate it, give it a new temporary password. Every change is journaled."""

import polars as pl
import streamlit as st

import queries
from components.accounts import PASSWORD_KEY, account_form, accounts_table, render_temporary_password
from components.data import cursor, data_version
from components.feedback import act_on_seen_version, attempt, render_refused_action
from components.session import require_action, require_user
from components.tables import dataframe
from components.text import md
from ror.administration import accounts
from ror.core import auth
from ror.core.auth import ROLE_LABELS
from ror.core.permissions import role_allows

user = require_user()
st.title("Comptes")
require_action(user, "compte.gerer")
con = cursor()
version = data_version()
render_temporary_password()
render_refused_action()
if st.session_state.pop("cpt_cree", False):
    st.session_state["cpt_vue"] = "Comptes"  # back to the list, where the temporary password is shown
tab = st.segmented_control(
    "Vue", ["Comptes", "Créer un compte"], default="Comptes", required=True, key="cpt_vue", label_visibility="collapsed"
)

if tab == "Créer un compte":
    form = account_form(user, "cpt_new", {}, version)
    if st.button("Créer le compte", type="primary", key="cpt_creer", icon=":material/person_add:"):
        done, created = attempt(lambda: accounts.create_account(con, user, form))
        if done:
            st.session_state[PASSWORD_KEY] = (form.login.strip().lower(), created[1])
            st.session_state["cpt_cree"] = True
            st.rerun()
    st.stop()

if role_allows(user, "parametres"):
    with st.expander("Mots de passe provisoires", icon=":material/timer:"), st.form("cpt_duree", border=False):
        hours = st.number_input(
            "Durée de validité (heures)",
            min_value=1,
            max_value=accounts.MAX_TEMPORARY_HOURS,
            value=auth.temporary_hours(con),
            help="Un mot de passe provisoire non changé dans ce délai ne permet plus de se connecter.",
        )
        if (
            st.form_submit_button("Enregistrer la durée")
            and attempt(lambda: accounts.set_temporary_hours(cursor(), user, int(hours)))[0]
        ):
            st.toast("Durée enregistrée.", icon=":material/check:")

found = queries.run(con, "accounts_list")
search, roles, inactive = st.columns([3, 4, 2], vertical_alignment="bottom")
text = search.text_input("Rechercher", placeholder="Nom, identifiant ou organisation", key="cpt_texte").strip().lower()
chosen = roles.pills("Rôle", list(ROLE_LABELS), format_func=ROLE_LABELS.get, selection_mode="multi", key="cpt_roles")
show_inactive = inactive.toggle("Comptes désactivés", key="cpt_inactifs")
shown = found.filter(
    (pl.col("actif") | pl.lit(show_inactive))
    & (pl.col("role").is_in(chosen) if chosen else pl.lit(True))
    & (
        pl.concat_str(["login", "prenom", "nom", "organisation"], separator=" ", ignore_nulls=True)
        .str.to_lowercase()
        .str.contains(text, literal=True)
    )
)
st.caption(f"{shown.height} compte(s) sur {found.height} · sélectionnez une ligne pour le modifier")
picked = dataframe(
    accounts_table(shown),
    hide_index=True,
    width="stretch",
    on_select="rerun",
    selection_mode="single-row",
    key="cpt_liste",
)
rows = picked.selection.rows if picked else []
if not rows:
    st.stop()
account = shown.row(rows[0], named=True)
seen_key = f"cpt_vu_{account['user_id']}"
if seen_key not in st.session_state:
    st.session_state[seen_key] = accounts.snapshot(con, account["user_id"])
seen = st.session_state[seen_key]

with st.container(border=True):
    st.subheader(md(f"{account['prenom']} {account['nom']}"))
    if not account["actif"]:
        st.warning("Ce compte est désactivé : il ne peut plus se connecter.", icon=":material/block:")
    form = account_form(user, f"cpt_{account['user_id']}", seen, version)
    save, toggle, reset = st.columns(3)
    if save.button("Enregistrer", type="primary", key="cpt_enregistrer", width="stretch"):
        act_on_seen_version(
            lambda: accounts.update_account(con, user, account["user_id"], form, seen=seen), "Compte modifié.", seen_key
        )
    if account["actif"]:
        if toggle.button("Désactiver le compte", key="cpt_desactiver", icon=":material/block:", width="stretch"):
            act_on_seen_version(
                lambda: accounts.set_active(con, user, account["user_id"], False), "Compte désactivé.", seen_key
            )
    elif toggle.button("Réactiver le compte", key="cpt_reactiver", icon=":material/check_circle:", width="stretch"):
        act_on_seen_version(
            lambda: accounts.set_active(con, user, account["user_id"], True), "Compte réactivé.", seen_key
        )
    if reset.button("Nouveau mot de passe provisoire", key="cpt_reinitialiser", icon=":material/key:", width="stretch"):
        done, password = attempt(lambda: accounts.reset_password(con, user, account["user_id"]))
        if done:
            st.session_state[PASSWORD_KEY] = (account["login"], password)
            st.rerun()
