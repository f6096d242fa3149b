"""Anomalies (ror/anomalies/): reporting and its notifications, the status machine per role and from every
state, territory (a tutelle of 75 cannot see or act in 93), assignment, relance, comments as plain text,
duplicates, bulk actions, two people at once, the dossier that resolves them, the queue and its summary."""

from __future__ import annotations

import datetime as dt
import io
import json
import threading

import duckdb
import openpyxl
import pytest

from ror import anomalies, dossiers
from ror.administration import screen_exports
from ror.anomalies import AnomalyError
from ror.core import clock
from ror.core.auth import User, load_user
from ror.core.errors import Conflict
from ror.core.permissions import PermissionDenied

TUTELLE_75 = User(99, "t75", "Paul", "Paris", "tutelle", departements=("75",))


def user(con, login: str) -> User:
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    return load_user(con, user_id)


def unit_in(con, departement: str) -> str:
    return str(
        con.sql(
            "SELECT max(uo_id) FROM uo JOIN eg USING (finess_eg) WHERE eg.departement = $d", params={"d": departement}
        ).fetchall()[0][0]
    )


def version(con, anomalie_id: int) -> int:
    return anomalies.get(con, anomalie_id)["version"]


def inbox(con, login: str) -> list[str]:
    return [
        r[0]
        for r in con.sql(
            "SELECT n.objet FROM notification n JOIN notification_destinataire d USING (notification_id) "
            "JOIN app_user u USING (user_id) WHERE u.login = $l ORDER BY n.notification_id",
            params={"l": login},
        ).fetchall()
    ]


@pytest.fixture
def reported(rw_con):
    """A new report by the référent on a UO in the 93."""
    return anomalies.report(
        rw_con, user(rw_con, "referent"), "UO", unit_in(rw_con, "93"), "Le téléphone est faux.", "Téléphone"
    )


def test_a_report_is_stored_with_its_target_and_notified_to_the_tutelle_and_the_support(rw_con, reported):
    found = anomalies.get(rw_con, reported)
    assert (found["statut"], found["departement"], found["champ"]) == ("nouvelle", "93", "Téléphone")
    assert found["reporter_id"] == user(rw_con, "referent").user_id and found["finess_eg"]
    for login in ("tutelle93", "tutelle-pc", "support", "support2"):
        assert any(f"Anomalie n° {reported} signalée" in objet for objet in inbox(rw_con, login)), login
    assert not any(f"n° {reported} signalée" in o for o in inbox(rw_con, "referent"))
    assert audit_rows(rw_con, reported) == ["anomalie.signaler"]


def audit_rows(con, anomalie_id: int) -> list[str]:
    return [
        r[0]
        for r in con.sql(
            "SELECT action FROM audit WHERE target_type = 'ANOMALIE' AND target_id = $i ORDER BY audit_id",
            params={"i": str(anomalie_id)},
        ).fetchall()
    ]


@pytest.mark.parametrize(
    ("level", "ident", "message"),
    [
        ("UO", "999999999", "Unité introuvable"),
        ("EG", "750000000", "Établissement introuvable"),
        ("EJ", "x", "Entité juridique introuvable"),
        ("XX", "1", "Niveau inconnu"),
    ],
)
def test_a_report_on_something_not_in_the_repertoire_is_refused(rw_con, level, ident, message):
    with pytest.raises(AnomalyError, match=message):
        anomalies.report(rw_con, user(rw_con, "referent"), level, ident, "Faux")


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "obligatoire"), ("   \n ", "obligatoire"), ("x" * 10_001, "dépasse 10\u202f000 caractères")],
)
def test_the_description_is_mandatory_and_at_most_10000_characters(rw_con, text, message):
    before = rw_con.sql("SELECT count(*) FROM anomalie").fetchall()[0][0]
    with pytest.raises(AnomalyError, match=message):
        anomalies.report(rw_con, user(rw_con, "referent"), "UO", unit_in(rw_con, "93"), text)
    assert rw_con.sql("SELECT count(*) FROM anomalie").fetchall()[0][0] == before


