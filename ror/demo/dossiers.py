"""Demo dossiers collaboratifs in every state, made through ror/dossiers/ as the demo users would: a
published one and a refused one (back to draft, with its thread) on the IME, one waiting for the tutelle's
decision on the second SAE site, one scheduled on the EHPAD, and a draft half done. The published one and the
draft each correct an anomalie (ror/demo/anomalies.py makes the others). The first SAE site of the
demo directeur is left free, to create a dossier during a demo."""

from __future__ import annotations

import datetime as dt
import json

import duckdb

from ror import anomalies, dossiers
from ror.demo.activity import demo_user
from ror.dossiers import notifications

RESPONSABLES = ("Dr Isabelle Morel", "M. Thomas Girard", "Mme Fatou Diallo", "Dr Paul Nguyen", "Mme Léa Rousseau")


def _fiches(con: duckdb.DuckDBPyConnection, dossier_id: int) -> list[tuple[int, str, str]]:
    return con.sql(
        "SELECT fiche_id, niveau, action FROM dossier_fiche WHERE dossier_id = $d ORDER BY fiche_id",
        params={"d": dossier_id},
    ).fetchall()


def _units(con: duckdb.DuckDBPyConnection, dossier_id: int) -> list[int]:
    return [f for f, niveau, _ in _fiches(con, dossier_id) if niveau == "UO"]


def _finalise_all(con: duckdb.DuckDBPyConnection, who, dossier_id: int, *, leave: int = 0) -> None:
    """Finalise the fiches (but `leave` of them); the SAE's psychiatry units have no spécialisation de prise
    en charge, which a dossier asks for: the directeur gives « Troubles de l'humeur »; a unit without a
    responsable (the demo leaves some, for the data-quality views) gets one."""
    pending = [f for f, _, action in _fiches(con, dossier_id) if action != "ferme"]
    for fiche_id in pending[: len(pending) - leave]:
        niveau, discipline, codes, responsable = con.sql(
            "SELECT niveau, data->>'discipline', (data->'codes')::VARCHAR, data->>'responsable_nom' "
            "FROM dossier_fiche WHERE fiche_id = $f",
            params={"f": fiche_id},
        ).fetchall()[0]
        changes = {}
        if discipline == "PSY" and "TRE_R245" not in (codes or ""):
            changes["codes"] = {**json.loads(codes or "{}"), "TRE_R245": ["08"]}
        if niveau == "UO" and not responsable:
            changes["responsable_nom"] = RESPONSABLES[fiche_id % len(RESPONSABLES)]
        missing = dossiers.save_fiche(con, who, fiche_id, changes, finalise=True)
        if missing:
            raise RuntimeError(f"demo dossier {dossier_id}: fiche {fiche_id} lacks {missing}")


