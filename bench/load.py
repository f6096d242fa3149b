"""Many people at once: the real server (`streamlit run`, as in tests/e2e) on a copy of the base, and real sessions
that each open a shared search link, sign in, refine the search (open now, and back), sort it, open an establishment
found and a unit's fiche — while one tutelle validates a dossier, published at once (its date d'effet is set to today
on the copy).

A few of the N are real browsers (Chromium contexts driven by Playwright: `browsers`, 2 by default); the others speak
Streamlit's own protocol over its WebSocket, without drawing (bench/protocol.py): twenty Chromium on the one core left
to them take 20 to 30 s to draw a click, and send the clicks of several people in the same tenth of a second after
seconds of silence — bursts of runs no group of people on their own computers sends (docs/performance.md, 05/12/2026).

People read what they asked for before their next click: each pauses `reading_s` seconds on average between two
actions (drawn between half and one and a half times that, the same for every run of the bench), and the N arrive
within the first ARRIVALS_S seconds. With `reading_s=0` every action follows the previous one at once and the N start
at the same instant: a burst, N robots rather than N people (docs/performance.md compares both).

The server's own clock judges it: every script run logs `run page=… role=… ms=…` (components/run_log.py), read back
from the server's log. The scenario is played twice, each time on a copy of the base and a server of its own, after
the same warm-up: first one person after the other (the tutelle's validation after the first half), then all at once —
the same runs alone and together, the same searches first read and read again after the publication.
The server runs on the first processor and the browsers on the others, at the lowest priority (`taskset`,
`nice 19`), as if on the people's own computers — with the bench's own client (this process and the Playwright driver
it starts) — so that the server's clock counts its own work rather than the cores the browsers and their driver
took; their times (an action → its run drawn, or received without a browser) are reported too, not judged."""

from __future__ import annotations

import asyncio
import contextlib
import os
import random
import re
import shlex
import shutil
import statistics
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from bench import p95, protocol
from bench.base import private_copy
from ror.core import db
from tests.e2e.helpers import CHROMIUM_ARGS, RUN_COUNTER, SCRIPT_STATE, chromium_path, streamlit_server

LOGINS = ("support", "tutelle93", "directeur", "referent", "admin")
SEARCHES = (  # (commune, term): a shared link to the Recherche page
    ("94028", "dialyse"),
    ("75056", "psychiatrie"),
    ("78646", "ehpad"),
    ("77284", "smr"),
    ("95127", "ime"),
    ("93066", "autisme"),
    ("92050", "accueil de jour"),
    ("77288", "sessad"),
    ("93008", "ehpad"),
    ("91223", "smr"),
)
RUN_LINE = re.compile(r"ror\.runs run page=(\S+) role=(\S+) ms=(\d+) cpu_ms=(\d+)")
TIMEOUT_MS = 120_000
RAYON_KM = 40  # the radius of every search of the scenario
WARM_UP_RAYON_KM = 20  # the warm-up's: none of its searches is read again by the scenario
_CPUS = sorted(os.sched_getaffinity(0))
# The server on the first processor, the browsers on the others (on a machine with one, they share it)
SERVER_CPUS = {_CPUS[0]}
BROWSER_CPUS = set(_CPUS[1:]) or SERVER_CPUS
READING_S = 3.0  # a person's mean pause between two actions (reading the results, the fiche)
ARRIVALS_S = 10.0  # the N people start within that many seconds (reading_s > 0)
ALONE_READING_S = 0.3  # one after the other: what an action asks besides its run (the page's files, the map's frame)
# is over before the next action
BROWSERS = 2  # of the N, real browsers (the others without one: bench/protocol.py)


@dataclass
class Session:
    reading_s: float = 0.0
    rng: random.Random = field(default_factory=random.Random)
    arrivals_s: float = 0.0  # starts within that many seconds
    browser_ms: list[float] = field(default_factory=list)  # each action until its run is drawn
    client_ms: list[float] = field(default_factory=list)  # without a browser: until the run's end is received
    errors: list[str] = field(default_factory=list)

    @classmethod
    def person(cls, number: int, reading_s: float, together: bool) -> Session:
        """The `number`-th person of a phase, with draws of its own (the same from one run of the bench to the next):
        all together, arriving within ARRIVALS_S seconds (at the same instant in a burst); else at once, one after
        the other."""
        return cls(reading_s, random.Random(number), ARRIVALS_S if together and reading_s else 0.0)

    async def arrive(self) -> None:
        """Wait until this person starts (at once in a burst, or one after the other)."""
        if self.arrivals_s:
            await asyncio.sleep(self.rng.uniform(0, self.arrivals_s))

    async def read(self) -> None:
        """The pause of a person reading before the next action (none in a burst)."""
        if self.reading_s:
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * self.reading_s)


