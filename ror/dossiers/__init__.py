"""Dossiers collaboratifs: a draft copy of an EG and its UO (drafts.py), its life from brouillon to publication
(workflow.py) and what it changes, as the tutelle reviews it (review.py). The rules a draft is checked against:
validation.py (fields), naming.py (unit names); the notifications it sends: notifications.py.

`from ror import dossiers` gives the actions below, so that a page reads `dossiers.send(…)`.
"""

from ror.dossiers.drafts import (
    EG_FIELDS,
    LIST_STATES,
    OPEN_STATES,
    REFUSED_TO_FIX,
    STATUS_LABELS,
    UO_FIELDS,
    DossierError,
    add_uo,
    close_uo,
    duplicate_uo,
    mandatory_codes,
    missing_fields,
    rename,
    reopen_uo,
    save_fiche,
)
from ror.dossiers.review import diff
from ror.dossiers.workflow import (
    REFUSAL_REASONS,
    can_see,
    comment,
    create,
    create_or_open,
    open_one,
    publish_due,
    refuse,
    send,
    validate,
)

__all__ = [
    "EG_FIELDS",
    "LIST_STATES",
    "OPEN_STATES",
    "REFUSAL_REASONS",
    "REFUSED_TO_FIX",
    "STATUS_LABELS",
    "UO_FIELDS",
    "DossierError",
    "add_uo",
    "can_see",
    "close_uo",
    "comment",
    "create",
    "create_or_open",
    "diff",
    "duplicate_uo",
    "mandatory_codes",
    "missing_fields",
    "open_one",
    "publish_due",
    "refuse",
    "rename",
    "reopen_uo",
    "save_fiche",
    "send",
    "validate",
]
