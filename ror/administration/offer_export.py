"""Export of the published offer for other systems, for a scope (the région, a département, an EJ): this module
reads the offer and writes the file; its formats are Excel and CSV (offer_tables.py) and FHIR R4 following the ROR
exposure model (offer_fhir.py); the daily synchronisation feed of what was published in ]since, until] is
offer_feed.py.

The dates of the répertoire are Paris local times; an instant given with an offset is converted to Paris time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror.administration import offer_fhir, offer_tables
from ror.core.auth import User
from ror.core.errors import UserError
from ror.core.finess import finess_error
from ror.core.formats import PARIS
from ror.core.permissions import require

FORMATS = ("xlsx", "csv", "fhir")
EXTENSIONS = {"xlsx": "xlsx", "csv": "csv", "fhir": "json"}


class ExportError(UserError):
    """A scope or an instant that cannot be exported (French message)."""


@dataclass(frozen=True)
class ExportScope:
    """What part of the répertoire an export covers: the whole région, some départements or one EJ."""

    departements: tuple[str, ...] | None = None
    finess_ej: str | None = None

    @property
    def label(self) -> str:
        if self.finess_ej:
            return f"EJ {self.finess_ej}"
        if self.departements:
            return "Département " + ", ".join(self.departements)
        return "Région"

    @property
    def slug(self) -> str:
        if self.finess_ej:
            return f"ej-{self.finess_ej}"
        return "dep-" + "-".join(self.departements) if self.departements else "region"

    def as_params(self) -> dict:
        return {"departements": list(self.departements) if self.departements else None, "finess_ej": self.finess_ej}


def parse_scope(text: str | None) -> ExportScope:
    """'region' (default), a département ('92', 'dep:92') or an EJ ('ej:750712184')."""
    value = (text or "region").strip()
    if value.lower() in ("region", "région"):
        return ExportScope()
    if value.lower().startswith("ej:"):
        finess = value[3:].strip()
        if message := finess_error(finess):
            raise ExportError(f"Périmètre « {value} » : {message}")
        return ExportScope(finess_ej=finess)
    departement = value[4:] if value.lower().startswith("dep:") else value
    if not re.fullmatch(r"\d{2,3}|2[AB]", departement.upper()):
        raise ExportError(
            f"Périmètre « {value} » inconnu : « region », un département (« 92 ») ou une EJ (« ej:750712184 »)."
        )
    return ExportScope(departements=(departement.upper(),))


def parse_instant(text: str) -> dt.datetime:
    """An ISO 8601 instant as a Paris local time (the répertoire's); one without an offset is a Paris time."""
    try:
        instant = dt.datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise ExportError(
            f"Instant « {text} » illisible : attendu au format ISO 8601, ex. 2026-11-22T18:00:00+01:00."
        ) from exc
    return instant.astimezone(PARIS).replace(tzinfo=None) if instant.tzinfo else instant


@dataclass(frozen=True)
class Offer:
    """The published offer of a scope (or what changed in ]since, until])."""

    scope: ExportScope
    ej: pl.DataFrame
    eg: pl.DataFrame
    uo: pl.DataFrame
    since: dt.datetime | None
    until: dt.datetime


def load(
    con: duckdb.DuckDBPyConnection,
    user: User | None,
    scope: ExportScope,
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
) -> Offer:
    """Read the offer to export. `user` None is the command line (whoever may open the database file)."""
    if user is not None:
        require(con, user, "export")
    until = until or dt.datetime.now(PARIS).replace(tzinfo=None)
    if since is not None and since >= until:
        raise ExportError(f"L'instant de départ ({since:%d/%m/%Y %H:%M}) n'est pas dans le passé.")
    params = scope.as_params() | {"since": since, "until": until}
    if (
        scope.finess_ej
        and not con.sql("SELECT 1 FROM ej WHERE finess_ej = $f", params={"f": scope.finess_ej}).fetchall()
    ):
        raise ExportError(f"L'EJ {scope.finess_ej} n'existe pas dans le répertoire.")
    return Offer(
        scope,
        queries.run(con, "offer_ej", **params),
        queries.run(con, "offer_eg", **params),
        queries.run(con, "offer_uo", **params),
        since,
        until,
    )


def instant_text(value: dt.datetime) -> str:
    """A Paris local time as an ISO 8601 instant with its offset (what --since reads back)."""
    return value.replace(tzinfo=PARIS).isoformat(timespec="microseconds")


def render(offer: Offer, fmt: str) -> bytes:
    """The export file's content in a format of FORMATS."""
    if fmt == "xlsx":
        return offer_tables.to_xlsx(offer)
    if fmt == "csv":
        return offer_tables.to_csv(offer)
    if fmt == "fhir":
        return json.dumps(offer_fhir.to_fhir(offer), ensure_ascii=False, default=str).encode("utf-8")
    raise ExportError(f"Format « {fmt} » inconnu : {', '.join(FORMATS)}.")


def file_name(offer: Offer, fmt: str) -> str:
    kind = "flux" if offer.since else "offre"
    return f"ror-idf-{kind}-{offer.scope.slug}-{offer.until:%Y%m%d-%H%M}.{EXTENSIONS[fmt]}"
