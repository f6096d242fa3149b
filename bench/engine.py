"""The reads of the domain, without Streamlit: the search engine and its floor, opening an EG of the results, the
autocompletion, the Répertoire's tree, the coverage of the territory and the quality review. Fixed, realistic sets
of calls, each timed (milliseconds); bench/__init__.py gathers them into the report."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

import queries
from bench.base import private_copy
from ror.core import db
from ror.recherche import search, search_index
from ror.recherche.engine import Index
from ror.recherche.filters import Filters
from ror.repertoire import tree
from ror.territoire import campagne_smr, coverage, quality

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
COVERAGE_OFFERS = (
    coverage.Offer(),
    coverage.Offer(discipline="SMR"),
    coverage.Offer(discipline="MSS", type_code="48", public="enfants"),  # IME
    coverage.Offer(discipline="PSY", public="enfants"),
    coverage.Offer(discipline="SLD"),
)


@dataclass
class Searches:
    index_load_ms: float  # reading the search index into memory (the first search after a write pays it)
    first_ms: list[float]  # the first pass: each term's first search scores it (then kept until the next write)
    search_ms: list[float]  # search.search, every term already scored
    floor_ms: list[float]  # the bare scan + distance + top-k of the same place and first term
    open_ms: list[float]  # the UO of the first EG found, described (a click on its « + »)
    suggest_ms: list[float]  # « Où » and « Quoi » suggestions for one typed text
    queries: int
    results: int  # UO found by one pass over the query set


def query_set(con: duckdb.DuckDBPyConnection) -> list[search.SearchQuery]:
    """The fixed searches: every place with every resource, the filters taken in turn (100 searches)."""
    places = {name: search.resolve_place(con, name) for name in PLACES}
    found = []
    for i, place in enumerate(PLACES):
        for j, resource in enumerate(RESOURCES):
            rayon, filters = FILTERS[(i + j) % len(FILTERS)]
            found.append(
                search.SearchQuery(
                    ou=places[place],
                    quoi=search.query_terms([], resource),
                    rayon_km=rayon,
                    filters=filters,
                    instant=INSTANT,
                )
            )
    return found


def floor(con: duckdb.DuckDBPyConnection, query: search.SearchQuery) -> None:
    """What no engine can avoid for this query: one scan of the index, the distance, the top 10
    (queries/bench_floor.sql)."""
    queries.rows(
        con,
        "bench_floor",
        term=query.quoi[0] if query.quoi else None,
        lat=query.ou.lat,
        lon=query.ou.lon,
        rayon=query.rayon_km,
    )


def run_searches(con: duckdb.DuckDBPyConnection, repetitions: int) -> Searches:
    plan = query_set(con)
    search_index.ensure_fresh(con)
    started = time.perf_counter()
    Index.load(con)  # what the first search after a write does
    timed = Searches(_since(started), [], [], [], [], [], len(plan), 0)
    search_index.shared_index(con)  # then kept
    for query in plan:
        started = time.perf_counter()
        search.search(con, query)
        timed.first_ms.append(_since(started))
    for _ in range(repetitions):
        timed.results = 0
        for query in plan:
            started = time.perf_counter()
            result = search.search(con, query)
            timed.search_ms.append(_since(started))
            timed.results += result.total_uo
            started = time.perf_counter()
            floor(con, query)
            timed.floor_ms.append(_since(started))
            if not result.empty:
                started = time.perf_counter()
                search.units(con, result, result.eg["finess_eg"].head(1).to_list())
                timed.open_ms.append(_since(started))
        for text in TYPED:
            started = time.perf_counter()
            search.suggest_places(con, text)
            search.suggest_terms(con, text)
            timed.suggest_ms.append(_since(started))
    return timed


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
    return timed(calls, repetitions)


def run_coverage(con: duckdb.DuckDBPyConnection, repetitions: int) -> list[float]:
    """The coverage of every commune for a fixed set of offers (docs/territoire.md)."""
    return timed([lambda o=offer: coverage.compute(con, o) for offer in COVERAGE_OFFERS], repetitions)


def run_quality(path: Path, repetitions: int) -> tuple[float, list[float]]:
    """The Qualité page's work on the whole base (scores, naming rules, SMR campaign), on a copy: the first review of
    a process (the whole base assessed), then one after each write of an establishment (its largest ones in turn; the
    review kept in memory assesses that one again). Returns (first, [after each write]) in ms."""

    def review(con: duckdb.DuckDBPyConnection) -> float:
        started = time.perf_counter()
        data = quality.load(con, None)
        quality.naming_violations(data)
        campagne_smr.smr_campaign(data)
        return _since(started)

    with private_copy(path) as copy:
        con = db.connect(copy)
        try:
            first = review(con)
            largest = con.sql(
                "SELECT finess_eg FROM uo WHERE statut = 'active' GROUP BY finess_eg ORDER BY count(*) DESC, finess_eg "
                "LIMIT $n",
                params={"n": repetitions},
            ).fetchall()
            after = []
            for (finess,) in largest:
                with db.transaction(con):
                    con.execute(
                        "UPDATE uo SET telephone = '01 40 00 00 00' WHERE finess_eg = $f AND statut = 'active'",
                        {"f": finess},
                    )
                    search_index.record_write(con, [finess])
                after.append(review(con))
            return first, after
        finally:
            con.close()


def timed(calls: list[Callable[[], object]], repetitions: int) -> list[float]:
    """Milliseconds of each call, `repetitions` times over."""
    found = []
    for _ in range(repetitions):
        for call in calls:
            started = time.perf_counter()
            call()
            found.append(_since(started))
    return found


def _since(started: float) -> float:
    return (time.perf_counter() - started) * 1000