def test_a_field_must_be_one_of_its_level(rw_con):
    with pytest.raises(AnomalyError, match="Champ inconnu"):
        anomalies.report(rw_con, user(rw_con, "referent"), "EJ", "750712184", "Faux", "Lits ou places")


def test_a_message_of_10000_characters_with_html_is_stored_as_typed(rw_con):
    prefix = "<script>alert('x')</script> <b>gras</b> "
    text = prefix + "é" * (10_000 - len(prefix))
    assert len(text) == 10_000
    found = anomalies.report(rw_con, user(rw_con, "directeur"), "UO", unit_in(rw_con, "93"), text)
    assert anomalies.get(rw_con, found)["description"] == text
    anomalies.comment(rw_con, user(rw_con, "tutelle93"), found, text)
    events = rw_con.sql(
        "SELECT detail FROM anomalie_evenement WHERE anomalie_id = $a AND type = 'commentaire'", params={"a": found}
    ).fetchall()
    assert events == [(text,)]


def test_a_similar_open_report_on_the_same_target_is_pointed_out(rw_con, reported):
    target = anomalies.get(rw_con, reported)
    similar = anomalies.similar_open(rw_con, "UO", target["target_id"])
    assert [s["anomalie_id"] for s in similar] == [reported]
    anomalies.change_status(rw_con, user(rw_con, "support"), reported, version(rw_con, reported), "resolue")
    assert anomalies.similar_open(rw_con, "UO", target["target_id"]) == []


# ---------------------------------------------------------------------------------------------------------
# Status machine and permissions


@pytest.mark.parametrize(
    ("path", "allowed_last"),
    [
        (["en_cours", "resolue"], True),
        (["en_cours", "rejetee"], True),
        (["resolue"], True),
        (["resolue", "en_cours", "resolue"], True),
        (["resolue", "resolue"], False),  # a closed report cannot be closed twice
        (["resolue", "rejetee"], False),
        (["rejetee", "resolue"], False),
        (["en_cours", "en_cours"], False),
        (["en_cours", "nouvelle"], False),
    ],
)
def test_status_machine(rw_con, reported, path, allowed_last):
    support = user(rw_con, "support")
    for statut in path[:-1]:
        anomalies.change_status(rw_con, support, reported, version(rw_con, reported), statut, motif="Exact")
    last = path[-1]
    if allowed_last:
        anomalies.change_status(rw_con, support, reported, version(rw_con, reported), last, motif="Exact")
        assert anomalies.get(rw_con, reported)["statut"] == last
    else:
        with pytest.raises(AnomalyError, match=r"déjà close|ne peut pas passer"):
            anomalies.change_status(rw_con, support, reported, version(rw_con, reported), last, motif="Exact")


def test_closing_sets_closed_at_and_reopening_clears_it(rw_con, reported):
    support = user(rw_con, "support")
    anomalies.change_status(rw_con, support, reported, version(rw_con, reported), "resolue")
    assert anomalies.get(rw_con, reported)["closed_at"] is not None
    anomalies.change_status(rw_con, support, reported, version(rw_con, reported), "en_cours")
    assert anomalies.get(rw_con, reported)["closed_at"] is None


def test_a_rejection_needs_a_reason_and_tells_the_reporter(rw_con, reported):
    tutelle = user(rw_con, "tutelle93")
    with pytest.raises(AnomalyError, match="motif du rejet est obligatoire"):
        anomalies.change_status(rw_con, tutelle, reported, version(rw_con, reported), "rejetee", motif="  ")
    anomalies.change_status(rw_con, tutelle, reported, version(rw_con, reported), "rejetee", motif="Information exacte")
    found = anomalies.get(rw_con, reported)
    assert (found["statut"], found["motif_rejet"]) == ("rejetee", "Information exacte")
    assert f"Votre anomalie n° {reported} est rejetée : Information exacte" in inbox(rw_con, "referent")


