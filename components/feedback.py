"""How a page runs a write of ror/ and tells the result: every French message of a refused action is shown
where the person acted, and what was typed stays."""

from __future__ import annotations

import streamlit as st

from ror import updates
from ror.anomalies import AnomalyError
from ror.dossiers import DossierError
from ror.permissions import PermissionDenied
from ror.validation import ValidationError

FAILURES = (
    ValidationError,
    PermissionDenied,
    DossierError,
    AnomalyError,
    updates.Conflict,
    updates.StructuralChange,
)


def attempt(action) -> tuple[bool, object]:
    """Run `action`. (True, its result), or (False, the exception) after showing its message(s)."""
    try:
        return True, action()
    except FAILURES as exc:
        errors = getattr(exc, "errors", None)
        for message in errors.values() if errors else [str(exc)]:
            st.error(message)
        return False, exc
