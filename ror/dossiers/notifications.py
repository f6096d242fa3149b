"""Notifications: one message, delivered to several users, each of whom reads or deletes it for himself."""

from __future__ import annotations

import duckdb

from ror.core.db import next_id

TYPES = ("Information", "Succès", "Avertissement", "Erreur")
SOURCES = ("Validation DC", "Refus DC", "Publication", "Erreur", "Anomalie")


def notify(
    con: duckdb.DuckDBPyConnection,
    *,
    type: str,
    source: str,
    objet: str,
    user_ids: list[int],
    cible_type: str | None = None,
    cible_id: str | None = None,
) -> int | None:
    """Write one notification for these users (inside the caller's transaction). None when nobody is to be told."""
    if type not in TYPES or source not in SOURCES:
        raise ValueError(f"notification {type!r} / {source!r} inconnue")
    recipients = sorted(set(user_ids))
    if not recipients:
        return None
    notification_id = next_id(con, "notification", "notification_id")
    con.execute(
        "INSERT INTO notification (notification_id, type, source, objet, cible_type, cible_id) "
        "VALUES ($id, $type, $source, $objet, $ctype, $cid)",
        {"id": notification_id, "type": type, "source": source, "objet": objet, "ctype": cible_type, "cid": cible_id},
    )
    for user_id in recipients:
        con.execute(
            "INSERT INTO notification_destinataire (notification_id, user_id) VALUES ($n, $u)",
            {"n": notification_id, "u": user_id},
        )
    return notification_id


def tutelles_of(con: duckdb.DuckDBPyConnection, departement: str) -> list[int]:
    """The active tutelle accounts whose territory holds the département."""
    rows = con.sql(
        "SELECT user_id FROM app_user JOIN user_territoire USING (user_id) "
        "WHERE role = 'tutelle' AND actif AND departement = $d ORDER BY 1",
        params={"d": departement},
    ).fetchall()
    return [r[0] for r in rows]


def support_accounts(con: duckdb.DuckDBPyConnection) -> list[int]:
    """The active accounts of the support régional."""
    rows = con.sql("SELECT user_id FROM app_user WHERE role = 'support' AND actif ORDER BY 1").fetchall()
    return [r[0] for r in rows]


def people_of(con: duckdb.DuckDBPyConnection, finess_eg: str) -> list[int]:
    """The active directeur and référent accounts of an EG."""
    rows = con.sql(
        "SELECT user_id FROM app_user JOIN user_eg USING (user_id) WHERE actif AND finess_eg = $f ORDER BY 1",
        params={"f": finess_eg},
    ).fetchall()
    return [r[0] for r in rows]


def unread(con: duckdb.DuckDBPyConnection, user_id: int) -> int:
    rows = con.execute(  # every run of every page: bound once (queries.rows)
        "SELECT count(*) FROM notification_destinataire WHERE user_id = $u AND NOT lu AND NOT supprime", {"u": user_id}
    ).fetchall()
    return int(rows[0][0])


def delete_for(con: duckdb.DuckDBPyConnection, user_id: int, notification_id: int) -> None:
    """Delete a notification for this user only (the others still see it)."""
    con.execute(
        "UPDATE notification_destinataire SET supprime = TRUE WHERE notification_id = $n AND user_id = $u",
        {"n": notification_id, "u": user_id},
    )


def mark_read(con: duckdb.DuckDBPyConnection, user_id: int, notification_ids: list[int]) -> None:
    """Mark these notifications read for this user only."""
    con.execute(
        "UPDATE notification_destinataire SET lu = TRUE WHERE user_id = $u AND list_contains($n, notification_id)",
        {"u": user_id, "n": notification_ids},
    )
