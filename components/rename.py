"""« Renommer », from the Répertoire's action menu or a fiche: a unit's name, or an establishment's surnom (nom
d'usage, the first step of the SMR campaign guide). An operational update of the EG's directeur or référent."""

from __future__ import annotations

import streamlit as st

import queries
from components.data import cursor
from components.feedback import attempt
from components.naming import name_input, render_unit_naming, render_usage_naming
from components.reference import unit_kind
from components.session import current_user
from ror.dossiers import naming
from ror.repertoire import updates

RENAMING = "renommer"  # (kind, ident, current name): the dialog to show, until it is saved or dismissed


def ask(kind: str, ident: str, name: str) -> None:
    st.session_state[RENAMING] = (kind, ident, name)


def _forget() -> None:
    if asked := st.session_state.pop(RENAMING, None):
        st.session_state.pop(f"renommer_{asked[0]}_{asked[1]}", None)  # the next « Renommer » starts from the name


@st.dialog("Renommer", on_dismiss=_forget)  # closing the dialog must not reopen it next run
def _dialog(kind: str, ident: str, name: str) -> None:
    key = f"renommer_{kind}_{ident}"
    if kind == "eg":
        st.caption(
            "Le surnom (nom d'usage) sous lequel l'établissement est connu ; le nom officiel FINESS ne change pas "
            "(le support le corrige sur signalement). Laissez vide pour revenir au nom FINESS."
        )
        new_name = name_input("Surnom (nom d'usage)", key, name)
        eg = queries.run(cursor(), "eg_fiche", finess_eg=ident)
        if not eg.is_empty():
            render_usage_naming(new_name, key, naming.Establishment.of(eg.row(0, named=True)))
    else:
        st.caption(
            "Le nom suit la règle du ROR : « Unité » + catégorie + mode + temporalité + surnom, en majuscules, sans "
            "accents ni points dans les sigles."
        )
        new_name = name_input("Nouveau nom", key, name)
        uo = queries.run(cursor(), "uo_fiche", uo_id=int(ident))
        if not uo.is_empty():
            uo = uo.row(0, named=True)
            render_unit_naming(new_name, key, unit_kind(uo["type_code"], uo["mode_pec_code"], uo["temporalite_code"]))
    if st.button("Enregistrer", type="primary"):
        if kind == "eg":
            save = lambda: updates.rename_eg(cursor(), current_user(), ident, new_name)  # noqa: E731
        else:
            save = lambda: updates.update_uo(cursor(), current_user(), int(ident), {"nom": new_name})  # noqa: E731
        if attempt(save)[0]:
            _forget()
            st.toast("Nom enregistré.", icon=":material/check:")
            st.rerun()


def render() -> None:
    """The dialog asked for, if any (at the end of the page)."""
    if asked := st.session_state.get(RENAMING):
        _dialog(*asked)
