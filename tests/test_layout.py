"""The layout DESIGN.md describes, kept: ror/ is the domain without Streamlit, grouped by the app's areas; pages and
components write no SQL; no file of ror/, components/ or pages/ grows past 450 lines (split it along its seams)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
AREAS = {"core", "repertoire", "recherche", "dossiers", "anomalies", "territoire", "administration", "demo"}
SOURCES = sorted(p for folder in ("ror", "components", "pages") for p in (PROJECT / folder).rglob("*.py"))


def imported(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
    return found


def test_no_source_file_passes_450_lines():
    lines = {str(p.relative_to(PROJECT)): len(p.read_text(encoding="utf-8").splitlines()) for p in SOURCES}
    assert {path: n for path, n in lines.items() if n > 450} == {}


def test_ror_is_grouped_by_area_and_never_imports_streamlit():
    ror = PROJECT / "ror"
    assert {p.name for p in ror.iterdir() if p.is_dir() and p.name != "__pycache__"} == AREAS | {"cli"}
    assert {p.name for p in ror.glob("*.py")} == {"__init__.py", "__main__.py"}
    for path in ror.rglob("*.py"):
        assert not {m for m in imported(path) if m.split(".")[0] == "streamlit"}, path


def test_pages_and_components_write_no_sql():
    sql = re.compile(r"""["'](SELECT|INSERT|UPDATE|DELETE|WITH)\s""")
    for folder in ("pages", "components"):
        for path in (PROJECT / folder).rglob("*.py"):
            assert not sql.search(path.read_text(encoding="utf-8")), path
