"""Export of the published offer for other systems: Excel (one sheet per level), CSV (one line per UO) and FHIR R4
(one Bundle) following the ROR exposure model, for a scope (the région, a département, an EJ); and the
synchronisation feed: only what was published in ]since, until], so that a daily job picks up the changes.

The dates of the répertoire are Paris local times; an instant given with an offset is converted to Paris time.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import duckdb
import polars as pl

import queries
from ror import audit, db, exports
from ror.auth import User
from ror.errors import UserError
from ror.finess import finess_error
from ror.permissions import require

PARIS = ZoneInfo("Europe/Paris")
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


# ---------------------------------------------------------------- Excel and CSV

EJ_COLUMNS = {
    "finess_ej": "FINESS juridique",
    "raison_sociale": "Raison sociale",
    "statut_juridique": "Statut juridique",
    "departement": "Département",
    "updated_at": "Mis à jour le",
}
EG_COLUMNS = {
    "finess_eg": "FINESS géographique",
    "finess_ej": "FINESS juridique",
    "nom": "Raison sociale",
    "nom_usage": "Nom d'usage",
    "categorie_libelle": "Catégorie FINESS",
    "adresse": "Adresse",
    "complement": "Complément d'adresse",
    "code_postal": "Code postal",
    "commune": "Commune",
    "commune_insee": "Code INSEE",
    "departement": "Département",
    "telephone": "Téléphone",
    "email": "E-mail",
    "siret": "SIRET",
    "lat": "Latitude",
    "lon": "Longitude",
    "updated_at": "Mis à jour le",
}
UO_COLUMNS = {
    "uo_id": "Identifiant UO",
    "finess_eg": "FINESS géographique",
    "nom": "Unité",
    "type_libelle": "Type d'UO",
    "champ_libelle": "Champ d'activité",
    "discipline": "Discipline",
    "mode_pec_libelle": "Mode de prise en charge",
    "temporalite_libelle": "Temporalité d'accueil",
    "activites": "Activités opérationnelles",
    "publics": "Publics pris en charge",
    "public": "Patientèle",
    "ages": "Âges",
    "lits": "Lits",
    "places": "Places",
    "telephone": "Téléphone",
    "email": "E-mail",
    "responsable_nom": "Responsable",
    "semaine_type": "Semaine type",
    "statut_libelle": "Statut",
    "updated_at": "Mis à jour le",
}
DAYS = {1: "lun", 2: "mar", 3: "mer", 4: "jeu", 5: "ven", 6: "sam", 7: "dim"}


def _hhmm(minutes: int) -> str:
    minutes %= 1440
    return f"{minutes // 60:02d}h{minutes % 60:02d}"


def week_text(slots: list[dict]) -> str:
    """A UO's semaine type in a line: « lun 08h00-18h00, mar 08h00-18h00 … »."""
    return ", ".join(f"{DAYS[s['jour']]} {_hhmm(s['debut_min'])}-{_hhmm(s['fin_min'])}" for s in slots)


def _labels(codes: list[dict], system: str) -> str:
    return " | ".join(c["libelle"] for c in codes if c["system"] == system)


def people_frames(offer: Offer) -> dict[str, pl.DataFrame]:
    """The three levels with labels and French headers, as a person reads them."""
    eg = offer.eg.with_columns(
        pl.concat_str(["numero_voie", "type_voie", "voie"], separator=" ", ignore_nulls=True).alias("adresse")
    )
    uo = offer.uo.with_columns(
        pl.col("codes").map_elements(lambda c: _labels(c, "TRE_R211"), return_dtype=pl.String).alias("activites"),
        pl.col("codes").map_elements(lambda c: _labels(c, "TRE_R239"), return_dtype=pl.String).alias("publics"),
        pl.col("horaires").map_elements(week_text, return_dtype=pl.String).alias("semaine_type"),
        pl.when(pl.col("public_enfants") & pl.col("public_adultes"))
        .then(pl.lit("Enfants et adultes"))
        .when(pl.col("public_enfants"))
        .then(pl.lit("Enfants"))
        .otherwise(pl.lit("Adultes"))
        .alias("public"),
        pl.concat_str(
            [pl.col("age_min").cast(pl.String).fill_null("0"), pl.col("age_max").cast(pl.String).fill_null("…")],
            separator=" – ",
        ).alias("ages"),
        pl.when(pl.col("statut") == "active")
        .then(pl.lit("Active"))
        .otherwise(pl.lit("Fermée"))
        .alias("statut_libelle"),
    )
    return {
        "EJ": exports.french(offer.ej, EJ_COLUMNS),
        "EG": exports.french(eg, EG_COLUMNS),
        "UO": exports.french(uo, UO_COLUMNS),
    }


