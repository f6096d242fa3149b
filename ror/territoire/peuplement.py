"""The peuplement phase of each département (ROR-IF user guide, « Phase de peuplement (P3) »).

While a département is in « peuplement », every change of one of its establishments goes through a dossier
collaboratif: each EG without units gets its dossier « Peuplement de <EG> », which its directeur completes (the EG
fiche, a fiche per unit), sends for validation and the tutelle validates. Once the territory's peuplement dossiers
are published, the administrator switches the département to « exploitation »: operational updates (phones, e-mails,
planning, responsable) are then made directly on the fiche, structural ones still through a dossier.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import polars as pl

import queries
from ror.core import audit, clock, db
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.permissions import PermissionDenied, require
from ror.dossiers import workflow
from ror.dossiers.drafts import OPEN_STATES

PEUPLEMENT, EXPLOITATION = "peuplement", "exploitation"
PHASE_LABELS = {PEUPLEMENT: "Peuplement", EXPLOITATION: "Exploitation"}
DOSSIER_PREFIX = "Peuplement de "


class PhaseError(UserError):
    """A change of phase that cannot be made as asked, and why (French)."""


def phase_of(con: duckdb.DuckDBPyConnection, departement: str) -> str:
    rows = con.sql("SELECT phase FROM departement WHERE code = $d", params={"d": departement}).fetchall()
    return rows[0][0] if rows and rows[0][0] else EXPLOITATION


def require_exploitation(con: duckdb.DuckDBPyConnection, finess_eg: str) -> None:
    """PermissionDenied, saying why and what to do instead, when the EG's département is in peuplement: a direct
    update of the fiche is then refused (every change goes through the peuplement dossier)."""
    rows = con.sql(
        "SELECT e.departement, t.phase FROM eg e JOIN departement t ON t.code = e.departement WHERE e.finess_eg = $f",
        params={"f": finess_eg},
    ).fetchall()
    if not rows or rows[0][1] != PEUPLEMENT:
        return
    dossier = workflow.open_one(con, finess_eg)
    where = f"son dossier collaboratif n° {dossier}" if dossier else "un dossier collaboratif"
    raise PermissionDenied(
        f"Le département {rows[0][0]} est en phase de peuplement : toute modification de l'établissement passe par "
        f"{where}, envoyé en validation à la tutelle. Les mises à jour directes sur la fiche seront possibles quand "
        "l'administrateur aura passé le département en exploitation."
    )


def open_dossiers(
    con: duckdb.DuckDBPyConnection, created_by: int, login: str, departements: list[str] | None = None
) -> list[int]:
    """Create the dossier « Peuplement de <EG> » of every EG of a département in peuplement (of `departements`, or of
    all) that has no active unit and no dossier in progress; inside the caller's transaction. Returns their numbers."""
    missing = con.sql(
        "SELECT e.finess_eg, coalesce(e.nom_usage, e.nom) FROM eg e JOIN departement t ON t.code = e.departement "
        "WHERE t.phase = 'peuplement' AND ($deps IS NULL OR list_contains($deps, e.departement)) "
        "AND NOT EXISTS (SELECT 1 FROM uo WHERE uo.finess_eg = e.finess_eg AND uo.statut = 'active') "
        "AND NOT EXISTS (SELECT 1 FROM dossier d WHERE d.finess_eg = e.finess_eg AND list_contains($open, d.statut)) "
        "ORDER BY e.finess_eg",
        params={"deps": departements, "open": list(OPEN_STATES)},
    ).fetchall()
    names = {finess_eg: DOSSIER_PREFIX + name for finess_eg, name in missing}
    created = workflow.start_many(con, names, created_by, peuplement=True)
    audit.record_many(
        con,
        login,
        [
            ("dossier.creer", "DOSSIER", str(dossier_id), None, {"finess_eg": finess_eg, "peuplement": True})
            for dossier_id, finess_eg in zip(created, names, strict=True)
        ],
    )
    return created


def set_phase(
    con: duckdb.DuckDBPyConnection,
    user: User,
    departement: str,
    phase: str,
    *,
    despite_open_dossiers: bool = False,
    now: dt.datetime | None = None,
) -> list[int]:
    """The administrator sets a département's phase. To « peuplement »: the peuplement dossiers of its EG without
    units are created (returned). To « exploitation »: refused while peuplement dossiers are still open, unless the
    administrator confirms (`despite_open_dossiers`)."""
    user = require(con, user, "parametres")
    if phase not in PHASE_LABELS:
        raise PhaseError("Choisissez la phase : peuplement ou exploitation.")
    with db.transaction(con):
        rows = con.sql("SELECT phase FROM departement WHERE code = $d", params={"d": departement}).fetchall()
        if not rows:
            raise PhaseError(f"Le département {departement} n'est pas du territoire du répertoire.")
        before = rows[0][0]
        if phase == EXPLOITATION and not despite_open_dossiers:
            still_open = progress(con, [departement])["dossiers_ouverts"][0]
            if still_open:
                raise PhaseError(
                    f"{still_open} dossier(s) de peuplement du département {departement} ne sont pas encore publiés : "
                    "confirmez pour passer malgré tout en exploitation (ils resteront à traiter comme des dossiers "
                    "ordinaires)."
                )
        con.execute(
            "UPDATE departement SET phase = $p, phase_depuis = $now WHERE code = $d",
            {"p": phase, "now": clock.in_paris(now) if now else clock.now(), "d": departement},
        )
        created = open_dossiers(con, user.user_id, user.login, [departement]) if phase == PEUPLEMENT else []
        db.bump_data_version(con)  # the pages' caches follow
        audit.record(
            con,
            user.login,
            "departement.phase",
            "DEPARTEMENT",
            departement,
            {"phase": before},
            {"phase": phase, "dossiers_crees": len(created)},
        )
    return created


def progress(con: duckdb.DuckDBPyConnection, departements: list[str] | None = None) -> pl.DataFrame:
    """Per département: its phase, its EG, those populated (an active unit) and to populate, its peuplement
    dossiers open and published (queries/peuplement_progress.sql)."""
    return queries.run(con, "peuplement_progress", departements=departements, etats_ouverts=list(OPEN_STATES))


def dossiers_to_complete(con: duckdb.DuckDBPyConnection, finess_eg: tuple[str, ...]) -> pl.DataFrame:
    """The peuplement dossiers of these establishments not yet published (a directeur's home page)."""
    return queries.run(con, "peuplement_dossiers", finess_eg=list(finess_eg), etats_ouverts=list(OPEN_STATES))
