"""AppTest of the Répertoire page and of the fiches: every role browses; domain, view and text filters;
actions (fiche, favourites, renommer); a directeur or référent updates his EG and UO, others cannot."""

from __future__ import annotations

import duckdb
import pytest

from components.text import md
from ror.dossiers import naming

from .helpers import ROLES, signed_in


def open_page(app, demo_db, page: str, login: str = "support", **params):
    for key, value in params.items():
        app.query_params[key] = value
    at = signed_in(app, demo_db, login)
    at.switch_page(page)
    return at.run()


def show_unit(at, demo_db, uo_id: int):
    """Narrow the tree to the unit's EG (its FINESS) and open the path down to the unit (pôle, service, UF)."""
    con = duckdb.connect(str(demo_db), read_only=True)
    finess_ej, finess_eg = con.sql(
        "SELECT eg.finess_ej, uo.finess_eg FROM uo JOIN eg USING (finess_eg) WHERE uo_id = $id", params={"id": uo_id}
    ).fetchall()[0]
    ancestors = con.sql(
        "WITH RECURSIVE up (oi_id) AS (SELECT oi_id FROM uo WHERE uo_id = $id AND oi_id IS NOT NULL "
        "UNION ALL SELECT o.parent_oi_id FROM up JOIN oi o USING (oi_id) WHERE o.parent_oi_id IS NOT NULL) "
        "SELECT oi_id FROM up",
        params={"id": uo_id},
    ).fetchall()
    con.close()
    path = {f"ej:{finess_ej}", f"eg:{finess_eg}"} | {f"oi:{i}" for (i,) in ancestors}
    at.session_state["rep_ouverts"] = path
    at.text_input(key="rep_filtre").input(finess_eg)
    return at.run()


def words(at) -> str:
    return " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])


def first_key(at, prefix: str) -> str:
    return next(b.key for b in at.button if b.key and b.key.startswith(prefix))


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_browses_the_tree(app, demo_db, login):
    at = open_page(app, demo_db, "pages/repertoire.py", login)
    assert not at.exception
    assert at.title[0].value == "Répertoire"
    assert "entité(s) juridique(s)" in words(at)
    territory = [t for t in at.toggle if t.label.startswith("Mon territoire")]
    assert bool(territory) == login.startswith("tutelle")
    ej = first_key(at, "rep_t_ej_")
    at.button(key=ej).click().run()  # expand an EJ: its EG appear
    assert any(b.key.startswith("rep_t_eg_") for b in at.button if b.key)


def test_tutelle_sees_its_territory_first_and_may_widen(app, demo_db):
    at = open_page(app, demo_db, "pages/repertoire.py", "tutelle93")
    own = int(next(m.value for m in at.markdown if "entité(s) juridique(s)" in m.value).split("**")[1])
    at.toggle(key="rep_territoire").set_value(False).run()
    region = int(next(m.value for m in at.markdown if "entité(s) juridique(s)" in m.value).split("**")[1])
    assert 0 < own < region


def test_domains_views_and_text_filter(app, demo_db):
    at = open_page(app, demo_db, "pages/repertoire.py", "admin")  # no favourite in the demo
    count = lambda: int(next(m.value for m in at.markdown if "**" in m.value).split("**")[1])  # noqa: E731
    sanitaire = count()
    at.pills(key="rep_domaines").set_value(["MCO", "SMR", "PSY", "SLD", "MSS"]).run()
    assert count() > sanitaire
    at.pills(key="rep_domaines").set_value([]).run()
    assert "Choisissez au moins un domaine." in [i.value for i in at.info]
    at.pills(key="rep_domaines").set_value(["MCO", "SMR", "PSY", "SLD"]).run()
    at.segmented_control(key="rep_vue").set_value("departement").run()
    assert first_key(at, "rep_t_dep_") == "rep_t_dep_75"
    at.segmented_control(key="rep_vue").set_value("favoris").run()
    assert any("Aucun favori" in i.value for i in at.info)
    at.segmented_control(key="rep_vue").set_value("ej").run()
    at.text_input(key="rep_filtre").input("dialyse").run()
    assert not at.exception
    units = [b for b in at.menu_button if b.key.startswith("rep_a_uo_")]
    assert units  # the ancestors were expanded down to the matching units
    at.text_input(key="rep_filtre").input("zz").run()
    assert "3 caractères" in at.warning[0].value


def test_actions_open_a_fiche_and_keep_a_favourite(app, demo_db):
    at = open_page(app, demo_db, "pages/repertoire.py", "tutelle-pc")  # no favourite in the demo
    ej_key = first_key(at, "rep_t_ej_").removeprefix("rep_t_")  # ej_<FINESS>
    at.menu_button(key=f"rep_a_{ej_key}").click("Ajouter aux favoris").run()
    at.segmented_control(key="rep_vue").set_value("favoris").run()
    assert [b.key for b in at.menu_button] == [f"rep_a_{ej_key}"]
    at.menu_button(key=f"rep_a_{ej_key}").click("Ouvrir la fiche").run()
    assert not at.exception
    assert any("Entité juridique · FINESS" in c.value for c in at.caption)
    assert [b.label for b in at.button if b.key == "fiche_favori"] == ["Retirer des favoris"]


