"""The base a benchmark measures is only read: what writes (a publication, the pages, the server) works on a copy."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def private_copy(path: Path) -> Iterator[Path]:
    """A copy of the base at `path` in a folder of its own, removed afterwards (with the server's log, if any)."""
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "ror.duckdb"
        shutil.copy(path, copy)
        yield copy
