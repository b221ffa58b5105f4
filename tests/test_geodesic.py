"""incidentmap.geo.geodesic against pyproj's Geod (Karney's algorithm) on WGS84."""

from __future__ import annotations

import doctest
import zlib

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyproj import Geod

import incidentmap.geo.geodesic
from incidentmap.geo.errors import InvalidCoordinateError
from incidentmap.geo.geodesic import geodesic_destination, geodesic_distance_m, geodesic_inverse

GEOD = Geod(ellps="WGS84")
N = 20_000


def _uniform_sphere(rng, n):
    return rng.uniform(-180, 180, n), np.degrees(np.arcsin(rng.uniform(-1, 1, n)))


def _pairs(kind: str, rng):
    lon1, lat1 = _uniform_sphere(rng, N)
    if kind == "global":
        lon2, lat2 = _uniform_sphere(rng, N)
    elif kind == "short":  # up to a few hundred km
        lon2 = lon1 + rng.uniform(-3, 3, N)
        lat2 = np.clip(lat1 + rng.uniform(-3, 3, N), -90, 90)
    elif kind == "near_antipodal":
        lon2 = lon1 + 180 + rng.normal(0, 0.5, N)
        lat2 = np.clip(-lat1 + rng.normal(0, 0.5, N), -90, 90)
    elif kind == "near_antipodal_equator":
        lat1 = rng.normal(0, 0.3, N)
        lon2 = lon1 + 180 + rng.normal(0, 0.5, N)
        lat2 = -lat1 + rng.normal(0, 0.1, N)
    elif kind == "near_poles":
        lat1 = rng.uniform(88, 90, N) * rng.choice([-1, 1], N)
        lon2 = rng.uniform(-180, 180, N)
        lat2 = np.clip(lat1 + rng.normal(0, 1, N), -90, 90)
    elif kind == "exact_pole":
        lat1 = np.full(N, 90.0)
        lon2, lat2 = _uniform_sphere(rng, N)
    elif kind == "antimeridian":
        lon1 = rng.uniform(179, 180, N)
        lon2 = rng.uniform(-180, -179, N)
        lat2 = np.clip(lat1 + rng.uniform(-0.5, 0.5, N), -90, 90)
    elif kind == "coincident":
        lon2, lat2 = lon1.copy(), lat1.copy()
    elif kind == "millimetres":
        lon2, lat2 = lon1 + rng.uniform(-1e-8, 1e-8, N), np.clip(lat1 + 1e-8, -90, 90)
    else:  # pragma: no cover
        raise AssertionError(kind)
    lon2 = (lon2 + 180) % 360 - 180
    return lon1, lat1, lon2, lat2


@pytest.mark.parametrize(
    "kind",
    [
        "global",
        "short",
        "near_antipodal",
        "near_antipodal_equator",
        "near_poles",
        "exact_pole",
        "antimeridian",
        "coincident",
        "millimetres",
    ],
)
def test_inverse_distance_matches_pyproj_to_a_millimetre(kind):
    rng = np.random.default_rng(zlib.crc32(kind.encode()))
    lon1, lat1, lon2, lat2 = _pairs(kind, rng)
    ours = geodesic_distance_m(lon1, lat1, lon2, lat2)
    ref = GEOD.inv(lon1, lat1, lon2, lat2)[2]
    assert np.abs(ours - ref).max() <= 1e-3
    if kind == "coincident":
        assert (ours == 0).all()


def test_inverse_azimuths_match_pyproj():
    rng = np.random.default_rng(7)
    lon1, lat1, lon2, lat2 = _pairs("global", rng)
    res = geodesic_inverse(lon1, lat1, lon2, lat2)
    az1, az2, dist = GEOD.inv(lon1, lat1, lon2, lat2)
    # azimuths are ill-conditioned at the poles and between nearly antipodal points
    ok = (np.abs(lat1) < 89.9) & (np.abs(lat2) < 89.9) & (dist < 19_900e3)
    assert ok.sum() > 0.95 * N
    # pyproj returns the back azimuth at the second point; ours is the forward one
    for ours, theirs in ((res.azimuth1_deg, az1), (res.azimuth2_deg, az2 + 180)):
        diff = np.abs((ours - theirs + 180) % 360 - 180)[ok]
        assert diff.max() < 1e-5


