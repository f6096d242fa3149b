"""Demo activity: a few favourites and mises à jour opérationnelles made through ror/ as the demo users would,
so that the favourites view and the fiches' history show something from the first start."""

from __future__ import annotations

import datetime as dt

import duckdb

from ror.core.auth import load_user
from ror.repertoire import favoris, updates


def demo_user(con: duckdb.DuckDBPyConnection, login: str):
    return load_user(
        con, con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    )


def add_demo_activity(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    """Run after the demo users exist; each call is one audited transaction, as in the app."""
    directeur, referent = demo_user(con, "directeur"), demo_user(con, "referent")
    sanitaire = con.sql(
        "SELECT min(finess_eg) FROM eg WHERE source = 'SAE 2023' AND list_contains($f, finess_eg)",
        params={"f": list(directeur.finess_eg)},
    ).fetchall()[0][0]
    units = [
        r[0]
        for r in con.sql(
            "SELECT uo_id FROM uo WHERE finess_eg = $f ORDER BY uo_id LIMIT 2", params={"f": sanitaire}
        ).fetchall()
    ]
    updates.update_eg(con, directeur, sanitaire, {"mail_alerte": "cellule.crise@demo.ror-idf.fr"}, today=today)
    domain = con.sql("SELECT split_part(email, '@', 2) FROM uo WHERE uo_id = $id", params={"id": units[0]}).fetchall()
    new_head = {
        "responsable_nom": "Dr Anne Lefort",
        "responsable_email": f"anne.lefort@{domain[0][0] or 'demo.ror-idf.fr'}",
    }
    updates.update_uo(con, referent, units[0], new_head, today=today)  # a new head of unit: her name and her e-mail
    updates.update_uo(
        con, referent, units[-1], {"telephone": "01 47 00 00 00"}, date_effet=today - dt.timedelta(days=2), today=today
    )
    for login, keys in (
        ("directeur", [f"eg:{e}" for e in directeur.finess_eg]),
        ("support", ["ej:750712184"]),  # AP-HP
    ):
        for key in keys:
            favoris.add(con, demo_user(con, login), key)
