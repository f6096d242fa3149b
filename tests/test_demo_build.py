"""The demo database: real SAE sites with their capacities, generated médico-social offer, integrity."""

import duckdb
import polars as pl
import pytest

from ror.core import config
from ror.core.finess import is_valid_finess
from ror.demo.builder import build_demo
from ror.demo.sanitaire import SAMPLE_DIR
from ror.territoire import checks


def scalar(con, query):
    return con.sql(query).fetchall()[0][0]


def test_sizes_are_those_of_a_region(con):
    assert scalar(con, "SELECT count(*) FROM eg") > 2500
    assert scalar(con, "SELECT count(*) FROM uo") > 5000
    assert scalar(con, "SELECT count(*) FROM commune") == 1276


def test_every_eg_is_inside_ile_de_france(con):
    box = config.IDF_BBOX
    outside = scalar(
        con,
        f"SELECT count(*) FROM eg WHERE lat IS NULL OR NOT (lat BETWEEN {box['lat_min']} AND {box['lat_max']} "
        f"AND lon BETWEEN {box['lon_min']} AND {box['lon_max']})",
    )
    assert outside == 0
    assert {d for (d,) in con.sql("SELECT DISTINCT departement FROM eg").fetchall()} == set(config.IDF_DEPARTEMENTS)


def test_every_uo_has_a_type_and_an_activite(con):
    assert scalar(con, "SELECT count(*) FROM uo WHERE type_code IS NULL") == 0
    assert (
        scalar(con, "SELECT count(*) FROM uo WHERE uo_id NOT IN (SELECT uo_id FROM uo_code WHERE system = 'TRE_R211')")
        == 0
    )


def test_every_mss_uo_has_a_specialisation(con):
    missing = scalar(
        con,
        "SELECT count(*) FROM uo WHERE discipline = 'MSS' "
        "AND uo_id NOT IN (SELECT uo_id FROM uo_code WHERE system = 'TRE_R245')",
    )
    assert missing == 0


def test_finess_are_nine_characters_valid_and_unique(con):
    # unique per level: the SAE reports a few establishments under their EJ number (fi = fi_ej)
    for query in ("SELECT finess_eg FROM eg", "SELECT finess_ej FROM ej"):
        numbers = [f for (f,) in con.sql(query).fetchall()]
        assert all(len(f) == 9 and is_valid_finess(f) for f in numbers)
        assert len(numbers) == len(set(numbers))


def test_every_eg_has_its_ej(con):
    assert scalar(con, "SELECT count(*) FROM eg ANTI JOIN ej USING (finess_ej)") == 0


def test_every_real_sae_site_is_present(con):
    sae = pl.read_csv(SAMPLE_DIR / "sae2023_idf_ID.csv", separator=";", infer_schema=False)
    present = {f for (f,) in con.sql("SELECT finess_eg FROM eg WHERE source = 'SAE 2023'").fetchall()}
    assert set(sae["fi"]) == present
    name = scalar(con, "SELECT nom FROM eg WHERE finess_eg = '750000499'")
    assert name == "CH SAINTE ANNE"


def test_real_capacities_are_kept(con):
    mco = pl.read_csv(SAMPLE_DIR / "sae2023_idf_MCO.csv", separator=";", infer_schema=False)
    expected = mco.select(pl.col("LIT_MED").cast(pl.Int64, strict=False).fill_null(0).sum()).item()
    lits = scalar(
        con,
        "SELECT sum(lits) FROM uo WHERE source = 'SAE 2023' AND nom = 'UNITE MEDECINE HOSPITALISATION COMPLETE'",
    )
    assert lits == expected
    usld = pl.read_csv(SAMPLE_DIR / "sae2023_idf_USLD.csv", separator=";", infer_schema=False)
    assert scalar(con, "SELECT sum(lits) FROM uo WHERE discipline = 'SLD'") == usld["LIT"].cast(pl.Int64).sum()


