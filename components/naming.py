"""The ROR naming rules (ror/dossiers/naming.py) beside a name field: each broken rule in words, and one click that
puts the suggested name in the field. Used by the dossier's editors, the fiche's « Nom et contacts », « Renommer »."""

from __future__ import annotations

import streamlit as st

from components.text import md
from ror.dossiers import naming


def _fix(key: str, suggestion: str) -> None:
    st.session_state[key] = suggestion


def name_input(label: str, key: str, initial: str | None, *, disabled: bool = False, where=st) -> str:
    """A name field whose value « Appliquer la correction » may replace (through the session state)."""
    st.session_state.setdefault(key, initial or "")
    return where.text_input(label, key=key, disabled=disabled, max_chars=200, persist_state="page")


def render_naming(problems: list[naming.NamingProblem], key: str, fixed: str, *, editable: bool) -> None:
    """Each broken naming rule, and a button applying the suggested fix to the field `key`."""
    if not problems:
        return
    st.warning("\n".join(f"- {md(p.message)}" for p in problems), icon=":material/spellcheck:")
    if editable:
        st.button(
            f"Appliquer la correction : « {md(fixed)} »",
            key=f"{key}_corriger",
            on_click=_fix,
            args=(key, fixed),
            type="tertiary",
            icon=":material/auto_fix_high:",
        )


def render_unit_naming(name: str, key: str, kind: naming.UnitKind | None, *, editable: bool = True) -> None:
    """A unit's name: the writing rules and « Unité + catégorie + mode + temporalité + surnom »."""
    render_naming(naming.unit_name_problems(name, kind), key, naming.fixed_unit_name(name, kind), editable=editable)


def render_usage_naming(name: str, key: str, eg: naming.Establishment, *, editable: bool = True) -> None:
    """An EG's nom d'usage: the writing rules, the official name kept, the commune added to a bare catégorie."""
    render_naming(naming.usage_name_problems(name, eg), key, naming.fixed_usage_name(name, eg), editable=editable)
