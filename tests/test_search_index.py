"""The search index (migration 004, ror/recherche/search_index.py): fresh after a build, rebuilt after a write, a clear
French error where it cannot be rebuilt, the cap on the EG shown, and the same status as the fiche."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io

import duckdb
import openpyxl
import polars as pl
import pytest

from ror import cli
from ror.administration import screen_exports
from ror.core import db
from ror.recherche import search, search_index
from ror.repertoire import opening

TUESDAY = dt.datetime(2026, 11, 24, 10, 30)


def find(con, quoi: str, ou: str | None = None, rayon: float | None = None) -> search.SearchResult:
    query = search.SearchQuery(
        ou=search.resolve_place(con, ou) if ou else None,
        quoi=search.query_terms([], quoi),
        rayon_km=rayon,
        instant=TUESDAY,
    )
    return search.search(con, query)


def test_the_demo_build_leaves_a_fresh_index(con):
    assert search_index.is_fresh(con)
    counts = con.sql("SELECT (SELECT count(*) FROM uo), (SELECT count(*) FROM recherche_uo)").fetchall()[0]
    assert counts[0] == counts[1]


def test_a_write_is_searchable_at_once(rw_con):
    uo_id = rw_con.sql("SELECT min(uo_id) FROM uo WHERE statut = 'active'").fetchall()[0][0]
    assert find(rw_con, "quokka").empty
    with db.transaction(rw_con):
        rw_con.execute("UPDATE uo SET nom = 'Unité Quokka' WHERE uo_id = $id", {"id": uo_id})
        db.bump_data_version(rw_con)
    assert not search_index.is_fresh(rw_con)
    found = find(rw_con, "quokka")
    assert found.units["uo_id"].to_list() == [uo_id]
    assert search_index.is_fresh(rw_con)


def test_a_label_given_to_a_unit_finds_it_at_once(rw_con):
    """A search finds the UO of a label from the label's list of UO (migration 009): the write rebuilds it."""
    assert find(rw_con, "alcoologie").empty  # TRE_R211 003: no UO of the demo carries it
    sql = "SELECT uo_id, finess_eg FROM uo WHERE statut = 'active' ORDER BY uo_id LIMIT 1"
    uo_id, finess_eg = rw_con.sql(sql).fetchall()[0]
    with db.transaction(rw_con):
        rw_con.execute("INSERT INTO uo_code VALUES ($id, 'TRE_R211', '003')", {"id": uo_id})
        search_index.record_write(rw_con, [finess_eg])
    assert search_index.is_fresh(rw_con)
    found = find(rw_con, "alcoologie")
    assert found.units["uo_id"].to_list() == [uo_id]
    assert found.units["score"][0] == 150  # the exact label of an activité
    lists = rw_con.sql("SELECT uo, uo_ids FROM recherche_libelle WHERE system = 'TRE_R211' AND code = '003'")
    assert lists.fetchall() == [(1, [uo_id])]


def test_an_establishment_renamed_shows_its_new_name(rw_con):
    """The EG of the results are described from the index (recherche_eg, migration 010): the write rebuilds it."""
    before = find(rw_con, "dialyse", "Créteil", 10)
    finess_eg = before.eg["finess_eg"][0]
    with db.transaction(rw_con):
        rw_con.execute("UPDATE eg SET nom_usage = 'Centre Quokka' WHERE finess_eg = $f", {"f": finess_eg})
        search_index.record_write(rw_con, [finess_eg])
    after = find(rw_con, "dialyse", "Créteil", 10)
    assert after.eg.filter(after.eg["finess_eg"] == finess_eg)["eg_nom"].to_list() == ["Centre Quokka"]
    assert after.eg.height == before.eg.height


def test_a_closed_unit_leaves_the_results(rw_con):
    before = find(rw_con, "dialyse", "Créteil", 10)
    uo_id = before.units["uo_id"][0]
    with db.transaction(rw_con):
        rw_con.execute("UPDATE uo SET statut = 'fermee' WHERE uo_id = $id", {"id": uo_id})
        db.bump_data_version(rw_con)
    after = find(rw_con, "dialyse", "Créteil", 10)
    assert uo_id not in after.units["uo_id"].to_list()
    assert after.total_uo == before.total_uo - 1


def test_a_stale_index_on_a_read_only_database_says_what_to_do(db_copy):
    writer = duckdb.connect(str(db_copy))
    db.bump_data_version(writer)
    writer.close()
    reader = duckdb.connect(str(db_copy), read_only=True)
    try:
        with pytest.raises(search_index.StaleIndex, match="python -m ror migrate"):
            find(reader, "dialyse")
    finally:
        reader.close()


