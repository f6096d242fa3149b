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
ACCUEIL_DE_JOUR = "47"  # TRE_R213
TEMPORAIRE = "Temporaire"  # TRE_R240 01: said in the name; « Permanent » is what a unit is unless it says so
# The catégorie d'organisation (TRE_R244) of a type whose label is too long for a name.
SHORT_TYPE_LABELS = {
    "21": "EHPAD",
    "22": "Résidence autonomie",
    "24": "Unité de vie protégée",
    "39": "FAM",
    "96": "Foyer d'hébergement",
    "97": "Foyer de vie",
}
# Types whose units are named by their discipline or speciality (« UNITE NEONATOLOGIE HOSPITALISATION COMPLETE »
# for an « Unité d'hospitalisation (hors HDJ) »): the catégorie's words are free, the mode is still said.
SPECIALITY_NAMED_TYPES = frozenset({"11", "12", "16", "70"})
# The SMR types (TRE_R244 100 … 112): « UNITE SMR » and the speciality as the unit says it (« SMR » for « SSR »).
SMR_TYPES = frozenset(str(code) for code in range(100, 113))


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


def type_short_label(type_label: str, type_code: str | None = None) -> str:
    """The catégorie as a name says it: the acronym in parentheses when the label has one, else the label without
    parentheses (SHORT_TYPE_LABELS for the long ones)."""
    if type_code in SHORT_TYPE_LABELS:
        return SHORT_TYPE_LABELS[type_code]
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
        base = type_short_label(type_label, type_code)
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


def _words(text: str | None) -> list[str]:
    """The words of a name as the rules compare them: capitals, no accents, no punctuation."""
    return re.findall(r"[A-Z0-9]+", normalise_name(text or ""))


@dataclass(frozen=True)
class UnitKind:
    """What a unit's name must say, as the nomenclatures write it: type d'UO (TRE_R244), mode de prise en charge
    (TRE_R213) and temporalité d'accueil (TRE_R240) labels."""

    type_code: str | None
    type_label: str | None
    mode_label: str | None = None
    temporalite_label: str | None = None
    mode_code: str | None = None

    @property
    def said_after(self) -> list[str]:
        """What follows the catégorie: the mode, and the temporalité when it is temporary (without parentheses); nothing
        for SAVS and SAMSAH (« SAVS + surnom »)."""
        if self.type_code in ACRONYM_FIRST_TYPES:
            return []
        temporalite = self.temporalite_label if self.temporalite_label == TEMPORAIRE else None
        return [_without_parentheses(label) for label in (self.mode_label, temporalite) if label]

    @property
    def head(self) -> str:
        """« UNITE » and the catégorie (« UNITE » alone for a type named by its speciality)."""
        if self.type_code in SPECIALITY_NAMED_TYPES:
            return "UNITE"
        if self.type_code in SMR_TYPES:
            return "UNITE SMR"
        return uo_name(self.type_code or "", self.type_label or "")

    def expected(self) -> str:
        """The name the rule gives, in words (« UNITE IME ACCUEIL DE JOUR TEMPORAIRE »)."""
        speciality = ["+ spécialité +"] if self.type_code in SPECIALITY_NAMED_TYPES | SMR_TYPES else []
        return " ".join([self.head, *speciality, *(normalise_name(w) for w in self.said_after)])


RULE = "« Unité » + catégorie d'organisation + mode de prise en charge + temporalité + surnom (facultatif)"


def _contains(words: list[str], part: list[str], start: int) -> int | None:
    """Where `part` starts in `words` at `start` or after (None: absent)."""
    for i in range(start, len(words) - len(part) + 1):
        if words[i : i + len(part)] == part:
            return i
    return None


def structure_problem(name: str, kind: UnitKind) -> NamingProblem | None:
    """The ROR rule of a unit's name (guide ROR-IF, « Règles de nommage des EG et des UO »): it starts with « UNITE »
    and the catégorie (SAVS, SAMSAH and CAJ by their acronym), then says the mode and a temporary temporalité, in
    that order; other words (a speciality, the surnom) may follow each of them. « Unité IME Accueil de jour -
    Temporaire » passes. None when the name follows it or the type is not known."""
    words = _words(name)
    if not kind.type_code or not kind.type_label or not words:
        return None
    if kind.type_code in ACRONYM_FIRST_TYPES:
        if words[0] == ACRONYM_FIRST_TYPES[kind.type_code]:
            return None
    elif words[0] == CAJ and kind.mode_code == ACCUEIL_DE_JOUR:
        return None
    else:
        category = _words(kind.head)
        position = len(category) if words[: len(category)] == category else None
        for said in kind.said_after:
            if position is not None:
                found = _contains(words, _words(said), position)
                position = None if found is None else found + 1
        if position is not None:
            return None
    return NamingProblem(
        "structure",
        f"Le nom d'une unité suit la règle {RULE} : « {kind.expected()} … ».",
        _restructured(name, kind),
    )


def _without(tokens: list[str], words: list[str]) -> list[str]:
    """`tokens` without the first run of them that says `words`."""
    for i in range(len(tokens)):
        for j in range(i + 1, len(tokens) + 1):
            found = _words(" ".join(tokens[i:j]))
            if found == words:
                return tokens[:i] + tokens[j:]
            if len(found) >= len(words):
                break
    return tokens


