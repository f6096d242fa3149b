import pytest

from ror.core.finess import departement_of_prefix, finess_error, is_valid_finess, luhn_key, make_finess, prefix_matches


@pytest.mark.parametrize("finess", ["750000499", "930000328", "750712184", "920000650"])
def test_real_finess_numbers_are_valid(finess):
    assert finess_error(finess) is None


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "obligatoire"),
        (None, "obligatoire"),
        ("75000049", "9 caractères"),
        ("7500004990", "9 caractères"),
        ("75000049X", "chiffres"),
        ("750000498", "clé de contrôle"),
        ("990000000", "n'est pas un département"),
        ("200000000", "n'est pas un département"),
    ],
)
def test_invalid_finess_gets_a_french_message(value, message):
    assert message in finess_error(value)


def test_spaces_around_are_ignored():
    assert is_valid_finess(" 750000499 ")


def test_made_numbers_pass_the_check_including_corse():
    for prefix in ("75", "93", "2A", "2B", "01"):
        assert is_valid_finess(make_finess(prefix, 900123))


def test_luhn_key_of_known_number():
    assert luhn_key("75000049") == "9"


@pytest.mark.parametrize(
    ("finess", "departement", "expected"),
    [
        ("920150059", "92", True),
        ("920150059", "93", False),
        ("2A0000154", "2A", True),
        ("970100228", "971", True),
        ("970100228", "92", False),
        ("750000499", "75", True),
    ],
)
def test_a_finess_prefix_is_its_departement(finess, departement, expected):
    assert prefix_matches(finess, departement) is expected


def test_overseas_prefixes_of_finess_files():
    assert departement_of_prefix("9A") == "971" and departement_of_prefix("9F") == "976"
    assert departement_of_prefix("92") == "92"
