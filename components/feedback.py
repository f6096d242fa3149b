"""How a page runs a write of ror/ and tells the result: every French message of a refused action is shown
where the person acted, and what was typed stays."""

from __future__ import annotations

import streamlit as st

from components.text import md
from ror.core.errors import Conflict, UserError


def attempt(action) -> tuple[bool, object]:
    """Run `action`. (True, its result), or (False, the exception) after showing its message(s)."""
    try:
        return True, action()
    except UserError as exc:
        for message in exc.errors.values() if exc.errors else [str(exc)]:
            st.error(md(message))  # a message may quote what was typed
        return False, exc


REFUSED = "action_refusee"  # the message of an action someone else's made impossible, shown after the reload


def act_on_seen_version(action, success: str, seen_key: str) -> None:
    """A change made on the version of a record the page showed (kept under `seen_key`). Done: a toast. When
    someone else acted first, the page reloads the record as it is now and says why nothing was done."""
    done, outcome = attempt(action)
    if not done and not isinstance(outcome, Conflict):
        return
    st.session_state.pop(seen_key, None)
    if done:
        st.toast(success, icon=":material/check:")
    else:
        st.session_state[REFUSED] = str(outcome)
    st.rerun()


def render_refused_action() -> None:
    """The message of an action refused because someone acted first (see act_on_seen_version), once."""
    if message := st.session_state.pop(REFUSED, None):
        st.error(md(message), icon=":material/sync_problem:")


INCOMPLETE_REASON = "Choisissez un motif, et précisez-le pour « Autre »."


def reason_input(label: str, reasons: tuple[str, ...], *, key: str, details: str, long: bool = False) -> str | None:
    """A mandatory reason from a list, with précisions (mandatory for « Autre »): the reason to record, or None
    while it is incomplete. Put it in an `st.form` with its button, so that both reach the server together."""
    reason = st.selectbox(label, reasons, index=None, key=key, placeholder="Choisissez un motif")
    widget = st.text_area if long else st.text_input
    detail = widget(details, key=key + "_precisions", max_chars=1000 if long else 500).strip()
    if reason is None or (reason == "Autre" and not detail):
        return None
    return f"{reason} — {detail}" if detail else reason