def _about(offer: Offer) -> list[tuple[str, str]]:
    about = [("Périmètre", offer.scope.label), ("Offre publiée au", f"{offer.until:%d/%m/%Y à %H:%M}")]
    if offer.since:
        about.append(("Changements depuis le", f"{offer.since:%d/%m/%Y à %H:%M}"))
    return [*about, ("EJ / EG / UO", f"{offer.ej.height} / {offer.eg.height} / {offer.uo.height}")]


def to_xlsx(offer: Offer) -> bytes:
    """Excel: sheets EJ, EG, UO (labels, French headers) and « À propos »."""
    return exports.workbook_xlsx(people_frames(offer), _about(offer))


def to_csv(offer: Offer) -> bytes:
    """CSV (`;`, UTF-8 with BOM for Excel): one line per UO, with its EG and EJ."""
    frames = people_frames(offer)
    eg = frames["EG"].rename({"Mis à jour le": "EG mis à jour le", "Téléphone": "Téléphone EG", "E-mail": "E-mail EG"})
    ej = frames["EJ"].drop("Mis à jour le", "Département").rename({"Raison sociale": "Raison sociale EJ"})
    table = frames["UO"].join(eg, on="FINESS géographique", how="left").join(ej, on="FINESS juridique", how="left")
    return exports.write_csv(table)


# ---------------------------------------------------------------- FHIR R4

ROR = "https://interop.esante.gouv.fr/ig/fhir/ror/StructureDefinition/"
NOS = "https://mos.esante.gouv.fr/NOS/{0}/FHIR/{1}"
SYSTEMS = {  # code lists of the répertoire -> their NOS FHIR code systems
    "TRE_R66": NOS.format("TRE_R66-CategorieEtablissement", "TRE-R66-CategorieEtablissement"),
    "TRE_R211": NOS.format("TRE_R211-ActiviteOperationnelle", "TRE-R211-ActiviteOperationnelle"),
    "TRE_R213": NOS.format("TRE_R213-ModePriseEnCharge", "TRE-R213-ModePriseEnCharge"),
    "TRE_R227": NOS.format("TRE_R227-ChampActivite", "TRE-R227-ChampActivite"),
    "TRE_R239": NOS.format("TRE_R239-PublicPrisEnCharge", "TRE-R239-PublicPrisEnCharge"),
    "TRE_R240": NOS.format("TRE_R240-TemporaliteAccueil", "TRE-R240-TemporaliteAccueil"),
    "TRE_R243": NOS.format("TRE_R243-CompetenceSpecifique", "TRE-R243-CompetenceSpecifique"),
    "TRE_R244": NOS.format("TRE_R244-CategorieOrganisation", "TRE-R244-CategorieOrganisation"),
    "TRE_R245": NOS.format("TRE_R245-SpecialisationDePriseEnCharge", "TRE-R245-SpecialisationDePriseEnCharge"),
    "TRE_R338": NOS.format("TRE_R338-ModaliteAccueil", "TRE-R338-ModaliteAccueil"),
    "JDV_J186": NOS.format("JDV_J186-ProfessionRessource-ROR", "JDV-J186-ProfessionRessource-ROR"),
    "TRE_R13": NOS.format("TRE_R13-Commune", "TRE-R13-Commune"),
    "TRE_G07": NOS.format("TRE_G07-TypeIdentifiantStructure", "TRE-G07-TypeIdentifiantStructure"),
    "APTITUDE_ROR_IF": "urn:ror-idf:aptitude",  # the regional list of aptitudes (no national code system)
}
FINESS_SYSTEM = "https://finess.esante.gouv.fr"
UO_SYSTEM = "urn:ror-idf:uo"
CHARACTERISTICS = ("TRE_R245", "TRE_R338", "TRE_R243", "JDV_J186", "APTITUDE_ROR_IF")  # beside mode and temporalité
FHIR_DAYS = {1: "mon", 2: "tue", 3: "wed", 4: "thu", 5: "fri", 6: "sat", 7: "sun"}