def run_load(
    path: Path, sessions: int, reading_s: float = READING_S, warm_up: bool = True, browsers: int = BROWSERS
) -> dict:
    """The figures of the scenario (keys: load_sessions, load_browsers, load_reading_s, load_p95_ms, alone_p95_ms,
    load_cpu_p95_ms, alone_cpu_p95_ms (of those milliseconds, the ones the run's thread computed), browser_p95_ms,
    browser_alone_p95_ms, client_p95_ms (the sessions without a browser), load_runs, alone_runs, load_pages (page →
    server p95), errors, error_details (with, when something went wrong, where the server's log is kept)).
    `browsers` of the `sessions` are real browsers. « alone »: the same scenario, one person after the other (see the
    module). Without `warm_up` (the tests), the first journey fills the caches that every session shares."""
    browsers = min(browsers, sessions)
    if chromium_path() is None:
        raise RuntimeError("Chromium absent (/usr/bin/chromium) : installez le paquet Debian chromium.")
    alone, alone_runs, alone_errors, alone_log = _played(path, sessions, browsers, ALONE_READING_S, warm_up, False)
    crowd, crowd_runs, crowd_errors, crowd_log = _played(path, sessions, browsers, reading_s, warm_up, True)
    errors = [e for s in alone + crowd for e in s.errors] + alone_errors + crowd_errors
    crowd_pages = sorted({run.page for run in crowd_runs})
    return {
        "load_sessions": sessions,
        "load_browsers": browsers,
        "load_reading_s": reading_s,
        "load_p95_ms": _p95([run.ms for run in crowd_runs]),
        "alone_p95_ms": _p95([run.ms for run in alone_runs]),
        "load_cpu_p95_ms": _p95([run.cpu_ms for run in crowd_runs]),
        "alone_cpu_p95_ms": _p95([run.cpu_ms for run in alone_runs]),
        "browser_p95_ms": _p95([ms for s in crowd for ms in s.browser_ms]),
        "browser_alone_p95_ms": _p95([ms for s in alone for ms in s.browser_ms]),
        "client_p95_ms": _p95([ms for s in crowd for ms in s.client_ms]),
        "load_runs": len(crowd_runs),
        "alone_runs": len(alone_runs),
        "load_pages": {page: _p95([run.ms for run in crowd_runs if run.page == page]) for page in crowd_pages},
        "errors": len(errors),
        "error_details": errors[:10] + alone_log + crowd_log,
    }


MEDIANS = ("load_p95_ms", "alone_p95_ms", "load_cpu_p95_ms", "alone_cpu_p95_ms", "browser_p95_ms")
MEDIANS += ("browser_alone_p95_ms", "client_p95_ms", "load_runs", "alone_runs")  # of several passes


def run_passes(path: Path, sessions: int, passes: int, reading_s: float = READING_S, browsers: int = BROWSERS) -> dict:
    """`run_load` played `passes` times (each phase of each on a fresh copy of the base): each figure is the median of
    the passes, `errors` their sum; `load_passes` gives each pass's load_p95_ms, alone_p95_ms and errors — on a
    two-core machine the ratio of one pass varies by ± 0.3 at the same code (docs/performance.md)."""
    found = [run_load(path, sessions, reading_s=reading_s, browsers=browsers) for _ in range(passes)]
    pages = sorted({page for one in found for page in one["load_pages"]})
    merged = found[0] | {key: statistics.median(one[key] for one in found) for key in MEDIANS}
    merged["load_pages"] = {
        p: statistics.median(one["load_pages"][p] for one in found if p in one["load_pages"]) for p in pages
    }
    merged["errors"] = sum(one["errors"] for one in found)
    merged["error_details"] = [detail for one in found for detail in one["error_details"]]
    merged["load_passes"] = [{key: one[key] for key in ("load_p95_ms", "alone_p95_ms", "errors")} for one in found]
    return merged