def test_rename_is_offered_to_the_referent_only(app, demo_db):
    uo_id = referent_unit(demo_db)
    for login, expected in (("referent", True), ("support", False)):
        at = show_unit(open_page(app, demo_db, "pages/repertoire.py", login), demo_db, uo_id)
        menu = at.menu_button(key=f"rep_a_uo_{uo_id}")
        assert ("Renommer" in menu.proto.options) is expected


@pytest.mark.parametrize("login", list(ROLES))
def test_every_role_reads_the_three_fiches(app, demo_db, login):
    con = duckdb.connect(str(demo_db), read_only=True)
    finess_ej, finess_eg, uo_id = con.sql(
        "SELECT eg.finess_ej, eg.finess_eg, min(uo_id) FROM uo JOIN eg USING (finess_eg) GROUP BY ALL LIMIT 1"
    ).fetchall()[0]
    con.close()
    for kind, ident, heading in (
        ("ej", finess_ej, "Établissements (EG)"),
        ("eg", finess_eg, "Unités (UO)"),
        ("uo", str(uo_id), "Semaine type"),
    ):
        app.query_params.clear()
        at = open_page(app, demo_db, "pages/fiche.py", login, **{kind: ident})
        assert not at.exception, (kind, at.exception)
        assert any(heading in m.value for m in at.markdown)
        assert any("Historique des modifications" in m.value for m in at.markdown)


def test_unknown_or_malformed_fiche(app, demo_db):
    at = open_page(app, demo_db, "pages/fiche.py", uo="abc")
    assert "Numéro d'unité invalide" in at.error[0].value
    app.query_params.clear()
    at = open_page(app, demo_db, "pages/fiche.py", eg="000000000")
    assert "n'existe pas" in at.warning[0].value


def referent_unit(demo_db) -> int:
    """A sanitaire unit (shown with the default domains) of the demo référent's EG."""
    con = duckdb.connect(str(demo_db), read_only=True)
    found = con.sql(
        "SELECT min(uo_id) FROM uo JOIN user_eg USING (finess_eg) JOIN app_user USING (user_id) "
        "WHERE login = 'referent' AND discipline <> 'MSS'"
    ).fetchall()[0][0]
    con.close()
    return found


def test_only_the_eg_s_own_people_may_modify(app, demo_db):
    uo_id = str(referent_unit(demo_db))
    for login, expected in (("referent", True), ("directeur", True), ("tutelle-pc", False), ("support", False)):
        app.query_params.clear()
        at = open_page(app, demo_db, "pages/fiche.py", login, uo=uo_id)
        assert any(t.key == "fiche_modifier" for t in at.toggle) is expected, login


def phone(at):
    return next(t for t in at.form(key="fiche_uo_contacts").text_input if t.label == "Téléphone")


def test_referent_updates_a_phone_and_a_wrong_one_is_refused(app, demo_db, app_db):
    uo_id = str(referent_unit(demo_db))
    at = open_page(app, demo_db, "pages/fiche.py", "referent", uo=uo_id)
    at.toggle(key="fiche_modifier").set_value(True).run()
    phone(at).input("01 2")
    at.form(key="fiche_uo_contacts").form_submit_button[0].click().run()
    assert any("Numéro de téléphone invalide" in e.value for e in at.error)
    assert phone(at).value == "01 2"  # nothing typed is lost
    phone(at).input("01.40.50.60.70")
    at.form(key="fiche_uo_contacts").form_submit_button[0].click().run()
    assert not at.exception and not at.error
    assert any("01 40 50 60 70" in m.value for m in at.markdown)
    history = [d for d in at.dataframe if "Champ" in d.value.columns]
    assert history and history[0].value["Après"][0] == "01 40 50 60 70"


