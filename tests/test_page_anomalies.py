"""AppTest of the anomalies: reporting from a fiche and from the répertoire's menu (bad input, a similar open
report pointed out), the queue and its filters per role, one report's page (triage, comments as plain text,
two people at once), the summary and its export, the notifications that open a report."""

from __future__ import annotations

import duckdb
import pytest

from ror import anomalies
from ror.core.auth import load_user

from .helpers import ROLES, open_page, texts

# The demo anomalies (ror/demo/dossiers.py, then ror/demo/anomalies.py), in the order they are made.
BY_DOSSIER, IN_DRAFT, LATE_75, PHONE_93, DUPLICATE_93, EHPAD, ON_EJ, OWN_SITE = 1, 2, 3, 4, 5, 6, 7, 8


def row(db, anomalie_id: int) -> dict:
    con = duckdb.connect(str(db))  # the fresh_app holds it read-write in this process
    try:
        return anomalies.get(con, anomalie_id)
    finally:
        con.close()


def count(db) -> int:
    con = duckdb.connect(str(db))
    try:
        return con.sql("SELECT count(*) FROM anomalie").fetchall()[0][0]
    finally:
        con.close()


def target_of(db, anomalie_id: int) -> str:
    return row(db, anomalie_id)["target_id"]


def shown_ids(at) -> set[int]:
    """The report numbers of the queue tables on the page."""
    found = set()
    for frame in at.dataframe:
        data = frame.value
        if "anomalie_id" in data.columns:
            found |= set(int(i) for i in data["anomalie_id"])
    return found


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_sees_the_anomalies_of_its_scope(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", login)
    assert not at.exception
    assert at.title[0].value == "Anomalies"
    labels = [t.label for t in at.tabs]
    if login in ("directeur", "referent"):
        assert labels == ["Mes signalements", "Sur mes établissements"]
        assert EHPAD in shown_ids(at)  # on the directeur's EHPAD, reported by the tutelle
        assert PHONE_93 not in shown_ids(at)
    else:
        assert labels == ["File de traitement", "Synthèse", "Mes signalements"]
        queue = set(int(i) for i in at.dataframe(key="ano_file_0").value["anomalie_id"])
        if login == "tutelle93":
            assert PHONE_93 in queue and LATE_75 not in queue and EHPAD not in queue
        elif login == "tutelle-pc":
            assert {PHONE_93, LATE_75, EHPAD} <= queue and ON_EJ not in queue  # the EJ is in the 77
        else:
            assert {PHONE_93, LATE_75, EHPAD, ON_EJ} <= queue
        assert DUPLICATE_93 not in queue  # closed: not in the default filter


def test_queue_filters_and_late_ones(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", "support")
    assert "en retard" in texts(at)
    at.selectbox(key="ano_age").select(90).run()
    assert "Aucune anomalie avec ces filtres." in texts(at)
    at.selectbox(key="ano_age").select(30).run()
    queue = at.dataframe(key="ano_file_0").value
    assert set(queue["anomalie_id"]) == {LATE_75, 11}  # 41 and 63 days old
    at.selectbox(key="ano_age").select(0).run()
    at.multiselect(key="ano_deps").select("93").run()
    assert set(at.dataframe(key="ano_file_0").value["departement"]) == {"93"}
    at.button_group(key="ano_statuts").set_value(["rejetee"]).run()
    assert set(at.dataframe(key="ano_file_0").value["anomalie_id"]) == {DUPLICATE_93}
    at.multiselect(key="ano_deps").set_value([]).run()
    at.button_group(key="ano_statuts").set_value(["nouvelle", "en_cours"]).run()
    at.text_input(key="ano_etab").input(row(demo_db, EHPAD)["finess_eg"]).run()
    assert set(at.dataframe(key="ano_file_0").value["anomalie_id"]) == {EHPAD}
    at.text_input(key="ano_etab").input("").run()
    at.selectbox(key="ano_assignee").select(anomalies.NOBODY).run()
    assert EHPAD not in set(at.dataframe(key="ano_file_0").value["anomalie_id"])


def test_report_from_a_uo_fiche_with_bad_input_then_good(fresh_app, demo_db, db_copy):
    unit = target_of(demo_db, OWN_SITE)
    at = open_page(fresh_app, demo_db, "pages/fiche.py", "referent", uo=unit)
    assert "Les horaires du week-end" in " ".join(t.value for t in at.text)  # its open anomaly is listed
    before = count(db_copy)
    at.button(key="fiche_signaler").click().run()
    assert "1 anomalie(s) déjà ouverte(s) sur cette fiche" in texts(at)  # the similar one is pointed out
    at.button(key="ano_envoyer").click().run()
    assert "La description de l'anomalie est obligatoire." in texts(at)
    assert count(db_copy) == before
    at.selectbox(key="ano_champ").select("Téléphone").run()
    at.text_area(key="ano_description").input("Le numéro affiché est celui du standard, pas de l'unité.").run()
    at.button(key="ano_envoyer").click().run()
    assert not at.exception
    assert count(db_copy) == before + 1
    stored = row(db_copy, before + 1)
    assert (stored["target_type"], stored["target_id"], stored["champ"]) == ("UO", unit, "Téléphone")
    assert "Le numéro affiché est celui du standard" in " ".join(t.value for t in at.text)  # listed on the fiche


def test_report_from_the_repertoire_menu(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/repertoire.py", "tutelle93")
    menus = [b for b in at.menu_button if b.key.startswith("rep_a_ej_")]
    assert menus and all("Signaler une anomalie" in m.proto.options for m in menus)
    menus[0].click("Signaler une anomalie").run()
    before = count(db_copy)
    at.text_area(key="ano_description").input("La raison sociale a changé.").run()
    at.button(key="ano_envoyer").click().run()
    assert count(db_copy) == before + 1
    assert row(db_copy, before + 1)["target_type"] == "EJ"


@pytest.mark.parametrize(
    ("login", "anomalie_id", "visible", "triage"),
    [
        ("tutelle93", PHONE_93, True, True),
        ("tutelle93", LATE_75, False, False),  # 75: not its territory
        ("tutelle-pc", LATE_75, True, True),
        ("support", ON_EJ, True, True),
        ("admin", ON_EJ, True, False),
        ("directeur", LATE_75, True, False),  # his own report
        ("directeur", EHPAD, True, False),  # on his establishment
        ("referent", PHONE_93, False, False),
    ],
)
def test_a_report_page_per_role(fresh_app, demo_db, login, anomalie_id, visible, triage):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", login, anomalie=str(anomalie_id))
    assert not at.exception
    if not visible:
        assert "Anomalie introuvable ou hors de votre périmètre" in texts(at)
        return
    assert at.title[0].value == f"Anomalie n° {anomalie_id}"
    keys = {b.key for b in at.button}
    assert ("ano_assigner" in keys) == triage
    assert "ano_fiche" in keys  # « Ouvrir la fiche »


def test_tutelle_takes_comments_and_resolves_and_html_stays_text(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "tutelle93", anomalie=str(PHONE_93))
    at.button(key="ano_prendre").click().run()
    assert row(db_copy, PHONE_93)["statut"] == "en_cours"
    assert row(db_copy, PHONE_93)["assignee_id"] == 3
    script = "<script>alert('x')</script> **pas du gras**"
    at.text_area(key="ano_commentaire_0").input(script)  # a form: typed and sent in one run
    at.button(key="FormSubmitter:ano_commentaire-Commenter").click().run()
    assert script in [t.value for t in at.text]  # shown as typed, not as markdown or HTML
    assert not any("<script>" in m.value for m in at.markdown)
    at.button(key="ano_resoudre").click().run()
    assert row(db_copy, PHONE_93)["statut"] == "resolue"
    assert "Rouvrir" in [b.label for b in at.button]


def test_a_rejection_needs_its_reason(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "support", anomalie=str(ON_EJ))
    at.button(key="ano_rejeter").click().run()
    assert "Choisissez un motif" in " ".join(e.value for e in at.error)
    at.selectbox(key="ano_motif").select("Autre")  # a form: its fields are sent with its button
    at.button(key="ano_rejeter").click().run()  # « Autre » needs its précisions
    assert "Choisissez un motif" in " ".join(e.value for e in at.error)
    assert row(db_copy, ON_EJ)["statut"] != "rejetee"
    at.selectbox(key="ano_motif").select("Autre")
    at.text_input(key="ano_motif_precisions").input("Déjà corrigé par le FINESS")
    at.button(key="ano_rejeter").click().run()
    assert row(db_copy, ON_EJ)["motif_rejet"] == "Autre — Déjà corrigé par le FINESS"


def test_two_people_at_once_the_second_is_told_and_sees_the_first_change(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "tutelle-pc", anomalie=str(PHONE_93))
    at.selectbox(key="ano_motif").select("Hors du périmètre du ROR")
    other = duckdb.connect(str(db_copy))  # a colleague resolves it while this page is open
    anomalies.change_status(other, load_user(other, 3), PHONE_93, anomalies.get(other, PHONE_93)["version"], "resolue")
    other.close()
    at.button(key="ano_rejeter").click().run()
    assert "modifiée par quelqu'un d'autre" in texts(at)
    assert row(db_copy, PHONE_93)["statut"] == "resolue"  # the first change stands
    assert "Rouvrir" in [b.label for b in at.button]  # the page shows the report as it is now


def test_support_relance_and_mark_as_duplicate(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "support", anomalie=str(EHPAD))
    at.button(key="ano_relancer").click().run()
    assert row(db_copy, EHPAD)["relances"] == 3
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "support", anomalie=str(OWN_SITE))
    at.number_input(key="ano_original").set_value(OWN_SITE).run()
    at.button(key="ano_doublon").click().run()
    assert "ne peut pas être le doublon d'elle-même" in texts(at)
    at.number_input(key="ano_original").set_value(PHONE_93).run()
    at.button(key="ano_doublon").click().run()
    assert row(db_copy, OWN_SITE)["doublon_de"] == PHONE_93


def test_the_tutelle_cannot_relance(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "tutelle-pc", anomalie=str(EHPAD))
    assert "ano_relancer" not in {b.key for b in at.button}


def test_bulk_assign_on_a_selection(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", "tutelle93")
    queue = at.dataframe(key="ano_file_0").value
    at.session_state["ano_file_0"] = {"selection": {"rows": list(range(len(queue))), "columns": [], "cells": []}}
    at.run()
    assert f"{len(queue)} anomalie(s) sélectionnée(s)" in texts(at)
    at.button(key="ano_lot_assigner").click().run()
    assert not at.exception
    assert "mise(s) à jour" in texts(at)
    for anomalie_id in queue["anomalie_id"]:
        assert row(db_copy, int(anomalie_id))["assignee_id"] == 3


def test_summary_and_its_excel_export(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", "support")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Anomalies"] == str(count(demo_db))
    assert int(metrics["En retard (plus de 15 j)"]) >= 2
    assert metrics["Âge médian des ouvertes"].endswith(" j")
    oldest = at.dataframe(key="ano_anciennes").value
    assert int(oldest["anomalie_id"].iloc[0]) == 11  # 63 days
    assert [b.proto.label for b in at.get("download_button")] == ["Exporter en Excel"]  # built when clicked


def test_the_administrator_sets_the_delay(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", "admin")
    at.number_input(key="ano_delai").set_value(60).run()
    at.button(key="ano_delai_enr").click().run()
    assert "En retard (plus de 60 j)" in {m.label for m in at.metric}
    at = open_page(fresh_app, demo_db, "pages/anomalies.py", "support")
    assert "ano_delai" not in {n.key for n in at.number_input}


def test_a_notification_opens_the_report(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/notifications.py", "tutelle93")
    at.button_group(key="notif_sources").set_value(["Anomalie"]).run()
    opened = next(b for b in at.button if b.key and b.key.startswith("notif_ouvrir_"))
    opened.click().run()
    assert not at.exception
    assert at.title[0].value.startswith("Anomalie n° ")


def test_a_dossier_resolved_report_links_to_its_dossier(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/anomalie.py", "tutelle-pc", anomalie=str(BY_DOSSIER))
    assert at.button(key="ano_voir_dossier").label == "Résolue par le dossier collaboratif n° 1"
    assert any("Résolue par la publication du dossier n° 1" in t.value for t in at.text)


def test_a_draft_dossier_names_the_anomalies_it_corrects(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "referent", dossier="5")  # the draft on the 182
    chooser = at.multiselect(key="dos_anomalies_5")
    assert chooser.value == [IN_DRAFT]
    chooser.set_value([]).run()
    at.button(key="dos_anomalies_enr").click().run()
    con = duckdb.connect(str(db_copy))
    try:
        assert anomalies.linked(con, 5) == []
    finally:
        con.close()
    # the tutelle reads the list of a dossier it reviews, without changing it
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "tutelle-pc", dossier="1")
    assert "dos_anomalies_1" not in {m.key for m in at.multiselect}
    assert any(m.value.startswith(f"**N° {BY_DOSSIER}** · Résolue") for m in at.markdown)
