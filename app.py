"""Entry point: page config, sign-in, the navigation of the signed-in user's role, the user panel."""

import streamlit as st

from components.session import current_user, render_user_panel
from ror.auth import User

st.set_page_config(page_title="ROR Île-de-France", page_icon="static/favicon.png", layout="wide")

SIGN_IN = st.Page("pages/connexion.py", title="Connexion", icon=":material/login:", url_path="connexion")
HOME = st.Page("pages/tableau_de_bord.py", title="Tableau de bord", icon=":material/dashboard:", default=True)


def pages_for(user: User) -> dict[str, list[st.Page]]:
    """The pages a role may use, by section (hiding a page is not a permission: ror/ checks writes)."""
    return {"Répertoire": [HOME]}


user = current_user()
if user is None:
    page = st.navigation([SIGN_IN], position="hidden")
else:
    page = st.navigation(pages_for(user))
    render_user_panel(user)
page.run()
