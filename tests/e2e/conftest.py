"""The real browser of the e2e tests: Debian's Chromium driven by Playwright, one per test module (each test starts
its own `streamlit run` over its own copy of the demo database: tests/e2e/helpers.streamlit_server)."""

from __future__ import annotations

import pytest

from .helpers import CHROMIUM_ARGS, require_chromium


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