def test_a_tutelle_of_75_cannot_see_or_act_on_a_report_in_93(rw_con, reported):
    found = anomalies.get(rw_con, reported)
    assert not anomalies.can_see(TUTELLE_75, found)
    assert anomalies.can_see(user(rw_con, "tutelle93"), found)
    assert reported not in anomalies.queue(rw_con, TUTELLE_75)["anomalie_id"].to_list()
    with pytest.raises(PermissionDenied):
        anomalies.change_status(rw_con, TUTELLE_75, reported, version(rw_con, reported), "en_cours")
    with pytest.raises(PermissionDenied):
        anomalies.assign(rw_con, TUTELLE_75, reported, version(rw_con, reported), None)
    with pytest.raises(PermissionDenied):
        anomalies.comment(rw_con, TUTELLE_75, reported, "Je regarde")
    assert anomalies.get(rw_con, reported)["version"] == found["version"]


@pytest.mark.parametrize("login", ["directeur", "referent", "admin"])
def test_only_tutelle_and_support_triage(rw_con, reported, login):
    with pytest.raises(PermissionDenied, match="traiter cette anomalie"):
        anomalies.change_status(rw_con, user(rw_con, login), reported, version(rw_con, reported), "en_cours")


def test_who_sees_a_report(rw_con, reported):
    found = anomalies.get(rw_con, reported)
    assert anomalies.can_see(user(rw_con, "referent"), found)  # his own
    assert anomalies.can_see(user(rw_con, "support"), found) and anomalies.can_see(user(rw_con, "admin"), found)
    assert not anomalies.can_see(user(rw_con, "directeur"), found)  # not his establishment, not his report
    mine = anomalies.queue(rw_con, user(rw_con, "referent"), mine=True)
    assert reported in mine["anomalie_id"].to_list()
    assert set(mine["reporter_id"]) == {user(rw_con, "referent").user_id}


def test_the_establishment_people_see_the_reports_on_their_establishment(rw_con):
    directeur = user(rw_con, "directeur")
    ehpad_report = anomalies.report(rw_con, user(rw_con, "tutelle-pc"), "EG", directeur.finess_eg[0], "Adresse")
    assert ehpad_report in anomalies.queue(rw_con, directeur)["anomalie_id"].to_list()
    assert ehpad_report in anomalies.queue(rw_con, user(rw_con, "referent"))["anomalie_id"].to_list()


# ---------------------------------------------------------------------------------------------------------
# Assign, relance, comment, duplicate, two people at once


def test_assigning_takes_a_new_report_in_hand_and_tells_the_assignee(rw_con, reported):
    support = user(rw_con, "support")
    tutelle93 = user(rw_con, "tutelle93")
    anomalies.assign(rw_con, support, reported, version(rw_con, reported), tutelle93.user_id)
    found = anomalies.get(rw_con, reported)
    assert (found["statut"], found["assignee_id"]) == ("en_cours", tutelle93.user_id)
    assert f"Anomalie n° {reported} assignée à vous par Sophie Garnier" in inbox(rw_con, "tutelle93")
    anomalies.assign(rw_con, support, reported, version(rw_con, reported), None)
    assert anomalies.get(rw_con, reported)["assignee_id"] is None


def test_only_a_tutelle_of_the_departement_or_the_support_may_be_assigned(rw_con, reported):
    people = anomalies.assignees(rw_con, "93")
    assert set(people) == {user(rw_con, login).user_id for login in ("tutelle93", "tutelle-pc", "support", "support2")}
    several = anomalies.assignees(rw_con, "75", "93")  # one read for a selection over several départements
    assert list(several)[-2:] == [user(rw_con, login).user_id for login in ("support", "support2")]  # tutelle first
    assert set(several) == set(people)
    assert set(anomalies.assignees(rw_con, "75")) == set(people) - {user(rw_con, "tutelle93").user_id}
    with pytest.raises(AnomalyError, match="ne peut pas traiter"):
        anomalies.assign(rw_con, user(rw_con, "support"), reported, version(rw_con, reported), 1)  # the directeur
    anomalies.change_status(rw_con, user(rw_con, "support"), reported, version(rw_con, reported), "resolue")
    with pytest.raises(AnomalyError, match="close"):
        anomalies.assign(rw_con, user(rw_con, "support"), reported, version(rw_con, reported), None)


