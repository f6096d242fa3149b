"""The real sanitaire sites of Île-de-France: SAE 2023 establishments and their capacities as UO.

Every EG of the SAE 2023 "ID" file becomes an EG (real FINESS géographique and juridique, name, address,
catégorie), geolocated by the FINESS extract (Eurostat) or else at its commune's centroid. Its units come
from the SAE discipline files with their real lits and places. Contacts and responsables are generated.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict

import polars as pl

from ror.core import arrondissements as paris
from ror.core import clock, config
from ror.demo import people
from ror.demo.rows import CONSULTATION, DIALYSE, EXTERNAT, H24, JOURNEE, NUIT, Rows
from ror.dossiers.naming import normalise_name, uo_name
from ror.recherche.geo import MAX_KM_FROM_COMMUNE, haversine_km

SAMPLE_DIR = config.DATA_DIR / "sample_idf"
SOURCE = "SAE 2023"

# Real names of the legal entities the SAE extract does not name.
KNOWN_EJ_NAMES = {"750712184": "ASSISTANCE PUBLIQUE HOPITAUX DE PARIS (AP-HP)"}

# SAE SSR "grande discipline" lines -> (R244 SMR type, R211 activité, surnom of the unit).
SMR_GROUPS = {
    "50": ("100", "172", "Polyvalent"),
    "51": ("102", "233", "Locomoteur"),
    "52": ("103", "234", "Système nerveux"),
    "53": ("104", "235", "Cardio-vasculaire"),
    "54": ("105", "236", "Pneumologie"),
    "55": ("106", "237", "Digestif endocrinologie nutrition"),
    "56": ("112", "238", "Oncologie hématologie"),
    "57": ("107", "239", "Brûlés"),
    "58": ("108", "240", "Conduites addictives"),
    "59": ("101", "241", "Gériatrie"),
}

MODE_HC, MODE_HJ, MODE_HN = "28", "29", "30"
ADULTES = {"public_enfants": False, "public_adultes": True, "age_min": 18, "age_max": None}
ENFANTS = {"public_enfants": True, "public_adultes": False, "age_min": 0, "age_max": 17}
TOUS = {"public_enfants": True, "public_adultes": True, "age_min": 0, "age_max": None}


def _read(name: str) -> pl.DataFrame:
    return pl.read_csv(SAMPLE_DIR / f"sae2023_idf_{name}.csv", separator=";", infer_schema=False)


def _int(value) -> int:
    try:
        return int(float(value)) if value not in (None, "") else 0
    except ValueError:
        return 0


def _plausible(site_geo: dict | None, commune: dict | None) -> bool:
    if not site_geo or not site_geo["lat"] or not site_geo["lon"]:
        return False
    if commune is None:
        return True
    distance = haversine_km(float(site_geo["lat"]), float(site_geo["lon"]), commune["lat"], commune["lon"])
    return distance <= MAX_KM_FROM_COMMUNE


def _ej_name(finess_ej: str, site_names: list[str]) -> str:
    if finess_ej in KNOWN_EJ_NAMES:
        return KNOWN_EJ_NAMES[finess_ej]
    if len(site_names) == 1:
        return site_names[0]
    words = [name.split() for name in site_names]
    common = []
    for column in zip(*words, strict=False):
        if len(set(column)) != 1:
            break
        common.append(column[0])
    return " ".join(common) if len(common) >= 2 else min(site_names)


def build_sanitaire(
    rows: Rows, communes: pl.DataFrame, nomenclature: dict, rng: random.Random, arrondissements: pl.DataFrame
) -> None:
    """Add the real SAE sites, their EJ, OI and UO to rows. A site the extract does not locate stands at the centre
    of its arrondissement in Paris, of its commune elsewhere."""
    in_paris = paris.by_postal_code(arrondissements)
    ident = _read("ID")
    geo = pl.read_csv(SAMPLE_DIR / "eurostat_healthcare_FR_idf.csv", infer_schema=False)
    geo_by_finess = {r["id"]: r for r in geo.iter_rows(named=True)}
    commune_by_code = {r["code_insee"]: r for r in communes.iter_rows(named=True)}

    sites_by_ej: dict[str, list[str]] = defaultdict(list)
    for r in ident.iter_rows(named=True):
        sites_by_ej[r["fi_ej"]].append(r["rs"])
    for finess_ej, names in sorted(sites_by_ej.items()):
        first = ident.filter(pl.col("fi_ej") == finess_ej).row(0, named=True)
        rows.ej.append(
            {
                "finess_ej": finess_ej,
                "raison_sociale": normalise_name(_ej_name(finess_ej, names)),
                "departement": first["dep"],
                "statut_juridique": "public" if first["stjr"] == "1" else "privé",
                "source": SOURCE,
            }
        )

    units = _units_by_site()
    for r in ident.sort("fi").iter_rows(named=True):
        finess = r["fi"]
        site_geo = geo_by_finess.get(finess)
        commune = commune_by_code.get(r["COMINSEE"])
        if _plausible(site_geo, commune):
            lat, lon, coord_source = float(site_geo["lat"]), float(site_geo["lon"]), "finess"
        elif arrondissement := paris.of_address(in_paris, r["COMINSEE"], r["CPO"]):
            lat, lon, coord_source = arrondissement["lat"], arrondissement["lon"], "arrondissement"
        elif commune:
            lat, lon, coord_source = commune["lat"], commune["lon"], "commune"
        else:
            lat, lon, coord_source = None, None, None
        domain = people.domain_of(r["rs"])
        prenom, nom = people.person(rng)
        telephone = people.format_phone(site_geo["tel"] if site_geo else None) or people.phone(rng, r["dep"])
        rows.eg.append(
            {
                "finess_eg": finess,
                "finess_ej": r["fi_ej"],
                "nom": normalise_name(r["rs"]),
                "nom_usage": None,
                "categorie_code": r["cat"] if r["cat"] in nomenclature["TRE_R66"] else None,  # SAE uses 999
                "numero_voie": r["NUMVOI"],
                "type_voie": (r["TYPVOI"] or "").upper() or None,
                "voie": r["NOMVOI"],
                "complement": None,
                "code_postal": r["CPO"],
                "commune_insee": r["COMINSEE"],
                "departement": r["dep"],
                "lat": lat,
                "lon": lon,
                "coord_source": coord_source,
                "telephone": telephone,
                "email": f"contact@{domain}",
                "mail_alerte": f"alerte@{domain}" if rng.random() < 0.7 else None,
                "directeur_nom": f"{prenom} {nom}",
                "directeur_telephone": people.phone(rng, r["dep"]),
                "directeur_email": people.email(prenom, nom, domain),
                "source": SOURCE,
            }
        )
        site_units = units.get(finess, [])
        if not site_units and r["cat"] in ("141", "146"):
            site_units = [_dialysis_unit()]
        _add_site_units(rows, finess, r["dep"], domain, site_units, nomenclature, rng)


def _unit(
    discipline,
    champ,
    type_code,
    name_label,
    mode,
    activites,
    *,
    lits=0,
    places=0,
    public=None,
    semaine=H24,
    service=None,
):
    return {
        "discipline": discipline,
        "champ_code": champ,
        "type_code": type_code,
        "name_label": name_label,
        "mode_pec_code": mode,
        "activites": activites,
        "lits": lits or None,
        "places": places or None,
        "public": public or ADULTES,
        "semaine": semaine,
        "service": service or name_label,  # the service of the site's organisation interne that holds it
    }


def _dialysis_unit() -> dict:
    return _unit("MCO", "01", "11", "Dialyse", MODE_HJ, ["059"], places=12, semaine=DIALYSE, service="Néphrologie")


def _units_by_site() -> dict[str, list[dict]]:
    """The units of every site, from the SAE discipline files, with their real capacities."""
    units: dict[str, list[dict]] = defaultdict(list)
    for r in _read("MCO").iter_rows(named=True):
        for key, label, activite in (
            ("MED", "Médecine", "083"),
            ("CHI", "Chirurgie", "021"),
            ("OBS", "Obstétrique", "100"),
        ):
            lits, places = _int(r[f"LIT_{key}"]), _int(r[f"PLA_{key}"])
            if lits:
                units[r["FI"]].append(_unit("MCO", "01", "16", label, MODE_HC, [activite], lits=lits))
            if places:
                mode = "09" if key == "CHI" else MODE_HJ
                units[r["FI"]].append(_unit("MCO", "01", "11", label, mode, [activite], places=places, semaine=JOURNEE))
    for r in _read("PERINAT").iter_rows(named=True):
        if _int(r["LIT_NEO_HSI"]):
            units[r["FI"]].append(
                _unit("MCO", "01", "16", "Néonatologie", MODE_HC, ["094"], lits=_int(r["LIT_NEO_HSI"]), public=ENFANTS)
            )
        if _int(r["LIT_REA"]):
            units[r["FI"]].append(
                _unit(
                    "MCO",
                    "01",
                    "16",
                    "Réanimation néonatale",
                    MODE_HC,
                    ["128"],
                    lits=_int(r["LIT_REA"]),
                    public=ENFANTS,
                    service="Néonatologie",
                )
            )
    ssr = _read("SSR")
    for finess, site in ssr.group_by("FI", maintain_order=True):
        finess = finess[0]
        lines = {r["GDE"]: r for r in site.iter_rows(named=True)}
        for public_key, public in (("A", ADULTES), ("E", ENFANTS)):
            groups = {g: lines[f"SSR_{public_key}{g}"] for g in SMR_GROUPS if f"SSR_{public_key}{g}" in lines}
            if not groups and f"SSR_{public_key}" in lines:
                groups = {"50": lines[f"SSR_{public_key}"]}
            for group, r in sorted(groups.items()):
                type_code, activite, surnom = SMR_GROUPS[group]
                if public_key == "E":
                    type_code, surnom = "109", f"Pédiatrique {surnom}"
                label = f"SMR {surnom}"
                if _int(r["LIT"]):
                    units[finess].append(
                        _unit("SMR", "02", type_code, label, MODE_HC, [activite], lits=_int(r["LIT"]), public=public)
                    )
                if _int(r["PLA"]):
                    units[finess].append(
                        _unit(
                            "SMR",
                            "02",
                            type_code,
                            label,
                            MODE_HJ,
                            [activite],
                            places=_int(r["PLA"]),
                            public=public,
                            semaine=JOURNEE,
                        )
                    )
    for r in _read("PSY").filter(pl.col("DIS").is_in(["GEN", "INF"])).iter_rows(named=True):
        enfants = r["DIS"] == "INF"
        label = "Psychiatrie infanto-juvénile" if enfants else "Psychiatrie générale"
        activite = "227" if enfants else "229"
        public = ENFANTS if enfants else ADULTES
        finess = r["FI"]
        if _int(r["CAP_HTP"]):
            units[finess].append(
                _unit("PSY", "03", "16", label, MODE_HC, [activite], lits=_int(r["CAP_HTP"]), public=public)
            )
        if _int(r["CAP_HDJ"]):
            units[finess].append(
                _unit(
                    "PSY",
                    "03",
                    "11",
                    label,
                    MODE_HJ,
                    [activite],
                    places=_int(r["CAP_HDJ"]),
                    public=public,
                    semaine=JOURNEE,
                )
            )
        if _int(r["CAP_HDN"]):
            units[finess].append(
                _unit(
                    "PSY",
                    "03",
                    "12",
                    label,
                    MODE_HN,
                    [activite],
                    places=_int(r["CAP_HDN"]),
                    public=public,
                    semaine=NUIT,
                )
            )
        if _int(r["NB_CMP_SEUL"]):
            cmp = _unit(
                "PSY", "03", "10", f"CMP {label}", "32", [activite], public=public, semaine=CONSULTATION, service=label
            )
            units[finess].append(cmp)
        if _int(r["NB_CATTP"]):
            cattp = _unit(
                "PSY", "03", "05", f"CATTP {label}", "42", [activite], public=public, semaine=EXTERNAT, service=label
            )
            units[finess].append(cattp)
    for r in _read("USLD").iter_rows(named=True):
        if _int(r["LIT"]):
            units[r["FI"]].append(
                _unit("SLD", "01", "16", "Soins de longue durée", MODE_HC, ["333", "050"], lits=_int(r["LIT"]))
            )
    for r in _read("HAD").iter_rows(named=True):
        units[r["FI"]].append(
            _unit(
                "MCO",
                "01",
                "70",
                "Hospitalisation à domicile",
                "31",
                ["083", "170"],
                places=_int(r["PLATOT"]),
                public=TOUS,
            )
        )
    for r in _read("URGENCES2").iter_rows(named=True):
        pediatrique = r["URG"] == "PED"
        units[r["FI"]].append(
            _unit(
                "MCO",
                "01",
                "20",
                "Urgences pédiatriques" if pediatrique else "Urgences",
                "33",
                ["249"] if pediatrique else ["157"],
                lits=_int(r["LIT_UHCD"]),
                public=ENFANTS if pediatrique else ADULTES,
            )
        )
    return units


POLE_NAMES = {
    "MCO": "PÔLE MÉDECINE CHIRURGIE OBSTÉTRIQUE",
    "SMR": "PÔLE SOINS MÉDICAUX ET DE RÉADAPTATION",
    "PSY": "PÔLE PSYCHIATRIE",
    "SLD": "PÔLE GÉRIATRIE ET LONG SÉJOUR",
}


def _organisation(rows: Rows, finess: str, units: list[dict]) -> list[int | None]:
    """The organisation interne of a site (guide ROR-IF: EJ → EG → pôle → service / UF → UO), and the OI of each
    unit. A site of four units or more has a pôle per discipline of two units or more; in a pôle, the units of one
    speciality form a service; in a service of MCO, each unit is an unité fonctionnelle (UF). A unit alone of its
    speciality sits in the pôle, a unit of another discipline directly in the EG. Médico-social sites stay flat."""
    if len(units) < 4:
        return [None] * len(units)
    by_discipline = defaultdict(list)
    for index, unit in enumerate(units):
        by_discipline[unit["discipline"]].append(index)
    where: list[int | None] = [None] * len(units)
    for discipline, indexes in sorted(by_discipline.items()):
        if len(indexes) < 2:
            continue
        pole = rows.add_oi(finess, "1", normalise_name(POLE_NAMES[discipline]))
        by_service = defaultdict(list)
        for index in indexes:
            by_service[units[index]["service"]].append(index)
        for service, members in by_service.items():
            if len(members) < 2:
                where[members[0]] = pole
                continue
            linked = "" if service.split()[0].isupper() else "de "  # « SERVICE SMR … », « SERVICE DE MEDECINE »
            oi = rows.add_oi(finess, "2", normalise_name(f"Service {linked}{service}"), parent=pole)
            for index in members:
                where[index] = _uf(rows, finess, units[index], oi) if discipline == "MCO" else oi
    return where


def _uf(rows: Rows, finess: str, unit: dict, service: int) -> int:
    """A unit's unité fonctionnelle in its service: « UF MEDECINE HC », « UF CHIRURGIE AMBULATOIRE »."""
    mode = {MODE_HC: "HC", MODE_HJ: "HDJ"}.get(unit["mode_pec_code"], "AMBULATOIRE")
    return rows.add_oi(finess, "3", normalise_name(f"UF {unit['name_label']} {mode}"), parent=service)


