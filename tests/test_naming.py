from ror.naming import normalise_name, type_short_label, uo_name


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
