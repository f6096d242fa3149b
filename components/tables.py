"""Tables as a French reader expects them: every number in the browser's locale (« 1 370 », « 0,4 » with a French
browser), identifiers as they are written (« 1214 », not « 1 214 »). Every table of the app goes through `dataframe`."""

from __future__ import annotations

import polars as pl
import streamlit as st

EMPTY = "Aucune ligne à afficher."


def dataframe(frame, *, column_config: dict | None = None, empty: str = EMPTY, **kwargs):
    """st.dataframe, with a number column given the locale's format unless the page chose one: a column labelled by
    a plain string keeps its label; a column named like an identifier (…_id, identifiant) is written as it is. An
    empty table is a sentence saying what is empty (`empty`), not Streamlit's « empty » grid; a table the page
    selects in is always drawn (its selection is read back)."""
    if not isinstance(frame, pl.DataFrame):  # a styled table (pandas Styler) formats its own cells
        return st.dataframe(frame, column_config=column_config, **kwargs)
    if frame.is_empty() and "on_select" not in kwargs:
        st.caption(empty)
        return None
    config = dict(column_config or {})
    for name, dtype in frame.schema.items():
        if not dtype.is_numeric() or not (name not in config or isinstance(config[name], str)):
            continue
        identifier = name.endswith("_id") or name == "identifiant"
        config[name] = st.column_config.NumberColumn(config.get(name), format="%d" if identifier else "localized")
    return st.dataframe(frame, column_config=config, **kwargs)
