"""Data quality of a territory (page « Qualité des données », docs/territoire.md).

- completeness: each EG and each active UO is checked against criteria (mandatory fields, contacts, director,
  coordinates; semaine type, responsable, patientèle); a record's score is the share of its checks met, and
  scores roll up UO → EG → EJ → département as the share of all the checks met below;
- naming: the rules of `ror/dossiers/naming.py` (the ones the dossiers apply), with the suggested name;
- fiches anciennes: records not updated for a number of months (setting `fiches_anciennes_mois`);
- campagne SMR (the 2023 reform of the SSR into SMR): a checklist per EG with active SMR units.
"""

from __future__ import annotations

import datetime as dt
import functools
import threading
from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror.core import clock, db, settings
from ror.core.auth import User
from ror.core.errors import UserError
from ror.dossiers import naming
from ror.dossiers.drafts import MANDATORY_EG, OPEN_STATES, SPECIALISED_DISCIPLINES
from ror.recherche import engine


class QualityError(UserError):
    """A setting or a choice the Qualité page cannot apply; the message is French."""


def filled(column: str) -> pl.Expr:
    return pl.col(column).is_not_null() & (pl.col(column).cast(pl.String).str.strip_chars() != "")


def valid_phone(column: str) -> pl.Expr:
    """A phone that `validation.phone` accepts (a number a caller can dial), vectorised: the same rule."""
    digits = pl.col(column).str.replace_all(r"[\s.\-()]", "")  # +33 or 0033 stand for the leading 0
    return digits.str.contains(r"^(?:\+33|0033|0)[1-9]\d{8}$").fill_null(False)


@dataclass(frozen=True)
class Check:
    criterion: str  # the group it counts in
    label: str  # what is missing, in French, when it fails
    passes: pl.Expr


EG_CRITERIA = {
    "obligatoires": "Champs obligatoires",
    "contacts": "Contacts",
    "directeur": "Directeur",
    "coordonnees": "Coordonnées",
}
UO_CRITERIA = {
    "obligatoires": "Champs obligatoires",
    "contacts": "Contacts",
    "semaine_type": "Semaine type",
    "responsable": "Responsable",
    "patientele": "Patientèle",
}


def eg_checks() -> list[Check]:
    return [
        *[Check("obligatoires", label, filled(field)) for field, label in MANDATORY_EG.items()],
        Check("contacts", "Téléphone joignable", valid_phone("telephone")),
        Check("contacts", "Mail d'alerte", filled("mail_alerte")),
        Check(
            "directeur", "Téléphone ou e-mail du directeur", filled("directeur_telephone") | filled("directeur_email")
        ),
        Check("coordonnees", "Géolocalisation précise (pas le centre de la commune)", pl.col("geolocalise")),
    ]


def uo_checks() -> list[Check]:
    return [
        Check("obligatoires", "Nom", filled("nom")),
        Check("obligatoires", "Type d'UO", filled("type_code")),
        Check("obligatoires", "Activité opérationnelle", pl.col("activites") > 0),
        Check(
            "obligatoires",
            "Spécialisation de prise en charge",
            ~pl.col("discipline").is_in(SPECIALISED_DISCIPLINES) | (pl.col("specialisations") > 0),
        ),
        Check("contacts", "Téléphone joignable", valid_phone("telephone")),
        Check("contacts", "E-mail", filled("email")),
        Check("semaine_type", "Semaine type", pl.col("horaires")),
        Check("responsable", "Nom du responsable", filled("responsable_nom")),
        Check("responsable", "E-mail du responsable", filled("responsable_email")),
        Check("patientele", "Public (enfants / adultes)", pl.col("public_enfants") | pl.col("public_adultes")),
        Check("patientele", "Publics pris en charge", pl.col("publics") > 0),
        Check("patientele", "Âge minimum", pl.col("age_min").is_not_null()),
    ]