def _add_site_units(
    rows: Rows, finess: str, departement: str, domain: str, units: list[dict], nomenclature: dict, rng: random.Random
) -> None:
    """Add a site's units, in its organisation interne."""
    placed = _organisation(rows, finess, units)
    for index, unit in enumerate(units):
        prenom, nom = people.person(rng)
        name = uo_name(unit["type_code"], unit["name_label"], nomenclature["TRE_R213"].get(unit["mode_pec_code"]))
        codes = {"TRE_R211": unit["activites"], "TRE_R239": ["07"]}
        if unit["discipline"] == "SLD":
            codes["TRE_R239"] = ["01"]
        if unit["type_code"] == "20":
            codes["TRE_R338"] = ["06"]
        uo_id = rows.add_uo(
            {
                "finess_eg": finess,
                "nom": name,
                "type_code": unit["type_code"],
                "champ_code": unit["champ_code"],
                "discipline": unit["discipline"],
                "mode_pec_code": unit["mode_pec_code"],
                "temporalite_code": "02",
                "telephone": people.phone(rng, departement) if rng.random() < 0.92 else None,
                "email": f"{people.ascii_slug(unit['name_label'])}@{domain}",
                "responsable_nom": f"Dr {prenom} {nom}" if rng.random() < 0.88 else None,
                "responsable_email": people.email(prenom, nom, domain),
                "lits": unit["lits"],
                "places": unit["places"],
                "statut": "active",
                "source": SOURCE,
                **unit["public"],
            },
            codes,
            unit["semaine"] if rng.random() < 0.95 else None,
        )
        rows.uo[-1]["oi_id"] = placed[index]
        if unit["semaine"] is not H24 and rng.random() < 0.5:
            _annual_closure(rows, uo_id, rng)


def _annual_closure(rows: Rows, uo_id: int, rng: random.Random) -> None:
    """A summer closure of one to three weeks in August of the current year."""
    start = dt.date(clock.today().year, 8, 1) + dt.timedelta(days=rng.randint(0, 10))
    rows.add_fermeture(uo_id, start, start + dt.timedelta(days=7 * rng.randint(1, 3) - 1), "annuelle")
