"""Data quality (ror/territoire/quality.py): completeness checks and their roll-up, naming rules, fiches anciennes and
their setting, the SMR campaign's statuses and exports."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from ror.administration import screen_exports
from ror.core import clock, db
from ror.core.auth import load_user
from ror.core.permissions import PermissionDenied, territory
from ror.territoire import campagne_smr, quality
from ror.territoire.quality import QualityError


def user(con, login: str):
    return load_user(
        con, con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    )


COMPLETE_UO = {
    "nom": "UNITE SMR POLYVALENT",
    "type_code": "100",
    "discipline": "SMR",
    "activites": 1,
    "specialisations": 0,
    "telephone": "01 23 45 67 89",
    "email": "smr@exemple.fr",
    "horaires": True,
    "responsable_nom": "Dr Martin",
    "responsable_email": "martin@exemple.fr",
    "public_enfants": False,
    "public_adultes": True,
    "publics": 1,
    "age_min": 18,
}


def assess_uo(**changes) -> dict:
    frame = pl.DataFrame([COMPLETE_UO | changes], schema_overrides={"age_min": pl.Int32})
    return quality.assess(frame, quality.uo_checks(), quality.UO_CRITERIA).row(0, named=True)


def test_a_complete_unit_scores_one_and_has_nothing_to_fix():
    found = assess_uo()
    assert found["score"] == 1 and found["a_corriger"] == ""
    assert all(found[name] for name in quality.UO_CRITERIA)


def test_a_malformed_phone_is_not_a_phone():
    found = assess_uo(telephone="01 23 45")
    assert not found["contacts"] and found["a_corriger"] == "Téléphone joignable"
    assert found["met"] == found["total"] - 1
    assert assess_uo(telephone="+33 1 23 45 67 89")["contacts"]
    assert not assess_uo(telephone="   ")["contacts"]


def test_each_missing_item_is_named_in_french():
    found = assess_uo(responsable_nom=None, responsable_email="", horaires=False, publics=0)
    assert found["a_corriger"] == "Semaine type, Nom du responsable, E-mail du responsable, Publics pris en charge"
    assert not found["responsable"] and not found["semaine_type"] and not found["patientele"]
    assert found["score"] == pytest.approx(8 / 12)


def test_a_specialisation_is_required_in_psychiatry_and_medico_social_only():
    assert assess_uo(discipline="SMR", specialisations=0)["obligatoires"]
    assert not assess_uo(discipline="PSY", specialisations=0)["obligatoires"]
    assert not assess_uo(discipline="MSS", specialisations=0)["obligatoires"]
    assert assess_uo(discipline="MSS", specialisations=2)["obligatoires"]


def test_scores_roll_up_from_units_to_establishments_and_departements(con):
    data = quality.load(con, ("93",))
    assert set(data.eg["departement"]) == {"93"} and set(data.uo["departement"]) == {"93"}
    eg = data.eg.row(0, named=True)
    units = data.uo.filter(pl.col("finess_eg") == eg["finess_eg"])
    assert eg["met_total"] == eg["met"] + units["met"].sum()
    assert eg["total_total"] == eg["total"] + units["total"].sum()
    by_dep = quality.rollup(data, "departement").row(0, named=True)
    assert by_dep["score"] == pytest.approx(data.eg["met_total"].sum() / data.eg["total_total"].sum())
    assert by_dep["eg"] == data.eg.height and by_dep["uo"] == data.uo.height
    by_ej = quality.rollup(data, "finess_ej")
    assert by_ej["eg"].sum() == data.eg.height
    assert by_ej["score"].to_list() == sorted(by_ej["score"].to_list())  # worst first


def test_criteria_count_the_records_missing_them(con):
    data = quality.load(con, None)
    table = quality.by_criterion(data)
    patientele = table.filter(pl.col("niveau") == "UO", pl.col("critere") == "Patientèle").row(0, named=True)
    assert patientele["manquants"] == 40  # the demo's units without publics pris en charge
    assert patientele["fiches"] == data.uo.height


def test_naming_violations_come_with_the_fixed_name(con):
    found = quality.naming_violations(quality.load(con, None))
    assert found.height > 10
    dotted = found.filter(pl.col("nom").str.contains(r"\w\.\w\."))
    assert not dotted.is_empty()
    assert all("." not in s for s in dotted["suggestion"])
    lower = found.filter((pl.col("niveau") == "EG") & (pl.col("nom") != pl.col("nom").str.to_uppercase())).row(
        0, named=True
    )
    assert lower["suggestion"] == lower["suggestion"].upper()
    assert "majuscules" in lower["probleme"]
    assert found["suggestion"].null_count() == 0


def test_months_before_keeps_the_day_or_takes_the_last_of_a_short_month():
    assert quality.months_before(dt.date(2026, 11, 23), 12) == dt.date(2025, 11, 23)
    assert quality.months_before(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert quality.months_before(dt.date(2024, 3, 31), 1) == dt.date(2024, 2, 29)
    assert quality.months_before(dt.date(2026, 1, 15), 2) == dt.date(2025, 11, 15)


def test_old_records_are_those_not_updated_since_the_setting(con):
    data = quality.load(con, None)
    today = clock.today()
    old = quality.old_records(data, 12, today)
    limit = quality.months_before(today, 12)
    assert not old.is_empty()
    assert (old["updated_at"].dt.date() <= limit).all()
    assert old["mois"].min() >= 12
    assert set(old["niveau"]) == {"EG", "UO"}
    assert old["updated_by"].null_count() == 0 and "chargement initial" in old["updated_by"].to_list()
    assert quality.old_records(data, 120, today).is_empty()  # the demo goes back three years
    assert quality.old_records(data, 24, today).height < old.height


def test_only_the_administrator_sets_the_age_of_old_records(rw_con):
    assert quality.old_months(rw_con) == 12
    with pytest.raises(PermissionDenied):
        quality.set_old_months(rw_con, user(rw_con, "support"), 6)
    with pytest.raises(QualityError, match="entre 1 et 120"):
        quality.set_old_months(rw_con, user(rw_con, "admin"), 0)
    quality.set_old_months(rw_con, user(rw_con, "admin"), 6)
    assert quality.old_months(rw_con) == 6
    journal = rw_con.sql("SELECT new_value FROM audit WHERE target_id = 'fiches_anciennes_mois'").fetchall()
    assert journal and "6" in journal[-1][0]


def test_only_the_tutelle_support_and_admin_review_a_territory(con):
    assert territory(user(con, "tutelle93")) == ("93",)
    assert territory(user(con, "support")) is None and territory(user(con, "admin")) is None
    for login in ("directeur", "referent"):
        with pytest.raises(PermissionDenied, match="couverture et la qualité"):
            territory(user(con, login))


def smr_eg(con) -> str:
    return con.sql(
        "SELECT min(finess_eg) FROM uo WHERE discipline = 'SMR' AND statut = 'active' "
        "AND finess_eg NOT IN (SELECT finess_eg FROM dossier)"
    ).fetchall()[0][0]


def campaign_row(con, finess_eg: str) -> dict:
    campaign = campagne_smr.smr_campaign(quality.load(con, None))
    return campaign.eg.filter(pl.col("finess_eg") == finess_eg).row(0, named=True)


def test_the_smr_campaign_status_follows_the_guides_checklist_and_the_open_dossier(rw_con):
    finess = smr_eg(rw_con)
    rw_con.execute("UPDATE eg SET nom_usage = NULL, directeur_email = NULL WHERE finess_eg = $f", {"f": finess})
    rw_con.execute(
        "UPDATE uo SET nom = 'UNITE SSR POLYVALENT', responsable_fonction = NULL WHERE uo_id = (SELECT min(uo_id) "
        "FROM uo WHERE finess_eg = $f AND discipline = 'SMR')",
        {"f": finess},
    )
    db.bump_data_version(rw_con, [finess])  # as every write of the app: the review kept in memory follows
    row = campaign_row(rw_con, finess)
    assert row["statut"] == "a_faire"
    data = quality.load(rw_con, None)
    todo = campagne_smr.smr_campaign(data).todo.filter(pl.col("finess_eg") == finess)
    points = todo["point"].to_list()
    assert "Contact du directeur (téléphone et e-mail)" in points  # the telephone *and* the e-mail
    assert "Responsable et ses coordonnées" in points
    assert not [p for p in points if "SSR" in p or "urnom" in p]  # advised, never an item to do
    advice = campagne_smr.smr_suggestions(data).filter(pl.col("finess_eg") == finess)
    assert "Donner un surnom à l'établissement, si nécessaire" in advice["conseil"].to_list()
    assert "UNITE SMR POLYVALENT" in advice["nom_suggere"].to_list()
    assert row["a_faire"] == todo.height

    rw_con.execute(
        "INSERT INTO dossier (dossier_id, finess_eg, nom, statut, created_by) VALUES (9999, $f, 'Campagne SMR', "
        "'brouillon', 1)",
        {"f": finess},
    )
    assert campaign_row(rw_con, finess)["statut"] == "en_cours"  # opening a dossier is no data version: read each time

    rw_con.execute(
        "UPDATE eg SET voie = coalesce(voie, 'RUE DE LA PAIX'), mail_alerte = 'alerte@exemple.fr', "
        "directeur_nom = 'Mme Durand', directeur_telephone = '01 40 00 00 00', directeur_email = 'direction@exemple.fr' "
        "WHERE finess_eg = $f",
        {"f": finess},
    )
    rw_con.execute(
        "UPDATE uo SET telephone = '01 23 45 67 89', responsable_nom = 'Dr X', responsable_fonction = 'Médecin', "
        "responsable_email = 'dr.x@exemple.fr', age_min = 18 WHERE finess_eg = $f AND discipline = 'SMR'",
        {"f": finess},
    )
    rw_con.execute(
        "INSERT INTO uo_code SELECT uo_id, 'TRE_R239', '1' FROM uo WHERE finess_eg = $f AND discipline = 'SMR' "
        "ON CONFLICT DO NOTHING",
        {"f": finess},
    )
    db.bump_data_version(rw_con, [finess])
    row = campaign_row(rw_con, finess)
    assert row["statut"] == "finalise" and row["a_faire"] == 0  # still « SSR » in a name, no surnom: done


def test_a_pediatric_smr_unit_takes_no_adults():
    from ror.core import validation

    with pytest.raises(validation.ValidationError, match="exclusive pour la prise en charge des enfants"):
        validation.fiche_fields({"public_adultes": True}, {"type_code": "109", "public_enfants": True})
    with pytest.raises(validation.ValidationError, match="exclusive"):
        validation.fiche_fields({"type_code": "110"}, {"public_adultes": True, "public_enfants": True})
    assert validation.fiche_fields({"public_adultes": False}, {"type_code": "109", "public_enfants": True})
    assert validation.fiche_fields({"public_adultes": True}, {"type_code": "100", "public_enfants": True})
    assert validation.fiche_fields({"telephone": "0140000000"}, {"type_code": "109", "public_adultes": True})


def test_campaign_progress_by_departement_and_its_exports(con):
    campaign = campagne_smr.smr_campaign(quality.load(con, None))
    progress = campagne_smr.campaign_progress(campaign)
    total = progress.row(-1, named=True)
    assert total["departement"] == "Total"
    assert total["eg"] == campaign.eg.height == total["a_faire"] + total["en_cours"] + total["finalise"]
    assert total["finalise"] > 0 and total["a_faire"] > 0  # the demo has the campaign in every state
    assert total["avancement"] == pytest.approx(total["finalise"] / total["eg"])
    assert campaign.todo.filter(
        pl.col("finess_eg").is_in(campaign.eg.filter(pl.col("statut") == "finalise")["finess_eg"].implode())
    ).is_empty()
    assert screen_exports.smr_campaign_xlsx(campaign.eg, campaign.todo, "Île-de-France")[:2] == b"PK"
    pending = campaign.eg.filter(pl.col("statut") == "a_faire").row(0, named=True)
    text = screen_exports.smr_todo_text(pending, campaign.todo.filter(pl.col("finess_eg") == pending["finess_eg"]))
    assert text.startswith(f"Campagne SMR — {pending['etablissement']} (FINESS {pending['finess_eg']})")
    assert text.count("\n- ") == pending["a_faire"]


PHONES = [
    "01 23 45 67 89",
    "0123456789",
    "+33 1 23 45 67 89",
    "0033 (1) 23.45.67.89",
    "01-23-45-67-89",
    "01 23 45",
    "00 23 45 67 89",
    "01 23 45 67 89 0",
    "abc",
    "",
    "   ",
    None,
]


def test_the_vectorised_phone_rule_is_the_one_of_the_forms():
    from ror.core import validation

    def accepted(value):
        try:
            return validation.phone(value) is not None
        except validation.ValidationError:
            return False

    found = pl.DataFrame({"telephone": PHONES}).select(quality.valid_phone("telephone")).to_series().to_list()
    assert found == [accepted(v) for v in PHONES]
    assert found[:5] == [True] * 5 and not any(found[5:])


def test_many_records_are_written_at_once_and_only_known_columns(rw_con):
    from ror.repertoire import records

    records.write_many(rw_con, "uo", pl.DataFrame({"uo_id": [1, 2], "nom": ["UNITE A", "UNITE B"]}))
    assert rw_con.sql("SELECT nom FROM uo WHERE uo_id IN (1, 2) ORDER BY uo_id").fetchall() == [
        ("UNITE A",),
        ("UNITE B",),
    ]
    with pytest.raises(ValueError, match="colonnes non autorisées"):
        records.write_many(rw_con, "uo", pl.DataFrame({"uo_id": [1], "nom; DROP TABLE uo": ["x"]}))
    with pytest.raises(ValueError, match="colonnes non autorisées"):
        records.write_many(rw_con, "app_user", pl.DataFrame({"user_id": [1]}))


def test_a_territory_without_any_unit_is_assessed_without_error(rw_con):
    rw_con.execute("DELETE FROM uo_code; DELETE FROM horaire; DELETE FROM fermeture; DELETE FROM uo")
    data = quality.load(rw_con, ("92",))
    assert data.uo.is_empty() and data.uo.schema["a_corriger"] == pl.String
    campaign = campagne_smr.smr_campaign(data)  # no SMR unit at all: an empty campaign, not an error
    assert campagne_smr.campaign_progress(campaign)["eg"].sum() == 0


def test_naming_violations_check_the_ror_structure_and_the_bare_finess_names(con):
    found = quality.naming_violations(quality.load(con, None))
    structure = found.filter(pl.col("probleme").str.contains("« Unité » \\+ catégorie", literal=False))
    assert not structure.is_empty() and set(structure["niveau"]) == {"UO"}
    ssr = structure.filter(pl.col("nom").str.contains(" SSR "))
    assert not ssr.is_empty()  # the campaign's SSR names, with the same SMR suggestion
    assert all(" SMR " in s and " SSR " not in s for s in ssr["suggestion"])
    bare = found.filter(pl.col("probleme").str.contains("ne dit que la catégorie"))
    assert set(bare["nom"]) >= {"IME", "MAS", "FAM"}  # FINESS names of the demo that give only the catégorie
    assert all(s.startswith(n + " D") for n, s in bare.select("nom", "suggestion").iter_rows())  # « IME DE … »


def test_after_a_write_the_review_kept_in_memory_assesses_only_that_establishment_and_equals_a_whole_one(
    db_copy, monkeypatch
):
    from ror.recherche import search_index

    con = db.connect(db_copy)
    try:
        before = quality.reviewed(con)
        assert quality.reviewed(con) is before  # kept: the next page, the next session read the same review
        finess, uo_id = con.sql("SELECT min(finess_eg), min(uo_id) FROM uo WHERE statut = 'active'").fetchall()[0]
        with db.transaction(con):
            con.execute("UPDATE uo SET nom = 'ssr pédiatrique', telephone = NULL WHERE uo_id = $u", {"u": uo_id})
            con.execute("UPDATE eg SET nom_usage = 'CH' WHERE finess_eg = $f", {"f": finess})
            search_index.record_write(con, [finess])  # as every write of the app
        assessed, asked = quality._assessed, []
        monkeypatch.setattr(quality, "_assessed", lambda c, which: asked.append(which) or assessed(c, which))
        after = quality.reviewed(con)
        assert asked == [[finess]]  # that EG only, not the whole base
        whole_eg, whole_uo = assessed(con, None)
        assert after.eg.sort("finess_eg").equals(whole_eg.sort("finess_eg"))
        assert after.uo.sort("uo_id").equals(whole_uo.sort("uo_id"))
        unit = after.uo.filter(pl.col("uo_id") == uo_id).row(0, named=True)
        assert not unit["contacts"] and "Téléphone joignable" in unit["a_corriger"] and unit["probleme"]
        assert after.eg.filter(pl.col("finess_eg") == finess)["probleme"][0]
        assert before.uo.filter(pl.col("uo_id") == uo_id)["nom"][0] != "ssr pédiatrique"  # the old one unchanged
    finally:
        con.close()
