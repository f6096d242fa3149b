"""The search engine on the demo database: places, terms, ranking, distance, travel time, filters, bad input,
exports and the CLI."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import re

import openpyxl
import polars as pl
import pytest

from ror import cli
from ror.administration import screen_exports
from ror.recherche import geo, search, travel
from ror.recherche.filters import FILTERS, Filters

TUESDAY = dt.datetime(2026, 11, 24, 10, 30)


def place(con, text: str) -> search.Place:
    return search.resolve_place(con, text)


def run(con, ou=None, quoi="", rayon=None, **filters) -> search.SearchResult:
    query = search.SearchQuery(
        ou=place(con, ou) if ou else None,
        quoi=search.query_terms([], quoi),
        rayon_km=rayon,
        filters=Filters(**filters),
        instant=TUESDAY,
    )
    return search.search(con, query)


def test_normalise():
    assert search.normalise("  Évry-Courcouronnes ") == "evry courcouronnes"
    assert search.normalise("St-Maur") == "saint maur"
    assert search.normalise("Ste Geneviève") == "sainte genevieve"
    assert search.normalise("<script>'; DROP TABLE uo;--") == "script drop table uo"


def test_query_terms():
    assert search.query_terms(["Institut médico-éducatif (IME)"], "autisme de l'enfant") == (
        "institut medico educatif ime",
        "autisme",
        "enfant",
    )
    assert len(search.query_terms([], "mot " * 3000)) == 1
    assert len(search.query_terms([], " ".join(f"mot{i}" for i in range(50)))) == search.MAX_TERMS


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("cre", "Créteil"),
        ("CRETEIL", "Créteil"),
        ("st maur", "Saint-Maur-des-Fossés"),
        ("94300", "Vincennes"),
        ("saint-denis", "Saint-Denis"),
    ],
)
def test_place_suggestions(con, typed, expected):
    assert search.suggest_places(con, typed)[0].libelle == expected


def test_place_suggestions_start_at_the_third_letter(con):
    assert search.suggest_places(con, "cr") == []
    assert search.suggest_places(con, "zzzqqq") == []


def test_an_establishment_is_a_place(con):
    found = search.suggest_places(con, "750100018")[0]
    assert found.type == "eg" and "HOTEL DIEU" in found.libelle


def test_term_suggestions(con):
    found = search.suggest_terms(con, "dialy")
    assert "Hémodialyse chronique" in found["libelle"].to_list()
    assert (found["uo"] > 0).all()
    assert search.suggest_terms(con, "di").is_empty()
    ime = search.suggest_terms(con, "ime")
    assert ime["libelle"][0] == "Institut médico-éducatif (IME)"  # a 3-letter term does not match inside words


def test_distance_known_pairs():
    assert geo.haversine_km(48.8566, 2.3522, 45.7640, 4.8357) == pytest.approx(392, abs=2)  # Paris-Lyon
    assert geo.haversine_km(48.8566, 2.3522, 48.8049, 2.1204) == pytest.approx(17.9, abs=0.3)  # Paris-Versailles


def test_sql_distance_matches_python(con):
    uo = search.units(con, run(con, ou="Versailles", quoi="dialyse", rayon=30))
    first = uo.row(0, named=True)
    versailles = place(con, "Versailles")
    assert first["distance_km"] == pytest.approx(
        geo.haversine_km(versailles.lat, versailles.lon, first["lat"], first["lon"]), abs=0.06
    )
    assert uo["distance_km"].max() <= 30
    assert uo["distance_km"].is_sorted()


def test_travel_time_model():
    frame = pl.DataFrame(
        {"km": [0.0, 5.0, 5.0, 40.0, None], "zone": ["paris", "paris", "rural", "grande_couronne", "paris"]}
    )
    minutes = frame.select(travel.minutes_expr(pl.col("km"), pl.lit("paris"), pl.col("zone")).round(0)).to_series()
    minutes = minutes.to_list()
    assert minutes[0] == 0
    assert minutes[1] == round(5 * 1.3 / 15 * 60)  # 26 min across Paris
    assert minutes[2] < minutes[1]  # faster towards the countryside
    assert minutes[3] == round((10 / 25 + (40 * 1.3 - 10) / 70) * 60)
    assert minutes[4] is None
    assert travel.zone_of("75", 2_100_000) == "paris"
    assert travel.zone_of("93", 100_000) == "petite_couronne"
    assert travel.zone_of("77", 800) == "rural"
    assert travel.zone_of("78", 85_000) == "grande_couronne"
    places = [("75", 2_100_000), ("93", 100_000), ("77", 800), ("78", 85_000), ("77", None), (None, 500), ("2A", 1999)]
    frame = pl.DataFrame(places, schema={"departement": pl.String, "population": pl.Int64}, orient="row")
    assert frame.select(travel.zone_expr()).to_series().to_list() == [travel.zone_of(*p) for p in places]


def test_ranking_prefers_the_type_to_free_text(con):
    result = search.search(
        con, search.SearchQuery(quoi=search.query_terms([], "ime"), tri="pertinence", instant=TUESDAY)
    )
    uo = search.units(con, result)
    top = uo.head(20)
    assert (top["type_libelle"] == "Institut médico-éducatif (IME)").all()
    assert uo["score"].is_sorted(descending=True)
    assert result.eg["score"].is_sorted(descending=True)


def test_terms_combine(con):
    ime = run(con, quoi="ime").total_uo
    both = search.units(con, run(con, quoi="ime autisme"))
    assert 0 < both.height < ime
    assert (both["type_libelle"] == "Institut médico-éducatif (IME)").all()


def test_fuzzy_match(con):
    assert not run(con, quoi="hemodialise").empty


def test_filters_and_their_counts(con):
    base = run(con, ou="Créteil", rayon=15)
    open_count = base.facets["ouvert"]["n"][0]
    opened = run(con, ou="Créteil", rayon=15, ouvert=True)
    assert opened.total_uo == open_count and (search.units(con, opened)["statut"] == "ouvert").all()
    mss = base.facets["disciplines"].filter(pl.col("value") == "MSS")["n"][0]
    only_mss = run(con, ou="Créteil", rayon=15, disciplines=("MSS",))
    assert only_mss.total_uo == mss
    # the discipline facet still counts the other disciplines (with every other filter applied)
    assert only_mss.facets["disciplines"].height > 1
    children = run(con, ou="Créteil", rayon=15, public="enfants", age=8)
    assert children.units["public_enfants"].all()
    assert ((children.units["age_min"].fill_null(0) <= 8) & (children.units["age_max"].fill_null(99) >= 8)).all()


def test_every_declared_filter_restricts_and_is_counted(con):
    """One row of FILTERS per field of Filters; each, given the most frequent value of its counts, keeps exactly
    the units its count promised (with every other filter applied), and the export's summary names it."""
    assert [f.name for f in FILTERS] == [field.name for field in dataclasses.fields(Filters)]
    assert len({f.param for f in FILTERS}) == len(FILTERS)
    base = run(con, ou="Créteil", rayon=15)
    for f in FILTERS:
        if not f.counted:
            continue
        top = base.facets[f.name].row(0, named=True)
        chosen = {"values": (top["value"],), "codes": (top["value"],), "public": top["value"], "ouvert": True}
        narrowed = run(con, ou="Créteil", rayon=15, **{f.name: chosen[f.kind]})
        assert narrowed.total_uo == top["n"] > 0, f.name
        assert f.summary in search.describe(narrowed.query)
    aged = run(con, ou="Créteil", rayon=15, age=8)
    assert 0 < aged.total_uo < base.total_uo and search.describe(aged.query)["Âge"] == "8 ans"


