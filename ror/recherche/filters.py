"""The « Affiner » filters of the search, declared once.

Each row of FILTERS says what a filter is: its name (a field of `Filters` and the name of its counts), the French
label of its widget and of an export's summary, its URL parameter, what it reads of a unit (`kind`, `column`, the
nomenclature of its values' labels) and the widget that sets it. The engine's masks and counts (engine.py), the
export's summary, the page's URL and session state (components/search_state.py) and the panel's widgets
(components/search_view.py) all read this table: adding a filter is one row here and one field of `Filters`.
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ror.core.reference import DEPARTEMENT_NAMES, DISCIPLINES

PUBLICS = {"enfants": "Enfants", "adultes": "Adultes"}
# kind -> how its value travels in a URL: several values, a word, a number, or on/off
URL_KINDS = {"values": "list", "codes": "list", "public": "text", "age": "int", "ouvert": "bool"}


@dataclass(frozen=True)
class Filter:
    name: str
    label: str  # the widget's label
    summary: str  # its line in the « Recherche » sheet of an export
    param: str  # its URL parameter
    kind: str  # values: one value per unit in `column`; codes: a list per unit; public; age; ouvert
    widget: str  # toggle, pills, multiselect, segmented, number
    column: str | None = None
    system: str | None = None  # the nomenclature that labels its values

    @property
    def key(self) -> str:
        """Its key in the Recherche page's session state."""
        return f"r_{self.name}"

    @property
    def counted(self) -> bool:
        """Whether the panel shows how many units each of its values would keep."""
        return self.kind != "age"

    def value(self, raw):
        """A widget's value as a field of Filters (empty: no restriction)."""
        if self.kind in ("values", "codes"):
            return tuple(raw or ())
        if self.kind == "ouvert":
            return bool(raw)
        if self.kind == "age":
            return raw
        return raw or None

    def shown(self, chosen) -> str:
        """The value chosen, as the export's summary says it."""
        if self.kind == "public":
            return PUBLICS[chosen]
        if self.kind == "age":
            return f"{chosen} ans"
        if self.kind == "ouvert":
            return self.label
        return ", ".join(chosen)


# In the order of the panel.
FILTERS = (
    Filter("ouvert", "Ouvert maintenant", "Statut", "ouvert", "ouvert", "toggle"),
    Filter("disciplines", "Discipline", "Disciplines", "disc", "values", "pills", "discipline"),
    Filter("departements", "Département", "Départements", "dep", "values", "multiselect", "departement"),
    Filter("types", "Type d'UO", "Types d'UO", "type", "values", "multiselect", "type_code", "TRE_R244"),
    Filter("public", "Public", "Public", "public", "public", "segmented"),
    Filter("age", "Âge (ans)", "Âge", "age", "age", "number"),
    Filter(
        "modes",
        "Mode de prise en charge",
        "Modes de prise en charge",
        "mode",
        "values",
        "multiselect",
        "mode_pec_code",
        "TRE_R213",
    ),
    Filter(
        "temporalites",
        "Temporalité d'accueil",
        "Temporalités",
        "temp",
        "values",
        "multiselect",
        "temporalite_code",
        "TRE_R240",
    ),
    Filter("activites", "Activité opérationnelle", "Activités", "act", "codes", "multiselect", "activites", "TRE_R211"),
    Filter("aptitudes", "Aptitude", "Aptitudes", "apt", "codes", "multiselect", "aptitudes", "APTITUDE_ROR_IF"),
)
BY_NAME = {f.name: f for f in FILTERS}
FACETS = tuple(f.name for f in FILTERS if f.counted)
SYSTEMS = {f.name: f.system for f in FILTERS if f.system}  # filter -> the nomenclature of its labels
FIXED_LABELS = pl.DataFrame(  # the labels of the filters whose values are not codes; rang: public in this order
    [
        *(("departements", code, f"{name} ({code})", 0) for code, name in DEPARTEMENT_NAMES.items()),
        *(("disciplines", code, name, 0) for code, name in DISCIPLINES.items()),
        *(("public", code, name, rang) for rang, (code, name) in enumerate(PUBLICS.items())),
        ("ouvert", "ouvert", "Ouvert maintenant", 0),
    ],
    schema={"facet": pl.String, "value": pl.String, "libelle": pl.String, "rang": pl.Int32},
    orient="row",
)


@dataclass(frozen=True)
class Filters:
    """The values chosen in the « Affiner » panel, one field per row of FILTERS: empty means no restriction."""

    ouvert: bool = False
    disciplines: tuple[str, ...] = ()
    departements: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    public: str | None = None  # 'enfants' / 'adultes'
    age: int | None = None
    modes: tuple[str, ...] = ()
    temporalites: tuple[str, ...] = ()
    activites: tuple[str, ...] = ()
    aptitudes: tuple[str, ...] = ()

    def is_empty(self) -> bool:
        return self == Filters()

    def chosen(self) -> dict[str, object]:
        """The filters with a value: name -> value."""
        values = {f.name: getattr(self, f.name) for f in FILTERS}
        return {name: value for name, value in values.items() if value not in ((), None, False)}

    def summary(self) -> dict[str, str]:
        """The filters with a value, in French, one line each (the « Recherche » sheet of an export)."""
        return {BY_NAME[name].summary: BY_NAME[name].shown(value) for name, value in self.chosen().items()}
