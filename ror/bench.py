"""Benchmark of the search engine, the Répertoire's tree and the Territoire pages: fixed sets of realistic reads,
timed.

`python -m ror bench [--db data/ror_national.duckdb]` prints the median and the 95th percentile. Timings
are measured, never asserted: tests/bench/ runs it, the closing notes report it.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ror.recherche import search
from ror.recherche.filters import Filters
from ror.repertoire import tree
from ror.territoire import coverage, quality

PLACES = ("Créteil", "Paris", "Versailles", "Meaux", "Cergy", "Saint-Denis", "Nanterre", "Melun", "Bobigny", "Étampes")
RESOURCES = (
    "dialyse",
    "IME",
    "autisme",
    "EHPAD",
    "SMR",
    "psychiatrie",
    "accueil de jour",
    "SESSAD",
    "médiation familiale",
    "",
)
FILTERS = (
    (20, Filters()),
    (10, Filters(ouvert=True)),
    (50, Filters(public="enfants")),
    (None, Filters()),
    (30, Filters(disciplines=("MSS",))),
)
INSTANT = dt.datetime(2026, 11, 24, 10, 30)  # a Tuesday morning: statuses are reproducible
TYPED = ("cre", "st maur", "94300", "pitie", "versa", "dial", "autis", "ehpa", "medi", "sessa")


TREE_TEXTS = ("dialyse", "centre hospitalier", "ehpad", "sessad", "pitie")


@dataclass
class Timings:
    search_ms: list[float]
    open_ms: list[float]  # the UO of the first EG found, described (a click on its « + »)
    suggest_ms: list[float]
    queries: int
    results: int
    tree_ms: list[float]


def queries_set() -> list[tuple[str, str, float | None, Filters]]:
    """The fixed searches: every place with every resource, the filters taken in turn (100 searches)."""
    found = []
    for i, place in enumerate(PLACES):
        for j, resource in enumerate(RESOURCES):
            rayon, filters = FILTERS[(i + j) % len(FILTERS)]
            found.append((place, resource, rayon, filters))
    return found


def run(con: duckdb.DuckDBPyConnection, repetitions: int = 3) -> Timings:
    places = {name: search.resolve_place(con, name) for name in PLACES}
    plan = queries_set()
    search_ms, open_ms, suggest_ms, results = [], [], [], 0
    for _ in range(repetitions):
        for place, resource, rayon, filters in plan:
            query = search.SearchQuery(
                ou=places[place],
                quoi=search.query_terms([], resource),
                rayon_km=rayon,
                filters=filters,
                instant=INSTANT,
            )
            started = time.perf_counter()
            result = search.search(con, query)
            search_ms.append((time.perf_counter() - started) * 1000)
            results += result.total_uo
            if not result.empty:
                started = time.perf_counter()
                search.units(con, result, result.eg["finess_eg"].head(1).to_list())
                open_ms.append((time.perf_counter() - started) * 1000)
        for text in TYPED:
            started = time.perf_counter()
            search.suggest_places(con, text)
            search.suggest_terms(con, text)
            suggest_ms.append((time.perf_counter() - started) * 1000)
    return Timings(search_ms, open_ms, suggest_ms, len(plan), results // repetitions, run_tree(con, repetitions))


def run_tree(con: duckdb.DuckDBPyConnection, repetitions: int) -> list[float]:
    """The Répertoire's reads: first pages of EJ, départements, children of the largest EJ and EG, text filters."""
    filters = tree.TreeFilters(domaines=tree.DOMAINS)
    big_ej = con.sql("SELECT finess_ej FROM eg GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
    big_eg = con.sql("SELECT finess_eg FROM uo GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchall()[0][0]
    calls = [
        lambda: tree.roots(con, "ej", filters),
        lambda: tree.roots(con, "ej", filters, page=20),
        lambda: tree.roots(con, "departement", filters),
        lambda: tree.children(con, f"ej:{big_ej}", filters),
        lambda: tree.children(con, f"eg:{big_eg}", filters),
        *[lambda text=text: tree.matches(con, text, filters) for text in TREE_TEXTS],
    ]
    return _timed(calls, repetitions)


def _timed(calls: list, repetitions: int) -> list[float]:
    """Milliseconds of each call, `repetitions` times over."""
    timings = []
    for _ in range(repetitions):
        for call in calls:
            started = time.perf_counter()
            call()
            timings.append((time.perf_counter() - started) * 1000)
    return timings


def percentile(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def report(t: Timings, path: Path) -> str:
    return (
        f"Base : {path}\n"
        f"Recherche : {t.queries} recherches × {len(t.search_ms) // t.queries} passages, {t.results} UO trouvées "
        f"par passage — médiane {statistics.median(t.search_ms):.0f} ms, 95e centile "
        f"{percentile(t.search_ms, 95):.0f} ms, max {max(t.search_ms):.0f} ms\n"
        f"Ouvrir le premier établissement (ses UO décrites) : médiane {statistics.median(t.open_ms):.0f} ms, "
        f"95e centile {percentile(t.open_ms, 95):.0f} ms\n"
        f"Autocomplétion (lieu + quoi) : médiane {statistics.median(t.suggest_ms):.0f} ms, 95e centile "
        f"{percentile(t.suggest_ms, 95):.0f} ms\n"
        f"Arbre du Répertoire (niveaux, enfants, filtre texte) : médiane {statistics.median(t.tree_ms):.0f} ms, "
        f"max {max(t.tree_ms):.0f} ms\n"
    )


COVERAGE_OFFERS = (
    coverage.Offer(),
    coverage.Offer(discipline="SMR"),
    coverage.Offer(discipline="MSS", type_code="48", public="enfants"),  # IME
    coverage.Offer(discipline="PSY", public="enfants"),
    coverage.Offer(discipline="SLD"),
)


def run_territory(con: duckdb.DuckDBPyConnection, repetitions: int) -> str:
    """The Territoire pages' computations (docs/territoire.md): the coverage of every commune for a fixed set
    of offers, and the quality review of the whole région (scores, naming rules, SMR campaign)."""
    communes = con.sql("SELECT count(*) FROM commune").fetchall()[0][0]
    coverage_ms = _timed([lambda o=offer: coverage.compute(con, o) for offer in COVERAGE_OFFERS], repetitions)

    def review() -> None:
        data = quality.load(con, None)
        quality.naming_violations(data)
        quality.smr_campaign(data)

    quality_ms = _timed([review], repetitions)
    return (
        f"Couverture : {len(COVERAGE_OFFERS)} offres × {communes} communes — médiane "
        f"{statistics.median(coverage_ms):.0f} ms, max {max(coverage_ms):.0f} ms\n"
        f"Qualité (complétude, nommage, campagne SMR, toute la base) : médiane {statistics.median(quality_ms):.0f} ms, "
        f"max {max(quality_ms):.0f} ms\n"
    )
