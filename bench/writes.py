"""The heavy work a person waits for: publishing a dossier of 400 fiches (it holds the base's one write lock, so every
other write waits as long) and the FHIR export of the whole région. Run on a private copy of the base."""

from __future__ import annotations

import json
import time
from pathlib import Path

import duckdb

from bench.base import private_copy
from ror import dossiers
from ror.administration import offer_export
from ror.core import auth, clock, db
from ror.dossiers import drafts

FICHES = 400


def publication_ms(path: Path, fiches: int = FICHES) -> float:
    """Milliseconds of the tutelle's « Valider » on a dossier of `fiches` fiches: every UO of the directeur's
    largest EG changed, the rest new units copied from them (on a copy of the base)."""
    with private_copy(path) as copy:
        con = db.connect(copy)
        try:
            directeur, tutelle, dossier_id = _large_dossier(con, fiches)
            version = drafts.dossier_row(con, dossier_id)["version"]
            dossiers.send(con, directeur, dossier_id, version, clock.today())
            version = drafts.dossier_row(con, dossier_id)["version"]
            started = time.perf_counter()
            dossiers.validate(con, tutelle, dossier_id, version)
            return (time.perf_counter() - started) * 1000
        finally:
            con.close()


def _large_dossier(con: duckdb.DuckDBPyConnection, fiches: int) -> tuple[auth.User, auth.User, int]:
    """The directeur, a tutelle of his EG's département and a draft of `fiches` finalised fiches."""
    finess_eg, directeur_id, tutelle_id = con.sql(
        """
        SELECT e.finess_eg, d.user_id, t.user_id
        FROM eg e
        JOIN user_eg d ON d.finess_eg = e.finess_eg
        JOIN app_user du ON du.user_id = d.user_id AND du.role = 'directeur'
        JOIN user_territoire t ON t.departement = e.departement
        JOIN app_user tu ON tu.user_id = t.user_id AND tu.role = 'tutelle'
        WHERE NOT EXISTS (
            SELECT 1 FROM dossier o
            WHERE o.finess_eg = e.finess_eg AND o.statut IN ('brouillon', 'en_validation', 'programme'))
        ORDER BY (SELECT count(*) FROM uo WHERE uo.finess_eg = e.finess_eg) DESC, e.finess_eg
        LIMIT 1
        """
    ).fetchall()[0]
    directeur, tutelle = auth.load_user(con, directeur_id), auth.load_user(con, tutelle_id)
    dossier_id = dossiers.create(con, directeur, finess_eg)
    with db.transaction(con):
        units = con.sql(
            "SELECT fiche_id, data::VARCHAR FROM dossier_fiche WHERE dossier_id = $d AND niveau = 'UO' ORDER BY 1",
            params={"d": dossier_id},
        ).fetchall()
        for fiche_id, raw in units:
            data = json.loads(raw) | {"telephone": "0140000000"}
            con.execute(
                "UPDATE dossier_fiche SET action = 'modifie', data = $data WHERE fiche_id = $id",
                {"id": fiche_id, "data": json.dumps(data)},
            )
        for n in range(fiches - 1 - len(units)):
            data = json.loads(units[n % len(units)][1])
            drafts.insert_fiche(con, dossier_id, "UO", None, "ajoute", data | {"nom": f"{data['nom']} {n + 2}"})
        con.execute("UPDATE dossier_fiche SET finalise = TRUE WHERE dossier_id = $d", {"d": dossier_id})
    return directeur, tutelle, dossier_id


def fhir_export_ms(con: duckdb.DuckDBPyConnection) -> float:
    """Milliseconds to read the région's published offer and write it as a FHIR Bundle (the Export page's work)."""
    started = time.perf_counter()
    offer = offer_export.load(con, None, offer_export.parse_scope("region"))
    offer_export.render(offer, "fhir")
    return (time.perf_counter() - started) * 1000
