"""ROR naming rules for units: "Unité " + catégorie d'organisation + mode + temporalité + surnom.

Names are in capitals without accents; acronyms have no dots; a type whose label carries an acronym in
parentheses is named by the acronym ("Institut médico-éducatif (IME)" -> "IME"). SAVS, SAMSAH and CAJ are
the ROR's exceptions: their name starts with the acronym, without "UNITE".
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

# Types named by their acronym alone (ROR exceptions to "UNITE ...").
ACRONYM_FIRST_TYPES = {"31": "SAVS", "32": "SAMSAH"}
CAJ = "CAJ"  # centre d'accueil de jour: an accueil de jour (mode 47) for older people


_DOTTED_LETTERS = re.compile(r"\b((?:[A-Za-z]\.){2,}[A-Za-z]?)\.?")
_NOT_IN_NAMES = re.compile(r"[^\w'()/-]+")
_SPACES = re.compile(r"\s+")


@functools.lru_cache(maxsize=65_536)  # the Qualité page checks every name of the base: most come back
def normalise_name(text: str) -> str:
    """Capitals, no accents, no dots inside acronyms, single spaces: 'F.A.M  les Prés' -> 'FAM LES PRES'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    plain = _DOTTED_LETTERS.sub(lambda m: m.group(1).replace(".", ""), plain)
    plain = _NOT_IN_NAMES.sub(" ", plain.upper())
    return _SPACES.sub(" ", plain).strip()


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


# ---------------------------------------------------------------------------------------------------------
# Checking a name someone typed: each broken rule with its fix


# Abbreviations the ROR's guides ask to write out in full (whole words only).
ABBREVIATIONS = {
    "ASSO": "ASSOCIATION",
    "ASS": "ASSOCIATION",
    "ST": "SAINT",
    "STE": "SAINTE",
    "HOP": "HOPITAL",
    "CTRE": "CENTRE",
    "CHIR": "CHIRURGIE",
    "SCE": "SERVICE",
    "SERV": "SERVICE",
    "ETS": "ETABLISSEMENT",
    "ETAB": "ETABLISSEMENT",
    "RESID": "RESIDENCE",
    "FOND": "FONDATION",
    "HOSP": "HOSPITALISATION",
    "CONSULT": "CONSULTATIONS",
    "READAPT": "READAPTATION",
    "REEDUC": "REEDUCATION",
    "GERIA": "GERIATRIE",
    "PEDIA": "PEDIATRIE",
    "URG": "URGENCES",
    "MAT": "MATERNITE",
    "DPT": "DEPARTEMENT",
}
COPY_PREFIX = "COPIE DE "
_DOTTED = re.compile(r"\b(?:[A-Za-z]\.){2,}[A-Za-z]?\.?(?!\w)")  # F.A.M or F.A.M.
_SPACED = re.compile(r"\b[A-Z](?:[ -][A-Z]){2,}\b")  # F A M, F-A-M


@dataclass(frozen=True)
class NamingProblem:
    """One broken naming rule: what is wrong, in French, and the name with that rule fixed."""

    rule: str  # majuscules, abreviation, sigle, copie, nom_officiel
    message: str
    suggestion: str


def _join_acronyms(name: str) -> str:
    name = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), name)
    return _SPACED.sub(lambda m: re.sub(r"[ -]", "", m.group(0)), name)


def name_problems(name: str, official_words: frozenset[str] = frozenset()) -> list[NamingProblem]:
    """The naming rules a unit or establishment name breaks, each with its fix (empty list: the name is right).
    official_words: words of the official FINESS name, kept as they are even when abbreviated."""
    name = re.sub(r"\s+", " ", name or "").strip()
    if not name:
        return []
    problems = []
    acronyms = _join_acronyms(name)
    if acronyms != name:
        found = [m.group(0) for m in (*_DOTTED.finditer(name), *_SPACED.finditer(name))]
        problems.append(
            NamingProblem(
                "sigle",
                f"Les sigles s'écrivent sans points, espaces ni tirets : « {found[0]} » → "
                f"« {_join_acronyms(found[0])} ».",
                acronyms,
            )
        )
    capitals = normalise_name(acronyms)
    if capitals != acronyms:
        problems.append(
            NamingProblem("majuscules", "Les noms s'écrivent en majuscules, sans accents.", normalise_name(name))
        )
    short = [w for w in re.findall(r"\b[A-Z]+\b", capitals) if w in ABBREVIATIONS and w not in official_words]
    if short:
        problems.append(
            NamingProblem(
                "abreviation",
                "Pas d'abréviation : " + ", ".join(f"{w} → {ABBREVIATIONS[w]}" for w in dict.fromkeys(short)) + ".",
                re.sub(
                    r"\b[A-Z]+\b", lambda m: ABBREVIATIONS[m.group(0)] if m.group(0) in short else m.group(0), capitals
                ),
            )
        )
    if capitals.startswith(COPY_PREFIX):
        problems.append(
            NamingProblem(
                "copie",
                "Le nom commence encore par « COPIE DE » : renommez l'unité avant de la finaliser.",
                capitals.removeprefix(COPY_PREFIX),
            )
        )
    return problems


def fixed_name(name: str, official_words: frozenset[str] = frozenset()) -> str:
    """The name with every rule applied, one after the other (the suggestion shown beside the field)."""
    for _ in range(len(ABBREVIATIONS)):
        problems = name_problems(name, official_words)
        if not problems:
            break
        name = problems[0].suggestion
    return name


def usage_name_problems(nom_usage: str, official: str) -> list[NamingProblem]:
    """An EG's nom d'usage: the unit rules, and it keeps the official FINESS name (raison sociale)."""
    problems = name_problems(nom_usage, frozenset(normalise_name(official).split()))
    if nom_usage and normalise_name(official) not in normalise_name(nom_usage):
        problems.append(
            NamingProblem(
                "nom_officiel",
                f"Le nom d'usage garde le nom officiel FINESS « {official} » (un complément peut le suivre).",
                official,
            )
        )
    return problems


def similar_units(candidate: dict, existing: list[dict], threshold: float = 0.8) -> list[dict]:
    """The units of `existing` that look like `candidate`: same type d'UO and same public, and a close name
    (one contains the other, or a similarity ratio ≥ threshold). Dicts carry nom, type_code, public_enfants,
    public_adultes."""

    def public(unit: dict) -> tuple[bool, bool]:
        return bool(unit.get("public_enfants")), bool(unit.get("public_adultes"))

    name = normalise_name(candidate.get("nom") or "").removeprefix(COPY_PREFIX)
    found = []
    for unit in existing:
        other = normalise_name(unit.get("nom") or "")
        if unit.get("type_code") != candidate.get("type_code") or public(unit) != public(candidate) or not name:
            continue
        if name in other or other in name or SequenceMatcher(None, name, other).ratio() >= threshold:
            found.append(unit)
    return found