def assess(records: pl.DataFrame, checks: list[Check], criteria: dict[str, str]) -> pl.DataFrame:
    """The records with one boolean per criterion, `a_corriger` (the failed checks, in French), `met` and
    `total` (checks) and `score` (share met, 0–1). The failed checks of a record are one bit each: the French list
    is written once per distinct combination (a few hundred), not once per record."""
    flags = [f"_check_{i}" for i in range(len(checks))]
    passes = [c.passes.fill_null(False).alias(flag) for flag, c in zip(flags, checks, strict=True)]
    assessed = records.with_columns(passes)
    assessed = assessed.with_columns(
        **{
            name: pl.all_horizontal([flag for flag, c in zip(flags, checks, strict=True) if c.criterion == name])
            for name in criteria
        },
        _failed=pl.sum_horizontal([(~pl.col(flag)).cast(pl.Int64) * (1 << i) for i, flag in enumerate(flags)]),
        met=pl.sum_horizontal([pl.col(flag).cast(pl.Int32) for flag in flags]),
        total=pl.lit(len(checks), pl.Int32),
    )
    combinations = assessed["_failed"].unique().to_list()
    wording = {bits: ", ".join(c.label for i, c in enumerate(checks) if bits >> i & 1) for bits in combinations}
    return (
        assessed.with_columns(
            # an empty mapping (no record at all) would give a column of numbers: polars ignores return_dtype then
            a_corriger=pl.col("_failed").replace_strict(wording, return_dtype=pl.String)
            if wording
            else pl.lit(None, pl.String),
            score=pl.col("met") / pl.col("total"),
        )
        .drop(*flags, "_failed")
        .select(pl.exclude("met", "total", "score"), "met", "total", "score")
    )


@dataclass
class Quality:
    eg: pl.DataFrame  # queries/quality_eg.sql assessed (EG_CRITERIA) with its naming verdict (probleme, suggestion),
    #                   dossier_ouvert, uo, uo_incompletes, met_total, total_total and score_total (with its units)
    uo: pl.DataFrame  # queries/quality_uo.sql assessed (UO_CRITERIA) with its naming verdict (probleme, suggestion)


@dataclass(frozen=True)
class Review:
    """The whole base assessed at a data version: what `load` takes a territory from."""

    version: int
    eg: pl.DataFrame
    uo: pl.DataFrame


REVIEWS_KEPT = 4  # bases reviewed and kept in memory
_reviews: dict[str, Review] = {}
_reviews_lock = threading.Lock()  # every session's script thread may review


def reviewed(con: duckdb.DuckDBPyConnection) -> Review:
    """The whole base assessed at its current data version, kept in memory once per base file and shared by every
    session: after a write, only the establishments it changed are assessed again (db.changed_since), a few ms instead
    of the whole base (≈ 2 s at national scale). A base in memory is assessed each time."""
    version, path = db.data_version(con), db.file_of(con)
    kept = _reviews.get(path)
    if kept is not None and kept.version == version:
        return kept
    with _reviews_lock:  # one session assesses; the others wait for its review rather than do it too
        kept = _reviews.get(path)
        if kept is not None and kept.version == version:
            return kept
        changed = db.changed_since(con, kept.version) if kept is not None else None
        if changed is None:
            eg, uo = _assessed(con, None)
        else:
            # the rows of the EG changed (its units all together, in uo_id order) go to the end: no sort of the whole
            # base (150 ms at national scale); what lists records sorts them (naming_violations, old_records …)
            eg, uo = _assessed(con, changed)
            eg = pl.concat([kept.eg.filter(~pl.col("finess_eg").is_in(changed)), eg], rechunk=False)
            uo = pl.concat([kept.uo.filter(~pl.col("finess_eg").is_in(changed)), uo], rechunk=False)
        review = Review(version, eg, uo)
        if path:
            engine.bounded(_reviews, REVIEWS_KEPT)[path] = review
        return review


def _assessed(con: duckdb.DuckDBPyConnection, finess_eg: list[str] | None) -> tuple[pl.DataFrame, pl.DataFrame]:
    """These EG (None: all) with their units' figures, and their active units: assessed, with their naming verdicts."""
    eg = assess(queries.run(con, "quality_eg", finess_eg=finess_eg), eg_checks(), EG_CRITERIA)
    uo = assess(queries.run(con, "quality_uo", finess_eg=finess_eg), uo_checks(), UO_CRITERIA)
    units = uo.group_by("finess_eg").agg(
        pl.len().alias("uo"),
        (pl.col("met") < pl.col("total")).sum().alias("uo_incompletes"),
        pl.col("met").sum().alias("uo_met"),
        pl.col("total").sum().alias("uo_total"),
    )
    eg = (
        eg.join(units, on="finess_eg", how="left", maintain_order="left")
        .with_columns(pl.col("uo", "uo_incompletes", "uo_met", "uo_total").fill_null(0))
        .with_columns(met_total=pl.col("met") + pl.col("uo_met"), total_total=pl.col("total") + pl.col("uo_total"))
        .with_columns(score_total=pl.col("met_total") / pl.col("total_total"))
        .drop("uo_met", "uo_total")
    )
    return (
        _with_naming(eg, ["nom_usage", "nom", "categorie", "commune"], _usage_naming),
        _with_naming(
            uo,
            ["nom", "type_code", "type_libelle", "mode_libelle", "temporalite_libelle", "mode_pec_code"],
            _unit_naming,
        ),
    )


