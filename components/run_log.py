"""One line in the server's log per script run: the page, the role, the milliseconds on the server's own clock — to see
which page is slow, and for whom, in production as under load. A line reads `run page=recherche role=tutelle ms=61`."""

from __future__ import annotations

import logging
import sys
import time

import streamlit as st

log = logging.getLogger("ror.runs")
if not log.handlers:  # Streamlit configures only its own loggers: these lines go to the server's standard error
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)


def record(page: st.Page | None, role: str | None, started: float) -> None:
    """Log the run begun at `started` (time.perf_counter()) of `page` for a person of `role` (None: signed out)."""
    name = (page.url_path or "accueil") if page is not None else "—"
    log.info("run page=%s role=%s ms=%d", name, role or "anonyme", round((time.perf_counter() - started) * 1000))
