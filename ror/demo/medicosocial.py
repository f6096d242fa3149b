"""Generated médico-social establishments, typed with the real codes (R66, R244, R211, R245, R239).

No public site-level data exists for this sector: establishments are spread over real communes in
proportion to their population, with the real catégories and types of the ROR, and look French.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

import polars as pl

from ror.core import clock
from ror.core.arrondissements import PARIS
from ror.core.finess import make_finess
from ror.demo import people
from ror.demo.rows import ESAT, EXTERNAT, H24, JOURNEE, SERVICE, Rows
from ror.dossiers.naming import normalise_name, uo_name
from ror.recherche.geo import random_point

SOURCE = "généré"


@dataclass(frozen=True)
class Unit:
    """One unit an establishment of a profile may have."""

    type_code: str  # TRE_R244
    mode: str  # TRE_R213
    temporalite: str  # TRE_R240
    semaine: list
    share: float  # probability that an establishment has it
    places: tuple[int, int]


@dataclass(frozen=True)
class Profile:
    """A kind of médico-social establishment."""

    label: str  # short type label used in names (IME, EHPAD ...)
    categorie: str  # TRE_R66
    per_100k: float  # establishments per 100 000 inhabitants
    enfants: bool
    ages: tuple[int, int | None]
    publics: tuple[str, ...]  # TRE_R239
    specialisations: tuple[str, ...]  # TRE_R245 (the first is the one of the agrément)
    activites: tuple[str, ...]  # TRE_R211
    units: tuple[Unit, ...]
    caj: bool = False


HEBERGEMENT, ACCUEIL_JOUR, LIEU_DE_VIE = "46", "47", "49"
PERMANENT, TEMPORAIRE = "02", "01"

# One establishment profile per row: label, catégorie, per 100 000, enfants, ages, publics, spécialisations,
# activités, then its units.
# fmt: off
PROFILES = (
    Profile("EHPAD", "500", 5.5, False, (60, None), ("01",), ("28", "13"), ("285", "288", "293", "312"), (
        Unit("21", HEBERGEMENT, PERMANENT, H24, 1.0, (60, 120)),
        Unit("24", HEBERGEMENT, PERMANENT, H24, 0.45, (12, 28)),
        Unit("25", ACCUEIL_JOUR, PERMANENT, JOURNEE, 0.35, (12, 14)),
        Unit("21", HEBERGEMENT, TEMPORAIRE, H24, 0.3, (2, 8)),
    )),
    Profile("Accueil de jour", "207", 0.8, False, (60, None), ("01",), ("28",), ("293", "312", "313"),
            (Unit("21", ACCUEIL_JOUR, PERMANENT, JOURNEE, 1.0, (10, 25)),),
            caj=True,
    ),
    Profile("Résidence autonomie", "202", 1.5, False, (60, None), ("03",), ("13",), ("298", "312"),
            (Unit("22", HEBERGEMENT, PERMANENT, H24, 1.0, (40, 90)),),
    ),
    Profile("SSIAD", "354", 1.1, False, (60, None), ("01", "02"), ("28",), ("287", "288"),
            (Unit("28", LIEU_DE_VIE, PERMANENT, SERVICE, 1.0, (30, 120)),),
    ),
    Profile("IME", "183", 1.6, True, (6, 20), ("02",), ("14", "02", "17"), ("300", "293", "294", "295"), (
        Unit("48", ACCUEIL_JOUR, PERMANENT, EXTERNAT, 1.0, (30, 80)),
        Unit("48", HEBERGEMENT, PERMANENT, H24, 0.45, (10, 30)),
    )),
    Profile("IEM", "192", 0.3, True, (3, 20), ("02",), ("22", "17"), ("291", "300", "293"), (
        Unit("49", ACCUEIL_JOUR, PERMANENT, EXTERNAT, 1.0, (20, 60)),
        Unit("49", HEBERGEMENT, PERMANENT, H24, 0.4, (8, 20)),
    )),
    Profile("ITEP", "186", 0.4, True, (6, 18), ("02",), ("26",), ("295", "300", "296"), (
        Unit("50", ACCUEIL_JOUR, PERMANENT, EXTERNAT, 1.0, (20, 50)),
        Unit("50", HEBERGEMENT, PERMANENT, H24, 0.5, (8, 20)),
    )),
    Profile("EEAP", "188", 0.3, True, (0, 20), ("02",), ("17",), ("293", "294", "285"),
            (Unit("51", ACCUEIL_JOUR, PERMANENT, EXTERNAT, 1.0, (15, 40)),),
    ),
    Profile("SESSAD", "182", 1.8, True, (0, 20), ("02",), ("14", "02", "22", "11"), ("300", "294", "308"),
            (Unit("57", LIEU_DE_VIE, PERMANENT, SERVICE, 1.0, (20, 80)),),
    ),
    Profile("CAMSP", "190", 0.5, True, (0, 6), ("02",), ("14", "22", "02"), ("308", "294", "291"),
            (Unit("61", "32", PERMANENT, SERVICE, 1.0, (60, 200)),),
    ),
    Profile("CMPP", "189", 0.8, True, (0, 20), ("02",), ("11", "26", "65"), ("308", "295", "290"),
            (Unit("62", "32", PERMANENT, SERVICE, 1.0, (80, 300)),),
    ),
    Profile("ESAT", "246", 1.1, False, (18, 62), ("02",), ("14", "16"), ("305", "302", "313"),
            (Unit("43", ACCUEIL_JOUR, PERMANENT, ESAT, 1.0, (40, 120)),),
    ),
    Profile("MAS", "255", 0.6, False, (18, None), ("02",), ("17", "02"), ("285", "293", "294"), (
        Unit("40", HEBERGEMENT, PERMANENT, H24, 1.0, (30, 60)),
        Unit("40", ACCUEIL_JOUR, PERMANENT, JOURNEE, 0.4, (4, 10)),
    )),
    Profile("FAM", "437", 0.7, False, (18, None), ("02",), ("16", "02", "24"), ("285", "293", "312"), (
        Unit("39", HEBERGEMENT, PERMANENT, H24, 1.0, (25, 50)),
        Unit("39", HEBERGEMENT, TEMPORAIRE, H24, 0.3, (1, 4)),
    )),
    Profile("Foyer de vie", "382", 0.8, False, (18, None), ("02",), ("14", "16"), ("313", "293", "312"), (
        Unit("97", HEBERGEMENT, PERMANENT, H24, 1.0, (25, 50)),
        Unit("97", ACCUEIL_JOUR, PERMANENT, JOURNEE, 0.4, (5, 15)),
    )),
    Profile("Foyer d'hébergement", "252", 0.7, False, (18, 62), ("02",), ("14",), ("298", "299", "312"),
            (Unit("96", HEBERGEMENT, PERMANENT, H24, 1.0, (20, 45)),),
    ),
    Profile("SAVS", "446", 1.0, False, (18, None), ("02",), ("16", "14"), ("298", "312", "296"),
            (Unit("31", LIEU_DE_VIE, PERMANENT, SERVICE, 1.0, (30, 90)),),
    ),
    Profile("SAMSAH", "445", 0.4, False, (18, None), ("02",), ("16", "22", "24"), ("285", "298", "312"),
            (Unit("32", LIEU_DE_VIE, PERMANENT, SERVICE, 1.0, (15, 40)),),
    ),
)
# fmt: on

APTITUDES = [f"{n:02d}" for n in range(1, 17)]
COMPETENCES = ["01", "02", "03", "04", "05"]
PROFESSIONS = ["TRE_G15:10", "TRE_G15:60", "TRE_G15:70", "TRE_G15:91", "TRE_R94:51", "TRE_R94:47", "TRE_R94:41"]

EJ_PATTERNS = (
    "ASSOCIATION LES AMIS DE {commune}",
    "ASSOCIATION ENTRAIDE ET AVENIR {dep}",
    "FONDATION LES TILLEULS",
    "FONDATION SAINT JOSEPH {dep}",
    "ASSOCIATION LE CHEMIN {dep}",
    "CCAS DE {commune}",
    "ASSOCIATION TREMPLIN {dep}",
    "MUTUALITE SOLIDAIRE {dep}",
)
SURNOMS = (
    "Les Tilleuls",
    "Les Glycines",
    "Le Moulin",
    "Les Sources",
    "La Roseraie",
    "Les Cèdres",
    "Le Parc",
    "Les Coquelicots",
    "La Clairière",
    "Les Acacias",
    "Le Village",
    "Les Charmilles",
    "L'Orée",
    "Les Lilas",
)


def count_for(profile: Profile, population: int, multiplier: float, rng: random.Random) -> int:
    """How many establishments of a profile a département gets, in proportion to its population."""
    expected = profile.per_100k * population / 100_000 * multiplier
    whole = int(expected)
    return whole + (1 if rng.random() < expected - whole else 0)


def build_medicosocial(
    rows: Rows,
    communes: pl.DataFrame,
    nomenclature: dict,
    rng: random.Random,
    *,
    multiplier: float = 1.0,
    taken_finess: set[str],
    arrondissements: pl.DataFrame | None = None,
) -> None:
    """Add generated médico-social EJ, EG and UO for every département of `communes`, each EG at a random point of its
    commune's boundary (where one is bundled) — for Paris, of an arrondissement drawn in proportion to its
    population."""
    serials: dict[str, int] = {}
    if arrondissements is not None and not arrondissements.is_empty():
        communes = pl.concat(
            [
                communes.filter(pl.col("code_insee") != PARIS),
                arrondissements.select(
                    pl.lit(PARIS).alias("code_insee"),
                    "nom",
                    pl.lit("75").alias("departement"),
                    pl.col("codes_postaux").str.split("|").list.first().alias("codes_postaux"),
                    "lat",
                    "lon",
                    "population",
                    "geojson",
                ),
            ],
            how="diagonal_relaxed",
        )
    for (departement,), dep_communes in communes.filter(pl.col("population") > 0).group_by(
        "departement", maintain_order=True
    ):
        places = list(dep_communes.iter_rows(named=True))
        weights = dep_communes["population"].to_list()
        population = sum(weights)
        ej_pool: list[str] = []
        for profile in PROFILES:
            for _ in range(count_for(profile, population, multiplier, rng)):
                commune = rng.choices(places, weights=weights)[0]
                if not ej_pool or rng.random() < 0.45:
                    ej_pool.append(_new_ej(rows, departement, commune, serials, taken_finess, rng))
                finess_ej = rng.choice(ej_pool)
                _new_eg(rows, profile, departement, commune, finess_ej, serials, taken_finess, nomenclature, rng)


def _next_finess(departement: str, serials: dict[str, int], taken: set[str]) -> str:
    prefix = departement
    while True:
        serials[prefix] = serials.get(prefix, 900000) + 1
        finess = make_finess(prefix, serials[prefix])
        if finess not in taken:
            taken.add(finess)
            return finess


def _position(commune: dict, rng: random.Random) -> dict:
    if commune.get("geojson"):
        lat, lon = random_point(commune["geojson"], rng)
        return {"lat": lat, "lon": lon}
    return {"lat": commune["lat"] + rng.uniform(-0.012, 0.012), "lon": commune["lon"] + rng.uniform(-0.018, 0.018)}


def _new_ej(rows, departement, commune, serials, taken, rng) -> str:
    finess_ej = _next_finess(departement, serials, taken)
    name = normalise_name(rng.choice(EJ_PATTERNS).format(commune=commune["nom"], dep=departement))
    rows.ej.append(
        {
            "finess_ej": finess_ej,
            "raison_sociale": name,
            "departement": departement,
            "statut_juridique": "public" if name.startswith("CCAS") else "privé non lucratif",
            "source": SOURCE,
        }
    )
    return finess_ej


def _new_eg(rows, profile, departement, commune, finess_ej, serials, taken, nomenclature, rng) -> None:
    finess_eg = _next_finess(departement, serials, taken)
    surnom = rng.choice(SURNOMS)
    nom = normalise_name(f"{profile.label} {surnom} {commune['nom']}")
    domain = people.domain_of(f"{profile.label} {surnom} {commune['nom']}")
    numero, type_voie, voie = people.street(rng)
    prenom, nom_directeur = people.person(rng)
    rows.eg.append(
        {
            "finess_eg": finess_eg,
            "finess_ej": finess_ej,
            "nom": nom,
            "nom_usage": None,
            "categorie_code": profile.categorie,
            "numero_voie": numero,
            "type_voie": type_voie,
            "voie": voie,
            "complement": None,
            "code_postal": (commune["codes_postaux"] or "").split("|")[0] or None,
            "commune_insee": commune["code_insee"],
            "departement": departement,
            **_position(commune, rng),
            "coord_source": "generee",
            "telephone": people.phone(rng, departement),
            "email": f"accueil@{domain}",
            "mail_alerte": f"alerte@{domain}" if rng.random() < 0.6 else None,
            "directeur_nom": f"{prenom} {nom_directeur}",
            "directeur_telephone": people.phone(rng, departement),
            "directeur_email": people.email(prenom, nom_directeur, domain),
            "source": SOURCE,
        }
    )
    age_min, age_max = profile.ages
    for index, unit in enumerate(profile.units):
        if index and rng.random() > unit.share:
            continue
        prenom, nom_responsable = people.person(rng)
        type_label = nomenclature["TRE_R244"][unit.type_code]
        name = uo_name(
            unit.type_code,
            type_label,
            nomenclature["TRE_R213"].get(unit.mode),
            nomenclature["TRE_R240"].get(unit.temporalite) if unit.temporalite == TEMPORAIRE else None,
            caj=profile.caj,
            surnom=surnom if profile.caj or unit.type_code in ("31", "32") else None,
        )
        others = rng.sample(profile.specialisations[1:], k=rng.randint(0, len(profile.specialisations) - 1))
        specialisations = [profile.specialisations[0], *others]
        codes = {
            "TRE_R211": rng.sample(profile.activites, k=rng.randint(1, len(profile.activites))),
            "TRE_R245": specialisations,
            "TRE_R239": list(profile.publics),
            "APTITUDE_ROR_IF": rng.sample(APTITUDES, k=rng.randint(0, 3)),
            "TRE_R243": rng.sample(COMPETENCES, k=1) if rng.random() < 0.2 else [],
            "JDV_J186": rng.sample(PROFESSIONS, k=rng.randint(0, 2)),
        }
        uo_id = rows.add_uo(
            {
                "finess_eg": finess_eg,
                "nom": name,
                "type_code": unit.type_code,
                "champ_code": "04",
                "discipline": "MSS",
                "mode_pec_code": unit.mode,
                "temporalite_code": unit.temporalite,
                "telephone": people.phone(rng, departement) if rng.random() < 0.9 else None,
                "email": f"unite{index + 1}@{domain}",
                "responsable_nom": f"{prenom} {nom_responsable}" if rng.random() < 0.85 else None,
                "responsable_email": people.email(prenom, nom_responsable, domain),
                "public_enfants": profile.enfants,
                "public_adultes": not profile.enfants or (age_max or 99) >= 18,
                "age_min": age_min,
                "age_max": age_max,
                "lits": None,
                "places": rng.randint(*unit.places),
                "statut": "active",
                "source": SOURCE,
            },
            codes,
            unit.semaine if rng.random() < 0.93 else None,
        )
        if unit.semaine is not H24 and rng.random() < 0.6:
            start = dt.date(clock.today().year, 7, 27) + dt.timedelta(days=rng.randint(0, 7))
            rows.add_fermeture(uo_id, start, start + dt.timedelta(days=rng.choice((13, 20, 27))), "annuelle")
        elif rng.random() < 0.01:
            today = clock.today()
            rows.add_fermeture(
                uo_id,
                today - dt.timedelta(days=10),
                today + dt.timedelta(days=30),
                "travaux",
                today + dt.timedelta(days=31),
            )