def _played(
    path: Path, sessions: int, browsers: int, reading_s: float, warm_up: bool, together: bool
) -> tuple[list[Session], list[Run], list[str], list[str]]:
    """The scenario on a copy of the base and a server of its own (`together`: all at once; else one after the other):
    its sessions, the runs the server logged, the errors in its log — and, when something went wrong, where that log
    is kept (the copy is removed)."""
    with private_copy(path) as copy:
        log = copy.with_suffix(".server.log")
        dossier = _dossier_to_validate(copy)
        with streamlit_server(copy, cpus=SERVER_CPUS) as url, on_cpus(BROWSER_CPUS):
            if warm_up:  # what every session shares (boundaries…)
                asyncio.run(_journeys(url, range(1), 1, WARM_UP_RAYON_KM, None, 0, together=False))
            offset = log.stat().st_size
            found = asyncio.run(_journeys(url, range(sessions), browsers, RAYON_KM, dossier, reading_s, together))
        errors, logs = _server_errors(log), []
        if errors or any(s.errors for s in found):
            kept = Path(tempfile.mkdtemp(prefix="ror-load-")) / log.name
            shutil.copy(log, kept)
            logs.append(f"journal du serveur ({'à la fois' if together else 'l’un après l’autre'}) : {kept}")
        return found, _server_runs(log, offset), errors, logs


def _dossier_to_validate(path: Path) -> int | None:
    """A dossier waiting for validation that tutelle-pc may decide, to be published as soon as validated (set on the
    copy before the server holds it)."""
    con = db.connect(path)
    try:
        found = con.sql(
            "SELECT min(d.dossier_id) FROM dossier d JOIN eg USING (finess_eg) "
            "JOIN user_territoire USING (departement) JOIN app_user u USING (user_id) "
            "WHERE d.statut = 'en_validation' AND u.login = 'tutelle-pc'"
        ).fetchall()[0][0]
        con.execute("UPDATE dossier SET date_effet = current_date WHERE dossier_id = $d", {"d": found})
        return found
    finally:
        con.close()


async def _journeys(
    url: str, journeys, browsers: int, rayon: int, dossier: int | None, reading_s: float, together: bool
) -> list[Session]:
    """The search journeys numbered `journeys` and the validation of `dossier`, if any: `together`, all at once,
    arriving within ARRIVALS_S seconds (at the same instant in a burst); else one after the other, the validation
    after the first half. Each person pauses `reading_s` seconds on average between two actions (the same draws from
    one run of the bench to the next); the first `browsers` in a browser, the others without (bench/protocol.py)."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        with low_priority(chromium_path()) as chromium:
            browser = await playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            found = [Session.person(i, reading_s, together) for i in range(len(journeys) + (dossier is not None))]
            work = [
                _search_journey(browser, url, n, rayon, found[i])
                if i < browsers
                else _protocol_journey(url, n, rayon, found[i])
                for i, n in enumerate(journeys)
            ]
            if dossier is not None:
                work.insert(len(work) if together else len(work) // 2, _validation(browser, url, dossier, found[-1]))
            if together:
                await asyncio.gather(*work)
            else:
                for one in work:
                    await one
            return found
        finally:
            await browser.close()


async def _search_journey(browser, url: str, n: int, rayon: int, session: Session) -> None:
    commune, term = SEARCHES[n % len(SEARCHES)]
    await session.arrive()
    page = await _new_page(browser)
    try:
        await _timed(session, page, page.goto(f"{url}/recherche?ou=commune:{commune}&q={term}&rayon={rayon}"))
        login = LOGINS[n % len(LOGINS)]
        await session.read()
        await _timed(session, page, page.get_by_role("button", name=f"Se connecter ({login})").click())
        await page.get_by_text("établissement(s)").first.wait_for(timeout=TIMEOUT_MS)
        # the sign-in asks for a second run (back to the shared link's page): a person sees the filters drawn, and
        # the page at rest, before clicking one
        await page.get_by_text("Ouvert maintenant").first.wait_for(timeout=TIMEOUT_MS)
        await page.wait_for_function(f"() => {SCRIPT_STATE} === 'notRunning'", timeout=TIMEOUT_MS)
        for _ in range(2):  # refine to what is open now, then back (at night nothing may be)
            await session.read()
            await _timed(session, page, page.get_by_text("Ouvert maintenant").first.click())
        await session.read()
        await _timed(session, page, page.get_by_text("Pertinence", exact=True).first.click())
        await session.read()
        await _timed(session, page, page.locator("[data-testid='stExpander'] summary").first.click())
        grid = page.get_by_test_id("stDataFrame").first
        await grid.wait_for(timeout=TIMEOUT_MS)
        await grid.locator("td[role=gridcell]").first.wait_for(state="attached")  # drawn: a click before is lost
        box = await grid.bounding_box()
        await session.read()
        await _timed(session, page, page.mouse.click(box["x"] + 15, box["y"] + 52))  # a unit: its fiche
        await page.get_by_role("dialog").get_by_text("Semaine type").wait_for(timeout=TIMEOUT_MS)
        await _check(page, session)
    except Exception as exc:  # a timeout, a missing element: counted, the others go on (the page's address says
        # what the session was looking at: its criteria are in it)
        session.errors.append(f"session {n} : {_what_failed(exc)} — {_path(page.url)}")
    finally:
        await page.context.close()


async def _protocol_journey(url: str, n: int, rayon: int, session: Session) -> None:
    """The same journey without a browser: what its page would send the server, and the server's answers."""
    commune, term = SEARCHES[n % len(SEARCHES)]
    await session.arrive()
    async with protocol.Session(url, TIMEOUT_MS / 1000) as person:
        try:
            await person.fetch_page_files()
            await _answered(session, person.open(f"recherche?ou=commune:{commune}&q={term}&rayon={rayon}"))
            await session.read()
            await _answered(session, person.click(f"Se connecter ({LOGINS[n % len(LOGINS)]})"))
            _expect(person, "établissement(s)", session, n)
            for _ in range(2):  # refine to what is open now, then back
                await session.read()
                await _answered(session, person.switch("Ouvert maintenant"))
            await session.read()
            await _answered(session, person.choose("Trier par", "Pertinence"))
            await session.read()
            await _answered(session, person.expand_first())
            await session.read()
            await _answered(session, person.select_first_row())  # a unit: its fiche
            _expect(person, "Semaine type", session, n)
        except Exception as exc:  # the same as in a browser: counted, the others go on
            session.errors.append(f"session {n} (sans navigateur) : {_what_failed(exc)}")
        session.errors.extend(f"session {n} (sans navigateur) : {error}" for error in person.errors)


