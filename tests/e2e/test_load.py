"""Real server, several people at once (bench/load.py, `python -m ror bench --load N`): two sessions — one in a
browser, one speaking Streamlit's protocol without one (bench/protocol.py) — search, refine, sort and open a fiche
while a tutelle validates a dossier that is published at once — no error on any page nor in the server's log, and
every run logged by the server with its page, role and milliseconds."""

from __future__ import annotations

import pytest

from bench import load

from .helpers import require_chromium

pytestmark = pytest.mark.browser


def test_two_sessions_and_a_validation_at_once_without_error(demo_db):
    require_chromium()
    before = demo_db.stat().st_mtime_ns
    # a burst: the hardest case
    found = load.run_load(demo_db, 2, reading_s=0, warm_up=False, browsers=1)
    assert found["errors"] == 0, found["error_details"]
    assert found["load_browsers"] == 1 and found["client_p95_ms"] > 0
    assert found["load_runs"] >= 2 * 7 + 3  # every action of each journey, and the tutelle's
    # opening an establishment and a unit's fiche reruns the list of results alone (components/page_part.py)
    assert set(found["load_pages"]) == {"recherche", "recherche/resultats", "dossier"}
    assert found["load_p95_ms"] > 0 and found["alone_p95_ms"] > 0 and found["browser_p95_ms"] > 0
    assert 0 < found["load_cpu_p95_ms"] <= found["load_p95_ms"] + 1  # each run computes at most as long as it lasts
    assert found["alone_cpu_p95_ms"] > 0
    assert found["alone_runs"] >= 2 * 7 + 3  # the same scenario, one person after the other
    assert found["load_reading_s"] == 0
    assert "toutes les actions d'affilée" in load.text_report(found)
    assert demo_db.stat().st_mtime_ns == before  # all of it on a copy
