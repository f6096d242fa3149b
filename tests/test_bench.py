"""The benchmark's contract (bench/): one flat report whose keys stay stable, measured on copies — the base
benchmarked is left as it was. Timings themselves are never asserted."""

from __future__ import annotations

import json

import bench
from bench import pages, writes
from ror.core.auth import load_user


def test_the_report_has_its_stable_keys_and_reads_in_french(demo_db):
    before = demo_db.stat().st_mtime_ns
    found = bench.measure(demo_db, repetitions=1, with_pages=False)
    assert tuple(found) == bench.KEYS
    assert found["search_queries"] == 100 and found["search_results"] > 0 and found["uo"] > 5000
    assert all(found[key] > 0 for key in bench.KEYS if key.endswith("_ms"))
    json.dumps(found)  # what --format json prints
    text = bench.text_report(found)
    assert "Publication d'un dossier de 400 fiches" in text and "95e centile" in text
    assert demo_db.stat().st_mtime_ns == before  # the publication ran on a copy


def test_a_dossier_of_any_size_is_built_and_published(demo_db):
    assert writes.publication_ms(demo_db, fiches=60) > 0


def test_each_role_is_timed_on_the_pages_of_its_navigation(con):
    def account(login):
        return load_user(
            con, con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
        )

    assert "qualite" not in pages.pages_of(account("directeur"))
    assert {"couverture", "qualite"} <= set(pages.pages_of(account("tutelle93")))
    assert "import_finess" in pages.pages_of(account("admin"))
    assert "import_finess" not in pages.pages_of(account("support"))
    params = pages.page_params(con, account("directeur"))
    assert params["fiche"]["eg"] in account("directeur").finess_eg


def test_the_timed_reruns_compile_the_scripts_once_as_the_server_does():
    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    with pages.compiled_once():
        assert app_test.ScriptCache() is local_script_runner.ScriptCache()  # every run reads one cache
    assert (app_test.ScriptCache, local_script_runner.ScriptCache) == (ScriptCache, ScriptCache)  # put back


def test_the_load_report_names_each_server_error_by_its_exception(tmp_path):
    from bench import load

    log = tmp_path / "serveur.log"
    log.write_text(
        "2026-12-03 ror.runs run page=recherche role=tutelle ms=120\n"
        "Traceback (most recent call last):\n"
        '  File "pages/recherche.py", line 12, in <module>\n'
        "    boom()\n"
        "ZeroDivisionError: division by zero\n"
        "2026-12-03 ror.errors Erreur inattendue sur la page dossier\n",
        encoding="utf-8",
    )
    assert load._server_errors(log) == [
        "serveur : ZeroDivisionError: division by zero",
        "serveur : 2026-12-03 ror.errors Erreur inattendue sur la page dossier",
    ]


def test_a_failed_journey_says_what_it_was_waiting_for():
    from bench import load

    class TimeoutError(Exception):  # named as Playwright names its own
        pass

    failure = TimeoutError(
        "Locator.wait_for: Timeout 120000ms exceeded.\nCall log:\n"
        '  - waiting for get_by_role("dialog").get_by_text("Semaine type") to be visible'
    )
    assert load._what_failed(failure) == (
        "TimeoutError : Locator.wait_for: Timeout 120000ms exceeded. "
        '(- waiting for get_by_role("dialog").get_by_text("Semaine type") to be visible)'
    )
