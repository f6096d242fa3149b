import pytest

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
    official = naming.Establishment("HOPITAL ST JOSEPH")
    assert naming.usage_name_problems("HOPITAL ST JOSEPH - SITE NORD", official) == []  # its ST is FINESS's
    (problem,) = naming.usage_name_problems("SAINT JOSEPH", official)
    assert problem.rule == "nom_officiel" and problem.suggestion == official.official
    assert [p.rule for p in naming.usage_name_problems("Hopital St Joseph", official)] == ["majuscules"]


IME = "Institut médico-éducatif (IME)"
TEMPORARY_IME = naming.UnitKind("48", IME, "Accueil de jour", "Temporaire", "47")


@pytest.mark.parametrize(
    "name",
    [
        "UNITE IME ACCUEIL DE JOUR - TEMPORAIRE",  # the guide's example, in capitals
        "UNITE IME ACCUEIL DE JOUR TEMPORAIRE",
        "UNITE IME ACCUEIL DE JOUR TEMPORAIRE LES TILLEULS",  # a surnom at the end
    ],
)
def test_a_unit_name_that_follows_the_ror_rule_passes(name):
    assert naming.unit_name_problems(name, TEMPORARY_IME) == []


def test_the_guides_own_example_passes_once_in_capitals():
    typed = "Unité IME Accueil de jour - Temporaire"
    assert [p.rule for p in naming.unit_name_problems(typed, TEMPORARY_IME)] == ["majuscules"]  # no structure problem
    assert naming.fixed_unit_name(typed, TEMPORARY_IME) == "UNITE IME ACCUEIL DE JOUR - TEMPORAIRE"
    foyer = naming.UnitKind("42", "Foyer d'hébergement (Etablissement d'accueil non médicalisé)", "Accueil de jour")
    second = "UNITE FOYER D'HEBERGEMENT - ACCUEIL DE JOUR (ETABLISSEMENT D'ACCUEIL NON MEDICALISE)"
    assert naming.unit_name_problems(second, foyer) == []  # the guide's second example


@pytest.mark.parametrize(
    ("name", "fixed"),
    [
        ("IME LES TILLEULS", "UNITE IME ACCUEIL DE JOUR TEMPORAIRE LES TILLEULS"),  # no « UNITE », no mode
        ("UNITE IME TEMPORAIRE ACCUEIL DE JOUR", "UNITE IME ACCUEIL DE JOUR TEMPORAIRE"),  # out of order
        ("UNITE ACCUEIL DE JOUR L'ARC EN CIEL", "UNITE IME ACCUEIL DE JOUR TEMPORAIRE L'ARC EN CIEL"),
        ("unite ime accueil de jour", "UNITE IME ACCUEIL DE JOUR TEMPORAIRE"),  # writing and structure at once
    ],
)
def test_a_unit_name_off_the_rule_gets_the_rules_name_keeping_its_surnom(name, fixed):
    problems = naming.unit_name_problems(name, TEMPORARY_IME)
    assert "structure" in [p.rule for p in problems]
    assert "« Unité » + catégorie d'organisation + mode de prise en charge + temporalité" in problems[-1].message
    assert naming.fixed_unit_name(name, TEMPORARY_IME) == fixed
    assert naming.unit_name_problems(fixed, TEMPORARY_IME) == []


def test_a_permanent_unit_need_not_say_permanent_and_unknown_types_are_not_checked():
    permanent = naming.UnitKind("48", IME, "Accueil de jour", "Permanent", "47")
    assert naming.unit_name_problems("UNITE IME ACCUEIL DE JOUR", permanent) == []
    assert naming.unit_name_problems("N'IMPORTE QUOI", naming.UnitKind(None, None)) == []
    assert naming.unit_name_problems("N'IMPORTE QUOI", None) == []


def test_the_rules_exceptions_savs_samsah_caj_and_units_named_by_their_speciality():
    savs = naming.UnitKind("31", "Service d'accompagnement à la vie sociale (SAVS)", "Sur les lieux de vie")
    assert naming.unit_name_problems("SAVS LES TILLEULS", savs) == []
    assert naming.fixed_unit_name("UNITE SAVS LES TILLEULS", savs) == "SAVS LES TILLEULS"
    caj = naming.UnitKind("24", "Unité de vie protégée", "Accueil de jour", None, "47")
    assert naming.unit_name_problems("CAJ LES GLYCINES", caj) == []
    hospitalisation = naming.UnitKind("16", "Unité d'hospitalisation (hors HDJ)", "Hospitalisation complète (HC)")
    assert naming.unit_name_problems("UNITE NEONATOLOGIE HOSPITALISATION COMPLETE", hospitalisation) == []
    assert naming.fixed_unit_name("NEONATOLOGIE", hospitalisation) == "UNITE NEONATOLOGIE HOSPITALISATION COMPLETE"
    smr = naming.UnitKind("101", "Soins Médicaux et de Réadaptation (SMR) gériatrie", "Hospitalisation complète (HC)")
    assert naming.unit_name_problems("UNITE SMR GERIATRIE HOSPITALISATION COMPLETE", smr) == []
    # the former « SSR » is the campaign's advised rename, with the same suggestion
    assert naming.fixed_unit_name("UNITE SSR GERIATRIE HOSPITALISATION COMPLETE", smr) == (
        "UNITE SMR GERIATRIE HOSPITALISATION COMPLETE"
    )


@pytest.mark.parametrize(
    ("official", "category", "commune", "suggestion"),
    [
        ("IME", "Institut Médico-Educatif (I.M.E.)", "Melun", "IME DE MELUN"),
        ("I.M.E.", "Institut Médico-Educatif (I.M.E.)", "Orvilliers", "IME D'ORVILLIERS"),
        ("FOYER DE VIE", "Foyer de Vie pour Adultes Handicapés", "Les Ulis", "FOYER DE VIE DES ULIS"),
        ("EHPAD", "Etablissement d'hébergement pour personnes âgées dépendantes", "Le Vésinet", "EHPAD DU VESINET"),
        ("MAS", "Maison d'Accueil Spécialisée (M.A.S.)", "Paris 13e", "MAS DE PARIS 13E"),
    ],
)
def test_a_finess_name_that_gives_only_the_category_gets_its_commune(official, category, commune, suggestion):
    eg = naming.Establishment(official, category, commune)
    problems = naming.usage_name_problems(None, eg)
    assert problems[-1].rule == "categorie_seule" and problems[-1].suggestion == suggestion
    assert naming.fixed_usage_name(None, eg) == suggestion
    assert naming.usage_name_problems(suggestion, eg) == []  # once the commune is added


def test_a_finess_name_that_says_more_than_its_category_is_left_alone():
    ime = "Institut Médico-Educatif (I.M.E.)"
    assert naming.usage_name_problems(None, naming.Establishment("IME CESAP", ime, "Melun")) == []
    assert naming.usage_name_problems("IME CESAP DE MELUN", naming.Establishment("IME CESAP", ime, "Melun")) == []
    assert naming.usage_name_problems(None, naming.Establishment("IME", None, "Melun")) == []  # catégorie unknown


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