def instant_text(value: dt.datetime) -> str:
    """A Paris local time as an ISO 8601 instant with its offset (what --since reads back)."""
    return value.replace(tzinfo=PARIS).isoformat(timespec="microseconds")


def _instant(value: dt.datetime) -> str:
    return value.replace(tzinfo=PARIS).isoformat(timespec="seconds")


def _concept(system: str, code: str | None, display: str | None = None) -> dict:
    coding = {"system": SYSTEMS[system], "code": code}
    if display:
        coding["display"] = display
    return {"coding": [coding]}


def _meta(profile: str, updated_at: dt.datetime) -> dict:
    return {"profile": [ROR + profile], "lastUpdated": _instant(updated_at)}


def _finess(value: str) -> dict:
    return {"use": "official", "type": _concept("TRE_G07", "1", "FINESS"), "system": FINESS_SYSTEM, "value": value}


def _address(eg: dict) -> dict:
    street = " ".join(filter(None, (eg["numero_voie"], eg["type_voie"], eg["voie"])))
    lines = [line for line in (street, eg["complement"]) if line]
    address = {"use": "work", "type": "physical", "country": "FRA"}
    if lines:
        address["line"] = lines
    if eg["code_postal"]:
        address["postalCode"] = eg["code_postal"]
    if eg["commune"]:
        address["city"] = eg["commune"]
    return address


def _telecom(phone: str | None, email: str | None) -> list[dict]:
    found = [{"system": "phone", "value": phone}] if phone else []
    return found + ([{"system": "email", "value": email}] if email else [])


def _organization(kind: str, finess: str, name: str, updated_at: dt.datetime) -> dict:
    """An EJ or EG as an Organization (id 'ej-…' or 'eg-…') with its FINESS."""
    return {
        "resourceType": "Organization",
        "id": f"{kind}-{finess}",
        "meta": _meta("ror-organization", updated_at),
        "identifier": [_finess(finess)],
        "active": True,
        "name": name,
    }


def ej_resource(ej: dict) -> dict:
    return _organization("ej", ej["finess_ej"], ej["raison_sociale"], ej["updated_at"])


def eg_resources(eg: dict) -> list[dict]:
    """The EG as an Organization (part of its EJ) and its place as a Location with its position."""
    organization = _organization("eg", eg["finess_eg"], eg["nom"], eg["updated_at"]) | {
        "address": [_address(eg)],
        "partOf": {"reference": f"Organization/ej-{eg['finess_ej']}"},
    }
    if eg["siret"]:
        organization["identifier"].append(
            {"type": _concept("TRE_G07", "3", "SIRET"), "system": "https://sirene.fr", "value": eg["siret"]}
        )
    if eg["nom_usage"]:
        organization["alias"] = [eg["nom_usage"]]
    if eg["categorie_code"]:
        organization["type"] = [_concept("TRE_R66", eg["categorie_code"], eg["categorie_libelle"])]
    if telecom := _telecom(eg["telephone"], eg["email"]):
        organization["telecom"] = telecom
    location = {
        "resourceType": "Location",
        "id": f"loc-{eg['finess_eg']}",
        "meta": _meta("ror-location", eg["updated_at"]),
        "status": "active",
        "name": eg["nom_usage"] or eg["nom"],
        "address": _address(eg),
        "managingOrganization": {"reference": f"Organization/eg-{eg['finess_eg']}"},
    }
    if eg["commune_insee"]:
        location["extension"] = [
            {
                "url": ROR + "ror-commune-cog",
                "valueCodeableConcept": _concept("TRE_R13", eg["commune_insee"], eg["commune"]),
            }
        ]
    if eg["lat"] is not None and eg["lon"] is not None:
        location["position"] = {"latitude": eg["lat"], "longitude": eg["lon"]}
    return [organization, location]


