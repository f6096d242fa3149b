"""ROR naming rules for units: "Unité " + catégorie d'organisation + mode + temporalité + surnom.

Names are in capitals without accents; acronyms have no dots; a type whose label carries an acronym in
parentheses is named by the acronym ("Institut médico-éducatif (IME)" -> "IME"). SAVS, SAMSAH and CAJ are
the ROR's exceptions: their name starts with the acronym, without "UNITE".
"""

from __future__ import annotations

import re
import unicodedata

# Types named by their acronym alone (ROR exceptions to "UNITE ...").
ACRONYM_FIRST_TYPES = {"31": "SAVS", "32": "SAMSAH"}
CAJ = "CAJ"  # centre d'accueil de jour: an accueil de jour (mode 47) for older people


def normalise_name(text: str) -> str:
    """Capitals, no accents, no dots inside acronyms, single spaces: 'F.A.M  les Prés' -> 'FAM LES PRES'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = re.sub(r"\b((?:[A-Za-z]\.){2,}[A-Za-z]?)\.?", lambda m: m.group(1).replace(".", ""), plain)
    plain = re.sub(r"[^\w'()/-]+", " ", plain.upper())
    return re.sub(r"\s+", " ", plain).strip()


def _without_parentheses(label: str) -> str:
    return re.sub(r"\s*\([^)]*\)", "", label).strip()


def type_short_label(type_label: str) -> str:
    """The acronym in parentheses when the label has one, else the label without parentheses."""
    if type_label.startswith("Soins Médicaux et de Réadaptation (SMR)"):
        return type_label.replace("Soins Médicaux et de Réadaptation (SMR)", "SMR")
    acronym = re.search(r"\(([A-Z][A-Za-z.]{1,10})\)", type_label)
    return acronym.group(1) if acronym else _without_parentheses(type_label)


def uo_name(
    type_code: str,
    type_label: str,
    mode_label: str | None = None,
    temporalite_label: str | None = None,
    surnom: str | None = None,
    *,
    caj: bool = False,
) -> str:
    """The name a new unit gets from the ROR naming rule."""
    if caj:
        parts = [CAJ, surnom]
    elif type_code in ACRONYM_FIRST_TYPES:
        parts = [ACRONYM_FIRST_TYPES[type_code], surnom]
    else:
        base = type_short_label(type_label)
        qualifiers = [_without_parentheses(label) for label in (mode_label, temporalite_label) if label]
        parts = [base if base.lower().startswith("unité") else f"Unité {base}", *qualifiers, surnom]
    return normalise_name(" ".join(p for p in parts if p))
