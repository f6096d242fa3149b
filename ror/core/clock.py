"""« Now » and the instants a person reads: Europe/Paris, timezone-aware. The database stores TIMESTAMPTZ and reads
them in Europe/Paris (ror/core/db.py); a naive instant given to the app (a test's, a command line's) is a Paris time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> dt.datetime:
    """This instant, in Europe/Paris."""
    return dt.datetime.now(PARIS)


def in_paris(instant: dt.datetime) -> dt.datetime:
    """An instant in Europe/Paris: a naive one is taken as a Paris time (its `fold` tells the October hour that comes
    twice), an aware one is converted."""
    return instant.replace(tzinfo=PARIS) if instant.tzinfo is None else instant.astimezone(PARIS)
