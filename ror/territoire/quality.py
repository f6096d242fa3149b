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
from dataclasses import dataclass

import duckdb
import polars as pl

import queries
from ror.core import db, settings
from ror.core.auth import User
from ror.core.errors import UserError
from ror.dossiers import naming
from ror.dossiers.drafts import MANDATORY_EG, OPEN_STATES, SPECIALISED_DISCIPLINES


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
    eg: pl.DataFrame  # queries/quality_eg.sql assessed (EG_CRITERIA), plus uo, uo_incompletes, met_total,
    #                   total_total and score_total (with its units)
    uo: pl.DataFrame  # queries/quality_uo.sql assessed (UO_CRITERIA)


def load(con: duckdb.DuckDBPyConnection, departements: tuple[str, ...] | None) -> Quality:
    params = {"departements": list(departements) if departements is not None else None}
    eg = assess(queries.run(con, "quality_eg", etats_ouverts=list(OPEN_STATES), **params), eg_checks(), EG_CRITERIA)
    uo = assess(queries.run(con, "quality_uo", **params), uo_checks(), UO_CRITERIA)
    units = uo.group_by("finess_eg").agg(
        pl.len().alias("uo"),
        (pl.col("met") < pl.col("total")).sum().alias("uo_incompletes"),
        pl.col("met").sum().alias("uo_met"),
        pl.col("total").sum().alias("uo_total"),
    )
    eg = (
        eg.join(units, on="finess_eg", how="left")
        .with_columns(pl.col("uo", "uo_incompletes", "uo_met", "uo_total").fill_null(0))
        .with_columns(met_total=pl.col("met") + pl.col("uo_met"), total_total=pl.col("total") + pl.col("uo_total"))
        .with_columns(score_total=pl.col("met_total") / pl.col("total_total"))
        .drop("uo_met", "uo_total")
    )
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
    official name, catégorie and commune. Each distinct name is checked once."""
    eg_key = ("officiel", "categorie", "commune")
    uo_key = ("type_code", "type_libelle", "mode_libelle", "temporalite_libelle", "mode_pec_code")
    usage = quality.eg.select(
        *_record_keys("EG"),
        pl.col("nom_usage").alias("nom"),
        pl.col("nom").alias("officiel"),
        "categorie",
        "commune",
        *(pl.lit(None, pl.String).alias(c) for c in uo_key),
    )
    units = quality.uo.select(*_record_keys("UO"), "nom", *(pl.lit(None, pl.String).alias(c) for c in eg_key), *uo_key)
    names = pl.concat([usage, units])
    keys = ["nom", *eg_key, *uo_key]
    verdicts = []
    for row in names.select(keys).unique().iter_rows():  # in the order of _naming's parameters
        problems, suggestion = _naming(*row)
        if problems:
            verdicts.append((*row, " ".join(p.message for p in problems), suggestion))
    schema = {k: pl.String for k in keys} | {"probleme": pl.String, "suggestion": pl.String}
    found = pl.DataFrame(verdicts, schema=schema, orient="row")
    return (
        names.join(found, on=keys, nulls_equal=True)
        .with_columns(pl.coalesce("nom", "officiel").alias("nom"))
        .sort("departement", "niveau", "finess_eg", "identifiant")
        .drop(*eg_key, *uo_key)
    )


@functools.lru_cache(maxsize=65_536)  # names change rarely: the page's next review checks only the new ones
def _naming(nom, officiel, categorie, commune, type_code, type_libelle, mode_libelle, temporalite_libelle, mode):
    """A unit's name (officiel None) or an EG's nom d'usage (None: its FINESS name): the rules it breaks and the
    suggested name."""
    if officiel is None:
        kind = naming.UnitKind(type_code, type_libelle, mode_libelle, temporalite_libelle, mode)
        problems = naming.unit_name_problems(nom, kind)
        return tuple(problems), naming.fixed_unit_name(nom, kind) if problems else nom
    eg = naming.Establishment(officiel, categorie, commune)
    problems = naming.usage_name_problems(nom, eg)
    return tuple(problems), naming.fixed_usage_name(nom, eg) if problems else nom  # most names break no rule


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
    today = today or dt.date.today()
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
        .sort("updated_at")
    )
