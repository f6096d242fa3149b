"""The audit journal: who did what, when, with the values before and after."""

from __future__ import annotations

import json

import duckdb
import polars as pl

from ror.core.db import next_id


def record(
    con: duckdb.DuckDBPyConnection,
    user_login: str,
    action: str,
    target_type: str | None,
    target_id: str | None,
    old_value: dict | None,
    new_value: dict | None,
) -> None:
    """Write one audit row (inside the caller's transaction)."""
    con.execute(
        "INSERT INTO audit (audit_id, user_login, action, target_type, target_id, old_value, new_value) "
        "VALUES ($id, $login, $action, $ttype, $tid, $old, $new)",
        {
            "id": next_id(con, "audit", "audit_id"),
            "login": user_login,
            "action": action,
            "ttype": target_type,
            "tid": target_id,
            "old": _json(old_value),
            "new": _json(new_value),
        },
    )


def record_many(
    con: duckdb.DuckDBPyConnection, user_login: str, rows: list[tuple[str, str, str, dict | None, dict | None]]
) -> None:
    """Write many audit rows at once (inside the caller's transaction): (action, target_type, target_id, old,
    new) each, e.g. the establishments an import created or changed."""
    if not rows:
        return
    first = next_id(con, "audit", "audit_id")
    frame = pl.DataFrame(
        {
            "audit_id": range(first, first + len(rows)),
            "user_login": [user_login] * len(rows),
            "action": [r[0] for r in rows],
            "target_type": [r[1] for r in rows],
            "target_id": [r[2] for r in rows],
            "old_value": [_json(r[3]) for r in rows],
            "new_value": [_json(r[4]) for r in rows],
        },
        schema_overrides={"audit_id": pl.Int64},
    )
    con.register("_audit_rows", frame)
    try:
        con.execute(
            "INSERT INTO audit (audit_id, user_login, action, target_type, target_id, old_value, new_value) "
            "SELECT audit_id, user_login, action, target_type, target_id, old_value, new_value FROM _audit_rows"
        )
    finally:
        con.unregister("_audit_rows")


def _json(value: dict | None) -> str | None:
    return json.dumps(value, default=str, ensure_ascii=False) if value is not None else None
