"""The synchronisation feed: every day at 18:00 (Paris), the FHIR Bundle of what was published since the previous
feed is written to a folder, so that a daily job of another system picks up the changes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from ror.administration.offer_export import ExportScope, file_name, instant_text, load, parse_instant, render
from ror.core import audit, db

FEED_SETTING = "flux_dernier_instant"  # the `until` of the last feed written: the `since` of the next one
FEED_TIME = dt.time(18, 0)


def last_feed_time(now: dt.datetime) -> dt.datetime:
    """The latest 18:00 at or before `now` (Paris local time)."""
    today = dt.datetime.combine(now.date(), FEED_TIME)
    return today if now >= today else today - dt.timedelta(days=1)


def feed_due(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> bool:
    """Whether the feed of the latest 18:00 is still to be written. The first call only starts the chain (the
    feed then holds what is published from that moment on)."""
    last = db.get_setting(con, FEED_SETTING)
    if last is None:
        with db.transaction(con):
            db.set_setting(con, FEED_SETTING, instant_text(now))
        return False
    return parse_instant(last) < last_feed_time(now)


def write_feed(con: duckdb.DuckDBPyConnection, folder: Path, now: dt.datetime) -> Path:
    """Write the FHIR Bundle of what was published since the previous feed into `folder`, and move the chain on."""
    since = parse_instant(db.get_setting(con, FEED_SETTING) or instant_text(now - dt.timedelta(days=1)))
    offer = load(con, None, ExportScope(), since=since, until=now)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(offer, "fhir")
    path.write_bytes(render(offer, "fhir"))
    with db.transaction(con):
        db.set_setting(con, FEED_SETTING, instant_text(now))
        audit.record(
            con,
            "flux-quotidien",
            "flux.publier",
            "FLUX",
            path.name,
            {"depuis": instant_text(since)},
            {"jusqu_a": instant_text(now), "ej": offer.ej.height, "eg": offer.eg.height, "uo": offer.uo.height},
        )
    return path


def feed_status(
    con: duckdb.DuckDBPyConnection, folder: Path, latest: int = 10
) -> tuple[dt.datetime | None, list[Path]]:
    """The end of the last feed (None before the first) and the latest feed files of `folder`, newest first."""
    last = db.get_setting(con, FEED_SETTING)
    files = sorted(folder.glob("ror-idf-flux-*.json"), reverse=True) if folder.is_dir() else []
    return (parse_instant(last) if last else None), files[:latest]
