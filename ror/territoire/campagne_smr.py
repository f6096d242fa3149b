"""The SMR campaign (« Vérification et mise à jour des données de votre établissement », the campaign guide): the
2023 reform turned the SSR into SMR; every EG with SMR units checks its fiche and theirs. Its items are checks of
ror/territoire/quality.py, counted the same way for the tutelle's view (Qualité page) and the establishment's own
(« Ma campagne SMR »)."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from ror.territoire.quality import Check, Quality, assess, filled, valid_phone

CAMPAIGN_STATUSES = {"a_faire": "À faire", "en_cours": "En cours", "finalise": "Finalisé"}


# The items in words, for the pages and the exports (the checks below are their rules).
SMR_EG_ITEMS = "adresse vérifiée, mail d'alerte (cyberattaque), contact du directeur (téléphone et e-mail)"
SMR_UO_ITEMS = "téléphone joignable, responsable et ses coordonnées (fonction, téléphone ou e-mail), patientèle"
SMR_ADVICE = "surnom de l'établissement si nécessaire, « SSR » → « SMR » dans le nom des unités"


def smr_eg_checks() -> list[Check]:
    """The EG items of the SMR campaign guide (« Vérification et mise à jour des données de votre établissement »); the
    surnom is changed « si nécessaire »: a suggestion (smr_suggestions), not an item."""
    return [
        Check("smr", "Adresse vérifiée", filled("voie") & filled("code_postal") & filled("commune_insee")),
        Check("smr", "Mail d'alerte (cyberattaque)", filled("mail_alerte")),
        Check(
            "smr",
            "Contact du directeur (téléphone et e-mail)",
            filled("directeur_nom") & filled("directeur_telephone") & filled("directeur_email"),
        ),
    ]


def smr_uo_checks() -> list[Check]:
    """The items of an SMR unit; « SSR » → « SMR » in its name is advised, not required (smr_suggestions)."""
    return [
        Check("smr", "Téléphone joignable", valid_phone("telephone")),
        Check(
            "smr",
            "Responsable et ses coordonnées",
            filled("responsable_nom")
            & filled("responsable_fonction")
            & (valid_phone("responsable_telephone") | filled("responsable_email")),
        ),
        Check(
            "smr",
            "Patientèle",
            (pl.col("public_enfants") | pl.col("public_adultes"))
            & (pl.col("publics") > 0)
            & pl.col("age_min").is_not_null(),
        ),
    ]


SSR = r"\bSSR\b"


def smr_suggestions(quality: Quality) -> pl.DataFrame:
    """What the guide advises without requiring it: an SMR unit still named « SSR » (« nous vous conseillons de
    modifier l'appellation », with the name suggested), an EG with SMR units and no surnom. Columns: finess_eg,
    uo_id (None for the EG), nom, conseil, nom_suggere (None for the EG)."""
    units = quality.uo.filter((pl.col("discipline") == "SMR") & pl.col("nom").str.contains(SSR)).select(
        "finess_eg",
        "uo_id",
        "nom",
        pl.lit("Remplacer « SSR » par « SMR » dans le nom (conseillé)").alias("conseil"),
        pl.col("nom").str.replace_all(SSR, "SMR").alias("nom_suggere"),
    )
    establishments = quality.eg.filter((pl.col("uo_smr") > 0) & pl.col("nom_usage").is_null()).select(
        "finess_eg",
        pl.lit(None, pl.Int64).alias("uo_id"),
        "nom",
        pl.lit("Donner un surnom à l'établissement, si nécessaire").alias("conseil"),
        pl.lit(None, pl.String).alias("nom_suggere"),
    )
    found = pl.concat([establishments, units.with_columns(pl.col("uo_id").cast(pl.Int64))])
    return found.sort("finess_eg", "uo_id", nulls_last=False)


@dataclass
class Campaign:
    eg: pl.DataFrame  # one row per EG with SMR units: finess_eg, nom, departement, directeur_*, statut,
    #                   a_faire (items left), items (all items), uo_smr, eg_a_corriger
    todo: pl.DataFrame  # one row per item left: departement, finess_eg, etablissement, niveau, uo_id, unite, point


def smr_campaign(quality: Quality) -> Campaign:
    """Status per EG: Finalisé when every item is done, En cours while a dossier collaboratif is open on it,
    else À faire."""
    eg = assess(
        quality.eg.filter(pl.col("uo_smr") > 0).drop("a_corriger", "met", "total", "score"),
        smr_eg_checks(),
        {"smr": ""},
    )
    uo = assess(
        quality.uo.filter(pl.col("discipline") == "SMR").drop("a_corriger", "met", "total", "score"),
        smr_uo_checks(),
        {"smr": ""},
    )
    eg_names = eg.select("finess_eg", pl.coalesce("nom_usage", "nom").alias("etablissement"))
    todo_eg = eg.filter(pl.col("a_corriger") != "").select(
        "departement",
        "finess_eg",
        pl.lit("EG").alias("niveau"),
        pl.lit(None, pl.Int64).alias("uo_id"),
        pl.lit(None, pl.String).alias("unite"),
        pl.col("a_corriger").str.split(", ").alias("point"),
    )
    todo_uo = uo.filter(pl.col("a_corriger") != "").select(
        "departement",
        "finess_eg",
        pl.lit("UO").alias("niveau"),
        "uo_id",
        pl.col("nom").alias("unite"),
        pl.col("a_corriger").str.split(", ").alias("point"),
    )
    todo = (
        pl.concat([todo_eg, todo_uo])
        .explode("point")
        .join(eg_names, on="finess_eg")
        .select("departement", "finess_eg", "etablissement", "niveau", "uo_id", "unite", "point")
        .sort("departement", "finess_eg", "niveau", "uo_id", nulls_last=False)
    )
    left = todo.group_by("finess_eg").agg(pl.len().alias("a_faire"))
    units = uo.group_by("finess_eg").agg((pl.col("total").sum()).alias("uo_items"))
    eg = (
        eg.join(left, on="finess_eg", how="left")
        .join(units, on="finess_eg", how="left")
        .with_columns(
            pl.col("a_faire").fill_null(0),
            items=pl.col("total") + pl.col("uo_items").fill_null(0),
        )
        .with_columns(
            statut=pl.when(pl.col("a_faire") == 0)
            .then(pl.lit("finalise"))
            .when(pl.col("dossier_ouvert"))
            .then(pl.lit("en_cours"))
            .otherwise(pl.lit("a_faire"))
        )
        .select(
            "departement",
            "finess_eg",
            pl.coalesce("nom_usage", "nom").alias("etablissement"),
            "directeur_nom",
            "directeur_email",
            "uo_smr",
            "statut",
            "a_faire",
            "items",
            pl.col("a_corriger").alias("eg_a_corriger"),
        )
        .sort("departement", "finess_eg")
    )
    return Campaign(eg=eg, todo=todo)


def smr_checklist(quality: Quality, finess_eg: tuple[str, ...]) -> pl.DataFrame:
    """« Ma campagne SMR »: every item of these establishments and of their SMR units, done or not, in the guide's
    order (EG first, then each unit). Columns: finess_eg, etablissement, niveau (EG / UO), uo_id, nom, item, fait."""
    rows = []
    eg = quality.eg.filter(pl.col("finess_eg").is_in(list(finess_eg)) & (pl.col("uo_smr") > 0))
    eg_checks = assess(eg.drop("a_corriger", "met", "total", "score"), smr_eg_checks(), {"smr": ""})
    units = assess(
        quality.uo.filter(pl.col("finess_eg").is_in(list(finess_eg)) & (pl.col("discipline") == "SMR")).drop(
            "a_corriger", "met", "total", "score"
        ),
        smr_uo_checks(),
        {"smr": ""},
    )
    for record in eg_checks.sort("finess_eg").iter_rows(named=True):
        name = record["nom_usage"] or record["nom"]
        left = set((record["a_corriger"] or "").split(", "))
        rows += [(record["finess_eg"], name, "EG", None, name, c.label, c.label not in left) for c in smr_eg_checks()]
        for unit in units.filter(pl.col("finess_eg") == record["finess_eg"]).sort("nom", "uo_id").iter_rows(named=True):
            left = set((unit["a_corriger"] or "").split(", "))
            rows += [
                (record["finess_eg"], name, "UO", unit["uo_id"], unit["nom"], c.label, c.label not in left)
                for c in smr_uo_checks()
            ]
    schema = {
        "finess_eg": pl.String,
        "etablissement": pl.String,
        "niveau": pl.String,
        "uo_id": pl.Int64,
        "nom": pl.String,
        "item": pl.String,
        "fait": pl.Boolean,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def campaign_progress(campaign: Campaign) -> pl.DataFrame:
    """Per département: eg (with SMR units), a_faire, en_cours, finalise (EG by status), avancement (share of
    EG finalised); a last row 'Total'."""
    counts = campaign.eg.group_by("departement").agg(
        pl.len().alias("eg"), *[(pl.col("statut") == status).sum().alias(status) for status in CAMPAIGN_STATUSES]
    )
    total = counts.select(pl.lit("Total").alias("departement"), pl.exclude("departement").sum())
    table = pl.concat([counts.sort("departement"), total], how="vertical_relaxed")
    return table.with_columns(avancement=pl.when(pl.col("eg") > 0).then(pl.col("finalise") / pl.col("eg")))