def test_a_query_asks_something_once_a_place_terms_a_territory_or_a_filter_is_given(con):
    assert not search.SearchQuery().asks_something
    assert search.SearchQuery(ou=place(con, "Créteil")).asks_something
    assert search.SearchQuery(quoi=("ime",)).asks_something
    assert search.SearchQuery(territoire=("93",)).asks_something
    assert search.SearchQuery(filters=Filters(age=8)).asks_something


def test_results_are_grouped_by_eg(con):
    result = run(con, ou="Créteil", quoi="ime", rayon=10)
    uo = search.units(con, result)
    assert result.eg["uo"].sum() == result.units.height == uo.height == result.total_uo
    assert result.eg["finess_eg"].is_unique().all()
    assert result.eg["distance_km"].is_sorted()
    # an EG row says what its UO say: name, distance, time, how many are open
    by_eg = uo.group_by("finess_eg").agg(
        pl.col("eg_nom").first(),
        pl.col("distance_km").first(),
        pl.col("temps_min").first(),
        (pl.col("statut") == "ouvert").sum().alias("uo_ouvertes"),
    )
    columns = ["finess_eg", "eg_nom", "distance_km", "temps_min", "uo_ouvertes"]
    assert result.eg.select(columns).sort("finess_eg").equals(by_eg.select(columns).sort("finess_eg"))
    assert (result.eg["statut"] == "ouvert").to_list() == (result.eg["uo_ouvertes"] > 0).to_list()
    # the UO of one EG: those of the whole result with that FINESS
    one = result.eg["finess_eg"][1]
    assert search.units(con, result, [one]).equals(uo.filter(pl.col("finess_eg") == one))


