"""Reading the FINESS open-data extract of establishments (data.gouv.fr « etalab-cs1100507 ») into EG rows.

Two layouts are read: the official file (latin-1, `;`-separated, a first line `finess;etalab;…`, then `structureet`
lines for the establishments and `geolocalisation` lines with their Lambert 93 coordinates), and a plain UTF-8 CSV with
a header naming the same fields (coordxet/coordyet on the same line). Each line gives an EG row or the reason it is
rejected; ror/administration/finess_import.py compares them with the répertoire and writes them.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import itertools
import re
from dataclasses import dataclass

from pyproj import Transformer

from ror.core import formats, validation
from ror.core.errors import UserError
from ror.core.finess import finess_error
from ror.core.validation import ValidationError
from ror.recherche.geo import in_france

STRUCTURE_FIELDS = (
    "section nofinesset nofinessej rs rslongue complrs compldistrib numvoie typvoie voie compvoie lieuditbp commune "
    "departement libdepartement ligneacheminement telephone telecopie categetab libcategetab categagretab "
    "libcategagretab siret codeape codemft libmft codesph libsph dateouv dateautor datemaj numuai"
).split()
GEO_FIELDS = "section nofinesset coordxet coordyet sourcecoordet datemaj".split()
HEADER_REQUIRED = ("nofinesset", "nofinessej", "rs")

CRS_BY_NAME = {
    "LAMBERT_93": 2154,
    "L93": 2154,
    "UTM_N20": 5490,  # Guadeloupe, Martinique (RGAF09)
    "UTM_N21": 4467,  # Saint-Pierre-et-Miquelon (RGSPM06)
    "UTM_N22": 2972,  # Guyane (RGFG95)
    "UTM_S38": 4471,  # Mayotte (RGM04)
    "UTM_S40": 2975,  # La Réunion (RGR92)
}


class FinessFileError(UserError):
    """A file that is not a FINESS extract at all (French message); nothing was imported."""


@dataclass(frozen=True)
class Parsed:
    format: str
    encodage: str
    structures: list[tuple[int, dict]]  # line number, fields
    positions: dict[str, tuple[int, dict]]  # nofinesset -> line number, geolocalisation fields


def _decode(data: bytes) -> tuple[str, str]:
    if not data.strip():
        raise FinessFileError("Le fichier est vide.")
    if b"\x00" in data[:4096]:
        raise FinessFileError("Ce fichier n'est pas un fichier texte : attendu un extrait FINESS (.csv).")
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def parse(data: bytes) -> Parsed:
    """Read either layout; FinessFileError when the file is neither, or is not a readable CSV."""
    text, encoding = _decode(data)
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    try:
        return _parse_rows(rows, encoding)
    except csv.Error as exc:  # a field longer than the csv module allows (131 072 characters), a stray NUL …
        raise FinessFileError(
            f"Ce fichier n'est pas un CSV lisible (ligne {rows.line_num}) : un champ dépasse "
            f"{formats.integer(csv.field_size_limit())} caractères ou contient un caractère interdit."
        ) from exc


def _parse_rows(rows, encoding: str) -> Parsed:
    first = next(rows, [])
    first_field = first[0].strip().lower() if first else ""
    structures: list[tuple[int, dict]] = []
    positions: dict[str, tuple[int, dict]] = {}
    if first_field in ("finess", "structureet", "geolocalisation"):
        layout = "extrait FINESS (structureet / geolocalisation)"
        for number, row in enumerate(itertools.chain([first], rows), start=1):  # the `finess;etalab` line is skipped
            _keep(number, row, structures, positions)
    else:
        header = [name.strip().lower() for name in first]
        missing = [name for name in HEADER_REQUIRED if name not in header]
        if missing:
            raise FinessFileError(
                "Ce fichier n'est pas un extrait FINESS : ni lignes « structureet », ni en-tête avec "
                f"{', '.join(HEADER_REQUIRED)} (manque : {', '.join(missing)})."
            )
        layout = "CSV avec en-tête"
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            fields = dict(zip(header, (cell.strip() for cell in row), strict=False))
            structures.append((number, fields))
            if fields.get("coordxet") and fields.get("coordyet"):
                positions[fields["nofinesset"]] = (number, fields)
    if not structures:
        raise FinessFileError("Le fichier ne contient aucune ligne d'établissement (« structureet »).")
    return Parsed(layout, encoding, structures, positions)


def _keep(number: int, row: list[str], structures: list, positions: dict) -> None:
    section = row[0].strip().lower() if row else ""
    if section == "structureet":
        structures.append((number, dict(zip(STRUCTURE_FIELDS, (c.strip() for c in row), strict=False))))
    elif section == "geolocalisation":
        fields = dict(zip(GEO_FIELDS, (c.strip() for c in row), strict=False))
        positions[fields.get("nofinesset", "")] = (number, fields)


@functools.cache
def _to_wgs84(epsg: int) -> Transformer:
    return Transformer.from_crs(epsg, 4326, always_xy=True)


def position(fields: dict) -> tuple[float, float] | str:
    """(lat, lon) in WGS84 from coordxet/coordyet, or the reason they cannot be used."""
    try:
        x = float(fields["coordxet"].replace(",", "."))
        y = float(fields["coordyet"].replace(",", "."))
    except (KeyError, ValueError):
        return f"coordonnées illisibles ({fields.get('coordxet', '')} ; {fields.get('coordyet', '')})"
    projection = (fields.get("sourcecoordet") or "").rsplit(",", 1)[-1].strip().upper()
    epsg = next((code for name, code in CRS_BY_NAME.items() if name in projection), 2154)
    lon, lat = _to_wgs84(epsg).transform(x, y)
    if not in_france(lat, lon):
        return f"coordonnées hors de France ({x:.0f} ; {y:.0f})"
    return round(lat, 6), round(lon, 6)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _insee(fields: dict) -> str:
    prefix, commune = fields.get("departement", ""), fields.get("commune", "")
    if len(commune) == 5:  # some files give the whole INSEE code
        return commune
    return ("97" + commune) if prefix in ("9A", "9B", "9C", "9D", "9E", "9F") else prefix + commune


def _clean(value: str | None) -> str | None:
    value = re.sub(r"\s+", " ", value or "").strip()
    return value or None


def establishment(fields: dict, communes: dict[str, tuple[str, float, float]], categories: set[str]) -> dict | str:
    """The EG row a structureet line describes, or the reason it is rejected."""
    finess_eg, finess_ej = fields.get("nofinesset", ""), fields.get("nofinessej", "")
    if message := finess_error(finess_eg):
        return "FINESS géographique invalide : " + message
    if message := finess_error(finess_ej):
        return "FINESS juridique invalide : " + message
    nom = _clean(fields.get("rslongue")) or _clean(fields.get("rs"))
    if not nom:
        return "raison sociale absente"
    insee = _insee(fields)
    if insee not in communes:
        return f"commune inconnue (code INSEE {insee or 'absent'})"
    categorie = fields.get("categetab", "")
    if categorie not in categories:
        return f"catégorie FINESS inconnue ({categorie or 'absente'})"
    departement, lat, lon = communes[insee]
    acheminement = fields.get("ligneacheminement", "")
    try:
        telephone = validation.phone(fields.get("telephone"))
    except ValidationError:
        telephone = None
    return {
        "finess_eg": finess_eg,
        "finess_ej": finess_ej,
        "nom": nom,
        "categorie_code": categorie,
        "numero_voie": _clean(f"{fields.get('numvoie', '')} {fields.get('compvoie', '')}"),
        "type_voie": _clean(fields.get("typvoie")),
        "voie": _clean(fields.get("voie")),
        "complement": _clean(
            " – ".join(filter(None, (_clean(fields.get(k)) for k in ("complrs", "compldistrib", "lieuditbp"))))
        ),
        "code_postal": acheminement[:5] if re.match(r"\d{5}", acheminement) else None,
        "commune_insee": insee,
        "departement": departement,
        "siret": _clean(fields.get("siret")),
        "date_ouverture": _date(fields.get("dateouv")),
        "date_autorisation": _date(fields.get("dateautor")),
        "finess_maj": _date(fields.get("datemaj")),
        "telephone": telephone,
        "lat": lat,
        "lon": lon,
        "coord_source": "commune",
    }


def statut_juridique(siret: str | None, libsph: str | None) -> str | None:
    """The EJ's statut juridique as far as an establishment line tells it: « public » when its SIREN (the first nine
    digits of the SIRET) is a legal person of public law (INSEE: it begins with 1 or 2), « privé non lucratif »
    for an ESPIC (établissement de santé privé d'intérêt collectif); None when the line does not tell (the EJ keeps
    no statut rather than a wrong one: the establishment extract does not say whether a private person is lucratif)."""
    siren = re.sub(r"\D", "", siret or "")[:9]
    sph = (libsph or "").lower()
    if len(siren) == 9 and siren[0] in "12":
        return "public"
    if "intérêt collectif" in sph or "interet collectif" in sph or "non lucratif" in sph:
        return "privé non lucratif"
    return None