def _expect(person: protocol.Session, text: str, session: Session, n: int) -> None:
    if not person.shows(text):
        session.errors.append(f"session {n} (sans navigateur) : « {text} » absent de la page")


async def _validation(browser, url: str, dossier: int, session: Session) -> None:
    await session.arrive()
    page = await _new_page(browser)
    try:
        await _timed(session, page, page.goto(f"{url}/dossier?dossier={dossier}"))
        await session.read()
        await _timed(session, page, page.get_by_role("button", name="Se connecter (tutelle-pc)").click())
        await session.read()
        await _timed(session, page, page.get_by_role("button", name="Valider le dossier").click())
        await page.get_by_text("Publié", exact=True).first.wait_for(timeout=TIMEOUT_MS)
        await _check(page, session)
    except Exception as exc:
        session.errors.append(f"validation : {_what_failed(exc)}")
    finally:
        await page.context.close()


@contextlib.contextmanager
def on_cpus(cpus: set[int]):
    """The bench's client side on `cpus` while it lasts: the calling thread, and the processes it starts (Playwright's
    driver, which took ≈ 12 s of processor per passage at twenty, on whichever core was free — often the server's)."""
    before = os.sched_getaffinity(0)
    os.sched_setaffinity(0, cpus)
    try:
        yield
    finally:
        os.sched_setaffinity(0, before)


@contextlib.contextmanager
def low_priority(executable: str):
    """An executable that runs `executable` on the browsers' processors at the lowest CPU priority (a script in a
    temporary folder). As root, Chromium would raise some of its threads' priority again (nice -8): it runs without
    the right to (CAP_SYS_NICE)."""
    command = f"nice -n 19 {shlex.quote(executable)}"
    if os.geteuid() == 0 and shutil.which("setpriv"):
        command = f"nice -n 19 setpriv --bounding-set -sys_nice --inh-caps -sys_nice {shlex.quote(executable)}"
    if shutil.which("taskset"):
        command = f"taskset -c {','.join(map(str, sorted(BROWSER_CPUS)))} {command}"
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "chromium-nice"
        script.write_text(f'#!/bin/sh\nexec {command} "$@"\n', encoding="utf-8")
        script.chmod(0o755)
        yield str(script)


def _path(url: str) -> str:
    """The address of a page without the server's: its path and its query."""
    return url.split("/", 3)[-1] if url.startswith("http") else url


def _what_failed(exc: Exception) -> str:
    """The error's first line, and for a Playwright timeout what it was waiting for (its call log)."""
    lines = str(exc).splitlines() or [""]
    waited = next((line.strip() for line in lines if "waiting for" in line), "")
    return f"{type(exc).__name__} : {lines[0][:200]}" + (f" ({waited[:200]})" if waited else "")


