"""Dossiers collaboratifs (ror/dossiers/): the state machine per role, mandatory fields, duplication, the
diff, publication now or at its date, refusal with a reason, notifications, two reviewers at once."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import queries
from ror import dossiers
from ror.core.auth import load_user
from ror.core.errors import Conflict
from ror.core.permissions import PermissionDenied
from ror.core.validation import ValidationError
from ror.dossiers import drafts, notifications
from ror.recherche import search
from ror.repertoire import opening

TODAY = dt.date(2026, 11, 23)


def user(con, login: str):
    user_id = con.sql("SELECT user_id FROM app_user WHERE login = $l", params={"l": login}).fetchall()[0][0]
    return load_user(con, user_id)


def sanitaire_eg(con) -> str:
    return con.sql(
        "SELECT min(finess_eg) FROM user_eg JOIN eg USING (finess_eg) JOIN app_user USING (user_id) "
        "WHERE login = 'directeur' AND eg.source = 'SAE 2023'"
    ).fetchall()[0][0]


def fiches(con, dossier_id: int) -> list[tuple]:
    return con.sql(
        "SELECT fiche_id, niveau, uo_id, action, finalise FROM dossier_fiche WHERE dossier_id = $d ORDER BY 1",
        params={"d": dossier_id},
    ).fetchall()


def version(con, dossier_id: int) -> int:
    return con.sql("SELECT version FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0]


def finalise_all(con, who, dossier_id: int) -> None:
    """Give every UO its mandatory spécialisation (the SAE units have none), then finalise every fiche."""
    for fiche_id, niveau, _, action, finalised in fiches(con, dossier_id):
        if finalised or action == "ferme":
            continue
        changes = {}
        if niveau == "UO":
            data = con.sql(
                "SELECT data->'codes' FROM dossier_fiche WHERE fiche_id = $f", params={"f": fiche_id}
            ).fetchall()[0][0]
            codes = json.loads(data) if data else {}
            specialisation = con.sql("SELECT min(code) FROM nomenclature WHERE system = 'TRE_R245'").fetchall()[0][0]
            changes = {"codes": {**codes, "TRE_R245": [specialisation]}}
        assert dossiers.save_fiche(con, who, fiche_id, changes, finalise=True) == []


@pytest.fixture
def draft(rw_con):
    directeur = user(rw_con, "directeur")
    return rw_con, directeur, dossiers.create(rw_con, directeur, sanitaire_eg(rw_con), today=TODAY)


def test_a_draft_copies_the_eg_and_its_units(draft):
    con, directeur, dossier_id = draft
    rows = fiches(con, dossier_id)
    units = con.sql(
        "SELECT count(*) FROM uo WHERE finess_eg = $f AND statut = 'active'", params={"f": sanitaire_eg(con)}
    ).fetchall()[0][0]
    assert [r[1] for r in rows] == ["EG"] + ["UO"] * units
    name = con.sql("SELECT nom, statut FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0]
    assert name[0].endswith("– 23/11/2026") and name[1] == "brouillon"
    with pytest.raises(dossiers.DossierError, match="déjà ouvert"):
        dossiers.create(con, directeur, sanitaire_eg(con), today=TODAY)
    for login in ("tutelle-pc", "support"):
        with pytest.raises(PermissionDenied):
            dossiers.create(con, user(con, login), sanitaire_eg(con))


def test_finalising_names_the_missing_fields(draft):
    con, directeur, dossier_id = draft
    unit = next(r for r in fiches(con, dossier_id) if r[1] == "UO")
    missing = dossiers.save_fiche(con, directeur, unit[0], {"responsable_email": ""}, finalise=True)
    assert missing == ["E-mail du responsable"]  # a SMR unit: no spécialisation asked (TRE_R245 has none)
    assert not fiches(con, dossier_id)[1][4]
    copy = dossiers.duplicate_uo(con, directeur, unit[0])
    assert "un nom qui ne commence plus par « COPIE DE »" in dossiers.save_fiche(
        con, directeur, copy, {}, finalise=True
    )


def test_send_refuse_correct_send_validate(draft):
    con, directeur, dossier_id = draft
    referent, tutelle, other_tutelle = user(con, "referent"), user(con, "tutelle-pc"), user(con, "tutelle93")
    with pytest.raises(dossiers.DossierError, match="ne sont pas finalisées"):
        dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    unit = next(r for r in fiches(con, dossier_id) if r[1] == "UO")
    dossiers.save_fiche(con, referent, unit[0], {"telephone": "01 40 00 00 09"})
    copy = dossiers.duplicate_uo(con, referent, unit[0])
    dossiers.save_fiche(con, referent, copy, {"nom": "UNITE SMR NOUVELLE"})
    finalise_all(con, referent, dossier_id)
    with pytest.raises(PermissionDenied):  # a référent may not send
        dossiers.send(con, referent, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    with pytest.raises(dossiers.DossierError, match="passée"):
        dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY - dt.timedelta(days=1), today=TODAY)
    before = {u.login: notifications.unread(con, u.user_id) for u in (tutelle, other_tutelle, directeur)}
    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    assert notifications.unread(con, tutelle.user_id) == before["tutelle-pc"] + 1
    assert notifications.unread(con, other_tutelle.user_id) == before["tutelle93"]
    with pytest.raises(dossiers.DossierError, match="ne peut plus être modifié"):
        dossiers.save_fiche(con, referent, unit[0], {"telephone": "01 40 00 00 10"})

    changes = dossiers.diff(con, dossier_id)
    added = [c for c in changes if c["cible"] == "UNITE SMR NOUVELLE"]
    assert {
        "niveau": "UO",
        "action": "ajoutée",
        "champ": "Nom",
        "avant": "—",
        "après": "UNITE SMR NOUVELLE",
    }.items() <= added[0].items()
    assert all(c["action"] == "ajoutée" for c in added)
    assert any(c["champ"] == "Type d'UO" and not c["après"].isdigit() for c in added)  # a label, not a code
    assert any(c["champ"] == "Téléphone" and c["après"] == "01 40 00 00 09" for c in changes)
    assert any(
        c["champ"] == "Spécialisations de prise en charge" and c["après"].startswith("ajouté : ") for c in changes
    )
    assert not any(c["cible"] == "Établissement" for c in changes)  # the EG did not change

    with pytest.raises(PermissionDenied):  # not its territory
        dossiers.refuse(con, other_tutelle, dossier_id, version(con, dossier_id), "Autre")
    with pytest.raises(dossiers.DossierError, match="motif"):
        dossiers.refuse(con, tutelle, dossier_id, version(con, dossier_id), "  ")
    dossiers.refuse(con, tutelle, dossier_id, version(con, dossier_id), "Capacité non conforme à l'autorisation")
    state = con.sql("SELECT statut, motif_refus FROM dossier WHERE dossier_id = $d", params={"d": dossier_id})
    assert state.fetchall()[0] == ("brouillon", "Capacité non conforme à l'autorisation")
    assert notifications.unread(con, directeur.user_id) == before["directeur"] + 1

    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    assert dossiers.validate(con, tutelle, dossier_id, version(con, dossier_id), today=TODAY) == "publie"
    phone = con.sql("SELECT telephone FROM uo WHERE uo_id = $id", params={"id": unit[2]}).fetchall()[0][0]
    assert phone == "01 40 00 00 09"
    found = search.search(con, search.SearchQuery(quoi=("nouvelle",), instant=dt.datetime(2026, 11, 24, 10, 30)))
    units = search.units(con, found)
    assert "UNITE SMR NOUVELLE" in units["nom"].to_list()  # the new UO is searchable at once
    new_id = units.filter(units["nom"] == "UNITE SMR NOUVELLE")["uo_id"][0]
    assert opening.statuses(con, [new_id], dt.datetime(2026, 11, 24, 10, 30)).height == 1


def test_scheduled_publication_and_two_reviewers(draft):
    con, directeur, dossier_id = draft
    tutelle = user(con, "tutelle-pc")
    finalise_all(con, directeur, dossier_id)
    later = TODAY + dt.timedelta(days=10)
    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), later, today=TODAY)
    seen = version(con, dossier_id)
    assert dossiers.validate(con, tutelle, dossier_id, seen, today=TODAY) == "programme"
    with pytest.raises(Conflict):  # a second reviewer acting on the same version loses
        dossiers.refuse(con, tutelle, dossier_id, seen, "Autre")
    assert dossiers.publish_due(con, TODAY) == []
    assert dossiers.publish_due(con, later) == [dossier_id]
    statut = con.sql("SELECT statut FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0]
    assert statut == "publie"
    # once published, a new dossier may be opened
    assert dossiers.create(con, directeur, sanitaire_eg(con), today=later) > dossier_id


def test_closing_a_unit(draft):
    con, directeur, dossier_id = draft
    tutelle = user(con, "tutelle-pc")
    unit = next(r for r in fiches(con, dossier_id) if r[1] == "UO")
    dossiers.close_uo(con, directeur, unit[0])
    finalise_all(con, directeur, dossier_id)
    closed = [c for c in dossiers.diff(con, dossier_id) if c["action"] == "fermée"]
    assert [(c["niveau"], c["champ"], c["avant"], c["après"]) for c in closed] == [("UO", "Statut", "Active", "Fermée")]
    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    dossiers.validate(con, tutelle, dossier_id, version(con, dossier_id), today=TODAY)
    statut = con.sql("SELECT statut FROM uo WHERE uo_id = $id", params={"id": unit[2]}).fetchall()[0][0]
    assert statut == "fermee"


def test_publication_writes_each_fiche_as_it_reads_and_leaves_the_others(draft):
    """The dossier is written in a few statements whatever its size: what the répertoire reads back of every changed
    or added unit is its fiche (fields, codes, semaine type, closings); untouched units keep their stamp."""
    con, directeur, dossier_id = draft
    tutelle = user(con, "tutelle-pc")
    eg_fiche, *units = fiches(con, dossier_id)
    changed, closed, untouched = units[0], units[1], units[2]
    dossiers.save_fiche(
        con,
        directeur,
        changed[0],
        {
            "telephone": "01 40 00 00 07",
            "age_min": 16,
            "public_enfants": True,
            "creneaux": [[1, 480, 1080], [6, 1200, 1860]],  # Saturday night, past midnight
            "fermetures": [
                ["2026-12-24", "2027-01-02", "annuelle", "2027-01-03"],
                ["2027-02-01", "2027-02-01", "travaux", None],
            ],
        },
    )
    dossiers.save_fiche(con, directeur, eg_fiche[0], {"telephone": "01 40 00 00 08", "mail_alerte": "crise@ch.fr"})
    added = dossiers.duplicate_uo(con, directeur, changed[0])
    dossiers.save_fiche(con, directeur, added, {"nom": "UNITE AJOUTEE", "fermetures": []})
    dossiers.close_uo(con, directeur, closed[0])
    assert dossiers.save_fiche(con, directeur, untouched[0], {}, finalise=True) == []  # finalised as it is
    finalise_all(con, directeur, dossier_id)
    stamp = "SELECT updated_at, updated_by FROM uo WHERE uo_id = $id"
    before = con.sql(stamp, params={"id": untouched[2]}).fetchall()
    uo_before = con.sql("SELECT max(uo_id) FROM uo").fetchall()[0][0]
    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    dossiers.validate(con, tutelle, dossier_id, version(con, dossier_id), today=TODAY)

    def fiche_data(fiche_id):
        raw = con.sql("SELECT data::VARCHAR FROM dossier_fiche WHERE fiche_id = $f", params={"f": fiche_id})
        return json.loads(raw.fetchall()[0][0])

    new_id = con.sql("SELECT uo_id FROM uo WHERE nom = 'UNITE AJOUTEE'").fetchall()[0][0]
    assert new_id == uo_before + 1
    for fiche_id, uo_id in ((changed[0], changed[2]), (added, new_id)):
        assert json.loads(json.dumps(drafts.uo_data_many(con, [uo_id])[uo_id], default=str)) == fiche_data(fiche_id)
        assert con.sql(stamp, params={"id": uo_id}).fetchall()[0][1] == "dossier"
    eg = drafts.eg_data(con, sanitaire_eg(con))
    assert (eg["telephone"], eg["mail_alerte"]) == ("01 40 00 00 08", "crise@ch.fr")
    assert con.sql("SELECT statut FROM uo WHERE uo_id = $id", params={"id": closed[2]}).fetchall()[0][0] == "fermee"
    assert con.sql(stamp, params={"id": untouched[2]}).fetchall() == before


def test_the_copies_of_many_units_are_read_at_once_each_as_the_fiche_shows_it(rw_con):
    """A dossier copies (and its review compares) many UO at once: each copy has the unit's codes by system, its
    semaine type by day and start, its closing periods by start — as the fiche's own reads give them —; a unit with
    none of them has empty ones; an unknown unit is left out."""
    con = rw_con
    closed, eg = con.sql(
        "SELECT uo_id, finess_eg FROM uo JOIN fermeture USING (uo_id) ORDER BY uo_id LIMIT 1"
    ).fetchall()[0]
    for motif, start, end in (("travaux", "2027-03-01", "2027-03-31"), ("grève", "2026-01-05", "2026-01-06")):
        con.execute(  # closed three times, the latest written before an earlier one
            "INSERT INTO fermeture VALUES ((SELECT max(fermeture_id) + 1 FROM fermeture), $u, $d1, $d2, $m, NULL)",
            {"u": closed, "d1": start, "d2": end, "m": motif},
        )
    ids = [
        r[0] for r in con.sql("SELECT uo_id FROM uo WHERE finess_eg = $f ORDER BY uo_id", params={"f": eg}).fetchall()
    ]
    bare = con.sql("SELECT max(uo_id) + 1 FROM uo").fetchall()[0][0]
    con.execute(
        "INSERT INTO uo (uo_id, finess_eg, nom, type_code, champ_code, discipline, source) "
        "VALUES ($id, $f, 'UNITE SANS RIEN', '11', '01', 'MCO', 'dossier')",
        {"id": bare, "f": eg},
    )
    copies = drafts.uo_data_many(con, [*ids, bare, 999_999_999])
    assert set(copies) == {*ids, bare}
    assert any(len(copy["fermetures"]) > 1 for copy in copies.values())
    assert any(len(copy["codes"]) > 1 for copy in copies.values())
    for uo_id in ids:
        codes: dict[str, list[str]] = {}
        for system, code, _ in queries.rows(con, "uo_codes", uo_id=uo_id):
            codes.setdefault(system, []).append(code)
        assert copies[uo_id]["codes"] == {system: sorted(found) for system, found in sorted(codes.items())}
        assert copies[uo_id]["creneaux"] == [list(slot) for slot in queries.rows(con, "uo_horaires", uo_id=uo_id)]
        periods = sorted(queries.rows(con, "uo_fermetures", uo_id=uo_id))
        assert copies[uo_id]["fermetures"] == [
            [d1.isoformat(), d2.isoformat(), motif, reo.isoformat() if reo else None] for d1, d2, motif, reo in periods
        ]
        assert (
            copies[uo_id]["nom"]
            == con.sql("SELECT nom FROM uo WHERE uo_id = $id", params={"id": uo_id}).fetchall()[0][0]
        )
    assert (copies[bare]["nom"], copies[bare]["codes"], copies[bare]["creneaux"], copies[bare]["fermetures"]) == (
        "UNITE SANS RIEN",
        {},
        [],
        [],
    )
    assert drafts.uo_data_many(con, []) == {}


def test_a_failed_publication_changes_nothing_and_says_so(draft):
    con, directeur, dossier_id = draft
    tutelle = user(con, "tutelle-pc")
    activite = con.sql("SELECT min(code) FROM nomenclature WHERE system = 'TRE_R211'").fetchall()[0][0]
    new = dossiers.add_uo(
        con,
        directeur,
        dossier_id,
        {
            "nom": "UNITE SMR TEST",
            "type_code": "11",
            "champ_code": "01",
            "discipline": "SMR",
            "responsable_nom": "Dr Test",
            "responsable_email": "test@chu.fr",
            "codes": {"TRE_R211": [activite]},
        },
    )
    finalise_all(con, directeur, dossier_id)
    later = TODAY + dt.timedelta(days=3)
    dossiers.send(con, directeur, dossier_id, version(con, dossier_id), later, today=TODAY)
    dossiers.validate(con, tutelle, dossier_id, version(con, dossier_id), today=TODAY)
    # the data of the new unit is broken after validation (no type d'UO): its publication must fail whole
    con.execute(
        "UPDATE dossier_fiche SET data = json_merge_patch(data, '{\"type_code\": null}') WHERE fiche_id = $f",
        {"f": new},
    )
    units_before = con.sql("SELECT count(*), max(updated_at) FROM uo").fetchall()
    assert dossiers.publish_due(con, later) == []
    assert con.sql("SELECT count(*), max(updated_at) FROM uo").fetchall() == units_before
    statut = con.sql("SELECT statut FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0]
    assert statut == "programme"

    def last_told(login: str) -> tuple:
        return con.sql(
            "SELECT type, source, objet FROM notification JOIN notification_destinataire USING (notification_id) "
            "WHERE user_id = $u ORDER BY notification_id DESC LIMIT 1",
            params={"u": user(con, login).user_id},
        ).fetchall()[0]

    told = last_told("directeur")  # the establishment: what happened, and to whom to turn
    assert told[:2] == ("Erreur", "Erreur") and "Contactez le support régional" in told[2]
    for login in ("support", "support2"):  # the support: with the error's detail
        told = last_told(login)
        assert told[:2] == ("Erreur", "Erreur") and f"dossier {dossier_id} (l'établissement est prévenu)" in told[2]


def test_wrong_input_is_refused_field_by_field_and_nothing_is_saved(draft):
    con, directeur, dossier_id = draft
    eg_fiche, unit = fiches(con, dossier_id)[0][0], next(r for r in fiches(con, dossier_id) if r[1] == "UO")[0]
    before = con.sql("SELECT data::VARCHAR FROM dossier_fiche WHERE fiche_id = $f", params={"f": unit}).fetchall()
    with pytest.raises(ValidationError) as wrong:
        dossiers.save_fiche(
            con,
            directeur,
            unit,
            {"telephone": "12 34", "responsable_email": "dr.martin@", "age_min": 18, "age_max": 6, "lits": -2},
        )
    assert set(wrong.value.errors) == {"telephone", "responsable_email", "age_max", "lits"}
    assert "Numéro de téléphone invalide" in wrong.value.errors["telephone"]
    with pytest.raises(ValidationError, match="au moins un public"):
        dossiers.save_fiche(con, directeur, unit, {"public_enfants": False, "public_adultes": False})
    with pytest.raises(ValidationError, match="chevauchent"):
        dossiers.save_fiche(con, directeur, unit, {"creneaux": [[1, 480, 1080], [1, 600, 700]]})
    with pytest.raises(ValidationError, match="finit avant"):
        dossiers.save_fiche(con, directeur, unit, {"fermetures": [["2026-12-10", "2026-12-01", "travaux", None]]})
    with pytest.raises(ValidationError, match="Commune inconnue"):
        dossiers.save_fiche(con, directeur, eg_fiche, {"commune_insee": "99999"})
    with pytest.raises(ValidationError, match="n'est pas celui de Courbevoie"):
        dossiers.save_fiche(con, directeur, eg_fiche, {"commune_insee": "92026", "code_postal": "75001"})
    after = con.sql("SELECT data::VARCHAR FROM dossier_fiche WHERE fiche_id = $f", params={"f": unit}).fetchall()
    assert after == before
    # right input is cleaned as the répertoire stores it
    dossiers.save_fiche(con, directeur, unit, {"telephone": "+33 1 40 00 00 01", "email": " Accueil@CH.fr "})
    data = json.loads(
        con.sql("SELECT data::VARCHAR FROM dossier_fiche WHERE fiche_id = $f", params={"f": unit}).fetchall()[0][0]
    )
    assert (data["telephone"], data["email"]) == ("01 40 00 00 01", "accueil@ch.fr")


def test_rename_thread_and_reopening_a_closed_unit(draft):
    con, directeur, dossier_id = draft
    tutelle, tutelle93 = user(con, "tutelle-pc"), user(con, "tutelle93")
    dossiers.rename(con, directeur, dossier_id, "  Ouverture d'un hôpital de jour  ")
    assert con.sql("SELECT nom FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}).fetchall()[0][0] == (
        "Ouverture d'un hôpital de jour"
    )
    with pytest.raises(ValidationError):
        dossiers.rename(con, directeur, dossier_id, " ")
    dossiers.comment(con, directeur, dossier_id, "La capacité suit l'arrêté du 3 novembre.")
    dossiers.comment(con, tutelle, dossier_id, "Bien noté.")
    with pytest.raises(PermissionDenied):
        dossiers.comment(con, tutelle93, dossier_id, "Hors territoire")
    with pytest.raises(dossiers.DossierError, match="vide"):
        dossiers.comment(con, directeur, dossier_id, "   ")
    thread = con.sql("SELECT texte FROM dossier_message WHERE dossier_id = $d ORDER BY 1", params={"d": dossier_id})
    assert [r[0] for r in thread.fetchall()] == ["Bien noté.", "La capacité suit l'arrêté du 3 novembre."]
    unit = next(r for r in fiches(con, dossier_id) if r[1] == "UO")[0]
    with pytest.raises(dossiers.DossierError, match="pas fermée"):
        dossiers.reopen_uo(con, directeur, unit)
    dossiers.close_uo(con, directeur, unit)
    dossiers.reopen_uo(con, directeur, unit)
    assert next(r for r in fiches(con, dossier_id) if r[0] == unit)[3:] == ("modifie", False)
    assert not [c for c in dossiers.diff(con, dossier_id) if c["action"] == "fermée"]


def test_who_sees_a_dossier(draft):
    con, _, _ = draft
    finess = sanitaire_eg(con)
    seen = {
        login: dossiers.can_see(user(con, login), finess, "92")
        for login in ("directeur", "referent", "tutelle-pc", "tutelle93", "support", "admin")
    }
    assert seen == {
        "directeur": True,
        "referent": True,
        "tutelle-pc": True,
        "tutelle93": False,
        "support": True,
        "admin": True,
    }


def test_a_medico_social_unit_needs_a_specialisation(draft):
    con, directeur, dossier_id = draft
    activite = con.sql("SELECT min(code) FROM nomenclature WHERE system = 'TRE_R211'").fetchall()[0][0]
    new = dossiers.add_uo(
        con,
        directeur,
        dossier_id,
        {
            "nom": "UNITE IME",
            "type_code": "48",
            "champ_code": "04",
            "discipline": "MSS",
            "responsable_nom": "Mme Test",
            "responsable_email": "test@ime.fr",
            "codes": {"TRE_R211": [activite]},
        },
    )
    assert dossiers.save_fiche(con, directeur, new, {}, finalise=True) == ["au moins une spécialisation"]
    assert (
        dossiers.save_fiche(con, directeur, new, {"codes": {"TRE_R211": [activite], "TRE_R245": ["14"]}}, finalise=True)
        == []
    )
    assert dossiers.save_fiche(con, directeur, new, {"codes": {}}, finalise=True) == [
        "au moins une activité opérationnelle",
        "au moins une spécialisation",
    ]


@pytest.mark.parametrize("login", ["directeur", "referent", "tutelle-pc", "tutelle93", "support", "admin"])
def test_every_transition_per_role(draft, login):
    """Who may edit, send, validate and refuse; and that no transition runs from the wrong state."""
    con, directeur, dossier_id = draft
    who = user(con, login)
    eg_fiche = fiches(con, dossier_id)[0][0]
    may_edit, may_send, may_decide = login in ("directeur", "referent"), login == "directeur", login == "tutelle-pc"

    def outcome(action) -> str:
        try:
            action()
        except PermissionDenied:
            return "refusé"
        except Conflict:
            return "conflit"
        return "fait"

    assert outcome(lambda: dossiers.save_fiche(con, who, eg_fiche, {})) == ("fait" if may_edit else "refusé")
    # deciding a draft: not in validation
    expected = "conflit" if may_decide else "refusé"
    assert outcome(lambda: dossiers.validate(con, who, dossier_id, version(con, dossier_id), today=TODAY)) == expected
    assert outcome(lambda: dossiers.refuse(con, who, dossier_id, version(con, dossier_id), "Autre")) == expected
    finalise_all(con, directeur, dossier_id)
    sent = outcome(lambda: dossiers.send(con, who, dossier_id, version(con, dossier_id), TODAY, today=TODAY))
    assert sent == ("fait" if may_send else "refusé")
    if not may_send:
        dossiers.send(con, directeur, dossier_id, version(con, dossier_id), TODAY, today=TODAY)
    # in validation: nobody edits, sending again is a conflict, only the tutelle of the département decides
    with pytest.raises((dossiers.DossierError, PermissionDenied)):
        dossiers.save_fiche(con, who, eg_fiche, {})
    if may_send:
        assert outcome(lambda: dossiers.send(con, who, dossier_id, version(con, dossier_id), TODAY, today=TODAY)) == (
            "conflit"
        )
    decided = outcome(lambda: dossiers.validate(con, who, dossier_id, version(con, dossier_id), today=TODAY))
    assert decided == ("fait" if may_decide else "refusé")


def test_a_new_unit_takes_the_champ_and_discipline_usual_for_its_type(draft):
    con, directeur, dossier_id = draft
    usual = con.sql("SELECT mode(champ_code), mode(discipline) FROM uo WHERE type_code = '48'").fetchall()[0]
    known = dossiers.add_uo(con, directeur, dossier_id, {"nom": "UNITE IME", "type_code": "48"})
    unused = con.sql(
        "SELECT min(code) FROM nomenclature WHERE system = 'TRE_R244' AND code NOT IN (SELECT type_code FROM uo)"
    ).fetchall()[0][0]
    other = dossiers.add_uo(con, directeur, dossier_id, {"nom": "UNITE NOUVELLE", "type_code": unused})
    data = {r[0]: json.loads(r[1]) for r in con.sql("SELECT fiche_id, data FROM dossier_fiche").fetchall()}
    assert (data[known]["champ_code"], data[known]["discipline"]) == usual
    siblings = {
        (d["champ_code"], d["discipline"]) for f, d in data.items() if f not in (known, other) and "type_code" in d
    }
    assert (data[other]["champ_code"], data[other]["discipline"]) in siblings | {("04", "MSS")}


def test_a_unit_moves_in_its_establishments_organisation_and_nowhere_else(draft):
    con, directeur, dossier_id = draft
    finess_eg = sanitaire_eg(con)
    organisation = dict(
        con.sql("SELECT oi_id, chemin FROM oi_chemin WHERE finess_eg = $f", params={"f": finess_eg}).fetchall()
    )
    elsewhere = con.sql("SELECT min(oi_id) FROM oi WHERE finess_eg <> $f", params={"f": finess_eg}).fetchall()[0][0]
    unit = next(r for r in fiches(con, dossier_id) if r[1] == "UO")
    with pytest.raises(ValidationError) as refused:
        dossiers.save_fiche(con, directeur, unit[0], {"oi_id": elsewhere, "telephone": "01 40 00 00 11"})
    assert refused.value.errors == {
        "oi_id": "Cette organisation interne (pôle, service, UF) n'est pas celle de l'établissement."
    }
    data = lambda: json.loads(  # noqa: E731
        con.sql("SELECT data::VARCHAR FROM dossier_fiche WHERE fiche_id = $f", params={"f": unit[0]}).fetchall()[0][0]
    )
    assert data().get("telephone") != "01 40 00 00 11"  # nothing saved
    assert organisation  # the demo directeur's first sanitaire EG has a pôle, services and UF
    current = data().get("oi_id")
    target = max((k for k in organisation if k != current), key=lambda k: organisation[k].count(" › "))
    dossiers.save_fiche(con, directeur, unit[0], {"oi_id": str(target)})
    assert data()["oi_id"] == target
    changes = {(c["champ"], c["après"]) for c in dossiers.diff(con, dossier_id)}
    assert ("Organisation interne", organisation[target]) in changes  # the tutelle reads the whole path
    dossiers.save_fiche(con, directeur, unit[0], {"oi_id": None})  # directly in the EG
    assert data()["oi_id"] is None