def load(con: duckdb.DuckDBPyConnection, departements: tuple[str, ...] | None) -> Quality:
    """The quality of these départements (None: the whole répertoire), from the shared review (`reviewed`)."""
    review = reviewed(con)
    eg, uo = review.eg, review.uo
    if departements is not None:
        eg = eg.filter(pl.col("departement").is_in(departements))
        uo = uo.filter(pl.col("departement").is_in(departements))
    open_dossiers = queries.run(con, "quality_open_dossiers", etats_ouverts=list(OPEN_STATES))["finess_eg"]
    eg = eg.with_columns(dossier_ouvert=pl.col("finess_eg").is_in(open_dossiers.implode()))
    return Quality(eg=eg, uo=uo)


def load_establishments(con: duckdb.DuckDBPyConnection, finess_eg: tuple[str, ...]) -> Quality:
    """The quality of the départements of these establishments (« Ma campagne SMR » keeps theirs)."""
    found = con.sql(
        "SELECT DISTINCT departement FROM eg WHERE list_contains($f, finess_eg) ORDER BY 1",
        params={"f": list(finess_eg)},
    ).fetchall()
    return load(con, tuple(d for (d,) in found))


def rollup(quality: Quality, by: str) -> pl.DataFrame:
    """Scores rolled up by 'departement' or 'finess_ej': eg, uo, eg_complets (an EG and all its units
    complete), score (share of all the checks met, EG and UO), worst first."""
    keys = [by] if by == "departement" else [by, "ej_nom", "departement"]
    return (
        quality.eg.group_by(keys)
        .agg(
            pl.len().alias("eg"),
            pl.col("uo").sum(),
            (pl.col("met_total") == pl.col("total_total")).sum().alias("eg_complets"),
            pl.col("met_total").sum(),
            pl.col("total_total").sum(),
        )
        .with_columns(score=pl.col("met_total") / pl.col("total_total"))
        .sort(["score", by])
    )


def by_criterion(quality: Quality) -> pl.DataFrame:
    """Per criterion: niveau (EG / UO), critere (label), manquants (records failing it), part (share)."""
    rows = [
        {"niveau": niveau, "critere": label, "manquants": int((~frame[name]).sum()), "fiches": frame.height}
        for niveau, frame, criteria in (("EG", quality.eg, EG_CRITERIA), ("UO", quality.uo, UO_CRITERIA))
        for name, label in criteria.items()
    ]
    table = pl.DataFrame(
        rows, schema={"niveau": pl.String, "critere": pl.String, "manquants": pl.Int64, "fiches": pl.Int64}
    )
    return table.with_columns(part=pl.when(pl.col("fiches") > 0).then(pl.col("manquants") / pl.col("fiches")))


# ---------------------------------------------------------------------------------------------------------
# Naming rules


def _record_keys(niveau: str) -> list:
    """The columns that name an EG or a UO in the tables of the page: niveau, identifiant (FINESS or n° UO),
    finess_eg, departement."""
    identifiant = pl.col("finess_eg") if niveau == "EG" else pl.col("uo_id").cast(pl.String)
    return [pl.lit(niveau).alias("niveau"), identifiant.alias("identifiant"), "finess_eg", "departement"]


def naming_violations(quality: Quality) -> pl.DataFrame:
    """The names that break a naming rule (ror/dossiers/naming.py): niveau, identifiant, finess_eg, departement, nom,
    probleme (the rules broken, in French), suggestion (the name with every rule applied). A unit's name is checked
    against its type, mode and temporalité; an EG's nom d'usage — or its FINESS name when it has none — against its
    official name, catégorie and commune."""
    usage = quality.eg.filter(pl.col("probleme").is_not_null()).select(
        *_record_keys("EG"), pl.coalesce("nom_usage", "nom").alias("nom"), "probleme", "suggestion"
    )
    units = quality.uo.filter(pl.col("probleme").is_not_null()).select(
        *_record_keys("UO"), "nom", "probleme", "suggestion"
    )
    return pl.concat([usage, units]).sort("departement", "niveau", "finess_eg", "identifiant")