def test_territory(con):
    result = search.search(con, search.SearchQuery(quoi=("dialyse",), territoire=("93",), instant=TUESDAY))
    assert set(result.units["departement"]) == set(result.eg["departement"]) == {"93"}


@pytest.mark.parametrize("rayon", [0, -5, 10_000])
def test_bad_radius(con, rayon):
    with pytest.raises(search.SearchError, match="rayon"):
        run(con, ou="Créteil", rayon=rayon)


def test_unknown_place(con):
    with pytest.raises(search.SearchError, match="Lieu introuvable"):
        search.resolve_place(con, "Xyzzyville")


@pytest.mark.parametrize("text", ["zzzzzzqqqqq", "x" * 5000, "'; DROP TABLE uo; --", "<b>ime</b><script>"])
def test_odd_queries_never_fail(con, text):
    result = run(con, quoi=text)
    assert isinstance(search.units(con, result), pl.DataFrame)
    assert con.sql("SELECT count(*) FROM uo").fetchall()[0][0] > 0


def test_excel_export_reads_back(con):
    result = run(con, ou="Créteil", quoi="dialyse", rayon=10)
    uo = search.units(con, result)
    data = screen_exports.search_xlsx(result, uo, {"Où": "Créteil", "Quoi": "dialyse"})
    book = openpyxl.load_workbook(io.BytesIO(data))
    rows = list(book["Résultats"].values)
    assert rows[0][:3] == ("FINESS EG", "Établissement", "Commune")
    assert len(rows) == uo.height + 1 == result.total_uo + 1
    assert {r[0] for r in rows[1:]} == set(result.eg["finess_eg"])
    about = dict(book["Recherche"].values)
    assert about["Quoi"] == "dialyse"


def test_cli_json(demo_db, capsys):
    code = cli.main(
        [
            "search",
            "--db",
            str(demo_db),
            "--ou",
            "Créteil",
            "--quoi",
            "dialyse",
            "--rayon",
            "10",
            "--format",
            "json",
            "--le",
            "2026-11-24T10:30",
        ]
    )
    assert code == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows and {"finess_eg", "uo_id", "nom", "distance_km", "temps_min", "statut", "public"} <= set(rows[0])


def test_cli_table_csv_and_errors(demo_db, capsys):
    assert cli.main(["search", "--db", str(demo_db), "--ou", "94300", "--quoi", "ime"]) == 0
    table = capsys.readouterr().out
    assert re.search(r"\b\d+,\d\b", table) and not re.search(r"\b\d+\.\d\b", table)  # « 2,3 » km, never « 2.3 »
    assert "unité(s)" in table
    assert cli.main(["search", "--db", str(demo_db), "--quoi", "dialyse", "--format", "csv"]) == 0
    assert capsys.readouterr().out.startswith("FINESS EG;Établissement")
    assert cli.main(["search", "--db", str(demo_db), "--ou", "Xyzzyville"]) == 1
    assert "Lieu introuvable" in capsys.readouterr().err
    assert cli.main(["search", "--db", str(demo_db), "--ou", "Paris", "--rayon", "0"]) == 1
    assert cli.main(["search", "--db", str(demo_db), "--quoi", "zzzzqqqq"]) == 0
    assert "Aucune unité" in capsys.readouterr().out
