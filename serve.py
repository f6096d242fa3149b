"""The server: `streamlit run serve.py` serves app.py with the two routes that give and remove the cookie of a
browser's session (components/session_cookie.py), so that a reload (F5) keeps the person signed in."""

import streamlit as st

from components import session_cookie

app = st.App("app.py", routes=session_cookie.routes())
