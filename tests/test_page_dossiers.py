"""AppTest of the dossiers collaboratifs: the list, the dossier (editor, naming checks, sending, review with
what changes, refusal with a reason, a decision made twice) and the notifications, per role."""

from __future__ import annotations

import re

import duckdb
import pytest

from ror import dossiers as engine
from ror.core import clock
from ror.dossiers.drafts import dossier_row

from .helpers import ROLES, open_page, texts

# The demo dossiers (ror/demo/dossiers.py), in the order they are made.
PUBLISHED, REFUSED, WAITING, SCHEDULED, DRAFT = 1, 2, 3, 4, 5


def state(db, dossier_id: int) -> tuple:
    con = duckdb.connect(str(db))  # the fresh_app holds it read-write in this process
    try:
        return con.sql(
            "SELECT statut, motif_refus FROM dossier WHERE dossier_id = $d", params={"d": dossier_id}
        ).fetchall()[0]
    finally:
        con.close()


EXPECTED_LIST = {  # dossiers shown by default: open ones, « en validation » for a tutelle
    "directeur": 4,
    "referent": 4,
    "tutelle93": 0,
    "tutelle-pc": 1,
    "support": 4,
    "admin": 4,
}


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_lists_the_dossiers_of_its_scope(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/dossiers.py", login)
    assert not at.exception
    assert at.title[0].value == "Dossiers collaboratifs"
    frames = at.dataframe
    shown = frames[0].value.shape[0] if frames else 0
    assert shown == EXPECTED_LIST[login]
    assert bool([e for e in at.expander if e.label == "Créer un dossier collaboratif"]) == (
        login in ("directeur", "referent")
    )
    if login == "tutelle93":
        assert "Aucun dossier" in texts(at)


def test_directeur_creates_a_dossier_and_it_opens(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossiers.py", "directeur")
    labels = at.selectbox(key="doss_eg").options
    assert sum("dossier en cours" in label for label in labels) == 4  # the demo's, one per EG but one
    at.selectbox(key="doss_eg").select(next(label for label in labels if "COURBEVOIE" in label)).run()
    at.button(key="doss_creer").click().run()
    assert not at.exception
    assert at.title[0].value == f"CH RIVES DE SEINE SITE COURBEVOIE – {engine_date()}"  # "<EG> – <date du jour>"
    # one open dossier per EG: asking again opens the same one
    at.switch_page("pages/dossiers.py").run()
    label = next(label for label in at.selectbox(key="doss_eg").options if "COURBEVOIE" in label)
    assert label.endswith("dossier en cours")


def engine_date() -> str:

    return f"{clock.today():%d/%m/%Y}"


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_opens_a_dossier_of_its_scope_only(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", login, dossier=str(WAITING))
    assert not at.exception
    if login == "tutelle93":
        assert "hors de votre périmètre" in texts(at)
        return
    assert at.title[0].value == "Réorganisation des unités – site de Nanterre"
    assert at.tabs[0].label == "Fiches"
    deciding = login == "tutelle-pc"
    assert bool([b for b in at.button if b.key == "dos_valider"]) == deciding
    # locked: nobody edits a dossier in validation
    assert not [b for b in at.button if b.key and b.key.startswith(("dos_enr_", "dos_fin_"))]


def test_unknown_dossier_says_so(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier="999")
    assert "Dossier introuvable" in texts(at) and not at.exception
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier="abc")
    assert "Dossier introuvable" in texts(at)


def test_directeur_edits_the_draft_naming_checks_finalise_and_send(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier=str(DRAFT))
    assert not at.exception
    send = at.button(key="dos_envoyer")
    assert send.disabled  # one fiche left to finalise
    assert "1 fiche(s) à finaliser" in texts(at)
    unit = next(b for b in at.button if b.key and b.key.startswith("dos_arbre_") and "check_circle" not in b.label)
    unit.click().run()
    fid = unit.key.removeprefix("dos_arbre_")
    name = at.text_input(key=f"dos_uo_nom_{fid}")
    name.input("f.a.m asso les prés").run()
    warning = texts(at)
    assert "Les sigles s'écrivent sans points" in warning and "ASSO → ASSOCIATION" in warning
    # the ROR's structure, for this unit's type and mode: « UNITE SESSAD SUR LES LIEUX DE VIE … »
    assert "« Unité » + catégorie d'organisation + mode de prise en charge" in warning
    assert "« UNITE SESSAD SUR LES LIEUX DE VIE … »" in warning
    at.button(key=f"dos_uo_nom_{fid}_corriger").click().run()
    assert at.text_input(key=f"dos_uo_nom_{fid}").value == "UNITE SESSAD SUR LES LIEUX DE VIE FAM ASSOCIATION LES PRES"
    assert "« Unité » + catégorie" not in texts(at)  # the suggestion follows every rule
    at.text_input(key=f"dos_uo_resp_{fid}").input("").run()
    at.button(key=f"dos_fin_{fid}").click().run()
    assert "il manque Nom du responsable" in texts(at)
    at.text_input(key=f"dos_uo_tel_{fid}").input("01 23").run()
    at.text_input(key=f"dos_uo_resp_{fid}").input("Mme Claire Petit").run()
    at.button(key=f"dos_fin_{fid}").click().run()
    assert "Numéro de téléphone invalide" in texts(at)  # nothing saved, what was typed stays
    assert at.text_input(key=f"dos_uo_resp_{fid}").value == "Mme Claire Petit"
    at.text_input(key=f"dos_uo_tel_{fid}").input("01 23 45 67 89").run()
    at.button(key=f"dos_fin_{fid}").click().run()
    assert not at.exception and not at.error
    assert not at.button(key="dos_envoyer").disabled
    at.button(key="dos_envoyer").click().run()
    assert state(db_copy, DRAFT)[0] == "en_validation"
    assert "Envoyé en validation" in texts(at)


def test_duplicate_a_unit_then_rename_it_and_the_look_alike_warning(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "referent", dossier=str(DRAFT))
    unit = next(b for b in at.button if b.key and b.key.startswith("dos_arbre_") and "Établissement" not in b.label)
    unit.click().run()
    fid = unit.key.removeprefix("dos_arbre_")
    at.button(key=f"dos_dup_{fid}").click().run()
    assert not at.exception
    copy = next(
        t for t in at.text_input if t.key and t.key.startswith("dos_uo_nom_") and t.value.startswith("COPIE DE")
    )
    assert "COPIE DE" in texts(at) and "ressemble à une unité" in texts(at)
    assert "Seul le directeur" in texts(at)  # a référent may not send
    copy_id = copy.key.removeprefix("dos_uo_nom_")
    at.button(key=f"dos_fin_{copy_id}").click().run()
    assert "un nom qui ne commence plus par « COPIE DE »" in texts(at)


def test_new_unit_named_by_the_rule(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier=str(DRAFT))
    at.button(key="dos_creer_uo").click().run()
    types = at.selectbox(key="dos_new_type")
    assert types.options[0].startswith("★")  # the types of the EG's catégorie first
    at.selectbox(key="dos_new_type").select_index(0).run()
    at.text_input(key="dos_new_surnom").input("Les Tilleuls").run()
    name = next(t.value for t in at.text_input if t.key and t.key.startswith("dos_new_nom_"))
    assert name.endswith("LES TILLEULS") and name == name.upper()
    at.button(key="dos_new_creer").click().run()
    assert not at.exception
    con = duckdb.connect(str(db_copy))
    added = con.sql(
        "SELECT data->>'nom' FROM dossier_fiche WHERE dossier_id = $d AND action = 'ajoute'", params={"d": DRAFT}
    ).fetchall()
    con.close()
    assert added == [(name,)]


def test_tutelle_sees_what_changes_and_refuses_with_a_reason(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "tutelle-pc", dossier=str(WAITING))
    changes = next(d.value for d in at.dataframe if "champ" in d.value.columns)
    assert {"ajoutée", "modifiée", "fermée"} <= set(changes["action"])
    assert "Téléphone" in set(changes["champ"])
    added, modified, closed = (int(m.value) for m in at.metric[1:])
    assert (added, closed) == (1, 1) and modified >= 1
    at.button(key="dos_refuser").click().run()
    assert "Choisissez un motif" in " ".join(e.value for e in at.error)
    at.selectbox(key="dos_motif").select("Autre")  # a form: its fields are sent with its button
    at.button(key="dos_refuser").click().run()  # « Autre » needs a precision
    assert state(db_copy, WAITING)[0] == "en_validation"
    at.selectbox(key="dos_motif").select("Autre")
    at.text_area(key="dos_motif_precisions").input("Merci de joindre l'autorisation.")
    at.button(key="dos_refuser").click().run()
    assert not at.exception
    assert state(db_copy, WAITING) == ("brouillon", "Autre — Merci de joindre l'autorisation.")


def test_two_reviewers_at_once_only_one_decision_wins(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "tutelle-pc", dossier=str(WAITING))
    # a colleague validates while this page is open
    from ror.core.auth import load_user

    other = duckdb.connect(str(db_copy))
    engine.validate(other, load_user(other, 4), WAITING, dossier_row(other, WAITING)["version"])
    other.close()
    at.selectbox(key="dos_motif").select("Informations incomplètes")
    at.button(key="dos_refuser").click().run()
    assert "a changé depuis son ouverture" in texts(at)
    assert state(db_copy, WAITING)[0] in ("programme", "publie")  # the first decision stands


def test_directeur_sees_the_refusal_and_the_thread(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier=str(REFUSED))
    assert "Dossier refusé par l'autorité de tutelle" in texts(at)
    assert "48 places" in texts(at)
    assert any("Refus : Capacité non conforme" in t.value for t in at.text)  # a message is plain text


@pytest.mark.parametrize("login", list(ROLES))
def test_notifications_per_role(fresh_app, demo_db, login):
    at = open_page(fresh_app, demo_db, "pages/notifications.py", login)
    assert not at.exception
    assert at.title[0].value == "Notifications"
    content = texts(at)
    if login in ("directeur", "referent"):
        assert "Dossier refusé" in content and "Dossier validé" in content
        assert "Relance n° 2 : anomalie n° 6" in content  # the support's relance of the EHPAD's anomaly
    elif login == "tutelle-pc":
        # what waits for its decision is unread (bold); what it decided, read
        assert "**Dossier à valider : Réorganisation des unités – site de Nanterre**" in content
        assert "**Dossier validé" not in content
        assert "Anomalie n° 3 signalée" in content
    elif login in ("tutelle93", "support"):
        assert "Anomalie n° 5 signalée" in content  # reported by the référent (n° 4 is the tutelle's own)
    else:
        assert "Aucune notification." in content


def test_notifications_filter_delete_for_me_and_open(fresh_app, demo_db, db_copy):
    at = open_page(fresh_app, demo_db, "pages/notifications.py", "directeur")
    at.button_group(key="notif_types").set_value(["Avertissement"]).run()
    at.button_group(key="notif_sources").set_value(["Refus DC"]).run()
    assert "1 notification(s)" in texts(at)
    delete = next(b for b in at.button if b.key and b.key.startswith("notif_suppr_"))
    delete.click().run()
    assert "Aucune notification avec ces filtres." in texts(at)
    con = duckdb.connect(str(db_copy))
    kept = con.sql(
        "SELECT count(*) FROM notification_destinataire d JOIN app_user u USING (user_id) "
        "JOIN notification n USING (notification_id) WHERE u.login = 'referent' AND n.source = 'Refus DC' "
        "AND NOT d.supprime"
    ).fetchall()[0][0]
    con.close()
    assert kept == 1  # the référent still sees it
    at.button_group(key="notif_types").set_value([]).run()
    at.button_group(key="notif_sources").set_value(["Validation DC"]).run()
    opened = next(b for b in at.button if b.key and b.key.startswith("notif_ouvrir_"))
    opened.click().run()
    assert not at.exception
    assert at.tabs  # the dossier page


def test_create_a_dossier_from_the_repertoire_menu_or_the_fiche(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/repertoire.py", "directeur")
    at.segmented_control(key="rep_vue").set_value("favoris").run()  # the demo directeur's EG are favourites
    menus = {b.key: b for b in at.menu_button if b.key.startswith("rep_a_eg_")}
    assert all("Créer un dossier collaboratif" in m.proto.options for m in menus.values())
    menus["rep_a_eg_920000569"].click("Créer un dossier collaboratif").run()
    assert not at.exception
    assert at.title[0].value.startswith("CH RIVES DE SEINE SITE COURBEVOIE – ")
    # from the EG fiche, the dossier in progress opens
    at.switch_page("pages/fiche.py")
    at.query_params["eg"] = "920000569"
    at.run()
    assert at.button(key="fiche_dossier").label == "Ouvrir le dossier collaboratif en cours"
    at.button(key="fiche_dossier").click().run()
    assert at.title[0].value.startswith("CH RIVES DE SEINE SITE COURBEVOIE – ")
    # a tutelle is not offered the action
    at = open_page(fresh_app, demo_db, "pages/fiche.py", "tutelle-pc", eg="920000569")
    assert not [b for b in at.button if b.key == "fiche_dossier"]


def test_refused_dossiers_to_correct_are_a_state_of_the_list(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/dossiers.py", "tutelle-pc")
    at.pills(key="doss_etats").set_value(["refuse_a_corriger"]).run()
    assert not at.exception
    states = set(at.dataframe[0].value["etat"])
    assert states == {"Refusé, à corriger"}
    at = open_page(fresh_app, demo_db, "pages/dossiers.py", "directeur")  # the establishment sees its own by default
    assert "Refusé, à corriger" in set(at.dataframe[0].value["etat"])


def test_notifications_sort_by_date_either_way_or_by_source(fresh_app, demo_db):
    at = open_page(fresh_app, demo_db, "pages/notifications.py", "directeur")

    def dates() -> list[str]:
        return re.findall(r"(\d{2})/(\d{2})/(\d{4}) (\d{2}:\d{2})", " ".join(m.value for m in at.markdown))

    def instants() -> list[str]:
        return [f"{y}{mo}{d}{t}" for d, mo, y, t in dates()]

    newest = instants()
    assert newest == sorted(newest, reverse=True) and len(newest) > 2
    at.selectbox(key="notif_tri").set_value("anciennes").run()
    assert instants() == sorted(instants())
    at.selectbox(key="notif_tri").set_value("source").run()
    sources = re.findall(r":gray\[[^·\]]+ · ([^·\]]+) · ", " ".join(m.value for m in at.markdown))
    assert not at.exception and len(set(sources)) > 1 and sources == sorted(sources)


def test_the_unit_editor_offers_the_establishments_organisation_interne(fresh_app, demo_db, db_copy):
    from ror.core.auth import load_user

    other = duckdb.connect(str(db_copy))
    directeur = load_user(other, other.sql("SELECT user_id FROM app_user WHERE login = 'directeur'").fetchall()[0][0])
    finess_eg = other.sql(  # the directeur's sanitaire EG with a pôle, services and UF
        "SELECT min(o.finess_eg) FROM oi o JOIN user_eg ue USING (finess_eg) WHERE ue.user_id = $u AND o.type_code = '3'",
        params={"u": directeur.user_id},
    ).fetchall()[0][0]
    dossier_id = engine.create(other, directeur, finess_eg)
    other.close()
    at = open_page(fresh_app, demo_db, "pages/dossier.py", "directeur", dossier=str(dossier_id))
    unit = next(b for b in at.button if b.key and b.key.startswith("dos_arbre_") and "Établissement" not in b.label)
    unit.click().run()
    fid = unit.key.removeprefix("dos_arbre_")
    choice = at.selectbox(key=f"dos_uo_oi_{fid}")
    assert choice.label == "Organisation interne"
    assert any(option.count(" › ") == 2 for option in choice.options)  # pôle › service › UF
    assert not at.exception