def available_times(slots: list[dict]) -> list[dict]:
    """The semaine type as FHIR availableTime: one entry per opening slot shared by several days; a slot past
    midnight is split at midnight, a whole day is allDay."""
    pieces: dict[tuple[int, int], list[int]] = {}
    for slot in slots:
        day, start, end = slot["jour"], slot["debut_min"], slot["fin_min"]
        pieces.setdefault((start, min(end, 1440)), []).append(day)
        if end > 1440:
            pieces.setdefault((0, end - 1440), []).append(day % 7 + 1)
    found = []
    for (start, end), days in sorted(pieces.items()):
        entry: dict = {"daysOfWeek": [FHIR_DAYS[d] for d in sorted(set(days))]}
        if (start, end) == (0, 1440):
            entry["allDay"] = True
        else:
            entry["availableStartTime"] = f"{start // 60:02d}:{start % 60:02d}:00"
            entry["availableEndTime"] = "23:59:59" if end == 1440 else f"{end // 60:02d}:{end % 60:02d}:00"
        found.append(entry)
    return found


def uo_resource(uo: dict) -> dict:
    """A UO as a HealthcareService: champ (type), type d'UO, activités (specialty), mode de prise en charge and
    the other characteristics, patientèle (public and ages), semaine type, closing periods."""
    codes = uo["codes"]
    patient = [
        {"url": "supportedPatientInfo", "valueCodeableConcept": _concept(c["system"], c["code"], c["libelle"])}
        for c in codes
        if c["system"] == "TRE_R239"
    ]
    patient.append(
        {
            "url": "ageRange",
            "valueRange": {"low": {"value": uo["age_min"] or 0}, "high": {"value": uo["age_max"] or 120}},
        }
    )
    characteristic = []
    if uo["mode_pec_code"]:
        characteristic.append(_concept("TRE_R213", uo["mode_pec_code"], uo["mode_pec_libelle"]))
    if uo["temporalite_code"]:
        characteristic.append(_concept("TRE_R240", uo["temporalite_code"], uo["temporalite_libelle"]))
    characteristic += [_concept(c["system"], c["code"], c["libelle"]) for c in codes if c["system"] in CHARACTERISTICS]
    resource = {
        "resourceType": "HealthcareService",
        "id": f"uo-{uo['uo_id']}",
        "meta": _meta("ror-healthcareservice", uo["updated_at"]),
        "extension": [
            {"url": ROR + "ror-healthcareservice-sensitive-unit", "valueBoolean": False},
            {"url": ROR + "ror-healthcareservice-patient-type", "extension": patient},
            {
                "url": ROR + "ror-healthcareservice-facility-type",
                "extension": [
                    {"url": "type", "valueCodeableConcept": _concept("TRE_R244", uo["type_code"], uo["type_libelle"])}
                ],
            },
        ],
        "identifier": [{"system": UO_SYSTEM, "value": str(uo["uo_id"])}],
        "active": uo["statut"] == "active",
        "providedBy": {"reference": f"Organization/eg-{uo['finess_eg']}"},
        "type": [_concept("TRE_R227", uo["champ_code"], uo["champ_libelle"])],
        "specialty": [_concept(c["system"], c["code"], c["libelle"]) for c in codes if c["system"] == "TRE_R211"],
        "location": [{"reference": f"Location/loc-{uo['finess_eg']}"}],
        "name": uo["nom"],
    }
    if characteristic:
        resource["characteristic"] = characteristic
    if telecom := _telecom(uo["telephone"], uo["email"]):
        resource["telecom"] = telecom
    if uo["horaires"]:
        resource["availableTime"] = available_times(uo["horaires"])
    if uo["fermetures"]:
        resource["notAvailable"] = [
            {
                "description": f"Fermeture ({f['motif']})",
                "during": {
                    "start": f["date_debut"].isoformat(),
                    "end": (f["reouverture_prevue"] or f["date_fin"]).isoformat(),
                },
            }
            for f in uo["fermetures"]
        ]
    return {key: value for key, value in resource.items() if value != []}