def test_directeur_updates_the_eg_and_a_concurrent_change_is_caught(app, demo_db, app_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    finess = con.sql(
        "SELECT min(finess_eg) FROM user_eg JOIN app_user USING (user_id) WHERE login = 'directeur'"
    ).fetchall()[0][0]
    con.close()
    at = open_page(app, demo_db, "pages/fiche.py", "directeur", eg=finess)
    at.toggle(key="fiche_modifier").set_value(True).run()

    def field(label):
        return next(t for t in at.form(key="fiche_eg_contacts").text_input if t.label.startswith(label))

    field("Mail d'alerte").input("pas-un-mail")
    at.form(key="fiche_eg_contacts").form_submit_button[0].click().run()
    assert any("Adresse e-mail invalide" in e.value for e in at.error)
    # meanwhile, the référent saves the same fiche (same process: the app's database instance)
    from ror.core.auth import load_user
    from ror.repertoire import updates

    other = duckdb.connect(str(app_db))
    referent_id = other.sql("SELECT user_id FROM app_user WHERE login = 'referent'").fetchall()[0][0]
    updates.update_eg(other, load_user(other, referent_id), finess, {"telephone": "01 02 03 04 05"})
    other.close()
    field("Mail d'alerte").input("crise@etablissement.fr")
    at.form(key="fiche_eg_contacts").form_submit_button[0].click().run()
    assert any("modifiée par referent" in e.value for e in at.error)
    assert field("Mail d'alerte").value == "crise@etablissement.fr"  # nothing typed is lost
    at.toggle(key="fiche_modifier").set_value(False).run()  # reopening the form takes the new version
    at.toggle(key="fiche_modifier").set_value(True).run()
    field("Mail d'alerte").input("crise@etablissement.fr")
    at.form(key="fiche_eg_contacts").form_submit_button[0].click().run()
    assert not at.error
    assert any(md("crise@etablissement.fr") in m.value for m in at.markdown)


def test_referent_renames_a_unit_from_the_tree(app, demo_db):
    uo_id = referent_unit(demo_db)
    at = show_unit(open_page(app, demo_db, "pages/repertoire.py", "referent"), demo_db, uo_id)
    at.menu_button(key=f"rep_a_uo_{uo_id}").click("Renommer").run()
    dialog_input = next(t for t in at.text_input if t.label == "Nouveau nom")
    dialog_input.input("   ").run()
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert any("obligatoire" in e.value for e in at.error)
    next(t for t in at.text_input if t.label == "Nouveau nom").input("Unité S.S.R. gériatrique").run()
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception
    assert "UNITE SSR GERIATRIQUE" in " ".join(m.value for m in at.markdown)


def test_the_rename_dialog_checks_the_ror_rule_and_applies_its_suggestion_in_one_click(app, demo_db):
    uo_id = referent_unit(demo_db)
    con = duckdb.connect(str(demo_db), read_only=True)
    kind = naming.UnitKind(
        *con.sql(
            "SELECT u.type_code, t.libelle, m.libelle, tp.libelle, u.mode_pec_code FROM uo u "
            "LEFT JOIN nomenclature t ON t.system = 'TRE_R244' AND t.code = u.type_code "
            "LEFT JOIN nomenclature m ON m.system = 'TRE_R213' AND m.code = u.mode_pec_code "
            "LEFT JOIN nomenclature tp ON tp.system = 'TRE_R240' AND tp.code = u.temporalite_code WHERE uo_id = $id",
            params={"id": uo_id},
        ).fetchall()[0]
    )
    con.close()
    at = show_unit(open_page(app, demo_db, "pages/repertoire.py", "referent"), demo_db, uo_id)
    at.menu_button(key=f"rep_a_uo_{uo_id}").click("Renommer").run()
    next(t for t in at.text_input if t.label == "Nouveau nom").input("équipe du soir").run()
    warning = " ".join(w.value for w in at.warning)
    assert "Les noms s'écrivent en majuscules" in warning and "« Unité » + catégorie d'organisation" in warning
    expected = naming.fixed_unit_name("équipe du soir", kind)
    assert expected.startswith("UNITE ") and "EQUIPE DU SOIR" in expected
    at.button(key=f"renommer_uo_{uo_id}_corriger").click().run()
    assert next(t for t in at.text_input if t.label == "Nouveau nom").value == expected
    assert not at.warning  # the suggestion follows every rule
    next(b for b in at.button if b.label == "Enregistrer").click().run()
    assert not at.exception and not at.error
    assert expected in " ".join(m.value for m in at.markdown)


def test_planning_saved_untouched_changes_nothing(app, demo_db):
    uo_id = str(referent_unit(demo_db))
    at = open_page(app, demo_db, "pages/fiche.py", "referent", uo=uo_id)
    at.toggle(key="fiche_modifier").set_value(True).run()
    at.button(key="fiche_uo_planning").click().run()
    assert not at.exception and not at.error
    assert [t.value for t in at.toast] == ["Aucun changement à enregistrer."]


def test_a_unit_fiche_shows_its_whole_place_in_the_organisation(app, demo_db):
    con = duckdb.connect(str(demo_db), read_only=True)
    uo_id, path, ej = con.sql(
        "SELECT u.uo_id, ch.chemin, ej.raison_sociale FROM uo u JOIN oi_chemin ch USING (oi_id) "
        "JOIN eg ON eg.finess_eg = u.finess_eg JOIN ej USING (finess_ej) WHERE ch.niveau = 3 ORDER BY u.uo_id LIMIT 1"
    ).fetchall()[0]
    con.close()
    at = open_page(app, demo_db, "pages/fiche.py", "tutelle-pc", uo=str(uo_id))
    assert not at.exception
    pole, service, uf = path.split(" › ")
    crumb = next(c.value for c in at.caption if "›" in c.value)
    assert crumb.startswith(md(ej)) and crumb.endswith(f"{md(pole)} › {md(service)} › {md(uf)}")  # EJ › EG › … › UF
    assert any(md(path) in m.value and "Organisation interne" in m.value for m in at.markdown)
