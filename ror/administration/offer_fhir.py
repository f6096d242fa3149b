"""The published offer as one FHIR R4 Bundle following the ROR exposure model (Organization for EJ and EG,
HealthcareService for UO, NOS code systems)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from ror.core import formats

if TYPE_CHECKING:
    from ror.administration.offer_export import Offer

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


def _instant(value: dt.datetime) -> str:
    return value.replace(tzinfo=formats.PARIS).isoformat(timespec="seconds")


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
            entry["availableStartTime"] = formats.clock(start) + ":00"
            entry["availableEndTime"] = "23:59:59" if end == 1440 else formats.clock(end) + ":00"
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
