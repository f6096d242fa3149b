"""Every page as each demo role that sees it, server side: AppTest opens the page signed in, then reruns it (what
every click costs) and times each rerun. The Recherche page is also timed with a search asked (place, term).
The scripts are compiled once, as a running server does (AppTest alone would compile them again at every run)."""

from __future__ import annotations

import os
import time
from pathlib import Path
from unittest import mock

import duckdb
from streamlit.testing.v1 import AppTest

from bench.base import private_copy
from ror.core import db
from ror.core.auth import User
from ror.core.permissions import ACTIONS, reviews_territory
from tests.helpers import compiled_once, user

PROJECT = Path(__file__).resolve().parent.parent
LOGINS = ("directeur", "referent", "tutelle93", "support", "admin")
EVERYONE = ("tableau_de_bord", "recherche", "repertoire", "fiche", "dossiers", "dossier", "anomalies", "anomalie")
TERRITORY = ("couverture", "qualite")
ADMINISTRATION = {
    "etablissement_nouveau": "etablissement.creer",
    "comptes": "compte.gerer",
    "import_finess": "import",
    "export_offre": "export",
}
SEARCHED = "recherche (recherche faite)"
SEARCH_ASKED = {"ou": "commune:94028", "q": "dialyse", "rayon": "30"}  # Créteil, « dialyse », 30 km


def pages_of(user: User) -> list[str]:
    """The pages of the navigation app.py gives this account (pages_for), by script name."""
    found = [*EVERYONE, "notifications"]
    if reviews_territory(user):
        found += TERRITORY
    found += [page for page, action in ADMINISTRATION.items() if user.role in ACTIONS[action]]
    return [*found, "mon_compte"]


def page_params(con: duckdb.DuckDBPyConnection, user: User) -> dict[str, dict[str, str]]:
    """What a page opens on for this person: his first EG's fiche, the latest dossier of his EG (any, for the other
    roles) and the latest anomaly he may read."""
    own = {"all": user.role not in ("directeur", "referent"), "u": user.user_id}
    theirs = "$all OR finess_eg IN (SELECT finess_eg FROM user_eg WHERE user_id = $u)"  # his EG, or all
    first_eg = con.sql(f"SELECT min(finess_eg) FROM eg WHERE {theirs}", params=own).fetchall()[0][0]
    dossier = con.sql(f"SELECT max(dossier_id) FROM dossier WHERE {theirs}", params=own).fetchall()[0][0]
    anomalie = con.sql(
        "SELECT max(anomalie_id) FROM anomalie WHERE reporter_id = $u OR $all",
        params={"u": user.user_id, "all": user.role in ("support", "admin")},
    ).fetchall()[0][0]
    return {
        "fiche": {"eg": first_eg},
        "dossier": {"dossier": str(dossier)} if dossier else {},
        "anomalie": {"anomalie": str(anomalie)} if anomalie else {},
        SEARCHED: SEARCH_ASKED,
    }


def rerun_ms(path: Path, reruns: int = 5) -> dict[str, dict[str, list[float]]]:
    """page -> login -> milliseconds of each rerun, on a copy of the base (pages may write: a sign-in, a favori)."""
    with private_copy(path) as copy:
        con = db.connect(copy, read_only=True)
        try:
            people = {login: user(con, login) for login in LOGINS}
            params = {login: page_params(con, user) for login, user in people.items()}
        finally:
            con.close()
        found: dict[str, dict[str, list[float]]] = {}
        with mock.patch.dict(os.environ, {"ROR_DB": str(copy), "ROR_DEMO": "1"}), compiled_once():
            for login, person in people.items():
                for page in [*pages_of(person), SEARCHED]:
                    runs = _page_reruns(person, page.split(" ")[0], params[login].get(page, {}), reruns)
                    found.setdefault(page, {})[login] = runs
        return found


def _page_reruns(user: User, script: str, params: dict[str, str], reruns: int) -> list[float]:
    app = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=120)
    for key, value in params.items():
        app.query_params[key] = value
    app.session_state["auth_user"] = user
    app.run()
    app.switch_page(f"pages/{script}.py")
    app.run()  # the page's first run: caches warm, as for the second person to open it
    timings = []
    for _ in range(reruns):
        started = time.perf_counter()
        app.run()
        timings.append((time.perf_counter() - started) * 1000)
    if app.exception:
        raise RuntimeError(f"pages/{script}.py ({user.login}) : {app.exception[0].message}")
    return timings
