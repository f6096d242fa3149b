"""The search engine: "où" (a place), "quoi" (terms), then refine. Usable without Streamlit (CLI, bench).

`search(con, SearchQuery(...))` returns the matching UO with distance, estimated travel time and opening
status, the same grouped by EG, and the counts of every filter value (docs/recherche.md).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass, field

import duckdb
import numpy as np
import polars as pl

import queries
from ror.core.errors import UserError
from ror.recherche import engine, search_index, travel
from ror.recherche.filters import PUBLICS, Filters
from ror.repertoire import opening

MIN_CHARS = 3  # autocompletion starts at the third letter
MAX_TERMS = 8
MAX_TERM_CHARS = 60
MAX_RAYON_KM = 1000
MAX_EG = 2000  # EG shown (and described) at most; counts and filters still cover every match
SORTS = {"distance": "Distance", "pertinence": "Pertinence"}
# Words that say nothing about a unit: they are not searched for.
STOP_WORDS = frozenset("a au aux d de des du en et l la le les pour par sur un une avec dans ou".split())
ABBREVIATIONS = {"st": "saint", "ste": "sainte"}
TERM_SYSTEM_LABELS = {
    "TRE_R244": "type d'UO",
    "TRE_R211": "activité",
    "APTITUDE_ROR_IF": "aptitude",
    "TRE_R245": "spécialisation",
    "TRE_R243": "compétence",
    "JDV_J186": "profession",
}


class SearchError(UserError):
    """A search that cannot run as asked; the message is French and says what to change."""


def normalise(text: str) -> str:
    """Lower case, no accents, other characters as single spaces; 'st'/'ste' spelled out (SQL: texte_normalise)."""
    plain = unicodedata.normalize("NFKD", text or "")
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch)).lower()
    words = re.sub(r"[^a-z0-9]+", " ", plain).split()
    return " ".join(ABBREVIATIONS.get(word, word) for word in words)


def long_enough(text: str | None) -> bool:
    """Whether a typed text has the MIN_CHARS letters or digits from which suggestions start."""
    return len(normalise(text or "").replace(" ", "")) >= MIN_CHARS


def query_terms(chosen: list[str] | tuple[str, ...], free_text: str = "") -> tuple[str, ...]:
    """The terms a UO must all match: each chosen label whole, then each meaningful word of the free text."""
    terms: list[str] = []
    for label in chosen:
        term = normalise(label)[:MAX_TERM_CHARS].strip()
        if term and term not in terms:
            terms.append(term)
    for word in normalise(free_text[: MAX_TERMS * (MAX_TERM_CHARS + 1)]).split():
        word = word[:MAX_TERM_CHARS]
        if len(word) >= 2 and word not in STOP_WORDS and word not in terms:
            terms.append(word)
    return tuple(terms[:MAX_TERMS])


PLACE_TYPES = {"commune": "Commune", "arrondissement": "Arrondissement de Paris", "eg": "Établissement"}


@dataclass(frozen=True)
class Place:
    """A commune or an arrondissement of Paris (its centre), or an EG (its coordinates)."""

    cle: str  # 'commune:94028', 'arrondissement:75113' or 'eg:940000573'
    type: str  # a key of PLACE_TYPES
    libelle: str
    detail: str
    lat: float
    lon: float
    departement: str
    population: int | None = None

    @property
    def zone(self) -> str:
        return travel.zone_of(self.departement, self.population)

    @property
    def label(self) -> str:
        return f"{self.libelle} ({self.detail})"

    @property
    def kind(self) -> str:
        return PLACE_TYPES[self.type]


def _places(frame: pl.DataFrame) -> list[Place]:
    return [Place(**{k: row[k] for k in Place.__dataclass_fields__}) for row in frame.iter_rows(named=True)]


def suggest_places(con: duckdb.DuckDBPyConnection, text: str, limit: int = 8) -> list[Place]:
    """Communes and EG matching what was typed (from the third letter; postal codes work)."""
    if not long_enough(text):
        return []
    texte = normalise(text)[:MAX_TERM_CHARS]
    search_index.ensure_fresh(con)
    return _places(queries.run(con, "place_suggestions", texte=texte, limite=limit))


def place_by_key(con: duckdb.DuckDBPyConnection, cle: str) -> Place | None:
    found = _places(queries.run(con, "place_by_key", cle=cle))
    return found[0] if found else None


def resolve_place(con: duckdb.DuckDBPyConnection, text: str) -> Place:
    """The best place for a text (the CLI's --ou), or SearchError when none matches."""
    if not long_enough(text):
        raise SearchError(f"Lieu trop court : « {text[:80]} ». Saisissez au moins {MIN_CHARS} caractères.")
    found = suggest_places(con, text, limit=1)
    if not found:
        raise SearchError(f"Lieu introuvable : « {text[:80]} ». Essayez une commune, un code postal ou un FINESS.")
    return found[0]


def suggest_terms(con: duckdb.DuckDBPyConnection, text: str, limit: int = 8) -> pl.DataFrame:
    """Labels (type d'UO, activité, aptitude …) matching what was typed, with how many UO carry each.

    Returns: system, code, libelle, uo, score, genre (the kind of label, in French)."""
    texte = normalise(text)[:MAX_TERM_CHARS]
    if not long_enough(text):
        return pl.DataFrame(schema={"system": pl.String, "code": pl.String, "libelle": pl.String, "uo": pl.Int64})
    search_index.ensure_fresh(con)
    found = queries.run(con, "term_suggestions", texte=texte, limite=limit)
    return found.with_columns(genre=pl.col("system").replace_strict(TERM_SYSTEM_LABELS))


@dataclass(frozen=True)
class SearchQuery:
    ou: Place | None = None
    quoi: tuple[str, ...] = ()  # normalised terms (query_terms)
    rayon_km: float | None = None  # only with a place
    filters: Filters = field(default_factory=Filters)
    tri: str = "distance"
    instant: dt.datetime | None = None  # local time; None: now
    territoire: tuple[str, ...] | None = None  # départements; None: the whole répertoire

    @property
    def asks_something(self) -> bool:
        """Whether a place, terms, a territory or a filter was asked for: with nothing asked, the Recherche page
        shows the counts and the filters, not every establishment of the répertoire."""
        return bool(self.ou or self.quoi or self.territoire or not self.filters.is_empty())

    def checked(self) -> SearchQuery:
        """The query if it can run, else SearchError with what to change."""
        if self.tri not in SORTS:
            raise SearchError(f"Tri inconnu : « {self.tri} ». Choisissez distance ou pertinence.")
        if self.rayon_km is not None and not 0 < self.rayon_km <= MAX_RAYON_KM:
            raise SearchError(
                f"Le rayon doit être supérieur à 0 et d'au plus {MAX_RAYON_KM} km (reçu : {self.rayon_km:g})."
            )
        if self.filters.age is not None and not 0 <= self.filters.age <= 120:
            raise SearchError("L'âge doit être compris entre 0 et 120 ans.")
        if self.filters.public not in (None, *PUBLICS):
            raise SearchError("Public inconnu : choisissez enfants ou adultes.")
        return self


@dataclass
class SearchResult:
    query: SearchQuery
    found: engine.Found  # the matching UO after the filters (of every EG, shown or not)
    eg: pl.DataFrame  # the EG shown (the first MAX_EG), one row each, sorted, described
    facets: dict[str, pl.DataFrame]  # filter -> value, libelle, n (UO), before that filter is applied
    before_filters: int  # UO matching où/quoi before the "Affiner" filters
    total_uo: int  # UO matching, after the filters (all of them, shown or not)
    total_eg: int  # their EG
    instant: dt.datetime

    @property
    def empty(self) -> bool:
        return self.total_uo == 0

    @functools.cached_property
    def units(self) -> pl.DataFrame:
        """The matching UO after the filters as a frame (of every EG, shown or not): what ranking needs."""
        return self.found.frame()

    @property
    def truncated(self) -> bool:
        """More EG match than are shown: the search should be narrowed."""
        return self.total_eg > self.eg.height


EG_COLUMNS = (  # the columns of SearchResult.eg
    "finess_eg",
    "eg_nom",
    "commune",
    "departement",
    "lat",
    "lon",
    "distance_km",
    "temps_min",
    "uo",
    "uo_ouvertes",
    "score",
    "statut",
)
UO_COLUMNS = {  # the columns of `units`, in order, with their French headers (exports, CLI)
    "finess_eg": "FINESS EG",
    "eg_nom": "Établissement",
    "commune": "Commune",
    "departement": "Dépt",
    "uo_id": "N° UO",
    "nom": "Unité",
    "type_libelle": "Type d'UO",
    "discipline": "Discipline",
    "distance_km": "Distance (km)",
    "temps_min": "Temps estimé (min)",
    "public": "Patientèle",
    "statut_libelle": "Statut",
    "statut_detail": "Détail du statut",
    "telephone": "Téléphone",
    "email": "E-mail",
}


def search(con: duckdb.DuckDBPyConnection, query: SearchQuery) -> SearchResult:
    """Run a search on the index in memory (ror/recherche/engine.py): the UO within the place and territory matching
    every term, whether they are open, the filters and their counts, the UO grouped by EG; the first MAX_EG EG are
    described (names, travel time), their UO only when read (`units`)."""
    query = query.checked()
    index = search_index.shared_index(con)
    instant = opening.local(query.instant)
    place = query.ou
    rows, score, distance = index.select(
        con, query.quoi, (place.lat, place.lon) if place else None, query.rayon_km, query.territoire
    )
    ouvert = index.open_at(opening.Moment.at(instant).as_params())[rows]
    masks = index.masks(query.filters, rows, ouvert)
    facets = index.facets(rows, masks, ouvert)
    before_filters = len(rows)
    if masks:
        kept = np.logical_and.reduce(list(masks.values()))
        rows, score, ouvert = rows[kept], score[kept], ouvert[kept]
        distance = distance[kept] if distance is not None else None
    found = engine.Found(index, rows, score, distance, ouvert)
    every_eg = found.by_eg()
    eg = _first_eg(every_eg, query.tri, MAX_EG)
    return SearchResult(
        query=query,
        found=found,
        eg=_describe_eg(index.egs, eg, place),
        facets=facets,
        before_filters=before_filters,
        total_uo=len(found),
        total_eg=every_eg.height,
        instant=instant,
    )


def units(con: duckdb.DuckDBPyConnection, result: SearchResult, finess_eg: list[str] | None = None) -> pl.DataFrame:
    """The matching UO of some EG shown (all of them by default) as a person reads them: names, contacts,
    status at the instant of the search, distance, travel time, patientèle; sorted as the results.
    The columns of UO_COLUMNS, and uo_id, statut, score, public_enfants … of `result.units`."""
    shown = result.eg["finess_eg"].to_list() if finess_eg is None else finess_eg
    chosen = result.found.frame(shown)
    ids = chosen.select("uo_id")
    moment = opening.Moment.at(result.instant).as_params()
    rows = queries.run(con, "search_rows", ids=ids).join(queries.run(con, "uo_status", ids=ids, **moment), on="uo_id")
    labels = result.found.index.labels
    return _sort_uo(_describe(chosen.join(rows, on="uo_id"), result.query.ou, labels), result.query.tri)


def _order_eg(tri: str) -> tuple[list[str], list[bool]]:
    """The order of the EG in the results: by distance or score, then the other, then FINESS (`eg` follows it)."""
    order = ["score", "distance_km"] if tri == "pertinence" else ["distance_km", "score"]
    return [*order, "eg"], [name == "score" for name in order] + [False]


def _first_eg(eg: pl.DataFrame, tri: str, limit: int) -> pl.DataFrame:
    """The first `limit` EG in the order of the results, those without a distance last (a top-k, not a sort of
    tens of thousands)."""
    by, descending = _order_eg(tri)
    if eg.height > limit:
        eg = eg.bottom_k(limit, by=by, reverse=descending)
    return eg.sort(by, descending=descending, nulls_last=True)


def _describe_eg(egs: pl.DataFrame, eg: pl.DataFrame, place: Place | None) -> pl.DataFrame:
    """The EG shown, in their order, with their name, commune, place, travel time and status (open when one of its UO
    is); egs: every EG described (queries/search_eg.sql) in the order of `eg`'s positions."""
    described = pl.concat([egs[eg["eg"]], eg.drop("eg")], how="horizontal")
    return described.with_columns(
        pl.col("distance_km").round(1),
        temps_min=_minutes(place),
        statut=pl.when(pl.col("uo_ouvertes") > 0).then(pl.lit("ouvert")).otherwise(pl.lit("ferme")),
    ).select(EG_COLUMNS)


def _minutes(place: Place | None) -> pl.Expr:
    """Estimated minutes from the place to each row (from distance_km, its département and its commune's
    population), null without a place."""
    if place is None:
        return pl.lit(None, dtype=pl.Int32)
    minutes = travel.minutes_expr(pl.col("distance_km"), pl.lit(place.zone), travel.zone_expr())
    return minutes.round(0).cast(pl.Int32)


def public_expr(*, in_words: bool = False) -> pl.Expr:
    """'E', 'A' or 'E / A' (the results' short form), or in words for a fiche ('Enfants et adultes'), with the age range
    when there is one: 'E / A (3-20 ans)'."""
    both, children, adults = ("Enfants et adultes", "Enfants", "Adultes") if in_words else ("E / A", "E", "A")
    letters = (
        pl.when(pl.col("public_enfants") & pl.col("public_adultes"))
        .then(pl.lit(both))
        .when(pl.col("public_enfants"))
        .then(pl.lit(children))
        .otherwise(pl.lit(adults))
    )
    ages = (
        pl.when(pl.col("age_min").is_not_null() & pl.col("age_max").is_not_null())
        .then(pl.format(" ({}-{} ans)", "age_min", "age_max"))
        .when(pl.col("age_min").is_not_null())
        .then(pl.format(" (dès {} ans)", "age_min"))
        .when(pl.col("age_max").is_not_null())
        .then(pl.format(" (jusqu'à {} ans)", "age_max"))
        .otherwise(pl.lit(""))
    )
    return pl.concat_str([letters, ages])


def _describe(candidates: pl.DataFrame, place: Place | None, labels: pl.DataFrame) -> pl.DataFrame:
    """Add what a person reads: labels, travel time, patientèle, status wording."""
    candidates = candidates.with_columns(statut_detail=opening.status_detail_expr())
    types = labels.filter(pl.col("facet") == "types")
    return candidates.with_columns(
        distance_km=pl.col("distance_km").round(1),
        temps_min=_minutes(place),
        type_libelle=pl.col("type_code").replace_strict(types["value"], types["libelle"], default=pl.col("type_code")),
        public=public_expr(),
        statut_libelle=pl.col("statut").replace_strict(opening.STATUS_LABELS),
    )


def _sort_uo(uo: pl.DataFrame, tri: str) -> pl.DataFrame:
    """The UO in the order of the results; units of the same name in the same EG by their number."""
    first = ["score", "distance_km"] if tri == "pertinence" else ["distance_km", "score"]
    by = [*first, "eg_nom", "nom", "uo_id"]
    return uo.sort(by, descending=[name == "score" for name in by], nulls_last=True)


def describe(query: SearchQuery) -> dict[str, str]:
    """The criteria of a search in French, one line each (the « Recherche » sheet of an export)."""
    place = query.ou
    shown = {
        "Où": place.label if place else "Tout le répertoire",
        "Quoi": ", ".join(query.quoi) or "Toute l'offre",
        "Rayon": f"{query.rayon_km:g} km" if place and query.rayon_km else "—",
        "Tri": SORTS[query.tri],
    }
    shown |= query.filters.summary()
    return shown
