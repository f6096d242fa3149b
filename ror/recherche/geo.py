"""Geography: great-circle distance (the same formula as the SQL of queries/)."""

from __future__ import annotations

import functools
import json
import math
import random

import numpy as np
import shapely

EARTH_RADIUS_KM = 6371.0
# A FINESS geocoding further than this from the site's commune is an error of the extract (two IDF sites of the
# 2020 extract are placed hundreds of kilometres away): the commune centroid is used instead.
MAX_KM_FROM_COMMUNE = 15.0


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    return float(distance_km(lat1, lon1, np.float64(lat2), np.float64(lon2)))


def distance_km(lat: float, lon: float, lats: np.ndarray, lons: np.ndarray) -> np.ndarray:
    """Great-circle distance from one point to each of some points, as the SQL macro distance_km computes it (the
    search engine, ror/recherche/engine.py; haversine_km for two points)."""
    lat1, lat2 = lat * (np.pi / 180.0), lats * (np.pi / 180.0)
    half_dlat = (lats - lat) * (np.pi / 180.0) / 2
    half_dlon = (lons - lon) * (np.pi / 180.0) / 2
    inner = np.sin(half_dlat) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin(half_dlon) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(inner))


KM_PER_DEGREE_LAT = 110.574
KM_PER_DEGREE_LON_EQUATOR = 111.320


def _ring_area_km2(ring: list[list[float]], cos_lat: float) -> float:
    """Shoelace area of one closed ring of [lon, lat] points, projected at the given latitude's scale."""
    area = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        area += x1 * y2 - x2 * y1
    return abs(area) / 2 * KM_PER_DEGREE_LON_EQUATOR * cos_lat * KM_PER_DEGREE_LAT


def area_km2(geometry: dict) -> float:
    """Area of a GeoJSON Polygon or MultiPolygon in km² (holes removed). An equirectangular projection at the
    shape's mean latitude: well under 1 % off for a commune or a département."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    lats = [point[1] for polygon in polygons for point in polygon[0]]
    cos_lat = math.cos(math.radians(sum(lats) / len(lats)))
    total = 0.0
    for outer, *holes in polygons:
        total += _ring_area_km2(outer, cos_lat) - sum(_ring_area_km2(hole, cos_lat) for hole in holes)
    return total


# Boxes (lat_min, lat_max, lon_min, lon_max) around metropolitan France with Corse and each overseas
# département or collectivité that FINESS covers.
FRANCE_BOXES = (
    (41.3, 51.2, -5.3, 9.7),  # métropole and Corse
    (15.8, 16.6, -61.9, -60.9),  # Guadeloupe
    (14.3, 14.95, -61.3, -60.75),  # Martinique
    (2.0, 5.9, -54.7, -51.5),  # Guyane
    (-21.45, -20.8, 55.1, 55.9),  # La Réunion
    (46.7, 47.2, -56.5, -56.1),  # Saint-Pierre-et-Miquelon
    (-13.1, -12.6, 44.9, 45.35),  # Mayotte
    (17.85, 18.15, -63.2, -62.75),  # Saint-Martin, Saint-Barthélemy
)


def in_france(lat: float, lon: float) -> bool:
    """Whether a WGS84 point lies in France (metropolitan or overseas), by boxes around each territory."""
    return any(a <= lat <= b and c <= lon <= d for a, b, c, d in FRANCE_BOXES)


@functools.lru_cache(maxsize=4096)
def _shape(geojson: str) -> shapely.Geometry:
    return shapely.geometry.shape(json.loads(geojson))


def random_point(geojson: str, rng: random.Random) -> tuple[float, float]:
    """(lat, lon) drawn uniformly inside a boundary (GeoJSON geometry): the demo spreads its establishments over their
    commune or arrondissement."""
    shape = _shape(geojson)
    west, south, east, north = shape.bounds
    while True:
        lon, lat = rng.uniform(west, east), rng.uniform(south, north)
        if shapely.contains_xy(shape, lon, lat):
            return round(lat, 6), round(lon, 6)
