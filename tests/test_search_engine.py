"""The in-memory search engine (ror/recherche/engine.py): the same answers as the search it replaced
(tests/search_reference.py) on the bench's queries and their variants, its index shared by every session and read again
after a write, and its rules on their edges."""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading

import duckdb
import numpy as np
import polars as pl
from polars.testing import assert_frame_equal

from bench import engine as bench_engine
from ror.core import db
from ror.recherche import engine, geo, search, search_index
from ror.recherche.filters import Filters
from ror.repertoire import opening

from . import search_reference


def variants(query: search.SearchQuery) -> list[search.SearchQuery]:
    """The bench's query with every kind of filter, with a territory instead of a place, sorted by pertinence."""
    return [
        dataclasses.replace(
            query, filters=Filters(ouvert=True, public="adultes", types=("171", "120")), tri="pertinence"
        ),
        dataclasses.replace(query, ou=None, rayon_km=None, territoire=("75", "93")),
        dataclasses.replace(
            query,
            filters=Filters(
                activites=("T", "002"), aptitudes=("X",), age=40, disciplines=("MCO", "PSY"), departements=("92",)
            ),
        ),
        dataclasses.replace(query, filters=Filters(modes=("04",), temporalites=("01",), public="enfants", age=8)),
    ]


def test_the_engine_answers_as_the_search_it_replaced(con):
    """Every query of the bench (100: ten places × ten resources, the filters in turn) and four variants of a tenth of
    them: the same units, the same EG in the same order with the same distance, travel time and status, the same counts
    of every filter, and the same units read for the EG shown."""
    plan = bench_engine.query_set(con)
    plan += [variant for query in plan[::10] for variant in variants(query)]
    plan += [
        search.SearchQuery(instant=bench_engine.INSTANT),
        search.SearchQuery(quoi=("ehpad", "jour"), tri="pertinence", instant=bench_engine.INSTANT),
    ]
    compared = 0
    for query in plan:
        expected, found = search_reference.run(con, query), search.search(con, query)
        where = f"{query.ou.libelle if query.ou else '—'} {query.quoi} {query.rayon_km} {query.filters.chosen()}"
        counts = (found.before_filters, found.total_uo, found.total_eg)
        assert counts == (expected.before_filters, expected.total_uo, expected.total_eg), where
        assert_frame_equal(found.eg, expected.eg), where
        assert_frame_equal(found.units.sort("uo_id"), expected.units.sort("uo_id")), where
        assert found.facets.keys() == expected.facets.keys()
        for name, facet in expected.facets.items():
            assert_frame_equal(found.facets[name], facet), (where, name)
        shown = found.eg["finess_eg"].head(3).to_list()
        read = search.units(con, found, shown)
        assert sorted(read["uo_id"]) == sorted(expected.units.filter(pl.col("finess_eg").is_in(shown))["uo_id"])
        compared += found.total_uo > 0
    assert compared > 90  # most queries find something: the comparison is not of empty results


def test_the_index_is_read_once_per_version_and_again_after_a_write(rw_con):
    first = search_index.shared_index(rw_con)
    assert search_index.shared_index(rw_con.cursor()) is first  # another session of the same base: the same index
    uo_id = rw_con.sql("SELECT min(uo_id) FROM uo WHERE statut = 'active'").fetchall()[0][0]
    with db.transaction(rw_con):
        rw_con.execute("UPDATE uo SET nom = 'Unité Ornithorynque' WHERE uo_id = $id", {"id": uo_id})
        db.bump_data_version(rw_con)
    second = search_index.shared_index(rw_con)
    assert second is not first
    assert second.term(rw_con, "ornithorynque")[0].tolist() == [int(np.searchsorted(second.uo_id, uo_id))]


def test_after_a_write_a_term_is_read_again_in_the_establishments_written_only(rw_con, monkeypatch):
    """The index of the next version takes over the matches of the terms read before, read again all at once in
    the EG written only (db.changed_since): the same matches as each term read over the whole new index — a unit
    renamed, the EG renamed."""
    first = search_index.shared_index(rw_con)
    finess, renamed, name, other = rw_con.sql(
        "SELECT finess_eg, min(uo_id), arg_min(nom, uo_id), max(uo_id) FROM uo WHERE statut = 'active' "
        "GROUP BY finess_eg HAVING count(*) >= 2 ORDER BY finess_eg LIMIT 1"
    ).fetchall()[0]
    terms = (max(search.normalise(name).split(), key=len), "ornithorynque", "capybara", "ehpad", "psychiatrie")
    for term in terms:
        first.term(rw_con, term)
    with db.transaction(rw_con):
        rw_con.execute("UPDATE uo SET nom = 'Unité Ornithorynque' WHERE uo_id = $id", {"id": renamed})
        rw_con.execute("UPDATE eg SET nom_usage = 'Clinique du Capybara' WHERE finess_eg = $f", {"f": finess})
        search_index.record_write(rw_con, [finess])
    calls = []
    run = engine.queries.run
    monkeypatch.setattr(engine.queries, "run", lambda *a, **k: calls.append((a[1], k)) or run(*a, **k))
    second = search_index.shared_index(rw_con)
    taken = {term: second.term(rw_con, term) for term in terms}
    written = rw_con.sql("SELECT list(uo_id ORDER BY uo_id) FROM uo WHERE finess_eg = $f", params={"f": finess})
    assert [call for call in calls if call[0] == "search_term"] == [
        ("search_term", {"terms": list(terms), "uo_ids": written.fetchall()[0][0]})  # at once, in the EG written only
    ]
    whole = engine.Index.load(rw_con)
    for term in terms:
        read = whole.term(rw_con, term)
        assert taken[term][0].tolist() == read[0].tolist() and np.allclose(taken[term][1], read[1]), term
    assert second.uo_id[taken["ornithorynque"][0]].tolist() == [renamed]
    assert {renamed, other} <= set(second.uo_id[taken["capybara"][0]].tolist())  # by the EG's new name
    assert len(taken["ehpad"][0]) > 10  # the others' matches kept


