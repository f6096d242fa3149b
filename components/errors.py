"""What a person sees when the app fails unexpectedly: a French message with an error number, never a traceback
(`client.showErrorDetails = "none"` in .streamlit/config.toml is the backstop). The details go to the server log
under the same number, for the support. ROR_DEBUG=1 (the tests) lets the exception through instead."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable

import streamlit as st

from ror.core import config

log = logging.getLogger("ror")


def run_safely(script: Callable[[], None]) -> None:
    """Run a page; an unexpected error is logged with a number and shown as a French message with that number.
    Streamlit's own control flow (st.rerun, st.stop, st.switch_page) passes through: it is not an Exception."""
    try:
        script()
    except Exception:
        if config.debug():
            raise
        number = secrets.token_hex(4).upper()
        log.exception("Erreur %s", number)
        st.error(
            f"Une erreur inattendue est survenue (erreur n° {number}). Rien de ce que vous avez enregistré avant "
            "n'est perdu. Réessayez ; si l'erreur revient, signalez ce numéro au support régional.",
            icon=":material/error:",
        )
