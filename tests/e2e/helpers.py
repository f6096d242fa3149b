"""Start the real app (`streamlit run`) on a free port and drive Debian's Chromium with Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

PROJECT_DIR = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def chromium_path() -> str | None:
    return next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db_path: Path, *, demo: bool = True, cpus: set[int] | None = None):
    """A real `streamlit run serve.py` (app.py and its cookie routes) on a free port, on the processors `cpus` (all by
    default); yields its base URL; stopped afterwards."""
    port = free_port()
    env = {**os.environ, "ROR_DB": str(db_path), "ROR_DEMO": "1" if demo else "0"}
    env.pop("ROR_DEBUG", None)  # as in production: an unexpected error is a French message with its number
    log = open(db_path.with_suffix(".server.log"), "w")  # noqa: SIM115 (closed below)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                time.sleep(0.3)
        else:
            raise RuntimeError("le serveur Streamlit n'a pas démarré en 60 s")
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


# Installed in every page (new_page): counts the script runs that ended (the app's `data-test-script-state` became
# « notRunning »), so that a test waits for the run its action asked for, not for a fixed time. A starved browser may
# draw a short run's start and end at once: the state then goes from « initial » to « notRunning » without ever being
# « running » — a page whose first run ended waited for it for ever (once in sixteen passes of the bench at twenty).
RUN_COUNTER = """
window.__rorLoad = Math.random().toString(36);
window.__rorRuns = 0;
new MutationObserver((records) => {
  records.forEach((record, i) => {  // a record's new value: the next record's old value, or the attribute now
    const next = records.slice(i + 1).find((later) => later.target === record.target);
    const now = next ? next.oldValue : record.target.getAttribute("data-test-script-state");
    if (now === "notRunning" && record.oldValue !== "notRunning") window.__rorRuns += 1;
  });
}).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                      attributeFilter: ["data-test-script-state"]});
"""
SCRIPT_STATE = "document.querySelector(\"[data-testid='stApp']\")?.getAttribute('data-test-script-state')"


def new_page(browser, **options):
    """A page of its own (its own context, hence its own Streamlit session) that counts the app's runs, in a French
    browser (locale fr-FR, Europe/Paris: numbers and dates as the app's users read them)."""
    page = browser.new_page(**({"locale": "fr-FR", "timezone_id": "Europe/Paris"} | options))
    page.add_init_script(RUN_COUNTER)
    return page


def wait_for_app(page, timeout_ms: int = 30_000) -> None:
    """Wait until the run asked by the last action is over: a page just opened, its first run; else a run that
    ended, or that started, since the previous wait (an action that asks for no run costs one second)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    seen = getattr(page, "_ror_seen", ["", 0])
    asked = f"""([load, runs]) => window.__rorLoad !== load ? window.__rorRuns >= 1
        : window.__rorRuns > runs || {SCRIPT_STATE} === 'running'"""
    with contextlib.suppress(PlaywrightTimeout):  # nothing to run
        page.wait_for_function(asked, arg=seen, timeout=1000)
    page.wait_for_function(f"() => window.__rorRuns >= 1 && {SCRIPT_STATE} === 'notRunning'", timeout=timeout_ms)
    _remember_runs(page)


def _remember_runs(page) -> None:
    """Note the page's load and its count of runs, from which the next wait_for_app counts."""
    page._ror_seen = page.evaluate("[window.__rorLoad, window.__rorRuns]")


def click_first_row(page, grid, until, attempts: int = 3) -> None:
    """Click the selection cell of the first row of `grid` (a dataframe that opens something on a click) until `until`
    shows: a click while the grid is still being laid out (an expander opening, a map's frame loading beside it) lands
    beside the row and is lost — seen in CI and under load."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for attempt in range(attempts):
        grid.locator("td[role=gridcell]").first.wait_for(state="attached")  # drawn: a click before is lost
        box = grid.bounding_box()
        page.mouse.click(box["x"] + 15, box["y"] + 52)
        wait_for_app(page)
        try:
            until.wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise


def table_text(page, containing: str | tuple[str, ...] = "", index: int = 0, timeout_s: float = 20) -> str:
    """The text of the cells of the page's `index`-th table (the grid keeps an accessible copy of them in the page),
    once they show `containing` (or one of them): the grid fills its copy a moment after the run that drew it.
    Returns what they show at the timeout otherwise, for the test's assertion to say."""
    wanted = (containing,) if isinstance(containing, str) else containing
    cells = page.get_by_test_id("stDataFrame").nth(index).locator("td[role=gridcell]")
    deadline = time.monotonic() + timeout_s
    while True:
        text = " ".join(cells.all_text_contents())
        if (text and any(w in text for w in wanted)) or time.monotonic() > deadline:
            return text
        page.wait_for_timeout(100)  # a poll: Playwright handles the page's events meanwhile


def sign_in(page, url: str, login: str, to: str = "") -> None:
    """Open the app and sign in with the demo account's button (ROR_DEMO=1): on the tableau de bord, or on the page
    `to` (its address after the app's, with its query), where the sign-in leads as it does from a shared link —
    the tableau de bord and its map are not drawn for nothing (seconds of a software-rendered browser)."""
    page.goto(f"{url}/{to}")
    wait_for_app(page)
    page.get_by_role("button", name=f"Se connecter ({login})").click()
    wait_for_app(page)
    if to:  # the page of the link, drawn and at rest: a click before the end of its run is lost
        path = "/" + to.split("?")[0]
        page.wait_for_function(
            f"path => location.pathname.endsWith(path) && {SCRIPT_STATE} === 'notRunning'", arg=path, timeout=30_000
        )
        _remember_runs(page)


def click(page, locator) -> None:
    """Click, then wait for the run it asks for."""
    locator.click()
    wait_for_app(page)


def sign_out(page) -> None:
    """Sign out and wait for the sign-in form: a reload keeps the session (its cookie) until the server has ended it."""
    click(page, page.get_by_role("button", name="Se déconnecter"))
    page.get_by_role("heading", name="Connexion").wait_for()


def wait_for_log(log: Path, line: str, more_than: int, timeout_s: float = 20) -> None:
    """Wait until the server's log holds `line` more than `more_than` times. A page part that finds the account or the
    data changed ends early and asks for the whole page (components/page_part.py): between the two runs the browser
    shows the app idle for a moment, so wait_for_app may return before the whole run has started."""
    deadline = time.monotonic() + timeout_s
    while (seen := log.read_text(encoding="utf-8").count(line)) <= more_than:
        if time.monotonic() > deadline:
            raise AssertionError(
                f"{line!r} : {seen} fois au journal du serveur en {timeout_s:.0f} s, plus de {more_than} attendu"
            )
        time.sleep(0.1)


def copy_database(source: Path, target_dir: Path) -> Path:
    target = target_dir / "ror.duckdb"
    shutil.copy(source, target)
    return target


def require_chromium() -> str:
    """Chromium's path; without it the module's tests are skipped, or fail when ROR_REQUIRE_BROWSER is set (CI)."""
    import pytest

    path = chromium_path()
    if path is None:
        reason = "Chromium absent (/usr/bin/chromium) : tests navigateur ignorés — installez le paquet Debian chromium."
        if os.environ.get("ROR_REQUIRE_BROWSER"):
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason, allow_module_level=True)
    return path


def record_outside_requests(page) -> list[str]:
    """The list, filled as the page runs, of the requests it sends to any host but this machine."""
    outside: list[str] = []
    page.on(
        "request",
        lambda r: (
            urlparse(r.url).hostname not in ("127.0.0.1", "localhost", None)
            and not r.url.startswith(("data:", "blob:", "about:"))
            and outside.append(r.url)
        ),
    )
    return outside


SCREENSHOTS = Path(__file__).parent / "screenshots"


def screenshot(page, name: str, *, full_page: bool = True, map_shown: bool = False) -> None:
    """With ROR_SCREENSHOTS=1, keep the page as tests/e2e/screenshots/<name>.png, to look at (a test never reads it
    back); without, nothing: a full-page capture of a map costs seconds in a software-rendered browser. A WebGL or
    Leaflet canvas gives the page no sign that it has painted: before the capture of a map (map_shown), the e2e
    tests' one fixed pause, half a second."""
    if not os.environ.get("ROR_SCREENSHOTS"):
        return
    if map_shown:
        page.wait_for_timeout(500)
    path = SCREENSHOTS / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path), full_page=full_page)
