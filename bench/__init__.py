"""The project's benchmark: `python -m ror bench` (docs/performance.md says what is measured and how to read it).

`measure` times the search engine and its floor, opening an EG found, the autocompletion, the Répertoire's tree,
the coverage, the quality review, the publication of a 400-fiche dossier, the FHIR export of the région and every
page rerun as each role; it returns one flat dict whose keys stay stable from one version to the next (KEYS), so
that two runs compare line by line. `bench.load.run_load` (`--load N`) times many people at once on the real server.
Timings are measured, never asserted by the tests.
"""

from __future__ import annotations

import statistics
from pathlib import Path

from bench import engine, pages, writes
from ror.core import db, formats

KEYS = (
    "base",
    "uo",
    "search_queries",
    "search_results",
    "index_load_ms",
    "search_first_p95_ms",
    "search_p50_ms",
    "search_p95_ms",
    "floor_p50_ms",
    "floor_p95_ms",
    "open_eg_p95_ms",
    "autocomplete_p95_ms",
    "tree_p95_ms",
    "coverage_p95_ms",
    "quality_first_ms",
    "quality_ms",
    "publication_400_ms",
    "fhir_export_ms",
    "pages",
)


def p50(values: list[float]) -> float:
    return round(statistics.median(values), 1)


def p95(values: list[float]) -> float:
    if len(values) < 2:
        return round(max(values), 1)
    return round(statistics.quantiles(values, n=20, method="inclusive")[-1], 1)


def measure(path: Path, repetitions: int = 3, *, with_pages: bool = True) -> dict:
    """Every figure of the benchmark on the base at `path` (it is only read: writes go to copies)."""
    con = db.connect(path, read_only=True)
    try:
        uo = con.sql("SELECT count(*) FROM uo").fetchall()[0][0]
        searches = engine.run_searches(con, repetitions)
        tree_ms = engine.run_tree(con, repetitions)
        coverage_ms = engine.run_coverage(con, repetitions)
        fhir_ms = min(writes.fhir_export_ms(con) for _ in range(max(1, repetitions // 2)))
    finally:
        con.close()
    quality_first_ms, quality_ms = engine.run_quality(path, repetitions)
    found = {
        "base": str(path),
        "uo": uo,
        "search_queries": searches.queries,
        "search_results": searches.results,
        "index_load_ms": round(searches.index_load_ms),
        "search_first_p95_ms": p95(searches.first_ms),
        "search_p50_ms": p50(searches.search_ms),
        "search_p95_ms": p95(searches.search_ms),
        "floor_p50_ms": p50(searches.floor_ms),
        "floor_p95_ms": p95(searches.floor_ms),
        "open_eg_p95_ms": p95(searches.open_ms),
        "autocomplete_p95_ms": p95(searches.suggest_ms),
        "tree_p95_ms": p95(tree_ms),
        "coverage_p95_ms": p95(coverage_ms),
        "quality_first_ms": round(quality_first_ms),
        "quality_ms": p50(quality_ms),
        "publication_400_ms": round(writes.publication_ms(path)),
        "fhir_export_ms": round(fhir_ms),
        "pages": {},
    }
    if with_pages:
        timings = pages.rerun_ms(path)
        found["pages"] = {page: {login: p95(ms) for login, ms in runs.items()} for page, runs in timings.items()}
    return found


def text_report(found: dict) -> str:
    """The same figures for a person, in French (milliseconds rounded)."""
    ms = {key: formats.integer(value) for key, value in found.items() if key.endswith("_ms")}
    ratio = found["search_p50_ms"] / max(found["floor_p50_ms"], 0.1)
    lines = [
        f"Base : {found['base']} ({formats.integer(found['uo'])} UO)",
        f"Recherche : {found['search_queries']} recherches, {formats.integer(found['search_results'])} UO trouvées "
        f"par passage — médiane {ms['search_p50_ms']} ms, 95e centile {ms['search_p95_ms']} ms",
        f"Plancher (parcours de l'index, distance, 10 plus proches) : médiane {ms['floor_p50_ms']} ms "
        f"(la recherche en prend {ratio:.1f} fois autant)".replace(".", ","),
        f"Après une écriture : lecture de l'index en mémoire {ms['index_load_ms']} ms, première recherche de chaque "
        f"terme (95e centile) {ms['search_first_p95_ms']} ms",
        f"Ouvrir un établissement trouvé : 95e centile {ms['open_eg_p95_ms']} ms",
        f"Autocomplétion (lieu + quoi) : 95e centile {ms['autocomplete_p95_ms']} ms",
        f"Arbre du Répertoire : 95e centile {ms['tree_p95_ms']} ms",
        f"Couverture (une offre × toutes les communes) : 95e centile {ms['coverage_p95_ms']} ms",
        f"Qualité de toute la base : {ms['quality_first_ms']} ms la première fois, {ms['quality_ms']} ms après "
        "l'écriture d'un établissement",
        f"Publication d'un dossier de {writes.FICHES} fiches : {ms['publication_400_ms']} ms",
        f"Export FHIR de la région : {ms['fhir_export_ms']} ms",
    ]
    if found["pages"]:
        lines.append("Pages, réexécution côté serveur (95e centile en ms, par compte) :")
        for page, by_login in found["pages"].items():
            lines.append(f"  {page} : " + ", ".join(f"{login} {formats.integer(v)}" for login, v in by_login.items()))
    return "\n".join(lines)
