"""FINESS numbers: 9 characters, a département prefix and a Luhn control key."""

from __future__ import annotations

import re

# Metropolitan départements (2A/2B for Corse) and the overseas prefixes used by FINESS.
_DEPARTEMENT_PREFIXES = {f"{n:02d}" for n in range(1, 96) if n != 20} | {"2A", "2B"} | {"97", "98"}


def luhn_key(first_eight: str) -> str:
    """The control digit that makes the 9 digits pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(first_eight)):
        digit = int(char)
        if index % 2 == 0:  # from the right, every other digit starting with the last one is doubled
            digit *= 2
            if digit > 9:
                digit -= 9
        total += digit
    return str((10 - total % 10) % 10)


def _digits(value: str) -> str:
    """Corse's 2A and 2B count as 20 in the control key."""
    return "20" + value[2:] if value[:2] in ("2A", "2B") else value


def finess_error(value: str | None) -> str | None:
    """A French message saying what is wrong with a FINESS number, or None when it is valid."""
    if value is None or not value.strip():
        return "Le numéro FINESS est obligatoire."
    value = value.strip()
    if len(value) != 9:
        return f"Le numéro FINESS doit comporter 9 caractères (reçu : {len(value)})."
    if not re.fullmatch(r"[0-9]{2}[0-9]{7}|2[AB][0-9]{7}", value):
        return "Le numéro FINESS ne doit contenir que des chiffres (2A ou 2B admis pour la Corse)."
    if value[:2] not in _DEPARTEMENT_PREFIXES:
        return f"Le numéro FINESS commence par « {value[:2]} », qui n'est pas un département."
    if luhn_key(_digits(value[:8])) != value[8]:
        return "La clé de contrôle du numéro FINESS est fausse : vérifiez le numéro."
    return None


def is_valid_finess(value: str | None) -> bool:
    return finess_error(value) is None


def make_finess(prefix: str, serial: int) -> str:
    """A valid FINESS from a 2-character département prefix and a serial number (for generated data)."""
    body = f"{prefix}{serial:06d}"
    if len(body) != 8:
        raise ValueError("serial too large for a FINESS number")
    return body + luhn_key(_digits(body))


def departement_of_prefix(prefix: str) -> str:
    """The département a FINESS prefix stands for as written in FINESS files: '9A'..'9F' are the overseas
    départements 971..976, '97' and '98' their older prefixes; others are the département itself."""
    return {"9A": "971", "9B": "972", "9C": "973", "9D": "974", "9E": "975", "9F": "976"}.get(prefix, prefix)


def prefix_matches(finess: str, departement: str) -> bool:
    """Whether a FINESS number can designate an establishment of this département (its first two characters
    are the département, '97' or '98' for the overseas ones)."""
    prefix = finess[:2]
    if departement.startswith("97") or departement.startswith("98"):
        return prefix == departement[:2]
    return prefix == departement
