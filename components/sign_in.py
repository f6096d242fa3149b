"""The sign-in form and, in demo mode, the demo accounts (shown by app.py to anyone not signed in)."""

import streamlit as st

from components.data import DatabaseUnavailable, cursor
from components.session import sign_in_session
from ror import auth, config
from ror.demo.users import DEMO_PASSWORD


def _sign_in(login: str, password: str) -> None:
    try:
        user = auth.sign_in(cursor(), login, password)
    except auth.SignInError as exc:
        st.session_state["connexion_error"] = str(exc)
        return
    sign_in_session(user)
    st.session_state.pop("connexion_error", None)


def render() -> None:
    """The sign-in form, and in demo mode the demo accounts."""
    st.title("Répertoire Opérationnel des Ressources")
    st.caption("Île-de-France · offre sanitaire et médico-sociale")

    try:
        accounts = auth.demo_accounts(cursor()) if config.demo_mode() else []
    except DatabaseUnavailable as exc:
        st.error(str(exc))
        st.stop()

    left, right = st.columns([2, 3], gap="large")
    with left:
        st.subheader("Connexion")
        with st.form("connexion_form"):
            login = st.text_input("Identifiant", key="connexion_login")
            password = st.text_input("Mot de passe", type="password", key="connexion_password")
            if st.form_submit_button("Se connecter", type="primary", width="stretch"):
                _sign_in(login, password)
        if error := st.session_state.get("connexion_error"):
            st.error(error)

    with right:
        if accounts:
            st.subheader("Comptes de démonstration")
            st.caption(f"Mode démonstration : mot de passe commun « {DEMO_PASSWORD} ».")
            for login, name, role, organisation in accounts:
                cols = st.columns([3, 2], vertical_alignment="center")
                cols[0].markdown(f"**{name}** · {role}  \n{organisation or ''}")
                cols[1].button(
                    f"Se connecter ({login})",
                    key=f"connexion_demo_{login}",
                    on_click=_sign_in,
                    args=(login, DEMO_PASSWORD),
                    width="stretch",
                )

    if st.session_state.get("auth_user"):
        st.rerun()
