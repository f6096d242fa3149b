"""Real browser: every page, as every role, on a base whose free-text fields all hold hostile text (Markdown image
and link, HTML with event handlers, a `${}` template, a `javascript:` URL, 10 000 characters, RTL marks, NUL).
No request leaves for another host, no script runs, no dialog opens, and the text is shown as typed."""

from __future__ import annotations

import time

import duckdb
import pytest

from ror.administration import support_contacts
from ror.recherche import search_index

from .helpers import copy_database, new_page, record_outside_requests, streamlit_server, wait_for_app

pytestmark = pytest.mark.browser

ROLES = ("directeur", "referent", "tutelle-pc", "support", "admin")
SUPPORT_FORM = support_contacts.DEFAULTS["support_formulaire"]  # « Aide »: the support's form, set by the administrator


def hostile(tag: str) -> str:
    return (
        f"Piège-{tag} ![pixel](http://ailleurs.invalid/{tag}.png) [clic](javascript:window.__pwned='{tag}') "
        f"<img src=x onerror=\"window.__pwned='{tag}'\"><script>window.__pwned='{tag}'</script> "
        f"${{window.__pwned='{tag}'}}` \u202eRTL\u202c :red[rouge] $x$ http://ailleurs.invalid/{tag} \x00fin"
    )


TEXT_COLUMNS = {
    "ej": ("raison_sociale",),
    "eg": ("nom", "nom_usage", "voie", "complement", "directeur_nom", "updated_by"),
    "uo": ("nom", "responsable_nom", "updated_by"),
    "oi": ("nom",),
    "dossier": ("nom", "motif_refus"),
    "dossier_message": ("texte",),
    "anomalie": ("champ", "description", "motif_rejet"),
    "anomalie_evenement": ("detail",),
    "notification": ("objet",),
    "app_user": ("prenom", "nom", "organisation"),
}


def make_hostile(path) -> dict:
    """Every free-text field of the 92 (and of every dossier, anomaly, message, notification, person) hostile."""
    con = duckdb.connect(str(path))
    for table, columns in TEXT_COLUMNS.items():
        where = {"ej": "departement = '92'", "eg": "departement = '92'", "uo": "finess_eg LIKE '92%'"}.get(
            table, "TRUE"
        )
        for column in columns:
            con.execute(
                f"UPDATE {table} SET {column} = $h || ' ' || {column} WHERE {column} IS NOT NULL AND {where}",
                {"h": hostile(f"{table}.{column}")},
            )
    con.execute(
        "UPDATE anomalie SET description = repeat('Long ', 2000) WHERE anomalie_id = (SELECT min(anomalie_id) FROM anomalie)"
    )
    search_index.refresh(con)  # the search and its map read names from the index
    found = {
        "eg": con.sql("SELECT min(finess_eg) FROM eg WHERE departement = '92'").fetchall()[0][0],
        "uo": con.sql("SELECT min(uo_id) FROM uo WHERE finess_eg LIKE '92%'").fetchall()[0][0],
        "dossier": con.sql("SELECT min(dossier_id) FROM dossier WHERE motif_refus IS NOT NULL").fetchall()[0][0],
        "anomalie": con.sql("SELECT min(anomalie_id) FROM anomalie WHERE departement = '92'").fetchall()[0][0],
    }
    con.close()
    return found


def map_frame(page, timeout_s: float = 30):
    """The frame of the results map, once it has drawn its markers."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        for frame in page.frames:
            if frame is not page.main_frame and frame.locator("path.leaflet-interactive").count():
                return frame
        page.wait_for_timeout(200)  # a poll: Playwright handles the page's events meanwhile
    raise AssertionError("la carte des résultats n'a dessiné aucun marqueur")


def check(page, outside: list[str], dialogs: list[str], where: str, base: str) -> None:
    wait_for_app(page)
    from playwright.sync_api import Error as PlaywrightError

    for frame in page.frames:
        try:
            pwned = frame.evaluate("() => window.__pwned")
        except PlaywrightError as exc:  # a frame replaced by the rerun while it was read
            assert "detached" in str(exc) or "destroyed" in str(exc), exc
            continue
        assert pwned is None, f"{where} : un script a été exécuté ({pwned})"
    assert not dialogs, f"{where} : une fenêtre s'est ouverte ({dialogs})"
    assert not outside, f"{where} : requête vers un autre hôte ({outside[:3]})"
    links = page.evaluate("() => [...document.querySelectorAll('a[href]')].map(a => a.href)")
    foreign = [
        h
        for h in links
        if not h.startswith((base, "mailto:"))
        and "#" not in h[:1]
        and h.rstrip("/") != SUPPORT_FORM  # the one link out
    ]
    assert not foreign, f"{where} : un texte est devenu un lien ({foreign[:3]})"
    body = page.inner_text("body")
    assert "Traceback" not in body and "erreur inattendue" not in body, where


@pytest.fixture(scope="module")
def hostile_app(module_browser, demo_db, tmp_path_factory) -> tuple[str, dict]:
    """The app served over a copy of the demo database made hostile: its address and the records to open."""
    db = copy_database(demo_db, tmp_path_factory.mktemp("hostile"))
    ids = make_hostile(db)
    with streamlit_server(db) as url:
        yield url, ids


@pytest.mark.parametrize("login", ROLES)
def test_hostile_text_is_only_ever_text_on_every_page(browser, hostile_app, login):
    url, ids = hostile_app
    deep = [
        f"/fiche?eg={ids['eg']}",
        f"/fiche?uo={ids['uo']}",
        f"/dossier?dossier={ids['dossier']}",
        f"/anomalie?anomalie={ids['anomalie']}",
        "/recherche?ou=commune%3A92050&q=soins",
    ]
    page = new_page(browser, viewport={"width": 1400, "height": 1000})
    outside = record_outside_requests(page)
    page.route("**/*", lambda route: route.abort() if "ailleurs" in route.request.url else route.continue_())
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    wait_for_app(page)
    page.get_by_role("button", name=f"Se connecter ({login})").click()
    check(page, outside, dialogs, base=url, where=f"{login} : tableau de bord")
    links = page.locator("[data-testid='stSidebarNav'] a")
    names = [links.nth(i).inner_text() for i in range(links.count())]
    for i, name in enumerate(names):
        links.nth(i).click()
        check(page, outside, dialogs, base=url, where=f"{login} : {name}")
    for path in deep:
        page.goto(url + path)  # a reload: still signed in (the session's cookie)
        check(page, outside, dialogs, base=url, where=f"{login} : {path}")
        shown = page.inner_text("body").replace("\u2060", "")  # the invisible joiner that breaks autolinks
        if path.startswith("/fiche?eg") and login in ("directeur", "tutelle-pc", "support"):
            assert "Piège-eg.nom ![pixel](http://ailleurs.invalid/eg.nom.png)" in shown
        if path.startswith("/dossier") and login in ("directeur", "tutelle-pc"):
            assert "Piège-dossier.motif_refus ![pixel](" in shown
        if path.startswith("/anomalie") and login in ("tutelle-pc", "support"):
            assert "[clic](javascript:window.__pwned='anomalie.champ')" in shown
        if path.startswith("/recherche"):  # the map's markers carry hostile EG names (tooltips: tests/test_maps.py)
            map_frame(page).locator("path.leaflet-interactive").first.hover(force=True)
            check(page, outside, dialogs, base=url, where=f"{login} : carte de la recherche")
