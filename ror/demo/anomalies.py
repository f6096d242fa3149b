"""Demo anomalies in every state, made through ror/anomalies/ as the demo users would, then aged: new ones
(one late), some in progress (assigned, commented, followed up), resolved, rejected, a duplicate, and some in
départements without a demo tutelle (the support's alone). The dossiers' own are in ror/demo/dossiers.py."""

from __future__ import annotations

import datetime as dt

import duckdb

from ror import anomalies
from ror.core import clock
from ror.demo.activity import demo_user


def _one(con: duckdb.DuckDBPyConnection, sql: str, **params):
    return con.sql(sql, params=params or None).fetchall()[0][0]


def _unit(con: duckdb.DuckDBPyConnection, departement: str, discipline: str) -> str:
    return str(
        _one(
            con,
            "SELECT min(uo_id) FROM uo JOIN eg USING (finess_eg) WHERE eg.departement = $d AND uo.discipline = $g "
            "AND uo.statut = 'active'",
            d=departement,
            g=discipline,
        )
    )


def _establishment(con: duckdb.DuckDBPyConnection, departement: str, source: str) -> str:
    return _one(con, "SELECT min(finess_eg) FROM eg WHERE departement = $d AND source = $s", d=departement, s=source)


def _version(con: duckdb.DuckDBPyConnection, anomalie_id: int) -> int:
    return anomalies.get(con, anomalie_id)["version"]


def _age(con: duckdb.DuckDBPyConnection, anomalie_id: int, days: int, now: dt.datetime) -> None:
    """Move a report's history back in time: reported `days` ago, its later events spread until yesterday,
    its notifications at the time of the event they followed."""
    events = con.sql(
        "SELECT event_id, created_at FROM anomalie_evenement WHERE anomalie_id = $a ORDER BY created_at, event_id",
        params={"a": anomalie_id},
    ).fetchall()
    start = clock.shifted(now, -dt.timedelta(days=days))
    step = dt.timedelta(days=max(days - 1, 0)) / max(len(events) - 1, 1)
    moved = {}
    for index, (event_id, original) in enumerate(events):
        moved[original] = clock.shifted(start, step * index)
        con.execute(
            "UPDATE anomalie_evenement SET created_at = $t WHERE event_id = $e", {"t": moved[original], "e": event_id}
        )
    notes = con.sql(
        "SELECT notification_id, created_at FROM notification WHERE cible_type = 'ANOMALIE' AND cible_id = $a",
        params={"a": str(anomalie_id)},
    ).fetchall()
    for notification_id, original in notes:
        when = max((new for old, new in moved.items() if old <= original), default=start)
        con.execute(
            "UPDATE notification SET created_at = $t WHERE notification_id = $n", {"t": when, "n": notification_id}
        )
    last = max(moved.values())
    con.execute(
        "UPDATE anomalie SET created_at = $start, updated_at = $last, "
        "closed_at = CASE WHEN closed_at IS NULL THEN NULL ELSE $last END WHERE anomalie_id = $a",
        {"start": start, "last": last, "a": anomalie_id},
    )