def test_relance_is_for_the_support_counts_and_notifies_the_director(rw_con):
    directeur = user(rw_con, "directeur")
    found = anomalies.report(rw_con, user(rw_con, "tutelle-pc"), "EG", directeur.finess_eg[0], "Mail d'alerte faux")
    with pytest.raises(PermissionDenied, match="relancer"):
        anomalies.relance(rw_con, user(rw_con, "tutelle-pc"), found, version(rw_con, found))
    assert anomalies.relance(rw_con, user(rw_con, "support"), found, version(rw_con, found)) == 1
    assert anomalies.relance(rw_con, user(rw_con, "support"), found, version(rw_con, found)) == 2
    assert anomalies.get(rw_con, found)["relances"] == 2
    assert sum(f"Relance n° 2 : anomalie n° {found}" in o for o in inbox(rw_con, "directeur")) == 1
    assert any(f"anomalie n° {found}" in o for o in inbox(rw_con, "referent"))
    anomalies.change_status(rw_con, user(rw_con, "support"), found, version(rw_con, found), "resolue")
    with pytest.raises(AnomalyError, match="close"):
        anomalies.relance(rw_con, user(rw_con, "support"), found, version(rw_con, found))


def test_a_relance_on_an_ej_reaches_the_people_of_its_establishments(rw_con):
    finess_ej = rw_con.sql(
        "SELECT finess_ej FROM eg WHERE finess_eg = $f", params={"f": user(rw_con, "directeur").finess_eg[0]}
    ).fetchall()[0][0]
    found = anomalies.report(rw_con, user(rw_con, "support"), "EJ", finess_ej, "Raison sociale ancienne")
    anomalies.relance(rw_con, user(rw_con, "support"), found, version(rw_con, found))
    assert any(f"anomalie n° {found}" in o for o in inbox(rw_con, "directeur"))


def test_an_empty_comment_is_refused(rw_con, reported):
    with pytest.raises(AnomalyError, match="commentaire est obligatoire"):
        anomalies.comment(rw_con, user(rw_con, "tutelle93"), reported, " ")


def test_two_people_changing_the_same_report_at_once_one_wins_the_other_is_told(rw_con, reported):
    seen = version(rw_con, reported)
    anomalies.change_status(rw_con, user(rw_con, "tutelle93"), reported, seen, "resolue")
    with pytest.raises(Conflict, match="modifiée par quelqu'un d'autre"):
        anomalies.change_status(rw_con, user(rw_con, "support"), reported, seen, "rejetee", motif="Exact")
    with pytest.raises(Conflict):
        anomalies.relance(rw_con, user(rw_con, "support"), reported, seen)
    found = anomalies.get(rw_con, reported)
    assert (found["statut"], found["motif_rejet"]) == ("resolue", None)
    statuses = rw_con.sql(
        "SELECT count(*) FROM anomalie_evenement WHERE anomalie_id = $a AND type = 'statut'", params={"a": reported}
    ).fetchall()[0][0]
    assert statuses == 1


