"""The anomaly queue a person sees (filters, sorts, the « Non assignées » choice), its summary for the home
page, and the delay after which an open anomaly is late (an administrator's setting)."""

from __future__ import annotations

import duckdb
import polars as pl

import queries
from ror.anomalies.reports import (
    DEFAULT_DELAY,
    DELAY_KEY,
    OPEN_STATES,
    STATUS_LABELS,
    AnomalyError,
    visible_scope,
)
from ror.core import db, settings
from ror.core.auth import User

# ---------------------------------------------------------------------------------------------------------
# The queue, its summary and the delay setting

SORTS = {
    "anciennete": "Plus anciennes d'abord",
    "recentes": "Plus récentes d'abord",
    "activite": "Dernière activité",
    "departement": "Département",
    "etablissement": "Établissement",
    "relances": "Plus relancées",
}
_SORT_COLUMNS = {
    "anciennete": (["created_at"], [False]),
    "recentes": (["created_at"], [True]),
    "activite": (["updated_at"], [True]),
    "departement": (["departement", "created_at"], [False, False]),
    "etablissement": (["etablissement", "created_at"], [False, False]),
    "relances": (["relances", "created_at"], [True, False]),
}
NOBODY = -1  # the assignee filter « Non assignées »


def queue(
    con: duckdb.DuckDBPyConnection,
    user: User,
    *,
    statuts: list[str] | None = None,
    niveaux: list[str] | None = None,
    departements: list[str] | None = None,
    etablissement: str | None = None,
    assignee_id: int | None = None,
    age_min: int | None = None,
    mine: bool = False,
    target: tuple[str, str] | None = None,
    tri: str = "anciennete",
    anomalie_id: int | None = None,
) -> pl.DataFrame:
    """The anomalies this user may see, filtered (None / empty: no filter) and sorted (a key of SORTS)."""
    columns, descending = _SORT_COLUMNS[tri]
    found = queries.run(
        con,
        "anomalies_list",
        **visible_scope(user),
        statuts=statuts or None,
        niveaux=niveaux or None,
        deps=departements or None,
        etablissement=(etablissement or "").strip() or None,
        assignee_id=assignee_id,
        age_min=age_min,
        mine=user.user_id if mine else None,
        target_type=target[0] if target else None,
        target_id=str(target[1]) if target else None,
        anomalie_id=anomalie_id,
    )
    return found.sort(columns, descending=descending, nulls_last=True, maintain_order=True)


def one(con: duckdb.DuckDBPyConnection, user: User, anomalie_id: int) -> dict | None:
    """One report as the queue shows it, or None when it does not exist or the user may not see it."""
    found = queue(con, user, anomalie_id=anomalie_id)
    return found.row(0, named=True) if found.height else None


def summary(con: duckdb.DuckDBPyConnection, user: User, *, oldest: int = 10) -> dict:
    """For the support (and a tutelle, on its territory): counts by status and département, open and late
    counts, the median age of the open reports and the oldest open ones."""
    found = queue(con, user)
    delay = delay_days(con)
    open_ = found.filter(pl.col("statut").is_in(OPEN_STATES))
    by_departement = (
        found.group_by("departement")
        .agg([(pl.col("statut") == s).sum().alias(STATUS_LABELS[s]) for s in STATUS_LABELS])
        .with_columns(pl.sum_horizontal(list(STATUS_LABELS.values())).alias("Total"))
        .sort("departement")
        .rename({"departement": "Département"})
    )
    return {
        "total": found.height,
        "open": open_.height,
        "late": open_.filter(pl.col("age_jours") > delay).height,
        "median_age": open_["age_jours"].median() if open_.height else None,
        "delay": delay,
        "by_status": {STATUS_LABELS[s]: int((found["statut"] == s).sum()) for s in STATUS_LABELS},
        "by_departement": by_departement,
        "oldest": open_.sort(["age_jours", "anomalie_id"], descending=[True, False]).head(oldest),
    }


def delay_days(con: duckdb.DuckDBPyConnection) -> int:
    """Past this age (days) an open report is late (setting 'anomalie_delai_jours')."""
    return db.integer_setting(con, DELAY_KEY, DEFAULT_DELAY)


def set_delay_days(con: duckdb.DuckDBPyConnection, user: User, days: int) -> None:
    settings.set_integer(
        con,
        user,
        DELAY_KEY,
        days,
        (1, 365),
        AnomalyError,
        "Le délai de traitement doit être un nombre de jours entre 1 et 365.",
    )
