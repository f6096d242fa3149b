"""Favourites: the EJ, EG and UO a user keeps at hand (the « Favoris » view of the tree)."""

from __future__ import annotations

import duckdb

from ror.core import audit, db
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.permissions import signed_in

KINDS = {"ej": "EJ", "eg": "EG", "uo": "UO"}


class FavoriError(UserError):
    """A favourite that cannot be added, with the French message to show."""


def _target(key: str) -> tuple[str, str]:
    kind, _, ident = key.partition(":")
    if kind not in KINDS or not ident:
        raise FavoriError("Seuls une entité juridique, un établissement ou une unité peuvent être mis en favori.")
    return KINDS[kind], ident


def keys(con: duckdb.DuckDBPyConnection, user: User) -> set[str]:
    """The keys ('eg:<FINESS>' …) of the user's favourites."""
    rows = con.sql(
        "SELECT target_type, target_id FROM favori WHERE user_id = $u", params={"u": user.user_id}
    ).fetchall()
    return {f"{t.lower()}:{i}" for t, i in rows}


def add(con: duckdb.DuckDBPyConnection, user: User, key: str) -> None:
    target_type, target_id = _target(key)
    with db.transaction(con):
        user = signed_in(con, user)
        con.execute(
            "INSERT INTO favori (user_id, target_type, target_id) VALUES ($u, $t, $i) ON CONFLICT DO NOTHING",
            {"u": user.user_id, "t": target_type, "i": target_id},
        )
        audit.record(con, user.login, "favori.ajouter", target_type, target_id, None, None)


def remove(con: duckdb.DuckDBPyConnection, user: User, key: str) -> None:
    target_type, target_id = _target(key)
    with db.transaction(con):
        user = signed_in(con, user)
        con.execute(
            "DELETE FROM favori WHERE user_id = $u AND target_type = $t AND target_id = $i",
            {"u": user.user_id, "t": target_type, "i": target_id},
        )
        audit.record(con, user.login, "favori.retirer", target_type, target_id, None, None)