@pytest.mark.parametrize("max_distance_m", [5e6, 2e7])
def test_destination_matches_pyproj(max_distance_m):
    rng = np.random.default_rng(11)
    lon, lat = _uniform_sphere(rng, N)
    azimuth = rng.uniform(-180, 180, N)
    distance = rng.uniform(0, max_distance_m, N)
    lon2, lat2 = geodesic_destination(lon, lat, azimuth, distance)
    ref_lon, ref_lat, _ = GEOD.fwd(lon, lat, azimuth, distance)
    assert np.abs(GEOD.inv(lon2, lat2, ref_lon, ref_lat)[2]).max() <= 1e-3
    assert ((lon2 >= -180) & (lon2 < 180)).all()


def test_destination_then_inverse_round_trip():
    rng = np.random.default_rng(3)
    lon, lat = _uniform_sphere(rng, N)
    lat = np.clip(lat, -89, 89)
    azimuth = rng.uniform(-180, 180, N)
    distance = rng.uniform(1, 3e6, N)
    lon2, lat2 = geodesic_destination(lon, lat, azimuth, distance)
    back = geodesic_inverse(lon, lat, lon2, lat2)
    assert np.abs(back.distance_m - distance).max() < 1e-6
    assert np.abs((back.azimuth1_deg - azimuth + 180) % 360 - 180).max() < 1e-7


def test_known_values():
    # one degree of the equator is a * pi / 180
    assert geodesic_distance_m(0.0, 0.0, 1.0, 0.0) == pytest.approx(111319.49079327357, abs=1e-6)
    # quarter meridian of WGS84
    assert geodesic_distance_m(0.0, 0.0, 0.0, 90.0) == pytest.approx(10001965.729, abs=1e-3)
    # the same meridian crossed at the antimeridian: 0.02 degrees of longitude on the equator
    assert geodesic_distance_m(179.99, 0.0, -179.99, 0.0) == pytest.approx(
        0.02 * 111319.49079327357, abs=1e-6
    )


def test_scalars_give_scalars_and_arrays_broadcast():
    d = geodesic_distance_m(28.05, 45.43, 28.19, 45.35)
    assert np.ndim(d) == 0 and isinstance(float(d), float)
    grid = geodesic_distance_m(np.zeros((2, 3)), 0.0, 1.0, np.arange(3.0))
    assert grid.shape == (2, 3)
    lon, lat = geodesic_destination(0.0, 0.0, [0.0, 90.0], 1000.0)
    assert lon.shape == lat.shape == (2,)


def test_bad_coordinates_name_the_value_and_the_likely_mistake():
    with pytest.raises(InvalidCoordinateError, match=r"latitude 95\.0.*swapped"):
        geodesic_distance_m(45.0, 95.0, 0.0, 0.0)
    with pytest.raises(InvalidCoordinateError, match="nan"):
        geodesic_distance_m([0.0, np.nan], 0.0, 0.0, 0.0)
    with pytest.raises(InvalidCoordinateError, match="finite"):
        geodesic_destination(0.0, 0.0, np.inf, 10.0)


def test_docstring_examples():
    result = doctest.testmod(incidentmap.geo.geodesic)
    assert result.attempted >= 3 and result.failed == 0


lons = st.floats(-180, 180)
lats = st.floats(-90, 90)


@settings(max_examples=200, deadline=None)
@given(lons, lats, lons, lats, lons, lats)
def test_metric_properties(lon1, lat1, lon2, lat2, lon3, lat3):
    d12 = float(geodesic_distance_m(lon1, lat1, lon2, lat2))
    d21 = float(geodesic_distance_m(lon2, lat2, lon1, lat1))
    d23 = float(geodesic_distance_m(lon2, lat2, lon3, lat3))
    d13 = float(geodesic_distance_m(lon1, lat1, lon3, lat3))
    assert d12 >= 0.0
    assert d12 == pytest.approx(d21, abs=1e-4)
    assert d13 <= d12 + d23 + 1e-3
    assert d12 <= 20_003_931.46 + 1e-3  # half the meridian, the longest shortest line
