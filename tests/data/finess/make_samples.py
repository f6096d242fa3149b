"""Makes the two small FINESS files of the import tests from the bundled real data (run once, files committed).

Each establishment line is a real Île-de-France site of the bundled sample: FINESS EG and EJ, raison sociale,
address, commune, catégorie and SIRET from SAE 2023 (data/sample_idf/sae2023_idf_ID.csv), long name, telephone
and WGS84 position from the FINESS extraction of 2020 (eurostat_healthcare_FR_idf.csv), the position written
back in Lambert 93 as FINESS publishes it. The Ain line is FINESS's own documentation example. Then a few
wrong lines, each made from a real one: wrong control key, unknown commune, coordinates outside France,
a line cut short, a line given twice.

    python tests/data/finess/make_samples.py
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import polars as pl
from pyproj import Transformer

HERE = Path(__file__).resolve().parent
DATA = HERE.parents[2] / "data" / "sample_idf"
SITES = ("750000481", "750000499", "750000523", "750041543", "920000650", "930000328", "940000573", "950000331")

TO_L93 = Transformer.from_crs(4326, 2154, always_xy=True)
sae = pl.read_csv(DATA / "sae2023_idf_ID.csv", separator=";", infer_schema=False)
eu = pl.read_csv(DATA / "eurostat_healthcare_FR_idf.csv", infer_schema=False)
rows = sae.join(eu, left_on="fi", right_on="id", how="inner").filter(pl.col("fi").is_in(SITES)).sort("fi")


def structure(r: dict) -> list[str]:
    tel = r["tel"] or ""
    tel = ("0" + tel) if len(tel) == 9 else tel
    return [
        "structureet",
        r["fi"],
        r["fi_ej"],
        r["rs"][:38],
        r["hospital_name"],
        "",
        "",
        r["NUMVOI"] or "",
        r["TYPVOI"] or "",
        r["NOMVOI"] or "",
        "",
        "",
        r["COMINSEE"][2:],
        r["dep"],
        "",
        f"{r['CPO']} {r['LIBCOM']}",
        tel,
        "",
        r["cat"],
        "",
        "",
        "",
        r["sir"] or "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "2020-03-06",
        "",
    ]


def position(r: dict) -> list[str]:
    x, y = TO_L93.transform(float(r["lon"]), float(r["lat"]))
    return [
        "geolocalisation",
        r["fi"],
        f"{x:.1f}",
        f"{y:.1f}",
        "1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,LAMBERT_93",
        "2020-03-06",
    ]


AIN = (
    "structureet;010000024;010000018;CH DE FLEYRIAT;CENTRE HOSPITALIER DE BOURG-EN-BRESSE FLEYRIAT;;;900;RTE;"
    "DE PARIS;;;451;01;AIN;01440 VIRIAT;0474454647;0474454114;355;Centre Hospitalier (C.H.);1102;"
    "Centres Hospitaliers;26010004500012;8610Z;03;ARS établissements Publics de santé dotation globale;1;"
    "Etablissement public de santé;1979-02-13;1979-02-13;2020-02-04;"
).split(";")
AIN_POSITION = "geolocalisation;010000024;870262.2;6571540.8;1,ATLASANTE,96,BAN,L93_METROPOLE;2020-02-04".split(";")

records = list(rows.iter_rows(named=True))
lines = [structure(r) for r in records] + [position(r) for r in records] + [AIN, AIN_POSITION]
wrong_key = structure(records[0])
wrong_key[1] = records[0]["fi"][:8] + str((int(records[0]["fi"][8]) + 1) % 10)
unknown_commune = structure(records[1])
unknown_commune[1], unknown_commune[12] = "750000119", "999"  # a valid number, no such commune in Paris
far_away = structure(records[2])
far_away[1] = "750000200"
lines += [wrong_key, unknown_commune, far_away, ["geolocalisation", "750000200", "100000.0", "100000.0", "", ""]]
lines += [structure(records[3])[:12], structure(records[4])]  # cut short; given twice

etalab = io.StringIO()
etalab.write("finess;etalab;95;2026-11-02\n")
csv.writer(etalab, delimiter=";", lineterminator="\n").writerows(lines)
(HERE / "etalab-extrait-idf.csv").write_bytes(etalab.getvalue().encode("latin-1"))

header = "section nofinesset nofinessej rs rslongue complrs compldistrib numvoie typvoie voie compvoie lieuditbp commune departement libdepartement ligneacheminement telephone telecopie categetab libcategetab categagretab libcategagretab siret codeape codemft libmft codesph libsph dateouv dateautor datemaj numuai".split()[
    1:
]
plain = io.StringIO()
writer = csv.writer(plain, delimiter=";", lineterminator="\n")
writer.writerow([*header, "coordxet", "coordyet"])
for r in records[:4]:
    writer.writerow(structure(r)[1:] + position(r)[2:4])
writer.writerow(AIN[1:] + AIN_POSITION[2:4])
writer.writerow([*wrong_key[1:], "", ""])
(HERE / "finess-entete-utf8.csv").write_text(plain.getvalue(), encoding="utf-8")
