"""French numbers and hours, the one formatter (ror/core/formats.py)."""

from ror.core import formats


def test_integers_have_narrow_no_break_spaces_between_thousands():
    assert formats.integer(12463067) == "12\u202f463\u202f067"
    assert formats.integer(999) == "999" and formats.integer(2.6) == "3" and formats.integer(None) == "–"


def test_percent_has_a_decimal_comma():
    assert formats.percent(0.0684) == "6,8\u202f%" and formats.percent(0.5, 0) == "50\u202f%"
    assert formats.percent(None) == "–"


def test_clock_from_minutes():
    assert [formats.clock(m) for m in (0, 5, 510, 1439, 1440)] == ["00:00", "00:05", "08:30", "23:59", "24:00"]


def test_distances_and_sizes_read_the_french_way():
    assert (
        formats.km(0.44) == "0,4\u202fkm" and formats.km(1234.56) == "1\u202f234,6\u202fkm" and formats.km(None) == "–"
    )
    assert formats.megabytes(24_080_000) == "24,1\u202fMo"
    assert formats.decimal(-3.14159, 2) == "-3,14"
