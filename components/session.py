"""The signed-in user in the session, and the sidebar that always shows who it is."""

from __future__ import annotations

import streamlit as st

from ror.auth import User

USER_KEY = "auth_user"


def current_user() -> User | None:
    return st.session_state.get(USER_KEY)


def sign_in_session(user: User) -> None:
    st.session_state[USER_KEY] = user


def sign_out() -> None:
    for key in list(st.session_state.keys()):
        del st.session_state[key]


def render_user_panel(user: User) -> None:
    """Name, role and organisation of the signed-in user, and « Se déconnecter »."""
    with st.sidebar:
        st.markdown(f"**{user.display_name}**")
        st.caption(user.role_label + (f" · {user.organisation}" if user.organisation else ""))
        if user.departements:
            st.caption("Territoire : " + ", ".join(user.departements))
        if st.button("Se déconnecter", icon=":material/logout:", key="session_sign_out", width="stretch"):
            sign_out()
            st.rerun()


def require_user() -> User:
    """The signed-in user, for a page script. Streamlit runs a pages/ script directly, without app.py, when
    the very first request of a fresh server targets its URL: such a run goes back to app.py (sign-in)."""
    user = current_user()
    if user is None:
        st.switch_page("app.py")
    return user
