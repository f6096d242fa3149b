"""Checks of what a person types: phones, e-mails, names, ages, opening slots and closing periods.

Each check returns the cleaned value or raises ValidationError with a French message per field.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re

from ror.core import formats
from ror.core.errors import UserError

MAX_TEXT = 200
CLOSING_REASONS = {
    "annuelle": "Fermeture annuelle",
    "temporaire": "Fermeture temporaire",
    "travaux": "Travaux",
    "manque de personnel": "Manque de personnel",
    "autre": "Autre",
}
_EMAIL = re.compile(r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


class ValidationError(UserError):
    """Wrong input: `errors` maps each field to its French message."""

    def __init__(self, errors: dict[str, str]):
        super().__init__(" ; ".join(errors.values()))
        self.errors = errors


def phone(value: str | None, field: str = "telephone") -> str | None:
    """A French phone number as '01 23 45 67 89' ('+33 1 23 45 67 89' becomes '01 …'); empty gives None."""
    if value is None or not value.strip():
        return None
    digits = re.sub(r"[\s.\-()]", "", value.strip())
    if digits.startswith("+33"):
        digits = "0" + digits[3:]
    elif digits.startswith("0033"):
        digits = "0" + digits[4:]
    if not re.fullmatch(r"0[1-9]\d{8}", digits):
        raise ValidationError(
            {field: f"Numéro de téléphone invalide : « {value.strip()[:40]} » (10 chiffres, ex. 01 23 45 67 89)."}
        )
    return " ".join(digits[i : i + 2] for i in range(0, 10, 2))


def email(value: str | None, field: str = "email") -> str | None:
    if value is None or not value.strip():
        return None
    cleaned = value.strip()
    if len(cleaned) > MAX_TEXT or not _EMAIL.fullmatch(cleaned):
        raise ValidationError({field: f"Adresse e-mail invalide : « {cleaned[:60]} » (ex. accueil@etablissement.fr)."})
    return cleaned.lower()


def text(value: str | None, field: str, *, required: bool = False, label: str = "Ce champ") -> str | None:
    cleaned = re.sub(r"\s+", " ", value or "").strip()
    if not cleaned:
        if required:
            raise ValidationError({field: f"{label} est obligatoire."})
        return None
    if len(cleaned) > MAX_TEXT:
        raise ValidationError({field: f"{label} dépasse {MAX_TEXT} caractères."})
    return cleaned


def ages(age_min: int | None, age_max: int | None) -> tuple[int | None, int | None]:
    for field, value in (("age_min", age_min), ("age_max", age_max)):
        if value is not None and not 0 <= value <= 120:
            raise ValidationError({field: "Un âge est compris entre 0 et 120 ans."})
    if age_min is not None and age_max is not None and age_min > age_max:
        raise ValidationError({"age_max": f"L'âge maximum ({age_max}) est inférieur à l'âge minimum ({age_min})."})
    return age_min, age_max


def public(enfants: bool, adultes: bool) -> None:
    if not (enfants or adultes):
        raise ValidationError({"public": "Cochez au moins un public : enfants ou adultes."})


# The SMR units of the « pédiatrie » modality (TRE_R244): the 2023 reform makes it exclusive to children.
PEDIATRIC_SMR_TYPES = frozenset({"109", "110"})


def pediatric_only(type_code: str | None, adultes: bool | None) -> None:
    """A pediatric SMR unit does not take adults (the SMR campaign guide: « La création de la modalité « pédiatrie »,
    exclusive pour la prise en charge des enfants »)."""
    if type_code in PEDIATRIC_SMR_TYPES and adultes:
        raise ValidationError(
            {
                "public_adultes": "La modalité « pédiatrie » des SMR est exclusive pour la prise en charge des "
                "enfants : une unité SMR pédiatrique n'accueille pas d'adultes (décochez « Adultes »)."
            }
        )


# What each field of an EG or UO fiche is, for `fiche_fields`.
PHONE_FIELDS = {"telephone", "directeur_telephone", "responsable_telephone", "cme_telephone"}
EMAIL_FIELDS = {"email", "mail_alerte", "directeur_email", "responsable_email", "cme_email"}
TEXT_FIELDS = {
    "nom": "Le nom de l'unité",
    "nom_usage": "Le nom d'usage",
    "directeur_nom": "Le nom du directeur",
    "responsable_nom": "Le nom du responsable",
    "responsable_fonction": "La fonction du responsable",
    "cme_nom": "Le nom du président de la CME",
    "voie": "La voie",
    "complement": "Le complément d'adresse",
    "numero_voie": "Le numéro",
    "type_voie": "Le type de voie",
}
REQUIRED_TEXT = {"nom"}
MAX_CAPACITY = 5000


def fiche_fields(changes: dict, current: dict) -> dict:
    """Check the changes to an EG or UO fiche field by field — phones, e-mails, names and texts, public and
    ages (against the fiche's current values), capacity — and return them cleaned. Fields it does not know
    are returned as they are (the caller checks them). ValidationError names every wrong field at once."""
    cleaned, errors = dict(changes), {}
    for field, value in changes.items():
        try:
            if field in PHONE_FIELDS:
                cleaned[field] = phone(value, field)
            elif field in EMAIL_FIELDS:
                cleaned[field] = email(value, field)
            elif field in TEXT_FIELDS:
                cleaned[field] = text(value, field, required=field in REQUIRED_TEXT, label=TEXT_FIELDS[field])
            elif field in ("public_enfants", "public_adultes"):
                cleaned[field] = bool(value)
            elif field in ("age_min", "age_max"):
                cleaned[field] = None if value in (None, "") else int(value)
            elif field in ("lits", "places") and value is not None and not 0 <= value <= MAX_CAPACITY:
                errors[field] = f"Une capacité est un nombre de 0 à {formats.integer(MAX_CAPACITY)}."
        except ValidationError as exc:
            errors.update(exc.errors)
    after = {**current, **cleaned}
    try:
        if {"public_enfants", "public_adultes"} & set(changes):
            public(after.get("public_enfants"), after.get("public_adultes"))
        if {"age_min", "age_max"} & set(changes):
            ages(after.get("age_min"), after.get("age_max"))
        if {"public_adultes", "type_code"} & set(changes):
            pediatric_only(after.get("type_code"), after.get("public_adultes"))
    except ValidationError as exc:
        errors.update(exc.errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def slots(values: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Opening slots (jour 1-7, début, fin in minutes; fin may pass midnight, up to the next day's end).
    Slots may not overlap, including a night slot with the next morning's."""
    week: list[tuple[int, int, int]] = []
    for jour, debut, fin in values:
        where = f"créneau du {_DAYS.get(jour, jour)}"
        if jour not in _DAYS:
            raise ValidationError({"creneaux": f"Jour inconnu : {jour}."})
        if not 0 <= debut < 1440:
            raise ValidationError({"creneaux": f"Heure de début invalide ({where})."})
        if not debut < fin <= 2880:
            raise ValidationError({"creneaux": f"La fin doit suivre le début ({where}) ; au plus 24 h après minuit."})
        week.append((jour, debut, fin))
    week.sort()
    timeline = sorted(((j - 1) * 1440 + d, (j - 1) * 1440 + f, j) for j, d, f in week)
    timeline += [(s + 7 * 1440, e + 7 * 1440, j) for s, e, j in timeline if s < 1440]  # Sunday night → Monday
    for (_, e1, j1), (s2, _, j2) in itertools.pairwise(timeline):
        if s2 < e1:
            raise ValidationError(
                {"creneaux": f"Deux créneaux se chevauchent ({_DAYS[j1]} et {_DAYS[j2]}) : corrigez la semaine type."}
            )
    return week


def closings(
    values: list[tuple[dt.date, dt.date, str, dt.date | None]],
) -> list[tuple[dt.date, dt.date, str, dt.date | None]]:
    cleaned = []
    for debut, fin, motif, reouverture in values:
        if debut is None or fin is None:
            raise ValidationError({"fermetures": "Une période de fermeture a besoin d'une date de début et de fin."})
        if fin < debut:
            raise ValidationError(
                {"fermetures": f"La fermeture du {debut:%d/%m/%Y} finit avant de commencer ({fin:%d/%m/%Y})."}
            )
        if motif not in CLOSING_REASONS:
            raise ValidationError({"fermetures": f"Motif de fermeture inconnu : « {motif} »."})
        if reouverture is not None and reouverture <= fin:
            raise ValidationError(
                {"fermetures": f"La réouverture prévue ({reouverture:%d/%m/%Y}) doit suivre la fin ({fin:%d/%m/%Y})."}
            )
        cleaned.append((debut, fin, motif, reouverture))
    return sorted(cleaned)


def date_effet(value: dt.date | None, today: dt.date) -> dt.date:
    """Today by default; a date to come is refused (it belongs to a dossier collaboratif)."""
    if value is None:
        return today
    if value > today:
        raise ValidationError(
            {
                "date_effet": "Une mise à jour opérationnelle prend effet au plus tard aujourd'hui ; pour une date "
                "à venir, passez par un dossier collaboratif."
            }
        )
    return value


_DAYS = {1: "lundi", 2: "mardi", 3: "mercredi", 4: "jeudi", 5: "vendredi", 6: "samedi", 7: "dimanche"}
