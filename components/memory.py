"""Python's collector of garbage cycles, which stops every session while it runs.

Python looks for cycles as objects are allocated; now and then it goes through every object in memory: the modules of
Streamlit, polars, folium and the app — about 190,000 objects, 50 to 100 ms on a two-core machine — during which no
other session's run goes on (one interpreter for all). The objects that live as long as the server, above all the
modules, are frozen once imported (`gc.freeze`): the collector then goes through the others only (docs/performance.md).
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_frozen = [0]  # how many modules were imported when the objects were last frozen


def freeze_imported() -> None:
    """If modules were imported since the last time (the first run of a kind of page imports its own): collect the
    garbage, then freeze what lives (one full collection then, a few times in the life of the server; then none that
    goes through them). What a run holds at that moment is frozen too: a cycle it leaves when it ends stays in memory —
    a few sessions' worth, once per set of modules, against a full collection every few hundred runs."""
    if len(sys.modules) == _modules_frozen[0]:
        return
    with _lock:
        if len(sys.modules) == _modules_frozen[0]:
            return
        gc.collect()
        gc.freeze()
        _modules_frozen[0] = len(sys.modules)
