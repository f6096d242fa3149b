"""Entry point: page config, sign-in, the navigation of the signed-in user's role, the user panel."""

import streamlit as st

from components.session import current_user, render_user_panel, return_to
from components.sign_in import render as render_sign_in
from ror.auth import User

st.set_page_config(page_title="ROR Île-de-France", page_icon="static/favicon.png", layout="wide")

SIGN_IN = st.Page(render_sign_in, title="Connexion", icon=":material/login:", url_path="connexion")
HOME = st.Page("pages/tableau_de_bord.py", title="Tableau de bord", icon=":material/dashboard:")
SEARCH = st.Page("pages/recherche.py", title="Recherche", icon=":material/search:", url_path="recherche")
TREE = st.Page("pages/repertoire.py", title="Répertoire", icon=":material/account_tree:", url_path="repertoire")
FICHE = st.Page("pages/fiche.py", title="Fiche", icon=":material/description:", url_path="fiche", visibility="hidden")
SCRIPTS = {  # a link's page by its script (components/session.py return_to)
    "pages/tableau_de_bord.py": HOME,
    "pages/recherche.py": SEARCH,
    "pages/repertoire.py": TREE,
    "pages/fiche.py": FICHE,
}


def pages_for(user: User) -> dict[str, list[st.Page]]:
    """The pages a role may use, by section (hiding a page is not a permission: ror/ checks writes)."""
    return {"Répertoire": [HOME, SEARCH, TREE, FICHE]}


user = current_user()
if user is None:
    # Every page is known (a shared link keeps its address and query), but only the sign-in form runs;
    # once signed in, the rerun opens the page of the link.
    page = st.navigation([SIGN_IN, HOME, SEARCH, TREE, FICHE], position="hidden")
    if page is SIGN_IN:
        page.run()
    else:
        render_sign_in()
else:
    sections = pages_for(user)
    page = st.navigation(sections)
    allowed = [p for pages in sections.values() for p in pages]
    return_to({script: p for script, p in SCRIPTS.items() if any(p is q for q in allowed)})
    render_user_panel(user)
    page.run()