def add_demo_anomalies(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> None:
    """Run after the demo users and dossiers exist."""
    directeur, referent = demo_user(con, "directeur"), demo_user(con, "referent")
    tutelle93, tutelle = demo_user(con, "tutelle93"), demo_user(con, "tutelle-pc")
    support, support2 = demo_user(con, "support"), demo_user(con, "support2")
    ehpad = _one(
        con,
        "SELECT min(finess_eg) FROM eg WHERE list_contains($f, finess_eg) AND categorie_code = '500'",
        f=list(directeur.finess_eg),
    )
    own_site = min(directeur.finess_eg)
    aged = []

    # New, late: an address the directeur noticed in Paris (anyone may report anywhere).
    late = anomalies.report(
        con,
        directeur,
        "EG",
        _establishment(con, "75", "généré"),
        "L'adresse indiquée est celle de l'ancien site : l'établissement a déménagé au 12 rue de la Santé.",
        "Adresse",
    )
    aged.append((late, 41))

    # New: a phone that no longer answers, reported by the tutelle of the 93; then reported again (a duplicate).
    unit_93 = _unit(con, "93", "MCO")
    phone = anomalies.report(
        con,
        tutelle93,
        "UO",
        unit_93,
        "Le numéro de téléphone de l'unité ne répond plus depuis une semaine.",
        "Téléphone",
    )
    again = anomalies.report(con, referent, "UO", unit_93, "Téléphone injoignable (tonalité « numéro non attribué »).")
    anomalies.mark_duplicate(con, tutelle93, again, _version(con, again), phone)
    aged += [(phone, 4), (again, 2)]

    # In progress on the directeur's EHPAD: assigned to the tutelle, followed up twice by the support, answered.
    ehpad_report = anomalies.report(
        con,
        tutelle,
        "EG",
        ehpad,
        "Le mail d'alerte renseigné revient en erreur (boîte inexistante) : il est indispensable en cas de crise.",
        "Mail d'alerte",
    )
    anomalies.assign(con, tutelle, ehpad_report, _version(con, ehpad_report), tutelle.user_id)
    anomalies.relance(con, support, ehpad_report, _version(con, ehpad_report))
    anomalies.relance(con, support, ehpad_report, _version(con, ehpad_report))
    anomalies.comment(
        con,
        directeur,
        ehpad_report,
        "Nous créons une nouvelle boîte fonctionnelle, la fiche sera corrigée cette semaine.",
    )
    aged.append((ehpad_report, 23))

    # In progress, on an EJ: the support corrects a raison sociale with the FINESS team.
    ej = _one(con, "SELECT finess_ej FROM eg WHERE finess_eg = $f", f=_establishment(con, "94", "SAE 2023"))
    ej_report = anomalies.report(
        con,
        support2,
        "EJ",
        ej,
        "La raison sociale ne correspond plus au FINESS depuis la fusion des établissements.",
        "Raison sociale",
    )
    anomalies.assign(con, support2, ej_report, _version(con, ej_report), support.user_id)
    anomalies.comment(con, support, ej_report, "Demande de mise à jour transmise à l'équipe FINESS de l'ARS.")
    aged.append((ej_report, 12))

    # New, on the directeur's free site: the référent's own report about the week-end hours.
    own = anomalies.report(
        con,
        referent,
        "UO",
        _one(con, "SELECT min(uo_id) FROM uo WHERE finess_eg = $f", f=own_site),
        "Les horaires du week-end ne sont pas ceux de l'unité : fermée le dimanche.",
        "Semaine type (horaires)",
    )
    aged.append((own, 1))

    # Resolved in the 94, rejected in the 92.
    resolved = anomalies.report(
        con,
        referent,
        "UO",
        _unit(con, "94", "SMR"),
        "Le responsable de l'unité a changé (Dr Martin est parti).",
        "Responsable",
    )
    anomalies.assign(con, tutelle, resolved, _version(con, resolved), tutelle.user_id)
    anomalies.comment(con, tutelle, resolved, "L'établissement a mis sa fiche à jour.")
    anomalies.change_status(con, tutelle, resolved, _version(con, resolved), "resolue")
    rejected = anomalies.report(
        con,
        directeur,
        "EG",
        _establishment(con, "92", "généré"),
        "La catégorie de l'établissement semble fausse.",
        "Catégorie",
    )
    anomalies.change_status(
        con,
        tutelle,
        rejected,
        _version(con, rejected),
        "rejetee",
        motif="L'information du répertoire est exacte — catégorie conforme au FINESS.",
    )
    aged += [(resolved, 16), (rejected, 9)]

    # Where no demo tutelle is: the support's alone (one of them long overdue).
    for departement, days, text, champ in (
        ("77", 63, "L'établissement est fermé depuis 2024 mais figure toujours dans le répertoire.", "Autre"),
        ("91", 6, "La position sur la carte est à plusieurs kilomètres de l'adresse.", "Position sur la carte"),
        ("95", 18, "Le directeur indiqué n'est plus en poste.", "Directeur"),
    ):
        found = anomalies.report(con, tutelle, "EG", _establishment(con, departement, "SAE 2023"), text, champ)
        aged.append((found, days))
    anomalies.assign(con, support, aged[-1][0], _version(con, aged[-1][0]), support2.user_id)

    for anomalie_id, days in aged:
        _age(con, anomalie_id, days, now)