def test_two_people_at_the_same_instant_exactly_one_wins(db_copy):
    """Two threads (two sessions of the app) close the same report at once from the same version."""
    first = duckdb.connect(str(db_copy))
    found = anomalies.report(first, user(first, "referent"), "UO", unit_in(first, "93"), "Faux")
    seen = version(first, found)
    start = threading.Barrier(2)
    outcomes = []

    def act(login: str, statut: str) -> None:
        cursor = first.cursor()
        who = user(cursor, login)
        start.wait()
        try:
            anomalies.change_status(cursor, who, found, seen, statut, motif="Exact")
            outcomes.append("gagné")
        except Conflict:
            outcomes.append("conflit")

    threads = [threading.Thread(target=act, args=a) for a in (("support", "resolue"), ("tutelle93", "rejetee"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflit", "gagné"]
    assert anomalies.get(first, found)["version"] == seen + 1
    first.close()


def test_mark_as_duplicate(rw_con, reported):
    tutelle = user(rw_con, "tutelle93")
    target = anomalies.get(rw_con, reported)["target_id"]
    again = anomalies.report(rw_con, user(rw_con, "directeur"), "UO", target, "Téléphone injoignable")
    with pytest.raises(AnomalyError, match="d'elle-même"):
        anomalies.mark_duplicate(rw_con, tutelle, again, version(rw_con, again), again)
    with pytest.raises(AnomalyError, match="n'existe pas"):
        anomalies.mark_duplicate(rw_con, tutelle, again, version(rw_con, again), 99999)
    anomalies.mark_duplicate(rw_con, tutelle, again, version(rw_con, again), reported)
    found = anomalies.get(rw_con, again)
    assert (found["statut"], found["doublon_de"]) == ("rejetee", reported)
    assert found["motif_rejet"] == f"Doublon de l'anomalie n° {reported}"
    with pytest.raises(AnomalyError, match="déjà marquée comme doublon"):
        anomalies.mark_duplicate(rw_con, tutelle, reported, version(rw_con, reported), again)
    others = rw_con.sql(
        "SELECT detail FROM anomalie_evenement WHERE anomalie_id = $a AND type = 'doublon'", params={"a": reported}
    ).fetchall()
    assert others == [(f"L'anomalie n° {again} a été marquée comme son doublon",)]


def test_a_duplicate_of_a_report_outside_the_territory_is_refused(rw_con):
    tutelle93 = user(rw_con, "tutelle93")
    in_93 = anomalies.report(rw_con, user(rw_con, "referent"), "UO", unit_in(rw_con, "93"), "Faux")
    in_77 = anomalies.report(rw_con, user(rw_con, "support"), "UO", unit_in(rw_con, "77"), "Faux")
    with pytest.raises(AnomalyError, match="pas de votre territoire"):
        anomalies.mark_duplicate(rw_con, tutelle93, in_93, version(rw_con, in_93), in_77)
    assert anomalies.get(rw_con, in_93)["statut"] == "nouvelle"


def test_bulk_actions_report_what_failed_and_keep_the_rest(rw_con):
    support = user(rw_con, "support")
    tutelle93 = user(rw_con, "tutelle93")
    ids = [anomalies.report(rw_con, support, "UO", unit_in(rw_con, "93"), f"Faux {i}") for i in range(3)]
    in_77 = anomalies.report(rw_con, support, "UO", unit_in(rw_con, "77"), "Faux")
    versions = {i: version(rw_con, i) for i in [*ids, in_77]}
    done, failed = anomalies.bulk(rw_con, tutelle93, versions, "assigner", assignee_id=tutelle93.user_id)
    assert done == ids and list(failed) == [in_77] and "profil" in failed[in_77]
    stale = {ids[0]: versions[ids[0]], ids[1]: version(rw_con, ids[1])}
    done, failed = anomalies.bulk(rw_con, tutelle93, stale, "statut", statut="rejetee", motif="Exact")
    assert done == [ids[1]] and "quelqu'un d'autre" in failed[ids[0]]
    done, failed = anomalies.bulk(rw_con, tutelle93, {ids[2]: version(rw_con, ids[2])}, "doublon", of_id=ids[0])
    assert done == [ids[2]] and anomalies.get(rw_con, ids[2])["doublon_de"] == ids[0]


# ---------------------------------------------------------------------------------------------------------
# Dossiers that correct anomalies


def test_a_published_dossier_resolves_the_anomalies_it_names(rw_con):
    directeur, tutelle = user(rw_con, "directeur"), user(rw_con, "tutelle-pc")
    finess = "920000569"  # the demo directeur's site left free of dossiers
    assert finess in directeur.finess_eg
    unit = rw_con.sql("SELECT min(uo_id) FROM uo WHERE finess_eg = $f", params={"f": finess}).fetchall()[0][0]
    wrong = anomalies.report(rw_con, tutelle, "UO", str(unit), "Capacité fausse", "Lits ou places")
    other = anomalies.report(rw_con, tutelle, "EG", finess, "Adresse fausse")
    dossier_id = dossiers.create(rw_con, directeur, finess, today=clock.today())
    assert {a["anomalie_id"] for a in anomalies.correctable(rw_con, finess)} >= {wrong, other}
    with pytest.raises(AnomalyError, match="non ouverte"):
        anomalies.link_dossier(rw_con, directeur, dossier_id, [wrong, 1])  # 1: on another establishment
    with pytest.raises(PermissionDenied):
        anomalies.link_dossier(rw_con, tutelle, dossier_id, [wrong])
    anomalies.link_dossier(rw_con, directeur, dossier_id, [wrong])
    assert anomalies.linked(rw_con, dossier_id) == [wrong]
    finalise_every_fiche(rw_con, directeur, dossier_id)
    version_of = rw_con.sql("SELECT version FROM dossier WHERE dossier_id = $d", params={"d": dossier_id})
    dossiers.send(rw_con, directeur, dossier_id, version_of.fetchall()[0][0], clock.today())
    with pytest.raises(AnomalyError, match="plus un brouillon"):
        anomalies.link_dossier(rw_con, directeur, dossier_id, [])
    version_of = rw_con.sql("SELECT version FROM dossier WHERE dossier_id = $d", params={"d": dossier_id})
    assert dossiers.validate(rw_con, tutelle, dossier_id, version_of.fetchall()[0][0]) == "publie"
    found = anomalies.get(rw_con, wrong)
    assert (found["statut"], found["dossier_id"]) == ("resolue", dossier_id)
    assert anomalies.get(rw_con, other)["statut"] == "nouvelle"
    history = rw_con.sql(
        "SELECT type, detail FROM anomalie_evenement WHERE anomalie_id = $a ORDER BY event_id", params={"a": wrong}
    ).fetchall()
    assert history[-1][0] == "dossier" and f"dossier n° {dossier_id}" in history[-1][1]


def finalise_every_fiche(con, who, dossier_id: int) -> None:
    specialisation = con.sql("SELECT min(code) FROM nomenclature WHERE system = 'TRE_R245'").fetchall()[0][0]
    for fiche_id, niveau, raw in con.sql(
        "SELECT fiche_id, niveau, data::VARCHAR FROM dossier_fiche WHERE dossier_id = $d", params={"d": dossier_id}
    ).fetchall():
        data = json.loads(raw)
        changes = {}
        if niveau == "UO":
            changes = {"codes": {**data["codes"], "TRE_R245": [specialisation]}}
            if not data.get("responsable_nom"):
                changes["responsable_nom"] = "Dr Test"
        assert dossiers.save_fiche(con, who, fiche_id, changes, finalise=True) == []


# ---------------------------------------------------------------------------------------------------------
# Queue, summary, setting


def test_queue_filters_and_sorts(rw_con):
    support = user(rw_con, "support")
    everything = anomalies.queue(rw_con, support)
    assert everything.height >= 10 and set(everything["statut"]) == set(anomalies.STATUS_LABELS)
    assert anomalies.queue(rw_con, support, statuts=["rejetee"])["statut"].unique().to_list() == ["rejetee"]
    assert set(anomalies.queue(rw_con, support, niveaux=["EJ"])["target_type"]) == {"EJ"}
    assert set(anomalies.queue(rw_con, support, departements=["77"])["departement"]) == {"77"}
    assert anomalies.queue(rw_con, support, assignee_id=anomalies.NOBODY)["assignee_id"].null_count() == (
        anomalies.queue(rw_con, support, assignee_id=anomalies.NOBODY).height
    )
    late = anomalies.queue(rw_con, support, age_min=30)
    assert late.height >= 2 and late["age_jours"].min() >= 30
    named = everything["etablissement"][0]
    assert named in anomalies.queue(rw_con, support, etablissement=named[:8].lower())["etablissement"].to_list()
    newest = anomalies.queue(rw_con, support, tri="recentes")["created_at"].to_list()
    assert newest == sorted(newest, reverse=True)


def test_summary_counts_by_status_and_departement(rw_con):
    support = user(rw_con, "support")
    found = anomalies.summary(rw_con, support)
    everything = anomalies.queue(rw_con, support)
    assert found["total"] == everything.height == sum(found["by_status"].values())
    assert found["by_departement"]["Total"].sum() == everything.height
    assert found["open"] == found["by_status"]["Nouvelle"] + found["by_status"]["En cours"]
    assert found["late"] >= 2 and found["median_age"] > 0
    assert found["oldest"]["age_jours"].to_list() == sorted(found["oldest"]["age_jours"].to_list(), reverse=True)
    territory = anomalies.summary(rw_con, user(rw_con, "tutelle93"))
    assert set(territory["by_departement"]["Département"]) <= {"93", "92"}  # its territory and its own reports


def test_the_delay_is_a_setting_for_the_administrator(rw_con):
    assert anomalies.delay_days(rw_con) == 15
    with pytest.raises(PermissionDenied):
        anomalies.set_delay_days(rw_con, user(rw_con, "support"), 20)
    with pytest.raises(AnomalyError, match="entre 1 et 365"):
        anomalies.set_delay_days(rw_con, user(rw_con, "admin"), 0)
    anomalies.set_delay_days(rw_con, user(rw_con, "admin"), 20)
    assert anomalies.delay_days(rw_con) == 20


def test_every_change_is_audited(rw_con, reported):
    support, tutelle = user(rw_con, "support"), user(rw_con, "tutelle93")
    anomalies.assign(rw_con, support, reported, version(rw_con, reported), tutelle.user_id)
    anomalies.comment(rw_con, tutelle, reported, "Je regarde")
    anomalies.relance(rw_con, support, reported, version(rw_con, reported))
    anomalies.change_status(rw_con, tutelle, reported, version(rw_con, reported), "resolue")
    assert audit_rows(rw_con, reported) == [
        "anomalie.signaler",
        "anomalie.assigner",
        "anomalie.commenter",
        "anomalie.relancer",
        "anomalie.statut",
    ]


def test_the_excel_export_reads_back_with_french_headers_and_labels(con):
    support = load_user(con, 5)
    found = anomalies.queue(con, support)
    workbook = openpyxl.load_workbook(io.BytesIO(screen_exports.anomalies_xlsx(found, anomalies.summary(con, support))))
    assert workbook.sheetnames == ["Anomalies", "Synthèse"]
    rows = list(workbook["Anomalies"].values)
    assert rows[0][:4] == ("N°", "Statut", "Âge (jours)", "Niveau")
    assert len(rows) == found.height + 1
    assert {r[1] for r in rows[1:]} == set(anomalies.STATUS_LABELS.values())
    assert {r[3] for r in rows[1:]} <= set(anomalies.LEVELS.values())
    assert isinstance(rows[1][12], dt.datetime)  # « Signalée le » is an Excel date
    synthese = list(workbook["Synthèse"].values)
    assert synthese[0] == ("Département", "Nouvelle", "En cours", "Résolue", "Rejetée", "Total")
    assert sum(r[-1] for r in synthese[1:]) == found.height
