"""The benchmark's contract (bench/): one flat report whose keys stay stable, measured on copies — the base
benchmarked is left as it was. Timings themselves are never asserted."""

from __future__ import annotations

import asyncio
import gc
import json
import sys
import tomllib
import types
import weakref

import pytest
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.Block_pb2 import Block
from streamlit.proto.Checkbox_pb2 import Checkbox
from streamlit.proto.Dataframe_pb2 import Dataframe
from streamlit.proto.Delta_pb2 import Delta
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.Exception_pb2 import Exception as ExceptionProto
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.Markdown_pb2 import Markdown
from streamlit.proto.SessionStatus_pb2 import SessionStatus

import bench
from bench import load, pages, protocol, writes
from components import memory
from ror.core.auth import load_user

from .conftest import PROJECT_DIR


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
    from streamlit.testing.v1 import app_test, local_script_runner

    before = (app_test.ScriptCache, local_script_runner.ScriptCache)  # the tests' own shared cache (conftest)
    with pages.compiled_once():
        assert app_test.ScriptCache() is local_script_runner.ScriptCache()  # every run reads one cache
        assert app_test.ScriptCache() is not before[0]()  # the bench's own
    assert (app_test.ScriptCache, local_script_runner.ScriptCache) == before  # put back


def test_the_load_report_names_each_server_error_by_its_exception(tmp_path):
    from bench import load

    log = tmp_path / "serveur.log"
    log.write_text(
        "2026-12-03 ror.runs run page=recherche role=tutelle ms=120 cpu_ms=80\n"
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


def test_the_load_reads_each_run_of_the_server_log_after_its_offset(tmp_path):
    from bench import load

    log = tmp_path / "serveur.log"
    before = "2026-12-03 ror.runs run page=accueil role=anonyme ms=30 cpu_ms=20\n"
    log.write_text(
        before + "2026-12-03 ror.runs run page=recherche role=tutelle ms=612 cpu_ms=49\n"
        "2026-12-03 autre chose ms=5\n"
        "2026-12-03 ror.runs run page=dossier role=tutelle ms=120 cpu_ms=118\n",
        encoding="utf-8",
    )
    assert load._server_runs(log, len(before)) == [("recherche", 612, 49), ("dossier", 120, 118)]


def test_a_failed_journey_names_the_page_it_was_on_without_the_server():
    from bench import load

    assert (
        load._path("http://127.0.0.1:8501/recherche?ou=commune%3A92050&rayon=1")
        == "recherche?ou=commune%3A92050&rayon=1"
    )
    assert load._path("about:blank") == "about:blank"


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


def test_the_server_neither_watches_its_files_nor_collects_garbage_after_every_run():
    """Streamlit's defaults cost the server two thirds of its time per page (docs/performance.md): watching the
    project's folders for each session and every imported module after each run, and a full collection after it."""
    config = tomllib.loads((PROJECT_DIR / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["fileWatcherType"] == "none"
    assert config["runner"]["postScriptGC"] is False


def test_the_objects_of_the_modules_imported_are_frozen_once_and_the_garbage_of_the_moment_collected(monkeypatch):
    """A full collection went through every object of the modules (50 to 100 ms, every session stopped): after a run
    that imported modules, what lives is frozen, what is garbage collected first; nothing more until a new import."""

    class Cycle:
        pass

    monkeypatch.setattr(memory, "_modules_frozen", [len(sys.modules)])
    gc.unfreeze()
    try:
        memory.freeze_imported()  # nothing imported since
        assert gc.get_freeze_count() == 0
        garbage, living = Cycle(), Cycle()
        garbage.me, living.me = garbage, living
        gone = weakref.ref(garbage)
        del garbage
        monkeypatch.setitem(sys.modules, "un_module_neuf", types.ModuleType("un_module_neuf"))
        memory.freeze_imported()
        assert gone() is None  # collected, not frozen
        assert gc.get_freeze_count() > 0
        assert not any(tracked is living for tracked in gc.get_objects())  # frozen: no collection goes through it
        frozen = gc.get_freeze_count()
        memory.freeze_imported()
        assert gc.get_freeze_count() == frozen
    finally:
        gc.unfreeze()


def test_every_run_of_the_app_freezes_what_its_imports_left(app, monkeypatch):
    monkeypatch.setattr(memory, "_modules_frozen", [0])
    gc.unfreeze()
    try:
        app.run()
        assert not app.exception
        assert gc.get_freeze_count() > 0 and memory._modules_frozen[0] == len(sys.modules)
    finally:
        gc.unfreeze()


def test_several_passes_give_the_median_of_each_figure_and_every_pass(monkeypatch):
    """One pass's ratio varies by ± 0.3 at the same code: `--load N --repetitions K` gives each figure's median over
    the K passes, the sum of their errors and each pass's own figures."""

    def one_pass(load_ms, alone_ms, errors, pages):
        figures = {key: load_ms / 2 for key in load.MEDIANS} | {"load_p95_ms": load_ms, "alone_p95_ms": alone_ms}
        return figures | {
            "load_sessions": 20,
            "load_browsers": 2,
            "load_reading_s": 3.0,
            "load_pages": pages,
            "errors": errors,
            "error_details": [f"erreur {n}" for n in range(errors)],
        }

    played = iter(
        [
            one_pass(100.0, 60.0, 0, {"recherche": 90.0, "dossier": 300.0}),
            one_pass(180.0, 62.0, 1, {"recherche": 150.0}),
            one_pass(120.0, 70.0, 0, {"recherche": 95.0, "dossier": 250.0}),
        ]
    )
    monkeypatch.setattr(load, "run_load", lambda *args, **kwargs: next(played))
    found = load.run_passes(PROJECT_DIR / "inutile.duckdb", 20, 3)
    assert (found["load_p95_ms"], found["alone_p95_ms"], found["client_p95_ms"]) == (120.0, 62.0, 60.0)
    assert found["load_pages"] == {"dossier": 275.0, "recherche": 95.0}
    assert (found["errors"], found["error_details"], found["load_sessions"]) == (1, ["erreur 0"], 20)
    assert found["load_passes"] == [
        {"load_p95_ms": 100.0, "alone_p95_ms": 60.0, "errors": 0},
        {"load_p95_ms": 180.0, "alone_p95_ms": 62.0, "errors": 1},
        {"load_p95_ms": 120.0, "alone_p95_ms": 70.0, "errors": 0},
    ]
    assert "100 / 60 · 180 / 62 · 120 / 70" in load.text_report(found).replace(".0", "")


def test_a_person_reads_between_two_actions_and_a_burst_does_not(monkeypatch):
    from bench import load

    waits = []

    async def sleep(seconds):
        waits.append(seconds)

    monkeypatch.setattr(asyncio, "sleep", sleep)
    for reading_s, together in ((2.0, True), (0.0, True), (load.ALONE_READING_S, False)):
        session = load.Session.person(0, reading_s, together)
        asyncio.run(session.arrive())
        asyncio.run(session.read())
    # nothing awaited in a burst; one after the other, each arrives at once and pauses a little
    arrival, pause, alone_pause = waits
    assert 0 <= arrival <= load.ARRIVALS_S and 1.0 <= pause <= 3.0
    assert 0.5 * load.ALONE_READING_S <= alone_pause <= 1.5 * load.ALONE_READING_S


def _forward(**fields) -> bytes:
    return ForwardMsg(**fields).SerializeToString()


def _element(fragment: str = "", **element) -> bytes:
    return _forward(delta=Delta(new_element=Element(**element), fragment_id=fragment))


def _status(running: bool) -> bytes:
    return _forward(session_status_changed=SessionStatus(script_is_running=running))


class _Socket:
    """What the server sends, in order (the protocol's rules only: tests/e2e/test_load.py speaks to a real server)."""

    def __init__(self, messages: list[bytes]) -> None:
        self.messages, self.sent = list(messages), []

    async def send(self, data: bytes) -> None:
        self.sent.append(data)

    async def recv(self) -> bytes:
        return self.messages.pop(0)


def test_a_session_without_a_browser_reads_on_until_the_run_a_run_asked_for_is_over():
    """A fragment's run that finds the data changed asks for the whole page again (components/page_part.py): its end
    is not the end of the click."""
    person = protocol.Session("http://127.0.0.1:1", timeout_s=5)
    person.expanders = [protocol.Widget("e1", "f1")]
    person._socket = _Socket(
        [
            _status(True),
            _forward(script_finished=ForwardMsg.FINISHED_EARLY_FOR_RERUN),
            _status(False),
            _status(True),
            _forward(delta=Delta(add_block=Block(expandable=Block.Expandable(id="e1", label="EG")), fragment_id="f1")),
            _element("f1", dataframe=Dataframe(id="t1")),
            _element(checkbox=Checkbox(id="c1", label="Ouvert maintenant (12)", default=False)),
            _element(markdown=Markdown(body="Semaine type")),
            _forward(script_finished=ForwardMsg.FINISHED_SUCCESSFULLY),
            _status(False),
        ]
    )
    asyncio.run(person.expand_first())
    assert person.tables == [protocol.Widget("t1", "f1")] and person.shows("Semaine type")
    assert person._widget("Ouvert maintenant") == protocol.Widget("c1", "")  # its label ends with a count
    asked = BackMsg.FromString(person._socket.sent[0]).rerun_script  # the expander's part of the page, opened
    assert asked.fragment_id == "f1" and asked.widget_states.widgets[0].bool_value is True


def test_a_session_without_a_browser_says_in_french_what_it_did_not_find_and_what_the_page_showed():
    person = protocol.Session("http://127.0.0.1:1", timeout_s=5)
    with pytest.raises(protocol.ProtocolError, match="pas de « Trier par » dans la page"):
        person._widget("Trier par")
    with pytest.raises(protocol.ProtocolError, match="aucune section dépliable"):
        asyncio.run(person.expand_first())
    with pytest.raises(protocol.ProtocolError, match="aucun tableau sélectionnable"):
        asyncio.run(person.select_first_row())
    shown = ForwardMsg.FromString(_element(exception=ExceptionProto(type="KeyError", message="'x'")))
    asyncio.run(person._read_delta(shown.delta, [], []))
    assert person.errors == ["KeyError : 'x'"]