def _version(con: duckdb.DuckDBPyConnection, dossier_id: int) -> int:
    return con.sql("SELECT version FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0]


def _eg(con: duckdb.DuckDBPyConnection, finess: list[str], categorie: str) -> str:
    return con.sql(
        "SELECT min(finess_eg) FROM eg WHERE list_contains($f, finess_eg) AND categorie_code = $c",
        params={"f": finess, "c": categorie},
    ).fetchall()[0][0]


def add_demo_dossiers(con: duckdb.DuckDBPyConnection, today: dt.date) -> None:
    directeur, referent, tutelle = demo_user(con, "directeur"), demo_user(con, "referent"), demo_user(con, "tutelle-pc")
    mine = list(directeur.finess_eg)
    ime = _eg(con, mine, "183")
    ehpad = _eg(con, mine, "500")
    other = _eg(con, mine, "182")
    second_site = con.sql(
        "SELECT max(finess_eg) FROM eg WHERE list_contains($f, finess_eg) AND source = 'SAE 2023'", params={"f": mine}
    ).fetchall()[0][0]

    # Published: the IME's places raised, validated today; it corrects the anomalie the tutelle reported.
    published = dossiers.create(con, directeur, ime, today=today)
    first_unit = con.sql(
        "SELECT uo_id FROM dossier_fiche WHERE fiche_id = $f", params={"f": _units(con, published)[0]}
    ).fetchall()[0][0]
    wrong_places = anomalies.report(
        con,
        tutelle,
        "UO",
        str(first_unit),
        "Le nombre de places ne correspond pas à l'arrêté d'autorisation du 12 mars : 48 places autorisées.",
        "Lits ou places",
    )
    anomalies.link_dossier(con, directeur, published, [wrong_places])
    dossiers.save_fiche(con, referent, _units(con, published)[0], {"places": 48})
    _finalise_all(con, referent, published)
    dossiers.send(con, directeur, published, _version(con, published), today, today=today)
    dossiers.validate(con, tutelle, published, _version(con, published), today=today)

    # Refused, back to draft: a capacity the authorisation does not cover, and the directeur's answer.
    refused = dossiers.create(con, directeur, ime, today=today)
    dossiers.rename(con, directeur, refused, "Extension de l'IME – places d'internat")
    dossiers.save_fiche(con, directeur, _units(con, refused)[0], {"places": 60})
    _finalise_all(con, directeur, refused)
    dossiers.send(con, directeur, refused, _version(con, refused), today + dt.timedelta(days=7), today=today)
    dossiers.refuse(
        con,
        tutelle,
        refused,
        _version(con, refused),
        "Capacité non conforme à l'autorisation — l'arrêté en vigueur autorise 48 places.",
    )
    dossiers.comment(
        con, directeur, refused, "L'extension à 60 places a été accordée le mois dernier : je joins l'arrêté."
    )

    # Waiting for the tutelle: a phone changed, a unit duplicated and renamed, a unit closed.
    waiting = dossiers.create(con, directeur, second_site, today=today)
    commune = con.sql("SELECT zone FROM eg_zone WHERE finess_eg = $f", params={"f": second_site}).fetchall()[0][0]
    dossiers.rename(con, directeur, waiting, f"Réorganisation des unités – site de {commune}")  # the EG's own
    units = _units(con, waiting)
    dossiers.save_fiche(con, referent, units[0], {"telephone": "01 41 92 00 00"})
    copy = dossiers.duplicate_uo(con, referent, units[0])
    name = con.sql("SELECT data->>'nom' FROM dossier_fiche WHERE fiche_id = $f", params={"f": copy}).fetchall()[0][0]
    dossiers.save_fiche(con, referent, copy, {"nom": name.removeprefix("COPIE DE ") + " BIS", "lits": 12})
    dossiers.close_uo(con, directeur, units[-1])
    _finalise_all(con, directeur, waiting)
    dossiers.send(con, directeur, waiting, _version(con, waiting), today + dt.timedelta(days=3), today=today)

    # Scheduled: a new directeur, validated for a date to come.
    scheduled = dossiers.create(con, directeur, ehpad, today=today)
    eg_fiche = _fiches(con, scheduled)[0][0]
    dossiers.save_fiche(con, directeur, eg_fiche, {"directeur_nom": "Mme Hélène Carpentier"})
    _finalise_all(con, directeur, scheduled)
    dossiers.send(con, directeur, scheduled, _version(con, scheduled), today + dt.timedelta(days=14), today=today)
    dossiers.validate(con, tutelle, scheduled, _version(con, scheduled), today=today)

    # A draft in progress: one fiche left to finalise.
    draft = dossiers.create(con, referent, other, today=today)
    dossiers.save_fiche(con, referent, _units(con, draft)[0], {"responsable_nom": "M. Karim Haddad"})
    _finalise_all(con, referent, draft, leave=1)
    missing_phone = anomalies.report(
        con, demo_user(con, "support"), "EG", other, "Le standard indiqué n'est plus attribué.", "Téléphone"
    )
    anomalies.link_dossier(con, referent, draft, [missing_phone])
    # the tutelle has read what it already decided; what waits for it stays unread
    decided = [str(d) for d in (published, refused, scheduled)]
    read = con.sql(
        "SELECT notification_id FROM notification WHERE cible_type = 'DOSSIER' AND list_contains($d, cible_id)",
        params={"d": decided},
    ).fetchall()
    notifications.mark_read(con, tutelle.user_id, [r[0] for r in read])
