"""One line in the server's log per script run: the page, the role, the milliseconds on the server's own clock, and of
those the milliseconds the run's thread spent computing — to see which page is slow, for whom, and whether it worked or
waited (for the one Python interpreter that every session shares), in production as under load. A line reads
`run page=recherche role=tutelle ms=61 cpu_ms=48`. The thread's time leaves out DuckDB's own worker threads."""

from __future__ import annotations

import logging
import sys
import time
from dataclasses import dataclass

import streamlit as st

log = logging.getLogger("ror.runs")
if not log.handlers:  # Streamlit configures only its own loggers: these lines go to the server's standard error
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


@dataclass(frozen=True)
class Started:
    """When a run began, on the wall clock and on its thread's processor clock."""

    wall: float
    cpu: float


def start() -> Started:
    """The clocks at the beginning of a run (called by the run's own thread)."""
    return Started(time.perf_counter(), time.thread_time())


def record(page: st.Page | str | None, role: str | None, started: Started) -> None:
    """Log the run begun at `started` of `page` — or of a part of a page that reran alone, by its name
    (components/page_part.py) — for a person of `role` (None: signed out)."""
    name = page if isinstance(page, str) else (page.url_path or "accueil") if page is not None else "—"
    wall_ms = round((time.perf_counter() - started.wall) * 1000)
    cpu_ms = round((time.thread_time() - started.cpu) * 1000)
    log.info("run page=%s role=%s ms=%d cpu_ms=%d", name, role or "anonyme", wall_ms, cpu_ms)
