"""Demo data quality: what the Qualité page has to find in a real répertoire.

- records last updated over the past three years (some « anciennes »);
- noms d'usage on part of the EG; the SMR campaign in every state: part of the EG with SMR units have done
  everything (finalisé), others have units still named « SSR » or no surnom;
- a few naming slips (accents and lower case, abbreviations, dotted acronyms) and malformed phone numbers;
- a few units without patientèle.
Run on the freshly written tables, before the demo users act (their updates are dated today).
"""

from __future__ import annotations

import datetime as dt
import random

import duckdb
import polars as pl

from ror.core import clock, db
from ror.dossiers.naming import normalise_name
from ror.repertoire import records

MAX_AGE_DAYS = 3 * 365


def _ages(keys: list, rng: random.Random, now: dt.datetime) -> list[dt.datetime]:
    """Most records updated in the last months (mean 5 months), about one in eleven more than a year ago."""
    return [
        clock.shifted(
            now, -dt.timedelta(days=min(MAX_AGE_DAYS, int(rng.expovariate(1 / 150))), minutes=rng.randrange(600))
        )
        for _ in keys
    ]


def _give_usage_names(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    """A nom d'usage for each EG (finess_eg, nom, commune): the official name, and the commune when the name
    does not say it."""
    names = []
    for row in rows:
        name, place = normalise_name(row["nom"]), normalise_name(row["commune"] or "")
        names.append((row["finess_eg"], name if place in name else f"{name} {place}".strip()))
    records.write_many(
        con,
        "eg",
        pl.DataFrame(names, schema={"finess_eg": pl.String, "nom_usage": pl.String}, orient="row"),
    )


def add_demo_quality(con: duckdb.DuckDBPyConnection, rng: random.Random, now: dt.datetime) -> None:
    with db.transaction(con):
        egs = con.sql("SELECT finess_eg FROM eg ORDER BY finess_eg").pl()
        records.write_many(
            con,
            "eg",
            pl.DataFrame({"finess_eg": egs["finess_eg"], "updated_at": _ages(egs["finess_eg"].to_list(), rng, now)}),
        )
        units = con.sql("SELECT uo_id FROM uo ORDER BY uo_id").pl()
        records.write_many(
            con, "uo", units.with_columns(updated_at=pl.Series(_ages(units["uo_id"].to_list(), rng, now)))
        )
        _smr_campaign(con, rng)
        _usage_names(con, rng)
        _slips(con, rng)
        _bare_category_names(con, rng)


def _smr_campaign(con: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    """40 % of the EG with SMR units have finished the campaign; a third of the others still say « SSR »."""
    smr = con.sql(
        "SELECT DISTINCT e.finess_eg, e.nom, c.nom AS commune FROM eg e JOIN uo u USING (finess_eg) "
        "LEFT JOIN commune c ON c.code_insee = e.commune_insee WHERE u.discipline = 'SMR' AND u.statut = 'active' "
        "ORDER BY e.finess_eg"
    ).pl()
    done, old_names = [], []
    for row in smr.iter_rows(named=True):
        draw = rng.random()
        if draw < 0.4:
            done.append(row)
        elif draw < 0.6:
            old_names.append(row["finess_eg"])
    _give_usage_names(con, done)
    finished = [r["finess_eg"] for r in done]
    con.execute(
        "UPDATE eg SET mail_alerte = coalesce(mail_alerte, 'alerte.' || finess_eg || '@demo.ror-idf.fr'), "
        "directeur_telephone = coalesce(directeur_telephone, '01 40 00 00 00'), "
        "directeur_email = coalesce(directeur_email, 'direction.' || finess_eg || '@demo.ror-idf.fr') "
        "WHERE list_contains($f, finess_eg)",
        {"f": finished},
    )
    con.execute(
        "UPDATE uo SET telephone = '01 ' || lpad(CAST(40 + uo_id % 60 AS VARCHAR), 2, '0') || ' 12 34 56', "
        "responsable_nom = coalesce(responsable_nom, 'Dr Claire Martin'), "  # her e-mail follows her name
        "responsable_email = CASE WHEN responsable_nom IS NULL THEN 'claire.martin@' || "
        "split_part(coalesce(email, responsable_email, '@demo.ror-idf.fr'), '@', 2) ELSE responsable_email END, "
        "responsable_fonction = coalesce(responsable_fonction, 'Médecin coordonnateur'), "
        "responsable_telephone = coalesce(responsable_telephone, '01 40 00 00 01'), age_min = coalesce(age_min, 18) "
        "WHERE discipline = 'SMR' AND list_contains($f, finess_eg)",
        {"f": finished},
    )
    con.execute(
        "UPDATE uo SET nom = replace(nom, ' SMR ', ' SSR ') WHERE discipline = 'SMR' AND list_contains($f, finess_eg)",
        {"f": old_names},
    )


def _usage_names(con: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    """A fifth of the other EG have a nom d'usage: the official name and the commune."""
    others = con.sql(
        "SELECT e.finess_eg, e.nom, c.nom AS commune FROM eg e LEFT JOIN commune c ON c.code_insee = e.commune_insee "
        "WHERE e.nom_usage IS NULL ORDER BY e.finess_eg"
    ).pl()
    chosen = [r for r in others.iter_rows(named=True) if rng.random() < 0.2]
    _give_usage_names(con, chosen)


def _slips(con: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    """What people type: accents and lower case, abbreviations, dotted acronyms, short phone numbers, and
    units whose patientèle was never filled."""
    units = con.sql("SELECT uo_id, nom FROM uo WHERE source = 'généré' ORDER BY uo_id").pl()  # real names stay real
    picked = rng.sample(units.rows(), 18)
    renamed = []
    for index, (uo_id, nom) in enumerate(picked):
        if index % 3 == 0:
            new = nom.capitalize().replace("Unite", "Unité")
        elif index % 3 == 1:
            new = nom.replace("HOSPITALISATION", "HOSP").replace("ETABLISSEMENT", "ETS").replace("SERVICE", "SCE")
            new = new if new != nom else nom.replace("UNITE", "UNITE CTRE", 1)
        else:
            words = nom.split()
            new = " ".join(".".join(w) + "." if i == 1 and len(w) <= 5 else w for i, w in enumerate(words))
            new = new if new != nom else nom + " S.A.V."
        renamed.append((uo_id, new))
    records.write_many(con, "uo", pl.DataFrame(renamed, schema={"uo_id": pl.Int64, "nom": pl.String}, orient="row"))
    phones = rng.sample(units["uo_id"].to_list(), 10)
    con.execute("UPDATE uo SET telephone = '01 23 45' WHERE list_contains($ids, uo_id)", {"ids": phones})
    usage = con.sql("SELECT finess_eg, nom_usage FROM eg WHERE nom_usage IS NOT NULL ORDER BY finess_eg").pl()
    sloppy = rng.sample(usage.rows(), 4)
    records.write_many(
        con,
        "eg",
        pl.DataFrame(
            [(f, n.title()) for f, n in sloppy], schema={"finess_eg": pl.String, "nom_usage": pl.String}, orient="row"
        ),
    )
    unfilled = rng.sample(units["uo_id"].to_list(), 40)
    con.execute("DELETE FROM uo_code WHERE system = 'TRE_R239' AND list_contains($ids, uo_id)", {"ids": unfilled})


# FINESS names that give only the catégorie: the guide's exception, where the nom d'usage adds the commune.
BARE_NAMES = {"183": "IME", "500": "EHPAD", "255": "MAS", "437": "FAM"}


def _bare_category_names(con: duckdb.DuckDBPyConnection, rng: random.Random) -> None:
    """One generated EG of each of these catégories, without a nom d'usage, named by its catégorie alone."""
    candidates = con.sql(
        "SELECT finess_eg, categorie_code FROM eg WHERE source = 'généré' AND nom_usage IS NULL "
        "AND list_contains($c, categorie_code) ORDER BY finess_eg",
        params={"c": list(BARE_NAMES)},
    ).pl()
    bare = []
    for (code,), group in candidates.group_by("categorie_code", maintain_order=True):
        bare.append((rng.choice(group["finess_eg"].to_list()), BARE_NAMES[code]))
    records.write_many(con, "eg", pl.DataFrame(bare, schema={"finess_eg": pl.String, "nom": pl.String}, orient="row"))
