"""The server: `streamlit run serve.py` serves app.py with the two routes that give and remove the cookie of a
browser's session (components/session_cookie.py), so that a reload (F5) keeps the person signed in."""

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from components import session_cookie

# app.py declares its pages with st.navigation (per role). Without this, Streamlit takes the pages/ folder for an old
# multipage app on a session's first run, and the sidebar shows the raw script names of pages/ (« app, anomalie,
# anomalies, comptes … ») for an instant before the role's navigation replaces them (tests/e2e/test_first_paint.py).
PagesManager.uses_pages_directory = False

app = st.App("app.py", routes=session_cookie.routes())