def test_sites_without_finess_geocoding_are_flagged_at_their_commune(con):
    by_source = dict(con.sql("SELECT coord_source, count(*) FROM eg WHERE source = 'SAE 2023' GROUP BY 1").fetchall())
    assert by_source["finess"] > 250 and by_source["commune"] > 100
    # the two sites the FINESS extract places hundreds of kilometres away are at their commune
    assert scalar(con, "SELECT coord_source FROM eg WHERE finess_eg = '930000328'") == "commune"


def test_smr_units_use_the_smr_types(con):
    types = {t for (t,) in con.sql("SELECT DISTINCT type_code FROM uo WHERE discipline = 'SMR'").fetchall()}
    assert types <= {str(n) for n in range(100, 113)}
    # the builder names them SMR; the SMR campaign's demo (ror/demo/quality.py) leaves some with the old « SSR »
    assert scalar(con, "SELECT count(*) FROM uo WHERE discipline = 'SMR' AND nom LIKE 'UNITE SSR %'") > 0
    assert scalar(con, "SELECT count(*) FROM uo WHERE discipline = 'SMR' AND nom NOT LIKE 'UNITE S_R %'") == 0


def test_all_five_disciplines_and_both_publics_exist(con):
    assert {d for (d,) in con.sql("SELECT DISTINCT discipline FROM uo").fetchall()} == {
        "MCO",
        "SMR",
        "PSY",
        "SLD",
        "MSS",
    }
    assert scalar(con, "SELECT count(*) FROM uo WHERE public_enfants") > 100
    assert (
        scalar(con, "SELECT count(*) FROM uo WHERE horaires_renseignes AND uo_id NOT IN (SELECT uo_id FROM horaire)")
        == 0
    )
    assert scalar(con, "SELECT count(*) FROM horaire WHERE fin_min > 1440") > 0  # night units run past midnight
    assert scalar(con, "SELECT count(*) FROM fermeture") > 100


def test_the_demo_database_passes_its_integrity_checks(con):
    assert not checks.has_errors(checks.run_checks(con))


def test_demo_users_one_per_role_with_hashed_passwords(con):
    users = con.sql("SELECT login, role, password_hash FROM app_user").fetchall()
    assert {role for _, role, _ in users} == {"directeur", "referent", "tutelle", "support", "admin"}
    assert all(h.startswith("$argon2") for _, _, h in users)
    assert (
        scalar(
            con,
            "SELECT count(*) FROM user_territoire WHERE user_id = (SELECT user_id FROM app_user WHERE login = 'tutelle-pc')",
        )
        == 4
    )
    assert (
        scalar(
            con, "SELECT count(*) FROM user_eg WHERE user_id = (SELECT user_id FROM app_user WHERE login = 'directeur')"
        )
        == 5
    )


def test_demo_dossiers_in_every_state(con):
    states = con.sql("SELECT statut, count(*), count(motif_refus) FROM dossier GROUP BY 1 ORDER BY 1").fetchall()
    assert states == [("brouillon", 2, 1), ("en_validation", 1, 0), ("programme", 1, 0), ("publie", 1, 0)]
    assert scalar(con, "SELECT count(*) FROM dossier_message") == 2  # the refusal and the directeur's answer
    assert scalar(con, "SELECT count(DISTINCT action) FROM dossier_fiche") == 4  # inchange, modifie, ajoute, ferme
    # the first SAE site of the demo directeur is free for a new dossier
    free = scalar(
        con,
        "SELECT min(finess_eg) FROM user_eg JOIN eg USING (finess_eg) JOIN app_user USING (user_id) "
        "WHERE login = 'directeur' AND eg.source = 'SAE 2023'",
    )
    assert scalar(con, f"SELECT count(*) FROM dossier WHERE finess_eg = '{free}'") == 0
    assert scalar(con, "SELECT count(*) FROM notification WHERE type = 'Avertissement' AND source = 'Refus DC'") == 1