def _restructured(name: str, kind: UnitKind) -> str:
    """The rule's name with the words of `name` it does not already say: the speciality after « UNITE » for a type
    named by it, else the surnom at the end."""
    kept = normalise_name(name).split()
    category = _words(kind.head)
    obsolete = [["SSR"]] if kind.type_code in SMR_TYPES else []  # the former name of the SMR
    for said in (category, category[1:] if category[:1] == ["UNITE"] else [], ["UNITE"], *obsolete):
        kept = _without(kept, said) if said else kept
    for said in kind.said_after:
        kept = _without(kept, _words(said))
    if kind.type_code in SPECIALITY_NAMED_TYPES | SMR_TYPES:
        return normalise_name(" ".join([kind.head, *kept, *kind.said_after]))
    return normalise_name(" ".join([kind.head, *kind.said_after, *kept]))


def unit_name_problems(name: str, kind: UnitKind | None = None) -> list[NamingProblem]:
    """Every rule a unit's name breaks: the writing rules (name_problems) and, when its kind is known, the ROR
    structure."""
    problems = name_problems(name)
    if kind is not None and (structure := structure_problem(name, kind)):
        problems.append(structure)
    return problems


def fixed_unit_name(name: str, kind: UnitKind | None = None) -> str:
    """The name with every rule applied: the suggestion shown beside the field, applied in one click."""
    name = fixed_name(name)
    if kind is not None and (structure := structure_problem(name, kind)):
        return structure.suggestion
    return name


_ARTICLES = (("LES ", "DES "), ("LE ", "DU "), ("LA ", "DE LA "), ("L ", "DE L'"))
_LINKING_WORDS = {"DE", "DU", "DES", "D", "LA", "LE", "LES", "L", "POUR", "ET", "A", "AU", "AUX", "EN"}


def _of_commune(commune: str) -> str:
    """« DE MELUN », « DU PLESSIS-ROBINSON », « DES ULIS », « DE L'ISLE-ADAM »."""
    name = normalise_name(commune).replace("'", " ")
    for article, linked in _ARTICLES:
        if name.startswith(article):
            return linked + name.removeprefix(article)
    return ("D'" if name[:1] in "AEIOUYH" else "DE ") + name


def category_only(official: str, category_label: str | None) -> bool:
    """The guide's exception: the FINESS name says only the catégorie (« IME », « FOYER DE VIE », « EHPAD »)."""
    if not category_label:
        return False
    words = [w for w in _words(official) if w not in _LINKING_WORDS]
    return bool(words) and set(words) <= _category_words(category_label)


@functools.lru_cache(maxsize=1024)  # a few hundred catégories (TRE_R66), each named by many EG
def _category_words(category_label: str) -> frozenset[str]:
    """The words by which a name says the catégorie: those of its label, its acronym, « EHPAD »."""
    acronym = re.search(r"\(([A-Z][A-Za-z.]{1,12})\)", category_label)
    category = set(_words(category_label)) | ({acronym.group(1).replace(".", "").upper()} if acronym else set())
    if "HEBERGEMENT POUR PERSONNES AGEES DEPENDANTES" in " ".join(_words(category_label)):
        category.add("EHPAD")
    return frozenset(category)


@dataclass(frozen=True)
class Establishment:
    """What an EG's nom d'usage is checked against: its official FINESS name, its catégorie (TRE_R66 label) and the
    name of its commune."""

    official: str
    category_label: str | None = None
    commune: str | None = None

    @classmethod
    def of(cls, eg: dict) -> Establishment:
        """From a row of queries/eg_fiche.sql (nom, categorie, commune)."""
        return cls(eg["nom"], eg.get("categorie"), eg.get("commune"))


def usage_name_problems(nom_usage: str | None, eg: Establishment) -> list[NamingProblem]:
    """An EG's nom d'usage: the writing rules, it keeps the official FINESS name (raison sociale), and — the guide's
    exception — when the FINESS name gives only the catégorie, the commune (or a name shared by the territory) is
    added (« IME » → « IME DE MELUN »). An empty nom d'usage is the FINESS name itself."""
    official = normalise_name(eg.official)
    problems = name_problems(nom_usage or "", frozenset(_words(official)))
    if nom_usage and official not in normalise_name(nom_usage):
        problems.append(
            NamingProblem(
                "nom_officiel",
                f"Le nom d'usage garde le nom officiel FINESS « {eg.official} » (un complément peut le suivre).",
                official,
            )
        )
    bare = normalise_name(nom_usage or eg.official) == official
    if eg.commune and bare and category_only(eg.official, eg.category_label):
        suggestion = f"{official} {_of_commune(eg.commune)}"
        problems.append(
            NamingProblem(
                "categorie_seule",
                f"Le nom FINESS « {eg.official} » ne dit que la catégorie : ajoutez la commune ou une appellation "
                f"usuelle partagée par le territoire (« {suggestion} »).",
                suggestion,
            )
        )
    return problems


def fixed_usage_name(nom_usage: str | None, eg: Establishment) -> str:
    """The nom d'usage with every rule applied (it always keeps the official name)."""
    official = normalise_name(eg.official)
    name = fixed_name(nom_usage or "", frozenset(_words(official))) or official
    if official not in normalise_name(name):
        name = official
    for problem in usage_name_problems(name, eg):
        if problem.rule == "categorie_seule":
            name = problem.suggestion
    return name


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
