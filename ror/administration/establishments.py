"""Creating an establishment (support): an EG from its FINESS géographique, under an EJ found or created.

Every check answers in French, field by field (ValidationError); a FINESS already known is refused with the name
of the establishment that has it. The EG is placed at its commune's centre (in Paris, its arrondissement's) until a
FINESS import gives its real coordinates (coord_source 'commune' / 'arrondissement').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from ror.core import arrondissements as paris
from ror.core import audit, db, validation
from ror.core.auth import User
from ror.core.finess import finess_error, prefix_matches
from ror.core.permissions import require
from ror.core.validation import ValidationError
from ror.recherche import search_index


@dataclass(frozen=True)
class NewEstablishment:
    """What the support types in « Créer un établissement »."""

    finess_eg: str
    finess_ej: str
    nom: str
    categorie_code: str | None
    commune_insee: str | None
    code_postal: str | None = None
    numero_voie: str | None = None
    type_voie: str | None = None
    voie: str | None = None
    complement: str | None = None
    telephone: str | None = None
    email: str | None = None
    raison_sociale_ej: str | None = None  # needed only when the EJ does not exist yet


def _known(con, level: str, finess: str) -> str | None:
    """The name of the EJ or EG (level 'ej' / 'eg') that has this FINESS, or None."""
    query = {
        "ej": "SELECT raison_sociale FROM ej WHERE finess_ej = $v",
        "eg": "SELECT nom FROM eg WHERE finess_eg = $v",
    }[level]
    found = con.sql(query, params={"v": finess}).fetchall()
    return found[0][0] if found else None


def _checked(con: duckdb.DuckDBPyConnection, form: NewEstablishment) -> dict:
    """The EG row to insert, or ValidationError with every wrong field."""
    errors: dict[str, str] = {}
    finess_eg = (form.finess_eg or "").strip().upper()
    finess_ej = (form.finess_ej or "").strip().upper()
    if message := finess_error(finess_eg):
        errors["finess_eg"] = "FINESS géographique : " + message
    elif name := _known(con, "eg", finess_eg):
        errors["finess_eg"] = f"Le FINESS géographique {finess_eg} existe déjà : « {name} »."
    if message := finess_error(finess_ej):
        errors["finess_ej"] = "FINESS juridique : " + message
    elif finess_ej == finess_eg and not errors.get("finess_eg"):
        errors["finess_ej"] = "Le FINESS juridique et le FINESS géographique doivent être différents."
    row: dict = {"finess_eg": finess_eg, "finess_ej": finess_ej}
    for field, label, required in (
        ("nom", "Le nom de l'établissement", True),
        ("numero_voie", "Le numéro", False),
        ("type_voie", "Le type de voie", False),
        ("voie", "La voie", False),
        ("complement", "Le complément d'adresse", False),
    ):
        try:
            row[field] = validation.text(getattr(form, field), field, required=required, label=label)
        except ValidationError as exc:
            errors |= exc.errors
    for field, check in (("telephone", validation.phone), ("email", validation.email)):
        try:
            row[field] = check(getattr(form, field), field)
        except ValidationError as exc:
            errors |= exc.errors
    categorie = (form.categorie_code or "").strip()
    if not categorie:
        errors["categorie_code"] = "La catégorie FINESS est obligatoire."
    elif not con.sql(
        "SELECT 1 FROM nomenclature WHERE system = 'TRE_R66' AND code = $c", params={"c": categorie}
    ).fetchall():
        errors["categorie_code"] = f"La catégorie « {categorie} » n'est pas une catégorie FINESS (TRE_R66)."
    row["categorie_code"] = categorie
    commune = con.sql(
        "SELECT code_insee, departement, lat, lon, codes_postaux FROM commune WHERE code_insee = $c",
        params={"c": (form.commune_insee or "").strip()},
    ).fetchall()
    if not commune:
        errors["commune_insee"] = "Choisissez la commune de l'établissement."
    else:
        code_insee, departement, lat, lon, codes_postaux = commune[0]
        row |= {"commune_insee": code_insee, "departement": departement, "lat": lat, "lon": lon}
        if "finess_eg" not in errors and not prefix_matches(finess_eg, departement):
            errors["finess_eg"] = (
                f"Le FINESS géographique {finess_eg} commence par « {finess_eg[:2]} » : il ne peut pas désigner "
                f"un établissement du département {departement}."
            )
        postal = (form.code_postal or "").strip()
        if not postal and codes_postaux:
            postal = codes_postaux.split("|")[0]
        if postal and not re.fullmatch(r"\d{5}", postal):
            errors["code_postal"] = f"Code postal invalide : « {postal[:10]} » (5 chiffres)."
        row["code_postal"] = postal or None
        row["coord_source"] = "commune"
        if arrondissement := paris.of_address(paris.by_postal_code(paris.read(con)), code_insee, postal):
            row |= {"lat": arrondissement["lat"], "lon": arrondissement["lon"], "coord_source": "arrondissement"}
    if "finess_ej" not in errors and not _known(con, "ej", finess_ej):
        try:
            row["raison_sociale_ej"] = validation.text(
                form.raison_sociale_ej,
                "raison_sociale_ej",
                required=True,
                label=f"L'EJ {finess_ej} n'existe pas encore : sa raison sociale",
            )
        except ValidationError as exc:
            errors |= exc.errors
    if errors:
        raise ValidationError(errors)
    return row


def create(con: duckdb.DuckDBPyConnection, user: User, form: NewEstablishment) -> str:
    """Create the EG (and its EJ when new) in one audited transaction; returns the FINESS géographique."""
    require(con, user, "etablissement.creer")
    with db.transaction(con):
        row = _checked(con, form)
        raison_sociale = row.pop("raison_sociale_ej", None)
        if raison_sociale:
            ej = {"finess_ej": row["finess_ej"], "raison_sociale": raison_sociale, "departement": row["departement"]}
            con.execute(
                "INSERT INTO ej (finess_ej, raison_sociale, departement, source, updated_at, updated_by) "
                "VALUES ($finess_ej, $raison_sociale, $departement, 'saisie', current_timestamp, $by)",
                ej | {"by": user.login},
            )
            audit.record(con, user.login, "ej.creer", "EJ", row["finess_ej"], None, ej)
        columns = ", ".join(row)
        con.execute(
            f"INSERT INTO eg ({columns}, source, updated_at, updated_by) "
            f"VALUES ({', '.join('$' + c for c in row)}, 'saisie', current_timestamp, $by)",
            row | {"by": user.login},
        )
        audit.record(con, user.login, "eg.creer", "EG", row["finess_eg"], None, row)
        search_index.record_write(con, [row["finess_eg"]])
    return row["finess_eg"]
