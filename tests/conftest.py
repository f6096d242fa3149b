"""Shared fixtures: one Île-de-France demo database built once per test session, copies for writers."""

from __future__ import annotations

import functools
import os
import shutil
import sys
from pathlib import Path

import pytest
from streamlit.components.v2 import manifest_scanner
from streamlit.testing.v1 import AppTest

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("ROR_DEBUG", "1")  # an unexpected error fails the AppTest instead of its French message

from ror.core import db  # noqa: E402
from ror.demo.builder import build_demo  # noqa: E402

from .helpers import compiled_once  # noqa: E402

# Every AppTest scans the installed packages for Streamlit components before its first run (some 30 ms, a tenth of
# the AppTests' time): the packages do not change while the tests run, so they are scanned once per process.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


@pytest.fixture(scope="session", autouse=True)
def _scripts_compiled_once():
    """Every AppTest run of a test process reads one cache of compiled scripts, as the server does (AppTest would
    compile app.py and the page again at every run: a fifth of the AppTests' processor time)."""
    with compiled_once():
        yield


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database (seed 42), built once; open it read-only or copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "ror.duckdb"
    build_demo(path, scale="idf", seed=42)
    return path


@pytest.fixture
def con(demo_db):
    connection = db.connect(demo_db, read_only=True)  # as the app opens it: instants in Europe/Paris
    yield connection
    connection.close()


@pytest.fixture
def db_copy(demo_db, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    target = tmp_path / "ror.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def rw_con(db_copy):
    connection = db.connect(db_copy)
    yield connection
    connection.close()


@pytest.fixture(scope="module")
def app_db(demo_db, tmp_path_factory) -> Path:
    """A copy of the demo database shared by the page tests of one module (they may change it, as people would)."""
    target = tmp_path_factory.mktemp("app") / "ror.duckdb"
    shutil.copy(demo_db, target)
    return target


@pytest.fixture
def app(app_db, monkeypatch) -> AppTest:
    """The app in demo mode over the module's shared copy (see `fresh_app` for a private one)."""
    monkeypatch.setenv("ROR_DB", str(app_db))
    monkeypatch.setenv("ROR_DEMO", "1")
    return AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)


@pytest.fixture
def fresh_app(db_copy, monkeypatch) -> AppTest:
    """The app over a private copy of the demo database (`db_copy`), for a test whose writes must not be seen by
    another."""
    monkeypatch.setenv("ROR_DB", str(db_copy))
    return AppTest.from_file(str(PROJECT_DIR / "app.py"), default_timeout=60)
