"""The audit journal: who did what, when, with the values before and after."""

from __future__ import annotations

import json

import duckdb

from ror.db import next_id


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
            "old": json.dumps(old_value, default=str, ensure_ascii=False) if old_value is not None else None,
            "new": json.dumps(new_value, default=str, ensure_ascii=False) if new_value is not None else None,
        },
    )