async def _new_page(browser):
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)  # an overloaded machine is slow, not wrong
    await page.add_init_script(RUN_COUNTER)
    return page


async def _timed(session: Session, page, action) -> None:
    """Do the action, then wait until the run it asked for is drawn (tests/e2e/helpers.wait_for_app); its time."""
    started = time.perf_counter()
    runs = await page.evaluate("window.__rorRuns ?? 0") if page.url.startswith("http") else 0
    await action
    asked = f"([runs]) => window.__rorRuns > runs || {SCRIPT_STATE} === 'running'"
    with contextlib.suppress(Exception):  # an action that asked for no run
        await page.wait_for_function(asked, arg=[runs], timeout=2_000)
    await page.wait_for_function(f"() => window.__rorRuns >= 1 && {SCRIPT_STATE} === 'notRunning'", timeout=TIMEOUT_MS)
    session.browser_ms.append((time.perf_counter() - started) * 1000)


async def _answered(session: Session, action) -> None:
    """Do the action of a session without a browser; its time until the end of the run(s) it asked for is received."""
    started = time.perf_counter()
    await action
    session.client_ms.append((time.perf_counter() - started) * 1000)


async def _check(page, session: Session) -> None:
    shown = await page.get_by_test_id("stException").count()
    if shown:
        session.errors.append(f"{shown} erreur(s) affichée(s) sur {page.url}")


class Run(NamedTuple):
    """A script run as the server logged it: its page, its milliseconds, and those its thread computed."""

    page: str
    ms: float
    cpu_ms: float


def _server_runs(log: Path, offset: int) -> list[Run]:
    """Each script run the server logged since `offset`."""
    with log.open(encoding="utf-8", errors="replace") as lines:
        lines.seek(offset)
        return [Run(m[1], float(m[3]), float(m[4])) for line in lines if (m := RUN_LINE.search(line))]


def _server_errors(log: Path) -> list[str]:
    """What went wrong in the server's log: its unexpected errors, and of each traceback its last line (the
    exception and its message)."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    found = []
    for at, line in enumerate(lines):
        if "Erreur inattendue" in line:
            found.append(line)
        elif line.startswith("Traceback"):
            found.append(next((end for end in lines[at + 1 :] if end and not end[0].isspace()), line))
    return [f"serveur : {line[:200]}" for line in found]


def _reading(seconds: float) -> str:
    if not seconds:
        return "toutes les actions d'affilée, arrivées au même instant"
    return f"{seconds:g} s de lecture en moyenne entre deux actions, arrivées en {ARRIVALS_S:g} s".replace(".", ",")


def _p95(values: list[float]) -> float | None:
    return p95(values) if values else None


def text_report(found: dict) -> str:
    """The figures for a person, in French."""
    lines = [
        f"{found['load_sessions']} sessions à la fois, dont {found['load_browsers']} dans un navigateur (les autres "
        f"sans, par le protocole de Streamlit), et une tutelle qui valide un dossier ; "
        f"{_reading(found['load_reading_s'])} : "
        f"{found['load_runs']} exécutions de page, 95e centile côté serveur {found['load_p95_ms']} ms "
        f"(les mêmes, une personne après l'autre : {found['alone_p95_ms']} ms)",
        f"Dont calcul du fil de l'exécution (le reste est de l'attente) : 95e centile {found['load_cpu_p95_ms']} ms à "
        f"{found['load_sessions']}, {found['alone_cpu_p95_ms']} ms seul",
        f"Côté navigateur (action → page redessinée) : 95e centile {found['browser_p95_ms']} ms à "
        f"{found['load_sessions']}, {found['browser_alone_p95_ms']} ms seul ; sans navigateur (action → fin de "
        f"l'exécution reçue) : {found['client_p95_ms']} ms",
        "Par page, à plusieurs (95e centile, ms) : " + ", ".join(f"{p} {ms}" for p, ms in found["load_pages"].items()),
        "95e centile de chaque passage (à plusieurs / seul, ms ; ci-dessus leur médiane) : "
        + " · ".join(f"{one['load_p95_ms']} / {one['alone_p95_ms']}" for one in found.get("load_passes", [])),
        f"Erreurs : {found['errors']}",
        *[f"  {detail}" for detail in found["error_details"]],
    ]
    return "\n".join(lines).replace(".0 ms", " ms")
