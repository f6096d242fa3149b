"""The real browser and the real server of the e2e tests: Debian's Chromium driven by Playwright, launched once per
module, and `streamlit run app.py` over the module's own copy of the demo database, started once per module (as
Streamlit's own e2e suite does). A test that must read or prepare the database file itself starts its own server
(helpers.streamlit_server): DuckDB lets one process at a time open a file the server writes."""

from __future__ import annotations

import pytest

from .helpers import CHROMIUM_ARGS, copy_database, require_chromium, streamlit_server


@pytest.fixture(scope="module")
def module_browser():
    from playwright.sync_api import sync_playwright

    path = require_chromium()  # skipped without Chromium, or failed when ROR_REQUIRE_BROWSER is set (CI)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser(module_browser):
    """The module's Chromium; the pages a test opened are closed after it."""
    yield module_browser
    for context in module_browser.contexts:
        context.close()


@pytest.fixture(scope="module")
def url(module_browser, demo_db, tmp_path_factory) -> str:
    """The address of the app served over the module's copy of the demo database (its tests share it)."""
    db = copy_database(demo_db, tmp_path_factory.mktemp("e2e"))
    with streamlit_server(db) as url:
        yield url
