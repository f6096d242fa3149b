"""A part of a page that reruns alone: `st.fragment`, with what every run of app.py does first.

When a widget inside a fragment is used, Streamlit reruns that function only, not app.py: neither the account read
again nor the line of the run's log (components/run_log.py). A page part does both. Its run reads the signed-in account
again, and the data version: signed out, its session ended, its role or territory changed, or the data written since
the page was drawn (what the part shows came from the whole run) — the whole page runs again, which shows the sign-in,
the pages of the new rights or the new data. Its run is logged as `run page=<name> …` (« recherche/resultats »).
Drawn within a whole run, it is that run's work, checked and logged by app.py. Its first argument is the data version
its whole run read (Streamlit reruns a fragment with the arguments of its last whole run).

The Recherche's list of results and the fiche it opens are one: opening an establishment or a unit's fiche reruns the
list, not the criteria, the search and the map (docs/performance.md)."""

from __future__ import annotations

import functools
from collections.abc import Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from components import run_log
from components.data import data_version
from components.session import USER_KEY, current_user


def page_part(name: str) -> Callable[[Callable], Callable]:
    """Decorator: the function, called with the data version first, reruns alone when a widget it drew is used (see
    the module)."""

    def decorate(func: Callable) -> Callable:
        @st.fragment
        @functools.wraps(func)
        def part(version: int, *args, **kwargs):
            ctx = get_script_run_ctx()
            if ctx is None or not ctx.fragment_ids_this_run:  # a whole run: app.py checks the account and logs it
                return func(version, *args, **kwargs)
            started = run_log.start()
            drawn_for = st.session_state.get(USER_KEY)
            user = current_user()
            try:
                if user is None or user is not drawn_for or data_version() != version:
                    st.rerun()  # the whole page, from app.py
                return func(version, *args, **kwargs)
            finally:  # st.rerun passes through: its run is logged too
                run_log.record(name, user.role if user else None, started)

        return part

    return decorate
