import pytest

from ror.recherche.geo import haversine_km


@pytest.mark.parametrize(
    ("a", "b", "km"),
    [
        ((48.8566, 2.3522), (45.7640, 4.8357), 392),  # Paris - Lyon
        ((48.8566, 2.3522), (43.2965, 5.3698), 661),  # Paris - Marseille
        ((48.8566, 2.3522), (48.8566, 2.3522), 0),
    ],
)
def test_known_distances(a, b, km):
    assert haversine_km(*a, *b) == pytest.approx(km, abs=3)
