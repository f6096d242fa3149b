import pytest

from ror.finess import finess_error, is_valid_finess, luhn_key, make_finess


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
