"""The sign-in form and, in demo mode, the demo accounts (shown by app.py to anyone not signed in)."""

import streamlit as st

from components.data import DatabaseUnavailable, cursor
from components.session import ENDED_KEY, sign_in_session
from components.text import md
from ror.administration import support_contacts
from ror.core import auth, config
from ror.demo.users import DEMO_PASSWORD, LISTED


def client_address() -> str | None:
    """The address of the person's browser as Streamlit sees it (behind a proxy: the proxy's, docs/securite.md)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None


def _sign_in(login: str, password: str) -> None:
    try:
        user = auth.sign_in(cursor(), login, password, client=client_address())
    except auth.SignInError as exc:
        st.session_state["connexion_error"] = str(exc)
        return
    sign_in_session(user)
    st.session_state.pop("connexion_error", None)
    st.session_state.pop(ENDED_KEY, None)


def render() -> None:
    """The sign-in form, and in demo mode the demo accounts."""
    st.title("Répertoire Opérationnel des Ressources")
    st.caption("Île-de-France · offre sanitaire et médico-sociale")

    try:
        accounts = auth.demo_accounts(cursor(), LISTED) if config.demo_mode() else []
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
            st.error(md(error))
        elif ended := st.session_state.get(ENDED_KEY):
            st.warning(md(ended), icon=":material/logout:")
        support = support_contacts.contacts(cursor())
        st.caption(
            "Mot de passe oublié ? Le support régional vous en donne un nouveau, provisoire : écrivez-lui depuis "
            f"votre adresse professionnelle ({md(support['support_email'])}) ou appelez le "
            f"{md(support['support_telephone'])}, {md(support['support_horaires'])}."
        )

    with right:
        if accounts:
            st.subheader("Comptes de démonstration")
            st.caption(f"Mode démonstration : mot de passe commun « {DEMO_PASSWORD} ».")
            for login, name, role, organisation in accounts:
                cols = st.columns([3, 2], vertical_alignment="center")
                cols[0].markdown(f"**{md(name)}** · {role}  \n{md(organisation)}")
                cols[1].button(
                    f"Se connecter ({md(login)})",
                    key=f"connexion_demo_{login}",
                    on_click=_sign_in,
                    args=(login, DEMO_PASSWORD),
                    width="stretch",
                )

    if st.session_state.get("auth_user"):
        st.rerun()