def test_demo_anomalies_in_every_state(con):
    states = dict(con.sql("SELECT statut, count(*) FROM anomalie GROUP BY 1").fetchall())
    assert set(states) == {"nouvelle", "en_cours", "resolue", "rejetee"}
    assert scalar(con, "SELECT count(*) FROM anomalie WHERE doublon_de IS NOT NULL") == 1
    assert scalar(con, "SELECT count(*) FROM anomalie WHERE dossier_id IS NOT NULL AND statut = 'resolue'") == 1
    assert scalar(con, "SELECT max(relances) FROM anomalie") == 2
    assert scalar(con, "SELECT count(DISTINCT target_type) FROM anomalie") == 3
    late = "SELECT count(*) FROM anomalie WHERE statut IN ('nouvelle', 'en_cours') AND created_at < now() - INTERVAL 15 DAY"
    assert scalar(con, late) >= 2
    # every report has its creation in its timeline, and no event before it
    assert (
        scalar(
            con,
            "SELECT count(*) FROM anomalie a WHERE NOT EXISTS (SELECT 1 FROM anomalie_evenement e "
            "WHERE e.anomalie_id = a.anomalie_id AND e.type = 'creation' AND e.created_at = a.created_at)",
        )
        == 0
    )


def test_same_seed_same_database(demo_db, tmp_path):
    other = tmp_path / "again.duckdb"
    build_demo(other, seed=42)
    query = (
        "SELECT md5(string_agg(CAST(t AS VARCHAR), '|' ORDER BY uo_id)) FROM (SELECT * EXCLUDE (updated_at) FROM uo) t"
    )
    first = duckdb.connect(str(demo_db), read_only=True)
    second = duckdb.connect(str(other), read_only=True)
    assert scalar(first, query) == scalar(second, query)
    first.close()
    second.close()


def test_unknown_scale_is_refused(tmp_path):
    with pytest.raises(ValueError, match="Échelle inconnue"):
        build_demo(tmp_path / "x.duckdb", scale="monde")


def test_a_failed_build_keeps_the_previous_database(demo_db, tmp_path, monkeypatch):
    target = tmp_path / "keep.duckdb"
    target.write_bytes(demo_db.read_bytes())
    before = target.stat().st_size

    def boom(*args, **kwargs):
        raise RuntimeError("panne simulée")

    monkeypatch.setattr("ror.demo.builder.build_medicosocial", boom)
    with pytest.raises(RuntimeError):
        build_demo(target)
    assert target.stat().st_size == before
    con = duckdb.connect(str(target), read_only=True)
    assert scalar(con, "SELECT count(*) FROM eg") > 2500
    con.close()


def test_the_demo_has_favourites_and_a_history(con):
    actions = dict(con.sql("SELECT action, count(*) FROM audit GROUP BY 1").fetchall())
    assert actions["eg.modifier"] >= 1 and actions["uo.modifier"] >= 2 and actions["favori.ajouter"] >= 3
    assert con.sql("SELECT count(*) FROM favori").fetchall()[0][0] >= 3


def test_generated_people_have_the_e_mail_of_their_name_and_dossiers_the_name_of_their_site(con):
    import re
    import unicodedata

    def slug(text: str) -> str:
        return re.sub(r"[^a-z]", "", unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower())

    people = con.sql(
        "SELECT responsable_nom, responsable_email FROM uo WHERE responsable_nom IS NOT NULL "
        "AND responsable_email IS NOT NULL UNION ALL "
        "SELECT directeur_nom, directeur_email FROM eg WHERE directeur_nom IS NOT NULL AND directeur_email IS NOT NULL"
    ).fetchall()
    assert len(people) > 5000
    strangers = [(n, e) for n, e in people if "direction." not in e and slug(n.split()[-1]) not in slug(e)]
    assert strangers == []  # « Dr Anne Lefort » writes from anne.lefort@…, never sarah.vidal@…
    for nom, site in con.sql(
        "SELECT d.nom, z.zone FROM dossier d JOIN eg_zone z USING (finess_eg) WHERE d.nom LIKE '%site de%'"
    ).fetchall():
        assert nom.endswith(f"site de {site}")
