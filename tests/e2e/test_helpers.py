"""The helpers the browser tests and the bench wait with (tests/e2e/helpers.py): the count of the app's runs that
ended, in a real Chromium, without the app — the attribute the app sets, changed as a busy browser draws it."""

from __future__ import annotations

import pytest

from .helpers import RUN_COUNTER

pytestmark = pytest.mark.browser

SET_STATE = """(states) => {  // in one task: the observer sees every change together
  const app = document.querySelector("[data-testid='stApp']");
  for (const state of states) app.setAttribute("data-test-script-state", state);
}"""


def test_every_run_that_ended_is_counted_even_when_drawn_at_once(browser):
    page = browser.new_page()
    page.set_content("<div data-testid='stApp' data-test-script-state='initial'></div>")
    page.add_script_tag(content=RUN_COUNTER)  # as new_page installs it in every page
    runs = []
    for states in (
        ["notRunning"],  # a short first run, its start never drawn
        ["running", "notRunning"],  # a run drawn at once
        ["running"],  # a run under way: not ended
        ["notRunning", "running", "notRunning"],  # that one ended, and another
        ["rerunRequested", "running"],
    ):
        page.evaluate(SET_STATE, states)
        page.wait_for_timeout(50)  # the observer's records are delivered after the task
        runs.append(page.evaluate("window.__rorRuns"))
    assert runs == [1, 2, 2, 4, 4]
