"""« Now » and the instants a person reads: Europe/Paris, timezone-aware. The database stores TIMESTAMPTZ and reads
them in Europe/Paris (ror/core/db.py); a naive instant given to the app (a test's, a command line's) is a Paris time."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

PARIS = ZoneInfo("Europe/Paris")


def now() -> dt.datetime:
    """This instant, in Europe/Paris."""
    return dt.datetime.now(PARIS)


def today() -> dt.date:
    """Today's date in Europe/Paris — not the server's: on a server kept in UTC, the two differ for an hour or two
    every night, and a date d'effet of « today » would be taken for tomorrow's."""
    return now().date()


def shifted(instant: dt.datetime, delta: dt.timedelta) -> dt.datetime:
    """`instant` moved by `delta` of elapsed time, in Europe/Paris. Python adds a timedelta to an aware instant on
    the wall clock: an hour before 03:30 on the last Sunday of March would be 02:30, an hour that never existed
    (polars refuses it); this counts the time that really passes."""
    return (instant.astimezone(dt.UTC) + delta).astimezone(PARIS)


def in_paris(instant: dt.datetime) -> dt.datetime:
    """An instant in Europe/Paris: a naive one is taken as a Paris time (its `fold` tells the October hour that comes
    twice), an aware one is converted."""
    return instant.replace(tzinfo=PARIS) if instant.tzinfo is None else instant.astimezone(PARIS)
