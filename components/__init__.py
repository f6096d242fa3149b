"""Reusable Streamlit pieces: connection, session, sidebar, maps, tables."""