def test_after_a_write_that_may_have_changed_anything_every_term_is_read_again(rw_con):
    first = search_index.shared_index(rw_con)
    first.term(rw_con, "dialyse")
    with db.transaction(rw_con):
        rw_con.execute("UPDATE uo SET nom = 'Unité Ornithorynque' WHERE uo_id = (SELECT min(uo_id) FROM uo)")
        db.bump_data_version(rw_con)  # no establishment given: anything
    search_index.ensure_fresh(rw_con)
    assert "dialyse" not in search_index.shared_index(rw_con)._terms  # read again over the whole index when asked


def test_a_term_is_scored_once_per_index(con, monkeypatch):
    index = search_index.shared_index(con)
    calls = []
    run = engine.queries.run
    monkeypatch.setattr(engine.queries, "run", lambda *a, **k: calls.append(a[1]) or run(*a, **k))
    index._terms.pop("capybara", None)
    index.term(con, "capybara")
    index.term(con, "capybara")
    assert calls == ["search_term"]


def test_kept_answers_are_bounded():
    kept = {}
    for key in range(10):
        engine.bounded(kept, 4)[key] = key
    assert list(kept) == [6, 7, 8, 9]  # the oldest dropped first


def test_the_distance_is_the_sql_macro(con):
    """The engine's great-circle distance is the distance_km macro of the base, to the metre."""
    lats, lons = np.array([48.8566, 43.2965, 49.0399, 48.8566]), np.array([2.3522, 5.3698, 2.0512, 2.3522])
    ours = geo.distance_km(48.7904, 2.4556, lats, lons)
    sql = [
        con.sql("SELECT distance_km(48.7904, 2.4556, $lat, $lon)", params={"lat": a, "lon": b}).fetchall()[0][0]
        for a, b in zip(lats, lons, strict=True)
    ]
    assert np.allclose(ours, sql, rtol=0, atol=1e-9)
    assert ours[0] == ours[3] and ours[1] > 600  # Paris twice; Marseille far


def test_coded_columns_keep_their_values_and_mark_the_empty_ones():
    coded = engine.Coded.of(pl.Series(["b", None, "a", "b"]))
    assert coded.values == ("a", "b")
    assert coded.codes.tolist() == [1, 2, 0, 1]  # none: past the last value
    assert coded.code_of(["b", "zzz"]).tolist() == [1]  # a value no row has: no code


def test_code_lists_give_the_codes_of_some_rows():
    lists = engine.CodeLists.of(pl.Series([["x", "y"], [], None, ["y"], ["z", "x", "y"]]))
    assert [lists.coded.values[c] for c in lists.codes_of(np.array([0, 4]))] == ["x", "y", "z", "x", "y"]
    assert lists.codes_of(np.array([1, 2])).size == 0  # empty and missing lists
    assert lists.codes_of(np.array([], dtype=np.int64)).size == 0
    assert lists.any_of(["z"], 5).tolist() == [False, False, False, False, True]


def test_open_at_follows_the_rule_on_a_night_slot_and_a_closing():
    """A unit open 22:00 → 07:00 on Fridays is open on Saturday at 03:00, not at 08:00; a closing period covering the
    date wins; a unit without hours is never « ouvert »."""
    index = engine.Index.__new__(engine.Index)
    index.uo_id = np.array([1, 2, 3])
    index.horaires = np.array([True, True, False])
    index.slots = {
        "row": np.array([0, 1]),
        "jour": np.array([5, 5]),
        "debut_min": np.array([1320, 1320]),
        "fin_min": np.array([1860, 1860]),
    }
    day = np.datetime64("2026-11-28", "D")
    index.closings = {"row": np.array([1]), "date_debut": np.array([day]), "date_fin": np.array([day])}
    index._moments, index._lock = {}, threading.Lock()

    def at(text: str) -> list[bool]:
        return index.open_at(opening.Moment.at(dt.datetime.fromisoformat(text)).as_params()).tolist()

    assert at("2026-11-28T03:00") == [True, False, False]  # Saturday: Friday's night slot; unit 2 closed that day
    assert at("2026-11-28T08:00") == [False, False, False]


def test_an_index_of_an_empty_base_searches_nothing(tmp_path):
    con = duckdb.connect(str(tmp_path / "vide.duckdb"))
    db.migrate(con)
    result = search.search(con, search.SearchQuery(quoi=("dialyse",)))
    assert result.empty and result.total_eg == 0 and result.eg.is_empty()
    assert all(facet.is_empty() or facet["n"].sum() == 0 for facet in result.facets.values())
