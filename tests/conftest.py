"""Shared fixtures: one Île-de-France demo database built once per test session, copies for writers."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import duckdb
import pytest

PROJECT_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(PROJECT_DIR))
os.environ.setdefault("ROR_DEBUG", "1")  # an unexpected error fails the AppTest instead of its French message

from ror.demo.builder import build_demo  # noqa: E402


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    """The demo database (seed 42), built once; open it read-only or copy it before writing."""
    path = tmp_path_factory.mktemp("demo") / "ror.duckdb"
    build_demo(path, scale="idf", seed=42)
    return path


@pytest.fixture
def con(demo_db):
    connection = duckdb.connect(str(demo_db), read_only=True)
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
    connection = duckdb.connect(str(db_copy))
    yield connection
    connection.close()
