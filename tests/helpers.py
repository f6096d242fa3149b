"""What the tests share besides fixtures (tests/conftest.py): the demo accounts by role, reading an account, and
driving a page with AppTest as a signed-in person."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from unittest import mock

import duckdb
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import AppTest, app_test, local_script_runner

from ror.core.auth import User, load_user

ROLES = {  # the demo accounts offered on the sign-in page, and the role each one shows
    "directeur": "Directeur d'établissement",
    "referent": "Référent d'établissement",
    "tutelle93": "Autorité de tutelle",
    "tutelle-pc": "Autorité de tutelle",
    "support": "Support régional",
    "admin": "Administrateur",
}


def user(con: duckdb.DuckDBPyConnection, login: str) -> User:
    """The account of `login`, as a session holds it."""
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    return load_user(con, user_id)


@functools.cache
def _account(path: str, login: str, *, changed: tuple[int, ...]) -> User:
    """The account of `login` in the base at `path` as it was when its files were last `changed` (read once)."""
    con = duckdb.connect(path, read_only=True)
    try:
        return user(con, login)
    finally:
        con.close()


def signed_in(app: AppTest, demo_db, login: str) -> AppTest:
    """The app as `login` sees it once signed in (the sign-in itself is tested through the real browser: a
    successful sign-in writes to the database, and AppTest then blocks on DuckDB). The account is read from
    `demo_db` (the app holds its copy: read the original), once as long as the base is not changed."""
    files = (Path(demo_db), Path(f"{demo_db}.wal"))
    changed = tuple(f.stat().st_mtime_ns if f.exists() else 0 for f in files)
    app.session_state["auth_user"] = _account(str(demo_db), login, changed=changed)
    return app.run()


def open_page(app: AppTest, demo_db, page: str, login: str, **params) -> AppTest:
    """`page` (a pages/ script) with its query `params`, as `login` sees it."""
    for key, value in params.items():
        app.query_params[key] = value
    at = signed_in(app, demo_db, login)
    at.switch_page(page)
    return at.run()


def texts(at: AppTest) -> str:
    """Every text of the page that a person reads in Markdown, captions and alerts."""
    return " ".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [e.value for e in at.error]
        + [w.value for w in at.warning]
        + [i.value for i in at.info]
        + [s.value for s in at.success]
    )


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


@contextlib.contextmanager
def compiled_once():
    """AppTest gives every run a new ScriptCache, so each run compiles app.py and the page again (the page's magic
    rewrite included: up to 100 ms on a long page); the server compiles a script once. Within this block every
    AppTest run shares one cache, so a rerun costs what it costs the server."""
    shared = ScriptCache()
    with (
        mock.patch.object(app_test, "ScriptCache", lambda: shared),
        mock.patch.object(local_script_runner, "ScriptCache", lambda: shared),
    ):
        yield
