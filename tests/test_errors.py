"""One family of errors: everything a person can cause derives from ror.core.errors.UserError, which the pages catch."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ror
from ror.administration import accounts
from ror.core.errors import Conflict, UserError
from ror.repertoire import updates

# Not caused by what someone typed: the database file held by another process or unreadable (the command line and
# components/data.py say so in French).
OUTSIDE_THE_FAMILY = {"DatabaseLocked", "DatabaseUnreadable"}


def test_every_error_of_ror_is_a_user_error():
    found = {}
    for module in pkgutil.walk_packages(ror.__path__, "ror."):
        if module.name.endswith("__main__"):
            continue  # it runs the command line
        for name, cls in inspect.getmembers(importlib.import_module(module.name), inspect.isclass):
            if issubclass(cls, Exception) and cls.__module__.startswith("ror."):
                found[f"{cls.__module__}.{name}"] = cls
    assert len(found) > 15
    strays = [
        name for name, cls in found.items() if not issubclass(cls, UserError) and cls.__name__ not in OUTSIDE_THE_FAMILY
    ]
    assert strays == []


def test_one_conflict_for_every_record():
    from ror.anomalies import triage
    from ror.dossiers import workflow

    assert accounts.Conflict is triage.Conflict is workflow.Conflict is updates.Conflict is Conflict
    assert issubclass(Conflict, UserError)