def test_the_cli_brings_an_older_database_up_to_date(db_copy, capsys):
    writer = duckdb.connect(str(db_copy))
    db.bump_data_version(writer)
    writer.close()
    assert cli.main(["search", "--db", str(db_copy), "--ou", "Créteil", "--quoi", "dialyse", "--rayon", "10"]) == 0
    assert "unité(s)" in capsys.readouterr().out
    reader = duckdb.connect(str(db_copy), read_only=True)
    assert search_index.is_fresh(reader)
    reader.close()


def test_only_the_first_eg_are_shown_and_the_counts_stay_exact(con, monkeypatch):
    whole = find(con, "", "Créteil", 10)
    monkeypatch.setattr(search, "MAX_EG", 5)
    capped = find(con, "", "Créteil", 10)
    assert capped.truncated and not whole.truncated
    assert capped.eg.height == 5
    every = (whole.total_eg, whole.total_uo)
    assert (capped.total_eg, capped.total_uo) == every == (whole.eg.height, whole.units.height)
    assert capped.eg["finess_eg"].to_list() == whole.eg["finess_eg"].head(5).to_list()  # the nearest ones
    every_uo = whole.units.filter(whole.units["finess_eg"].is_in(capped.eg["finess_eg"].implode()))
    assert capped.facets["disciplines"]["n"].sum() == whole.facets["disciplines"]["n"].sum()
    uo = search.units(con, capped)
    assert sorted(uo["uo_id"].to_list()) == sorted(every_uo["uo_id"].to_list())  # all their UO, only theirs
    sheet = openpyxl.load_workbook(io.BytesIO(screen_exports.search_xlsx(capped, uo, {})))["Recherche"]
    values = {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}
    assert values["Établissements"] == f"5 affichés sur {whole.total_eg} (recherche à préciser)"
    assert "Seuls les 5 premiers établissements" in screen_exports.search_text(capped, uo, "table")


def test_one_map_for_both_orders_unless_the_order_chose_the_eg_shown(con, monkeypatch):
    """components/search_reads.map_key, the key of the results map: sorting every EG found moves no marker (one map
    for both orders); a truncated list shows the first EG of its order (a map for each); an EG whose row changed (a
    publication, an hour later) is drawn again."""
    from components.search_reads import map_key

    by_distance = search.SearchQuery(
        ou=search.resolve_place(con, "Créteil"),
        quoi=search.query_terms([], "psychiatrie"),
        rayon_km=20,
        instant=TUESDAY,
    )
    by_score = dataclasses.replace(by_distance, tri="pertinence")
    whole = search.search(con, by_distance), search.search(con, by_score)
    assert sorted(whole[0].eg["finess_eg"]) == sorted(whole[1].eg["finess_eg"])
    assert map_key(whole[0]) == map_key(whole[1])
    changed = whole[0].eg.with_columns(
        statut=pl.when(pl.int_range(pl.len()) == 0).then(pl.lit("ferme")).otherwise("statut")
    )
    assert map_key(dataclasses.replace(whole[0], eg=changed)) != map_key(whole[0])
    monkeypatch.setattr(search, "MAX_EG", 5)
    first = search.search(con, by_distance), search.search(con, by_score)
    assert set(first[0].eg["finess_eg"]) != set(first[1].eg["finess_eg"])
    assert map_key(first[0]) != map_key(first[1])


@pytest.mark.parametrize(
    ("quoi", "ou", "tri"), [("ehpad", None, "pertinence"), ("", None, "distance"), ("ime", "Meaux", "pertinence")]
)
def test_the_first_eg_are_those_of_the_whole_ranking(con, monkeypatch, quoi, ou, tri):
    """The EG shown are a top-k of every EG found: the same as the head of the whole sorted list (ties: FINESS;
    without a place, no distance)."""
    query = search.SearchQuery(
        ou=search.resolve_place(con, ou) if ou else None, quoi=search.query_terms([], quoi), tri=tri, instant=TUESDAY
    )
    whole = search.search(con, query)
    monkeypatch.setattr(search, "MAX_EG", 7)
    capped = search.search(con, query)
    assert capped.truncated
    assert capped.eg.rows() == whole.eg.head(7).rows()


def test_search_and_fiche_give_the_same_status(con):
    result = find(con, "", "Paris", 5)
    sample = search.units(con, result).select("uo_id", "statut", "statut_detail").sort("uo_id")
    assert sample.height > 50
    fiche = opening.statuses(con, sample["uo_id"].to_list(), TUESDAY).select("uo_id", "statut", "statut_detail")
    assert fiche.sort("uo_id").equals(sample)
