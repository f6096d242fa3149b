"""« Renommer », from the Répertoire's action menu or a fiche: a unit's name, or an establishment's surnom (nom
d'usage, the first step of the SMR campaign guide). An operational update of the EG's directeur or référent."""

from __future__ import annotations

import streamlit as st

from components.data import cursor
from components.feedback import attempt
from components.session import current_user
from ror.repertoire import updates

RENAMING = "renommer"  # (kind, ident, current name): the dialog to show, until it is saved or dismissed


def ask(kind: str, ident: str, name: str) -> None:
    st.session_state[RENAMING] = (kind, ident, name)


def _forget() -> None:
    st.session_state.pop(RENAMING, None)


@st.dialog("Renommer", on_dismiss=_forget)  # closing the dialog must not reopen it next run
def _dialog(kind: str, ident: str, name: str) -> None:
    if kind == "eg":
        st.caption(
            "Le surnom (nom d'usage) sous lequel l'établissement est connu ; le nom officiel FINESS ne change pas "
            "(le support le corrige sur signalement). Laissez vide pour revenir au nom FINESS."
        )
        new_name = st.text_input("Surnom (nom d'usage)", value=name, max_chars=200)
    else:
        st.caption("Le nom suit les règles de nommage du ROR (majuscules, sans accents ni points dans les sigles).")
        new_name = st.text_input("Nouveau nom", value=name, max_chars=200)
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
