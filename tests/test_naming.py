from ror.dossiers import naming
from ror.dossiers.naming import normalise_name, type_short_label, uo_name


def test_name_in_capitals_without_accents_or_dotted_acronyms():
    assert normalise_name("F.A.M. les Prés  fleuris") == "FAM LES PRES FLEURIS"


def test_type_with_acronym_is_named_by_it():
    assert type_short_label("Institut médico-éducatif (IME)") == "IME"
    assert type_short_label("Soins Médicaux et de Réadaptation (SMR) gériatrie") == "SMR gériatrie"
    assert type_short_label("Hôpital De Jour (HDJ)") == "HDJ"


def test_unit_name_follows_the_rule():
    name = uo_name("48", "Institut médico-éducatif (IME)", "Hébergement (accueil jour et nuit)", "Permanent")
    assert name == "UNITE IME HEBERGEMENT PERMANENT"


def test_savs_samsah_and_caj_start_with_their_acronym():
    assert uo_name("31", "Service d'Accompagnement à la Vie Sociale (SAVS)", surnom="Les Lilas") == "SAVS LES LILAS"
    assert uo_name("32", "whatever", surnom=None) == "SAMSAH"
    assert uo_name("21", "EHPAD", "Accueil de jour", caj=True, surnom="Le Parc") == "CAJ LE PARC"


def test_type_label_already_starting_with_unite_is_not_doubled():
    assert uo_name("16", "Unité d'hospitalisation (hors HDJ)").startswith("UNITE D'HOSPITALISATION")
    assert not uo_name("16", "Unité d'hospitalisation").startswith("UNITE UNITE")


def rules(name: str, **kw) -> list[str]:
    return [p.rule for p in naming.name_problems(name, **kw)]


def test_a_right_name_breaks_no_rule():
    assert naming.name_problems("UNITE SMR GERIATRIE HOSPITALISATION COMPLETE") == []
    assert naming.name_problems("") == [] and naming.name_problems("   ") == []


def test_each_rule_with_its_fix():
    (capitals,) = naming.name_problems("Unité de soins")
    assert (capitals.rule, capitals.suggestion) == ("majuscules", "UNITE DE SOINS")
    (acronym,) = naming.name_problems("F.A.M DU PARC")
    assert (acronym.rule, acronym.suggestion) == ("sigle", "FAM DU PARC") and "« F.A.M » → « FAM »" in acronym.message
    assert naming.name_problems("F A M DU PARC")[0].suggestion == "FAM DU PARC"
    assert naming.name_problems("I-M-E DU PARC")[0].suggestion == "IME DU PARC"
    (short,) = naming.name_problems("ASSO ST JEAN")
    assert short.rule == "abreviation" and short.suggestion == "ASSOCIATION SAINT JEAN"
    assert "ASSO → ASSOCIATION" in short.message and "ST → SAINT" in short.message
    (copy,) = naming.name_problems("COPIE DE UNITE SMR")
    assert (copy.rule, copy.suggestion) == ("copie", "UNITE SMR")


def test_words_that_only_look_like_rules_are_left_alone():
    assert rules("UNITE A DOMICILE") == []  # one letter is a word, not an acronym
    assert rules("SAINTE ANNE") == [] and rules("ASSOCIATION STEPHANE") == []  # whole words only
    assert rules("UNITE SMR", official_words=frozenset({"ST"})) == []


def test_every_rule_applied_at_once():
    assert naming.fixed_name("copie de f.a.m asso des prés") == "FAM ASSOCIATION DES PRES"
    assert naming.fixed_name("UNITE SMR") == "UNITE SMR"


def test_the_nom_d_usage_keeps_the_official_finess_name():
    official = "HOPITAL ST JOSEPH"
    assert naming.usage_name_problems("HOPITAL ST JOSEPH - SITE NORD", official) == []  # its ST is FINESS's
    (problem,) = naming.usage_name_problems("SAINT JOSEPH", official)
    assert problem.rule == "nom_officiel" and problem.suggestion == official
    assert [p.rule for p in naming.usage_name_problems("Hopital St Joseph", official)] == ["majuscules"]


def test_similar_units_same_type_same_public_close_name():
    existing = [
        {
            "nom": "UNITE SMR GERIATRIE HOSPITALISATION COMPLETE",
            "type_code": "104",
            "public_enfants": False,
            "public_adultes": True,
        },
        {
            "nom": "UNITE SMR GERIATRIE HOSPITALISATION DE JOUR",
            "type_code": "104",
            "public_enfants": False,
            "public_adultes": True,
        },
        {"nom": "UNITE SMR PEDIATRIE", "type_code": "104", "public_enfants": True, "public_adultes": False},
    ]
    copy = {
        "nom": "COPIE DE UNITE SMR GERIATRIE HOSPITALISATION COMPLETE",
        "type_code": "104",
        "public_enfants": False,
        "public_adultes": True,
    }
    assert [u["nom"] for u in naming.similar_units(copy, existing)] == [existing[0]["nom"], existing[1]["nom"]]
    other_type = {**copy, "type_code": "105"}
    assert naming.similar_units(other_type, existing) == []
    children = {**copy, "nom": "UNITE SMR PEDIATRIE 2", "public_enfants": True, "public_adultes": False}
    assert naming.similar_units(children, existing) == [existing[2]]
    assert naming.similar_units({**copy, "nom": "UNITE SMR NEUROLOGIE"}, existing) == []
    assert naming.similar_units({**copy, "nom": ""}, existing) == []
