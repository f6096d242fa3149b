import polars as pl
import pytest

import queries
from ror.core.permissions import REGION, Scope


@pytest.mark.parametrize("scope", [REGION, Scope(departements=("93",)), Scope(departements=("75", "92"))])
def test_totals_match_the_sum_by_departement(con, scope):
    totals = queries.run(con, "offer_totals", **scope.as_params()).row(0, named=True)
    by_dep = queries.run(con, "offer_by_departement", **scope.as_params())
    assert totals["eg"] == by_dep["eg"].sum()
    assert totals["uo"] == by_dep["uo"].sum()
    assert totals["lits"] == by_dep["lits"].sum() and totals["places"] == by_dep["places"].sum()
    by_discipline = queries.run(con, "offer_by_discipline", **scope.as_params())
    assert totals["uo"] == by_discipline["uo"].sum()


def test_territory_scope_only_returns_its_departements(con):
    by_dep = queries.run(con, "offer_by_departement", **Scope(departements=("75", "92")).as_params())
    assert by_dep["departement"].to_list() == ["75", "92"]
    assert by_dep["nom"].to_list() == ["Paris", "Hauts-de-Seine"]


def test_establishment_scope(con):
    scope = Scope(finess_eg=("750000499",))
    totals = queries.run(con, "offer_totals", **scope.as_params()).row(0, named=True)
    assert totals["ej"] == 1 and totals["eg"] == 1 and totals["uo"] > 5
    points = queries.run(con, "eg_map_points", **scope.as_params())
    assert points["finess_eg"].to_list() == ["750000499"]
    assert points["discipline"].to_list() == ["PSY"]  # CH Sainte-Anne is a psychiatric hospital


def test_map_points_have_coordinates_and_a_discipline_or_none(con):
    points = queries.run(con, "eg_map_points", **REGION.as_params())
    assert points.height == con.sql("SELECT count(*) FROM eg").fetchall()[0][0]
    assert points["lat"].null_count() == 0
    assert set(points["discipline"].drop_nulls().unique()) == {"MCO", "SMR", "PSY", "SLD", "MSS"}


def test_query_names_are_checked():
    with pytest.raises(ValueError):
        queries.sql_text("../secret")


SQL_FILES = sorted(
    p.relative_to(queries.QUERY_DIR).with_suffix("").as_posix() for p in queries.QUERY_DIR.rglob("*.sql")
)


@pytest.mark.parametrize("name", SQL_FILES)
def test_every_query_file_is_described_and_prepares(con, name):
    """Each .sql file starts with the comment that says what it returns, and DuckDB parses and binds it against
    the schema (a misspelt column or table fails here, not in front of a user). `ids`: the frame some queries take."""
    text = queries.sql_text(name)
    assert text.startswith("--"), f"{name}.sql ne commence pas par son commentaire"
    cur = con.cursor()
    cur.register("ids", pl.DataFrame(schema={"finess_eg": pl.String, "uo_id": pl.Int64}))
    cur.execute(f"PREPARE checked AS {text.strip().rstrip(';')}")
    cur.execute("DEALLOCATE checked")
