"""Mises à jour opérationnelles (ror/repertoire/updates.py) and the checks behind them (ror/core/validation.py):
permissions, validation errors, structural changes refused, concurrent edits, audit and history."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

import queries
from ror.core import validation
from ror.core.auth import load_user
from ror.core.permissions import PermissionDenied
from ror.core.validation import ValidationError
from ror.recherche import search, search_index
from ror.repertoire import opening, updates

TODAY = dt.date(2026, 11, 23)


def user(con, login: str):
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    return load_user(con, user_id)


def unit_of(con, finess_eg: str) -> int:
    return con.sql("SELECT min(uo_id) FROM uo WHERE finess_eg = $f", params={"f": finess_eg}).fetchall()[0][0]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("0123456789", "01 23 45 67 89"),
        ("01.23.45.67.89", "01 23 45 67 89"),
        ("+33 1 23 45 67 89", "01 23 45 67 89"),
        ("0033612345678", "06 12 34 56 78"),
        ("", None),
        (None, None),
    ],
)
def test_phone_is_cleaned(typed, expected):
    assert validation.phone(typed) == expected


@pytest.mark.parametrize("typed", ["012345678", "1234567890", "01 23 45 67 8a", "+44 20 7946 0958", "00 00 00 00 00"])
def test_wrong_phone_is_refused_in_french(typed):
    with pytest.raises(ValidationError, match="Numéro de téléphone invalide"):
        validation.phone(typed)


@pytest.mark.parametrize("typed", ["accueil@", "@chu.fr", "accueil chu.fr", "a@b", "x" * 250 + "@chu.fr"])
def test_wrong_email_is_refused_in_french(typed):
    with pytest.raises(ValidationError, match="Adresse e-mail invalide"):
        validation.email(typed)


def test_email_is_cleaned():
    assert validation.email("  Accueil.SMR@CHU-Paris.fr ") == "accueil.smr@chu-paris.fr"


def test_ages_and_public():
    assert validation.ages(3, 20) == (3, 20)
    with pytest.raises(ValidationError, match="inférieur"):
        validation.ages(20, 3)
    with pytest.raises(ValidationError, match="entre 0 et 120"):
        validation.ages(-1, None)
    with pytest.raises(ValidationError, match="au moins un public"):
        validation.public(False, False)


def test_slots():
    night = [(1, 1320, 1860), (2, 480, 1020)]  # Monday 22:00 → Tuesday 07:00, then Tuesday 08:00-17:00
    assert validation.slots(night) == night
    with pytest.raises(ValidationError, match="chevauchent"):
        validation.slots([(1, 1320, 1860), (2, 360, 1020)])  # Tuesday 06:00 inside Monday's night
    with pytest.raises(ValidationError, match="chevauchent"):
        validation.slots([(7, 1320, 1900), (1, 420, 600)])  # Sunday's night runs into Monday morning
    with pytest.raises(ValidationError, match="La fin doit suivre le début"):
        validation.slots([(3, 600, 600)])
    with pytest.raises(ValidationError, match="Jour inconnu"):
        validation.slots([(8, 600, 700)])


def test_closings_and_date_effet():
    d = dt.date
    assert validation.closings([(d(2026, 12, 21), d(2026, 12, 27), "travaux", d(2026, 12, 28))])
    with pytest.raises(ValidationError, match="finit avant de commencer"):
        validation.closings([(d(2026, 12, 27), d(2026, 12, 21), "travaux", None)])
    with pytest.raises(ValidationError, match="doit suivre la fin"):
        validation.closings([(d(2026, 12, 21), d(2026, 12, 27), "travaux", d(2026, 12, 27))])
    with pytest.raises(ValidationError, match="Motif"):
        validation.closings([(d(2026, 12, 21), d(2026, 12, 27), "vacances du chef", None)])
    assert validation.date_effet(None, TODAY) == TODAY
    with pytest.raises(ValidationError, match="dossier collaboratif"):
        validation.date_effet(TODAY + dt.timedelta(days=1), TODAY)


def test_referent_updates_a_unit_phone_audited_and_searchable(rw_con):
    referent = user(rw_con, "referent")
    uo_id = unit_of(rw_con, referent.finess_eg[0])
    changed = updates.update_uo(rw_con, referent, uo_id, {"telephone": "01.45.67.89.10"}, today=TODAY)
    assert changed == {"telephone": "01 45 67 89 10"}
    assert search_index.is_fresh(rw_con)  # the rows of that EG were rebuilt in the same transaction
    row = rw_con.sql("SELECT telephone, updated_by FROM uo WHERE uo_id = $id", params={"id": uo_id}).fetchall()[0]
    assert row == ("01 45 67 89 10", "referent")
    history = queries.run(rw_con, "history", target_type="UO", target_id=str(uo_id), limite=10)
    assert history["action"][0] == "uo.modifier" and history["auteur"][0] == "Julien Marchand"
    lines = updates.describe_change(history["old_value"][0], history["new_value"][0])
    assert lines[0][0] == "Téléphone" and lines[0][2] == "01 45 67 89 10"
    query = search.SearchQuery(quoi=(), instant=dt.datetime(2026, 11, 24, 10, 30))
    found = search.units(rw_con, search.search(rw_con, query)).filter(pl.col("uo_id") == uo_id)
    assert found["telephone"][0] == "01 45 67 89 10"  # the search index followed


def test_nothing_changed_writes_nothing(rw_con):
    referent = user(rw_con, "referent")
    uo_id = unit_of(rw_con, referent.finess_eg[0])
    phone = rw_con.sql("SELECT telephone FROM uo WHERE uo_id = $id", params={"id": uo_id}).fetchall()[0][0]
    before = rw_con.sql("SELECT count(*) FROM audit").fetchall()[0][0]
    assert updates.update_uo(rw_con, referent, uo_id, {"telephone": phone}, today=TODAY) == {}
    assert rw_con.sql("SELECT count(*) FROM audit").fetchall()[0][0] == before


def test_renaming_follows_the_naming_rules(rw_con):
    directeur = user(rw_con, "directeur")
    uo_id = unit_of(rw_con, directeur.finess_eg[0])
    changed = updates.update_uo(rw_con, directeur, uo_id, {"nom": "Unité  S.M.R. polyvalent  "}, today=TODAY)
    assert changed == {"nom": "UNITE SMR POLYVALENT"}
    with pytest.raises(ValidationError, match="obligatoire"):
        updates.update_uo(rw_con, directeur, uo_id, {"nom": "   "}, today=TODAY)


def test_referent_of_another_eg_and_tutelle_are_refused(rw_con):
    referent = user(rw_con, "referent")
    other = rw_con.sql(
        "SELECT min(uo_id) FROM uo WHERE NOT list_contains($f, finess_eg)", params={"f": list(referent.finess_eg)}
    ).fetchall()[0][0]
    with pytest.raises(PermissionDenied, match="Votre profil ne vous permet pas"):
        updates.update_uo(rw_con, referent, other, {"telephone": "0145678910"}, today=TODAY)
    with pytest.raises(PermissionDenied):
        updates.update_eg(rw_con, user(rw_con, "tutelle93"), referent.finess_eg[0], {"telephone": "0145678910"})
    with pytest.raises(PermissionDenied):
        updates.update_eg(rw_con, user(rw_con, "support"), referent.finess_eg[0], {"telephone": "0145678910"})


def test_bad_input_loses_nothing(rw_con):
    referent = user(rw_con, "referent")
    finess = referent.finess_eg[0]
    before = rw_con.sql("SELECT telephone, email FROM eg WHERE finess_eg = $f", params={"f": finess}).fetchall()
    with pytest.raises(ValidationError) as caught:
        updates.update_eg(rw_con, referent, finess, {"telephone": "12", "email": "pas-un-mail"}, today=TODAY)
    assert set(caught.value.errors) == {"telephone", "email"}
    assert rw_con.sql("SELECT telephone, email FROM eg WHERE finess_eg = $f", params={"f": finess}).fetchall() == before
    uo_id = unit_of(rw_con, finess)
    with pytest.raises(ValidationError, match="inférieur"):
        updates.update_uo(rw_con, referent, uo_id, {"age_min": 40, "age_max": 18}, today=TODAY)


def test_structural_changes_point_to_a_dossier(rw_con):
    referent = user(rw_con, "referent")
    uo_id = unit_of(rw_con, referent.finess_eg[0])
    with pytest.raises(updates.StructuralChange, match="dossier collaboratif"):
        updates.update_uo(rw_con, referent, uo_id, {"type_code": "31"}, today=TODAY)
    with pytest.raises(updates.StructuralChange, match="capacité"):
        updates.update_uo(rw_con, referent, uo_id, {"lits": 40}, today=TODAY)


def test_two_people_editing_the_same_fiche(rw_con):
    directeur, referent = user(rw_con, "directeur"), user(rw_con, "referent")
    finess = directeur.finess_eg[0]
    seen = rw_con.sql("SELECT updated_at FROM eg WHERE finess_eg = $f", params={"f": finess}).fetchall()[0][0]
    updates.update_eg(rw_con, directeur, finess, {"mail_alerte": "crise@chu.fr"}, seen_updated_at=seen, today=TODAY)
    with pytest.raises(updates.Conflict, match="modifiée par directeur"):
        updates.update_eg(rw_con, referent, finess, {"mail_alerte": "alerte@chu.fr"}, seen_updated_at=seen, today=TODAY)
    mail = rw_con.sql("SELECT mail_alerte FROM eg WHERE finess_eg = $f", params={"f": finess}).fetchall()[0][0]
    assert mail == "crise@chu.fr"


def test_planning_update(rw_con):
    referent = user(rw_con, "referent")
    uo_id = unit_of(rw_con, referent.finess_eg[0])
    closing = (dt.date(2026, 12, 21), dt.date(2026, 12, 27), "travaux", dt.date(2026, 12, 28))
    changed = updates.update_planning(
        rw_con, referent, uo_id, creneaux=[(d, 540, 1080) for d in range(1, 6)], fermetures=[closing], today=TODAY
    )
    assert set(changed) >= {"creneaux", "fermetures"}
    assert opening.statuses(rw_con, [uo_id], dt.datetime(2026, 11, 28, 10))["statut"][0] == "ferme"  # Saturday
    assert opening.statuses(rw_con, [uo_id], dt.datetime(2026, 12, 22, 10))["statut"][0] == "fermeture"
    with pytest.raises(ValidationError, match="chevauchent"):
        updates.update_planning(
            rw_con, referent, uo_id, creneaux=[(1, 540, 1080), (1, 600, 700)], fermetures=[], today=TODAY
        )
    assert rw_con.sql("SELECT count(*) FROM horaire WHERE uo_id = $id", params={"id": uo_id}).fetchall()[0][0] == 5


def test_records_refuse_a_column_outside_the_whitelist(rw_con):
    from ror.repertoire import records

    with pytest.raises(ValueError, match="colonnes non autorisées"):
        records.read(rw_con, "uo", 1, ("nom; DROP TABLE uo",))
    with pytest.raises(ValueError):
        records.write(rw_con, "app_user", 1, {"role": "admin"}, "test")


def test_fiche_fields_checks_every_field_at_once_against_the_current_fiche():
    with pytest.raises(validation.ValidationError) as wrong:
        validation.fiche_fields(
            {"telephone": "12", "directeur_email": "x@", "nom": " ", "lits": 6000, "age_max": 3}, {"age_min": 18}
        )
    assert set(wrong.value.errors) == {"telephone", "directeur_email", "nom", "lits", "age_max"}
    assert "5\u202f000" in wrong.value.errors["lits"]
    with pytest.raises(validation.ValidationError, match="au moins un public"):
        validation.fiche_fields({"public_enfants": False}, {"public_adultes": False})
    cleaned = validation.fiche_fields({"telephone": "0145678910", "age_min": "3", "voie": "  DES  LILAS ", "x": 1}, {})
    assert cleaned == {"telephone": "01 45 67 89 10", "age_min": 3, "voie": "DES LILAS", "x": 1}


def test_renaming_an_eg_sets_its_surnom_journaled_and_only_for_its_people(rw_con):
    directeur = user(rw_con, "directeur")
    finess = directeur.finess_eg[0]
    official = rw_con.sql("SELECT nom FROM eg WHERE finess_eg = $f", params={"f": finess}).fetchall()[0][0]
    assert updates.rename_eg(rw_con, directeur, finess, "  Hôpital   des Bruyères ") == {
        "nom_usage": "HOPITAL DES BRUYERES"
    }  # the naming rule: capitals, no accents
    history = rw_con.sql(
        "SELECT action, old_value, new_value FROM audit WHERE target_id = $f ORDER BY audit_id DESC LIMIT 1",
        params={"f": finess},
    ).fetchall()[0]
    assert history[0] == "eg.renommer" and "HOPITAL DES BRUYERES" in history[2]
    assert updates.rename_eg(rw_con, directeur, finess, "") == {"nom_usage": None}  # back to the FINESS name
    assert rw_con.sql(
        "SELECT coalesce(nom_usage, nom) FROM eg WHERE finess_eg = $f", params={"f": finess}
    ).fetchall() == [(official,)]
    with pytest.raises(PermissionDenied):
        updates.rename_eg(rw_con, user(rw_con, "tutelle-pc"), finess, "AUTRE NOM")


def test_a_pediatric_smr_unit_accepting_adults_is_refused_in_the_operational_update(rw_con):
    referent = user(rw_con, "referent")
    uo_id = unit_of(rw_con, referent.finess_eg[0])
    rw_con.execute(
        "UPDATE uo SET type_code = '109', public_enfants = TRUE, public_adultes = FALSE WHERE uo_id = $u", {"u": uo_id}
    )
    with pytest.raises(ValidationError, match="exclusive pour la prise en charge des enfants"):
        updates.update_uo(rw_con, referent, uo_id, {"public_adultes": True})
    assert rw_con.sql("SELECT public_adultes FROM uo WHERE uo_id = $u", params={"u": uo_id}).fetchall() == [(False,)]
    updates.update_uo(
        rw_con, referent, uo_id, {"responsable_fonction": "Cadre infirmier", "responsable_telephone": "0140000002"}
    )
    assert rw_con.sql(
        "SELECT responsable_fonction, responsable_telephone FROM uo WHERE uo_id = $u", params={"u": uo_id}
    ).fetchall() == [("Cadre infirmier", "01 40 00 00 02")]
    with pytest.raises(ValidationError, match="Numéro de téléphone invalide"):
        updates.update_uo(rw_con, referent, uo_id, {"responsable_telephone": "12"})
