"""Mon compte: who I am, my role and scope, and changing my password (the only page of someone signed in with a
temporary password until he has chosen his own)."""

import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.session import require_user, sign_in_session
from components.text import md
from ror.administration import accounts

user = require_user()
st.title("Mon compte")
if user.doit_changer_mot_de_passe:
    st.warning(
        "Vous êtes connecté avec un mot de passe provisoire : choisissez votre mot de passe pour accéder au "
        "répertoire.",
        icon=":material/key:",
    )
st.markdown(f"**{md(user.display_name)}** · identifiant « {md(user.login)} »")
st.caption(user.role_label + (f" · {md(user.organisation)}" if user.organisation else ""))
if user.departements:
    st.caption("Territoire : " + ", ".join(user.departements))
if user.finess_eg:
    st.caption("Établissements : " + ", ".join(user.finess_eg))

st.subheader("Changer mon mot de passe")
with st.form("compte_mdp", clear_on_submit=False):
    current = st.text_input("Mot de passe actuel", type="password", key="compte_actuel")
    new = st.text_input("Nouveau mot de passe", type="password", key="compte_nouveau", help=accounts.PASSWORD_RULE)
    confirmation = st.text_input("Confirmez le nouveau mot de passe", type="password", key="compte_confirmation")
    submitted = st.form_submit_button("Changer le mot de passe", type="primary")
if submitted:
    done, changed = attempt(lambda: accounts.change_own_password(cursor(), user, current, new, confirmation))
    if done:
        sign_in_session(changed)  # this session goes on; the account's other sessions end
        st.toast("Mot de passe changé.", icon=":material/check:")
        st.rerun()