def to_fhir(offer: Offer) -> dict:
    """One FHIR R4 Bundle (type collection) of the offer; its timestamp is the `until` of the export, the
    --since of the next synchronisation."""
    entries = [ej_resource(row) for row in offer.ej.iter_rows(named=True)]
    for row in offer.eg.iter_rows(named=True):
        entries += eg_resources(row)
    entries += [uo_resource(row) for row in offer.uo.iter_rows(named=True)]
    return {
        "resourceType": "Bundle",
        "meta": {"lastUpdated": _instant(offer.until)},
        "type": "collection",
        "timestamp": _instant(offer.until),
        "entry": [{"resource": resource} for resource in entries],
    }


def render(offer: Offer, fmt: str) -> bytes:
    """The export file's content in a format of FORMATS."""
    if fmt == "xlsx":
        return to_xlsx(offer)
    if fmt == "csv":
        return to_csv(offer)
    if fmt == "fhir":
        return json.dumps(to_fhir(offer), ensure_ascii=False, default=str).encode("utf-8")
    raise ExportError(f"Format « {fmt} » inconnu : {', '.join(FORMATS)}.")


def file_name(offer: Offer, fmt: str) -> str:
    kind = "flux" if offer.since else "offre"
    return f"ror-idf-{kind}-{offer.scope.slug}-{offer.until:%Y%m%d-%H%M}.{EXTENSIONS[fmt]}"


# ---------------------------------------------------------------- the daily feed

FEED_SETTING = "flux_dernier_instant"  # the `until` of the last feed written: the `since` of the next one
FEED_TIME = dt.time(18, 0)


def last_feed_time(now: dt.datetime) -> dt.datetime:
    """The latest 18:00 at or before `now` (Paris local time)."""
    today = dt.datetime.combine(now.date(), FEED_TIME)
    return today if now >= today else today - dt.timedelta(days=1)


def feed_due(con: duckdb.DuckDBPyConnection, now: dt.datetime) -> bool:
    """Whether the feed of the latest 18:00 is still to be written. The first call only starts the chain (the
    feed then holds what is published from that moment on)."""
    last = db.get_setting(con, FEED_SETTING)
    if last is None:
        with db.transaction(con):
            db.set_setting(con, FEED_SETTING, instant_text(now))
        return False
    return parse_instant(last) < last_feed_time(now)


def write_feed(con: duckdb.DuckDBPyConnection, folder: Path, now: dt.datetime) -> Path:
    """Write the FHIR Bundle of what was published since the previous feed into `folder`, and move the chain on."""
    since = parse_instant(db.get_setting(con, FEED_SETTING) or instant_text(now - dt.timedelta(days=1)))
    offer = load(con, None, ExportScope(), since=since, until=now)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(offer, "fhir")
    path.write_bytes(render(offer, "fhir"))
    with db.transaction(con):
        db.set_setting(con, FEED_SETTING, instant_text(now))
        audit.record(
            con,
            "flux-quotidien",
            "flux.publier",
            "FLUX",
            path.name,
            {"depuis": instant_text(since)},
            {"jusqu_a": instant_text(now), "ej": offer.ej.height, "eg": offer.eg.height, "uo": offer.uo.height},
        )
    return path


def feed_status(
    con: duckdb.DuckDBPyConnection, folder: Path, latest: int = 10
) -> tuple[dt.datetime | None, list[Path]]:
    """The end of the last feed (None before the first) and the latest feed files of `folder`, newest first."""
    last = db.get_setting(con, FEED_SETTING)
    files = sorted(folder.glob("ror-idf-flux-*.json"), reverse=True) if folder.is_dir() else []
    return (parse_instant(last) if last else None), files[:latest]
