"""The reference lists the forms offer (code lists, communes), read once and kept: they do not change while the app
runs."""

from __future__ import annotations

import streamlit as st

import queries
from components.data import cursor
from ror.dossiers import naming


@st.cache_data(show_spinner=False, max_entries=32)
def options(system: str) -> dict[str, str]:
    """code -> label of a code list, by label (reference data: it does not change while the app runs)."""
    frame = queries.run(cursor(), "nomenclature_labels", systems=[system])
    twice = {label for label in frame["libelle"] if (frame["libelle"] == label).sum() > 1}
    # a few labels carry two codes (e.g. R211 233 and 456): the code tells them apart, and a choice made on
    # the label alone would not come back as the same code
    return {
        code: f"{label} ({code})" if label in twice else label
        for code, label in zip(frame["code"], frame["libelle"], strict=True)
    }


@st.cache_data(show_spinner=False, max_entries=1)
def communes() -> dict[str, str]:
    return dict(queries.rows(cursor(), "communes"))


def unit_kind(type_code: str | None, mode_code: str | None, temporalite_code: str | None) -> naming.UnitKind:
    """What a unit's name must say (ror/dossiers/naming.py), from its codes."""
    return naming.UnitKind(
        type_code,
        options("TRE_R244").get(type_code),
        options("TRE_R213").get(mode_code),
        options("TRE_R240").get(temporalite_code),
        mode_code,
    )
