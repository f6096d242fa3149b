"""One family of errors: everything a person can cause derives from ror.errors.UserError, which the pages catch."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import ror
from ror import accounts, anomalies, dossiers, updates
from ror.errors import Conflict, UserError

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
    assert accounts.Conflict is anomalies.Conflict is dossiers.Conflict is updates.Conflict is Conflict
    assert issubclass(Conflict, UserError)
