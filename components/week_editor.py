"""The semaine type of a unit, edited as the ROR guide describes it: an agenda of half-hours × 7 days whose open
zones are ticked « d'un clic », « Alimenter 7j/7 et 24h/24 » to fill it, « Tout vider » to start again. The one
editor of a week, in a dossier collaboratif and on the fiche (mise à jour opérationnelle). The rules (grid ↔ slots, a
week left as it was keeps its slots): ror/repertoire/opening.py."""

from __future__ import annotations

import polars as pl
import streamlit as st

from ror.core import formats
from ror.repertoire import opening

DAYS = [name[:3] for name in opening.DAY_NAMES.values()]


def _set_week(key: str, ticked: bool) -> None:
    st.session_state[f"{key}_grille"] = [[ticked] * 7 for _ in range(1440 // opening.GRID_STEP)]
    st.session_state[f"{key}_version"] = st.session_state.get(f"{key}_version", 0) + 1  # a new editor shows it


def week_editor(key: str, slots: list[tuple[int, int, int]], *, editable: bool) -> list[tuple[int, int, int]]:
    """The week as 48 half-hours × 7 days of boxes to tick; returns its slots (jour, debut_min, fin_min)."""
    base = st.session_state.setdefault(f"{key}_grille", opening.week_grid(slots))
    if editable:
        left, right, _ = st.columns([2, 1, 2])
        left.button(
            "Alimenter 7j/7 et 24h/24",
            key=f"{key}_h24",
            on_click=_set_week,
            args=(key, True),
            icon=":material/schedule:",
        )
        right.button("Tout vider", key=f"{key}_vider", on_click=_set_week, args=(key, False), type="tertiary")
        st.caption("Cochez les demi-heures d'ouverture, puis enregistrez.")
    frame = pl.DataFrame(
        {"heure": [formats.clock(m) for m in range(0, 1440, opening.GRID_STEP)]}
        | {day: [row[i] for row in base] for i, day in enumerate(DAYS)}
    )
    edited = st.data_editor(
        frame,
        key=f"{key}_grille_{st.session_state.get(f'{key}_version', 0)}",
        hide_index=True,
        disabled=["heure"] if editable else True,
        height=420,
        column_config={"heure": st.column_config.TextColumn("Début", width="small")}
        | {day: st.column_config.CheckboxColumn(day, width="small") for day in DAYS},
    )
    return opening.edited_slots(slots, [list(row) for row in edited.select(DAYS).iter_rows()])
