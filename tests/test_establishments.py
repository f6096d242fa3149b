"""Creating an establishment: FINESS checks, EJ found or created, duplicates, permissions, audit."""

from __future__ import annotations

import pytest

from ror.administration import establishments
from ror.core.finess import make_finess
from ror.core.permissions import PermissionDenied
from ror.core.validation import ValidationError

from .helpers import user

NEW_EG = make_finess("93", 777001)


def form(**changes) -> establishments.NewEstablishment:
    values = dict(
        finess_eg=NEW_EG,
        finess_ej="930110051",
        nom="CENTRE MEDICAL DU CANAL",
        categorie_code="124",
        commune_insee="93066",
        telephone="0142356140",
        email="Accueil@Canal.fr",
    )
    return establishments.NewEstablishment(**(values | changes))


def test_an_eg_is_created_under_its_existing_ej_at_its_communes_centre(rw_con):
    created = establishments.create(rw_con, user(rw_con, "support"), form())
    assert created == NEW_EG
    row = rw_con.sql(
        "SELECT finess_ej, departement, code_postal, telephone, email, coord_source, source, updated_by FROM eg "
        "WHERE finess_eg = $f",
        params={"f": NEW_EG},
    ).fetchall()
    assert row == [("930110051", "93", "93200", "01 42 35 61 40", "accueil@canal.fr", "commune", "saisie", "support")]
    assert rw_con.sql("SELECT action FROM audit WHERE target_id = $f", params={"f": NEW_EG}).fetchall() == [
        ("eg.creer",)
    ]


def test_a_new_ej_needs_its_raison_sociale_then_is_created(rw_con):
    support = user(rw_con, "support")
    new_ej = make_finess("93", 777002)
    with pytest.raises(ValidationError) as refused:
        establishments.create(rw_con, support, form(finess_ej=new_ej))
    assert "n'existe pas encore" in refused.value.errors["raison_sociale_ej"]
    establishments.create(rw_con, support, form(finess_ej=new_ej, raison_sociale_ej="ASSOCIATION DU CANAL"))
    assert rw_con.sql(
        "SELECT raison_sociale, source FROM ej WHERE finess_ej = $f", params={"f": new_ej}
    ).fetchall() == [("ASSOCIATION DU CANAL", "saisie")]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"finess_eg": NEW_EG[:8] + str((int(NEW_EG[8]) + 1) % 10)}, "finess_eg", "clé de contrôle"),
        ({"finess_eg": "93000"}, "finess_eg", "9 caractères"),
        ({"finess_eg": "930000328"}, "finess_eg", "existe déjà : « CH GENERAL DELAFONTAINE »"),
        ({"finess_eg": make_finess("75", 777001)}, "finess_eg", "département 93"),
        ({"finess_ej": NEW_EG}, "finess_ej", "doivent être différents"),
        ({"nom": "  "}, "nom", "obligatoire"),
        ({"categorie_code": "000"}, "categorie_code", "n'est pas une catégorie FINESS"),
        ({"commune_insee": None}, "commune_insee", "Choisissez la commune"),
        ({"code_postal": "9320"}, "code_postal", "5 chiffres"),
        ({"telephone": "01 42"}, "telephone", "Numéro de téléphone invalide"),
        ({"email": "accueil@"}, "email", "Adresse e-mail invalide"),
    ],
)
def test_each_wrong_field_gets_its_french_message_and_nothing_is_written(rw_con, changes, field, message):
    before = rw_con.sql("SELECT count(*) FROM eg").fetchall()
    with pytest.raises(ValidationError) as refused:
        establishments.create(rw_con, user(rw_con, "admin"), form(**changes))
    assert message in refused.value.errors[field]
    assert rw_con.sql("SELECT count(*) FROM eg").fetchall() == before


@pytest.mark.parametrize("login", ["directeur", "referent", "tutelle93"])
def test_only_support_and_admin_create(rw_con, login):
    with pytest.raises(PermissionDenied):
        establishments.create(rw_con, user(rw_con, login), form())