def _with_naming(records: pl.DataFrame, keys: list[str], judge) -> pl.DataFrame:
    """The records with their naming verdict: probleme (the rules broken, in French; None when none is) and
    suggestion. Each distinct name (with what it is checked against) is judged once."""
    verdicts = [(*row, *verdict) for row in records.select(keys).unique().iter_rows() if (verdict := judge(*row))]
    schema = {k: records.schema[k] for k in keys} | {"probleme": pl.String, "suggestion": pl.String}
    found = pl.DataFrame(verdicts, schema=schema, orient="row")
    return records.join(found, on=keys, how="left", nulls_equal=True, maintain_order="left")


@functools.lru_cache(maxsize=65_536)  # names change rarely: a review after a write judges only the new ones
def _unit_naming(nom, type_code, type_libelle, mode_libelle, temporalite_libelle, mode) -> tuple[str, str] | None:
    """A unit's name: the rules it breaks and the suggested name, or None."""
    kind = naming.UnitKind(type_code, type_libelle, mode_libelle, temporalite_libelle, mode)
    problems = naming.unit_name_problems(nom, kind)
    return (" ".join(p.message for p in problems), naming.fixed_unit_name(nom, kind)) if problems else None


@functools.lru_cache(maxsize=65_536)
def _usage_naming(nom_usage, officiel, categorie, commune) -> tuple[str, str] | None:
    """An EG's nom d'usage (None: its FINESS name): the rules it breaks and the suggested name, or None (most names)."""
    eg = naming.Establishment(officiel, categorie, commune)
    problems = naming.usage_name_problems(nom_usage, eg)
    return (" ".join(p.message for p in problems), naming.fixed_usage_name(nom_usage, eg)) if problems else None


# ---------------------------------------------------------------------------------------------------------
# Fiches anciennes

OLD_MONTHS_SETTING = "fiches_anciennes_mois"
MAX_OLD_MONTHS = 120


def old_months(con: duckdb.DuckDBPyConnection) -> int:
    return db.integer_setting(con, OLD_MONTHS_SETTING, 12)


def set_old_months(con: duckdb.DuckDBPyConnection, user: User, months: int) -> None:
    """The administrator's setting: records not updated for that many months are « anciennes »."""
    message = f"Le délai des fiches anciennes doit être un nombre de mois entre 1 et {MAX_OLD_MONTHS}."
    settings.set_integer(con, user, OLD_MONTHS_SETTING, months, (1, MAX_OLD_MONTHS), QualityError, message)


def months_before(today: dt.date, months: int) -> dt.date:
    """The same day `months` months earlier (the last day of a shorter month)."""
    year, month = divmod(today.year * 12 + today.month - 1 - months, 12)
    month += 1
    for day in range(today.day, 27, -1):
        try:
            return dt.date(year, month, day)
        except ValueError:
            continue
    return dt.date(year, month, min(today.day, 28))


def old_records(quality: Quality, months: int, today: dt.date | None = None) -> pl.DataFrame:
    """EG and UO not updated since `months` months: niveau, identifiant, finess_eg, departement, nom,
    updated_at, updated_by (« chargement initial » when nobody changed it), mois (whole months since), oldest
    first."""
    today = today or clock.today()
    limit = months_before(today, months)
    eg = quality.eg.select(
        *_record_keys("EG"), pl.coalesce("nom_usage", "nom").alias("nom"), "updated_at", "updated_by"
    )
    uo = quality.uo.select(*_record_keys("UO"), "nom", "updated_at", "updated_by")
    return (
        pl.concat([eg, uo])
        .filter(pl.col("updated_at").dt.date() <= limit)
        .with_columns(
            pl.col("updated_by").fill_null("chargement initial"),  # never changed since the répertoire was loaded
            mois=(
                (today.year * 12 + today.month)
                - (pl.col("updated_at").dt.year() * 12 + pl.col("updated_at").dt.month())
            ),
        )
        .sort("updated_at", "departement", "niveau", "finess_eg", "identifiant")
    )
