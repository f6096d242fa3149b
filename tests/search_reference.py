"""The search as it was before the in-memory engine (ror/recherche/engine.py): the whole search in one SQL statement
(queries/search_reference.sql) then the filters, counts and grouping by EG in polars. Kept as the reference the engine
is checked against on the bench's queries (tests/test_search_engine.py): same units, same EG in the same order, same
counts. Not used by the app."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror.recherche import search
from ror.recherche.filters import BY_NAME, FACETS, FILTERS, FIXED_LABELS, SYSTEMS, Filter
from ror.repertoire import opening


@dataclass
class Reference:
    units: pl.DataFrame  # the UO found after the filters (what ranking needs)
    eg: pl.DataFrame  # the EG shown, described, in order
    facets: dict[str, pl.DataFrame]
    before_filters: int
    total_uo: int
    total_eg: int


def run(con: duckdb.DuckDBPyConnection, query: search.SearchQuery) -> Reference:
    query = query.checked()
    moment = opening.Moment.at(opening.local(query.instant)).as_params()
    place = query.ou
    candidates = queries.run(
        con,
        "search_reference",
        terms=list(query.quoi),
        lat=place.lat if place else None,
        lon=place.lon if place else None,
        rayon=query.rayon_km if place is not None else None,
        departements=list(query.territoire) if query.territoire is not None else None,
        **{name: moment[name] for name in ("date", "minute", "jour", "veille")},
    )
    masks = {name: _mask(BY_NAME[name], value) for name, value in query.filters.chosen().items()}
    found = candidates.filter(pl.all_horizontal(True, *masks.values()))
    every_eg = found.group_by("finess_eg").agg(
        pl.col("distance_km").min(),
        pl.col("score").max(),
        pl.len().alias("uo"),
        pl.col("ouvert").sum().alias("uo_ouvertes"),
    )
    order = ["score", "distance_km"] if query.tri == "pertinence" else ["distance_km", "score"]
    by, descending = [*order, "finess_eg"], [name == "score" for name in order] + [False]
    eg = every_eg.sort(by, descending=descending, nulls_last=True).head(search.MAX_EG)
    described = (
        eg.join(queries.run(con, "search_eg"), on="finess_eg", how="left", maintain_order="left")
        .with_columns(
            temps_min=search._minutes(place),
            statut=pl.when(pl.col("uo_ouvertes") > 0).then(pl.lit("ouvert")).otherwise(pl.lit("ferme")),
        )
        .with_columns(pl.col("distance_km").round(1))
        .select(search.EG_COLUMNS)
    )
    return Reference(
        units=found,
        eg=described,
        facets=_facets(con, candidates, masks),
        before_filters=candidates.height,
        total_uo=found.height,
        total_eg=every_eg.height,
    )


def _mask(f: Filter, chosen) -> pl.Expr:
    """The units that pass a filter with the value `chosen` (not empty)."""
    if f.kind == "values":
        return pl.col(f.column).is_in(list(chosen))
    if f.kind == "codes":
        return pl.col(f.column).list.eval(pl.element().is_in(list(chosen))).list.any()
    if f.kind == "public":
        return pl.col(f"public_{chosen}")
    if f.kind == "age":
        return (pl.col("age_min").fill_null(0) <= chosen) & (pl.col("age_max").fill_null(200) >= chosen)
    return pl.col("ouvert")


def _facets(con, candidates: pl.DataFrame, masks: dict[str, pl.Expr]) -> dict[str, pl.DataFrame]:
    """For each filter, the count of UO per value with every other filter applied."""
    labels = queries.run(con, "nomenclature_labels", systems=list(SYSTEMS.values())).select(
        facet=pl.col("system").replace_strict({v: k for k, v in SYSTEMS.items()}),
        value="code",
        libelle="libelle",
        rang=pl.lit(0, dtype=pl.Int32),
    )

    def kept(name: str, column: str) -> pl.Expr:
        others = [mask for other, mask in masks.items() if other != name]
        return pl.col(column).filter(pl.all_horizontal(others)) if others else pl.col(column)

    def count(values: pl.Expr) -> pl.Expr:
        return values.drop_nulls().alias("value").value_counts(name="n").implode()

    def total(value: str, column: str, name: str) -> pl.Expr:
        return pl.struct(value=pl.lit(value), n=kept(name, column).sum().cast(pl.UInt32))

    def counts(f: Filter) -> pl.Expr:
        if f.kind == "values":
            return count(kept(f.name, f.column))
        if f.kind == "codes":
            return count(kept(f.name, f.column).explode())
        if f.kind == "public":
            return pl.concat_list(total(value, f"public_{value}", f.name) for value in ("enfants", "adultes"))
        return pl.concat_list(total(f.name, f.name, f.name))

    found = (
        candidates.select(counts(f).alias(f.name) for f in FILTERS if f.counted)
        .unpivot(variable_name="facet", value_name="count")
        .explode("count")
        .drop_nulls("count")
        .unnest("count")
        .join(pl.concat([FIXED_LABELS, labels]), on=["facet", "value"], how="left")
        .with_columns(libelle=pl.coalesce("libelle", "value"))
        .sort(["facet", "rang", "n", "libelle"], descending=[False, False, True, False])
        .select("facet", "value", "n", "libelle")
        .partition_by("facet", as_dict=True, include_key=False)
    )
    empty = pl.DataFrame(schema={"value": pl.String, "n": pl.UInt32, "libelle": pl.String})
    return {name: found.get((name,), empty) for name in FACETS}
