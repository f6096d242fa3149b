"""Paths and settings read from the environment, in one place."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_DIR / "data"
MIGRATIONS_DIR = DATA_DIR / "migrations"
DEFAULT_DB = DATA_DIR / "ror.duckdb"

# Île-de-France bounding box (WGS84), with a small margin.
IDF_BBOX = {"lat_min": 48.10, "lat_max": 49.25, "lon_min": 1.40, "lon_max": 3.60}
IDF_DEPARTEMENTS = ("75", "77", "78", "91", "92", "93", "94", "95")


def db_path() -> Path:
    """The database file: $ROR_DB when set, else data/ror.duckdb."""
    return Path(os.environ.get("ROR_DB") or DEFAULT_DB)


def demo_mode() -> bool:
    """Demo mode shows the demo accounts on the login page ($ROR_DEMO=1); it starts only on a demo base."""
    return os.environ.get("ROR_DEMO", "0").lower() in ("1", "true", "oui", "yes")


def debug() -> bool:
    """Unexpected errors pass through to Streamlit (the tests: $ROR_DEBUG=1) instead of the French message."""
    return os.environ.get("ROR_DEBUG", "0").lower() in ("1", "true", "oui", "yes")


def feed_dir() -> Path:
    """Where the app writes the daily synchronisation feed: $ROR_FLUX_DIR when set, else data/flux."""
    return Path(os.environ.get("ROR_FLUX_DIR") or DATA_DIR / "flux")
