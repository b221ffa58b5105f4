"""geo.segment_distance: exactness against a pyproj brute force, the bounds it relies on,
edge cases (poles, antimeridian, far points, empty input) and properties."""

from __future__ import annotations

import doctest

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.spatial import cKDTree

import shapely
from pyproj import Geod

import incidentmap.geo.segment_distance
from incidentmap.geo._ellipsoid import A_M, B_M, E2, R_MAX_M
from incidentmap.geo._segment_tree import cut_pieces
from incidentmap.geo.borders import load_countries
from incidentmap.geo.errors import InvalidCoordinateError
from incidentmap.geo.geodesic import geodesic_destination, geodesic_distance_m
from incidentmap.geo.segment_distance import BoundaryDataError, SegmentDistanceIndex

GEOD = Geod(ellps="WGS84")
EQUATOR_DEGREE_M = 111319.49079327357  # a * pi / 180


def ecef(lon, lat):
    lon, lat = np.radians(lon), np.radians(lat)
    n = A_M / np.sqrt(1 - E2 * np.sin(lat) ** 2)
    return np.stack(
        (n * np.cos(lat) * np.cos(lon), n * np.cos(lat) * np.sin(lon), n * (1 - E2) * np.sin(lat)),
        axis=-1,
    )


class BruteForce:
    """Reference distance by pyproj over the segments densified at 100 m, 2 m, then 1 cm.

    Independent of the engine: candidates are the segments with an end within chord
    ``upper_m + length / 2`` of the point (chord <= geodesic), where ``upper_m`` is any
    distance not below the true one and ``length`` a crude bound of the segment's length
    (R = a^2/b per radian of latitude, R cos(lat) per radian of longitude at the latitude
    nearest the equator; R >= N >= M); each stage keeps every sample
    within one spacing of the best and resamples one spacing either side of it, so the true
    nearest point is never lost.  The result is within 5 mm above the truth (1 cm spacing).
    """

    LONG_M = 20_000.0

    def __init__(self, lon0, lat0, lon1, lat1):
        self.seg = [np.asarray(v, float) for v in (lon0, lat0, lon1, lat1)]
        lon0, lat0, lon1, lat1 = self.seg
        equator = np.where(lat0 * lat1 <= 0, 0.0, np.minimum(np.abs(lat0), np.abs(lat1)))
        self.length_m = R_MAX_M * np.hypot(
            np.radians(np.abs(lon1 - lon0)) * np.cos(np.radians(equator)),
            np.radians(np.abs(lat1 - lat0)),
        )
        self.x0, self.x1 = ecef(lon0, lat0), ecef(lon1, lat1)
        self.long = np.flatnonzero(self.length_m > self.LONG_M)
        self.tree = cKDTree(np.concatenate((self.x0, self.x1)))

    def distance_m(self, qlon, qlat, upper_m):
        lon0, lat0, lon1, lat1 = self.seg
        q = ecef(qlon, qlat)
        near = np.asarray(self.tree.query_ball_point(q, upper_m + self.LONG_M / 2 + 1.0), int)
        seg = np.unique(np.concatenate((near % lon0.size, self.long)))
        chord = np.minimum(
            np.linalg.norm(self.x0[seg] - q, axis=1), np.linalg.norm(self.x1[seg] - q, axis=1)
        )
        seg = seg[chord <= upper_m + self.length_m[seg] / 2 + 1.0]
        lo, hi = np.zeros(seg.size), np.ones(seg.size)
        best = np.inf
        for spacing_m in (100.0, 2.0, 0.01):
            n = np.maximum(1, np.ceil((hi - lo) * self.length_m[seg] / spacing_m)).astype(int)
            w = np.repeat(np.arange(seg.size), n + 1)
            k = np.arange(w.size) - np.repeat(np.cumsum(n + 1) - (n + 1), n + 1)
            step = (hi - lo)[w] / n[w]
            t = lo[w] + k * step
            s = seg[w]
            d = GEOD.inv(
                np.full(s.size, float(qlon)),
                np.full(s.size, float(qlat)),
                lon0[s] + t * (lon1 - lon0)[s],
                lat0[s] + t * (lat1 - lat0)[s],
            )[2]
            best = d.min()
            keep = d <= best + spacing_m
            seg, lo, hi = s[keep], np.clip(t - step, 0, 1)[keep], np.clip(t + step, 0, 1)[keep]
        return best

    def distances_m(self, lon, lat, upper_m):
        """Reference distances for arrays of points (``upper_m`` as for ``distance_m``)."""
        pairs = zip(lon, lat, np.asarray(upper_m) + 1e-3, strict=True)
        return np.array([self.distance_m(x, y, d) for x, y, d in pairs])


def segments_of(geoms):
    """(lon0, lat0, lon1, lat1) of every segment of the boundaries of ``geoms``."""
    parts = shapely.get_parts(shapely.get_parts(shapely.boundary(np.asarray(geoms))))
    coords, line = shapely.get_coordinates(parts, return_index=True)
    same = line[1:] == line[:-1]
    return coords[:-1, 0][same], coords[:-1, 1][same], coords[1:, 0][same], coords[1:, 1][same]


@pytest.fixture(scope="module")
def black_sea_borders():
    """Romania, Moldova and Ukraine (land + territorial sea) from the shipped border data,
    built from geo-maps' countries-maritime-10m (real data, ~30 k segments)."""
    countries = load_countries()
    df = countries[countries["a3"].isin(["ROU", "MDA", "UKR"])].reset_index(drop=True)
    assert sorted(df["a3"]) == ["MDA", "ROU", "UKR"]
    segments = segments_of(df.geometry.values)
    return df, segments, SegmentDistanceIndex(*segments), BruteForce(*segments)


def points_near(segments, n, max_distance_m, seed):
    """Points at a random distance up to ``max_distance_m`` from random segment ends."""
    rng = np.random.default_rng(seed)
    v = rng.integers(0, segments[0].size, n)
    return geodesic_destination(
        segments[0][v], segments[1][v], rng.uniform(-180, 180, n), rng.uniform(0, max_distance_m, n)
    )


def assert_on_segment(hit, segments):
    lon0, lat0, lon1, lat1 = (v[hit.segment] for v in segments)
    dlon, dlat = lon1 - lon0, lat1 - lat0
    len2 = dlon**2 + dlat**2
    t = np.where(len2 > 0, ((hit.lon - lon0) * dlon + (hit.lat - lat0) * dlat) / len2, 0.0)
    assert ((t > -1e-9) & (t < 1 + 1e-9)).all()
    assert np.abs(lon0 + t * dlon - hit.lon).max() < 1e-9
    assert np.abs(lat0 + t * dlat - hit.lat).max() < 1e-9


# --- exactness on real data -------------------------------------------------------------


@pytest.mark.parametrize(
    ("max_distance_m", "n", "seed"), [(2e3, 25, 1), (300e3, 20, 2), (3000e3, 6, 3)]
)
def test_matches_brute_force_on_real_borders(black_sea_borders, max_distance_m, n, seed):
    _, segments, index, brute = black_sea_borders
    lon, lat = points_near(segments, n, max_distance_m, seed)
    hit = index.nearest(lon, lat)
    ref = brute.distances_m(lon, lat, hit.distance_m)
    # the reference samples at 1 cm, so it may exceed the truth by up to 5 mm at 0 m
    assert np.abs(hit.distance_m - ref).max() < 1e-3
    assert_on_segment(hit, segments)
    pyproj_to_hit = GEOD.inv(lon, lat, hit.lon, hit.lat)[2]
    assert np.abs(pyproj_to_hit - hit.distance_m).max() < 1e-3


def test_segment_source_names_the_input_geometry(black_sea_borders):
    df, _, _, _ = black_sea_borders
    index = SegmentDistanceIndex.from_lines(df.geometry.values)
    # 60 km off Constanta: the nearest border is the edge of Romania's territorial sea
    hit = index.nearest(29.45, 44.1)
    assert df["a3"].iloc[index.segment_source[hit.segment]] == "ROU"
    assert 20e3 < hit.distance_m < 60e3
    lon, lat = points_near(segments_of(df.geometry.values), 200, 100e3, 9)
    hits = index.nearest(lon, lat)
    owners = df.geometry.values[index.segment_source[hits.segment]]
    gap = shapely.distance(shapely.boundary(owners), shapely.points(hits.lon, hits.lat))
    assert gap.max() < 1e-9


def test_piece_length_does_not_change_answers(black_sea_borders):
    _, segments, index, _ = black_sea_borders
    coarse = SegmentDistanceIndex(*segments, max_piece_m=20_000.0)
    fine = SegmentDistanceIndex(*segments, max_piece_m=50.0)
    assert coarse.n_pieces < index.n_pieces < fine.n_pieces
    lon, lat = points_near(segments, 2000, 300e3, 4)
    ref = index.nearest(lon, lat).distance_m
    for other in (coarse, fine):
        assert np.abs(other.nearest(lon, lat).distance_m - ref).max() < 1e-6


def test_threads_give_the_serial_answers(black_sea_borders):
    """The threaded search answers each point exactly as the serial one (same piece, same
    bits), for batches above and below the size where ``nearest`` switches by itself."""
    _, segments, index, brute = black_sea_borders
    lon, lat = points_near(segments, 5000, 300e3, 11)
    serial = index.nearest(lon, lat, parallel=False)
    for threaded in (index.nearest(lon, lat, parallel=True), index.nearest(lon, lat)):
        for a, b in zip(serial, threaded, strict=True):
            assert np.array_equal(a, b)
    few = index.nearest(lon[:40], lat[:40], parallel=True)
    assert np.array_equal(few.distance_m, serial.distance_m[:40])
    sample = slice(0, 12)
    ref = brute.distances_m(lon[sample], lat[sample], serial.distance_m[sample])
    assert np.abs(serial.distance_m[sample] - ref).max() < 1e-3


# --- analytic answers -------------------------------------------------------------------


@pytest.mark.parametrize("lat0", [-70.0, -30.0, 0.0, 45.0, 60.0, 85.0])
@pytest.mark.parametrize("distance_m", [0.5, 1e3, 300e3, 3000e3])
def test_meridian_segment(lat0, distance_m):
    """The geodesic leaving a meridian at right angles is the shortest way back to it."""
    index = SegmentDistanceIndex([10.0], [lat0 - 2.0], [10.0], [min(lat0 + 2.0, 90.0)])
    lon, lat, _ = GEOD.fwd(10.0, lat0, 90.0, distance_m)
    hit = index.nearest(lon, lat)
    # pyproj (Karney) and geo.geodesic (Vincenty) agree to 0.1 mm
    assert hit.distance_m == pytest.approx(distance_m, abs=1e-4)
    assert hit.lon == pytest.approx(10.0, abs=1e-12)
    assert hit.lat == pytest.approx(lat0, abs=1e-8)


@pytest.mark.parametrize("lat", [-89.0, -10.0, 0.001, 33.3])
def test_equator_segment(lat):
    index = SegmentDistanceIndex([-5.0, 0.0], [0.0, 0.0], [0.0, 5.0], [0.0, 0.0])
    hit = index.nearest(2.5, lat)
    assert hit.distance_m == pytest.approx(GEOD.inv(2.5, 0.0, 2.5, lat)[2], abs=1e-4)
    assert (float(hit.lat), int(hit.segment)) == (0.0, 1)
    # seen from near the pole the equator is nearly equidistant, so the foot is ill-posed
    assert hit.lon == pytest.approx(2.5, abs=1e-7 if abs(lat) < 60 else 1e-3)


def test_points_on_the_boundary_are_at_zero(black_sea_borders):
    _, segments, index, _ = black_sea_borders
    rng = np.random.default_rng(5)
    k = rng.integers(0, segments[0].size, 1000)
    t = rng.uniform(0, 1, k.size)
    t[:100] = 0.0  # vertices
    lon = segments[0][k] + t * (segments[2][k] - segments[0][k])
    lat = segments[1][k] + t * (segments[3][k] - segments[1][k])
    hit = index.nearest(lon, lat)
    assert hit.distance_m.max() < 1e-6


def test_parallel_ring_around_the_north_pole():
    lons = np.arange(-180.0, 180.0, 15.0)
    index = SegmentDistanceIndex(lons, np.full(24, 89.5), lons + 15.0, np.full(24, 89.5))
    to_ring = GEOD.inv(0.0, 90.0, 0.0, 89.5)[2]
    assert index.nearest(0.0, 90.0).distance_m == pytest.approx(to_ring, abs=1e-5)
    inside, outside = index.nearest([123.0, -77.0], [89.9, 89.0]).distance_m
    assert inside == pytest.approx(GEOD.inv(123.0, 89.9, 123.0, 89.5)[2], abs=1e-5)
    assert outside == pytest.approx(GEOD.inv(-77.0, 89.0, -77.0, 89.5)[2], abs=1e-5)
    brute = BruteForce(lons, np.full(24, 89.5), lons + 15.0, np.full(24, 89.5))
    lon, lat = np.array([30.0, 179.0]), np.array([89.7, 88.0])
    hit = index.nearest(lon, lat)
    ref = brute.distances_m(lon, lat, hit.distance_m)
    assert hit.distance_m == pytest.approx(ref, abs=1e-3)


def test_segments_touching_the_antimeridian():
    # a border along 180 E between 60 and 70 N, drawn as two lines as GeoJSON splits it
    index = SegmentDistanceIndex([180.0, -180.0], [60.0, 65.0], [180.0, -180.0], [65.0, 70.0])
    for azimuth, lat0 in ((90.0, 62.0), (-90.0, 62.0), (90.0, 68.0), (-90.0, 68.0)):
        lon, lat, _ = GEOD.fwd(180.0, lat0, azimuth, 1000.0)
        hit = index.nearest(lon, lat)
        assert hit.distance_m == pytest.approx(1000.0, abs=1e-6)
        assert abs(hit.lon) == pytest.approx(180.0, abs=1e-12)
        assert hit.lat == pytest.approx(lat0, abs=1e-9)


def test_far_points_including_the_antipode():
    index = SegmentDistanceIndex([26.0, 27.0], [44.0, 45.0], [27.0, 28.0], [45.0, 44.5])
    brute = BruteForce([26.0, 27.0], [44.0, 45.0], [27.0, 28.0], [45.0, 44.5])
    lon = np.array([-154.0, -153.2, 100.0, -60.0, 27.0])
    lat = np.array([-44.0, -44.9, -10.0, 80.0, -89.9])
    hit = index.nearest(lon, lat)
    ref = brute.distances_m(lon, lat, hit.distance_m)
    assert hit.distance_m == pytest.approx(ref, abs=1e-3)
    assert hit.distance_m.min() > 5e6


# --- the bounds the search relies on ----------------------------------------------------


def test_chord_bound_with_the_largest_radius_of_curvature():
    """chord <= 2 R sin(s / 2R) with R = a^2/b; with R = b^2/a it fails (so the test bites)."""
    rng = np.random.default_rng(6)
    n = 200_000
    lon1 = rng.uniform(-180, 180, n)
    lat1 = np.concatenate(
        (
            np.degrees(np.arcsin(rng.uniform(-1, 1, n // 2))),
            rng.uniform(80, 90, n // 4) * rng.choice([-1, 1], n // 4),
            rng.normal(0, 5, n - n // 2 - n // 4),
        )
    )
    azimuth = np.where(
        rng.uniform(size=n) < 0.5, rng.choice([0.0, 180.0], n), rng.uniform(-180, 180, n)
    )
    s = np.exp(rng.uniform(np.log(1.0), np.log(2.0e7), n))
    lon2, lat2, _ = GEOD.fwd(lon1, lat1, azimuth, s)
    s = GEOD.inv(lon1, lat1, lon2, lat2)[2]  # the shortest line, not the one followed
    chord = np.linalg.norm(ecef(lon1, lat1) - ecef(lon2, lat2), axis=1)

    def slack(radius_m):
        return 2 * radius_m * np.sin(s / (2 * radius_m)) - chord

    assert slack(R_MAX_M).min() > -1e-6
    assert slack(B_M * B_M / A_M).min() < -100.0


def test_dev_bounds_how_far_pieces_stray_from_their_chords():
    rng = np.random.default_rng(8)
    n = 600
    lon0 = rng.uniform(-180, 180, n)
    lat0 = np.concatenate((rng.uniform(-89.9, 89.9, n // 2), rng.uniform(85, 89.99, n - n // 2)))
    lon1 = lon0 + rng.normal(0, 3, n)
    lat1 = np.clip(lat0 + rng.normal(0, 0.5, n), -90, 90)
    lonlat, _, chords = cut_pieces(*np.radians([lon0, lat0, lon1, lat1]), 2000.0)
    t = np.linspace(0, 1, 21)[:, None]
    lon = np.degrees(lonlat[:, 0] + t * (lonlat[:, 2] - lonlat[:, 0]))
    lat = np.degrees(lonlat[:, 1] + t * (lonlat[:, 3] - lonlat[:, 1]))
    p = ecef(lon, lat)
    a, b = chords[:, 0:3], chords[:, 3:6]
    e = b - a
    u = np.clip(((p - a) * e).sum(-1) / np.maximum((e * e).sum(-1), 1e-300), 0, 1)
    off_chord = np.linalg.norm(p - (a + u[..., None] * e), axis=-1).max(axis=0)
    assert (off_chord <= chords[:, 6]).all()
    assert np.median(off_chord / chords[:, 6]) > 0.1  # and the bound is not vacuous
    piece_m = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2].sum(axis=0)
    assert piece_m.max() <= 2000.0


# --- input handling ---------------------------------------------------------------------


def test_empty_input_is_a_clear_error():
    with pytest.raises(BoundaryDataError, match="no boundary segments"):
        SegmentDistanceIndex([], [], [], [])
    with pytest.raises(BoundaryDataError, match="no boundary segments"):
        SegmentDistanceIndex.from_lines([None, shapely.Polygon()])


def test_bad_input_names_the_value():
    with pytest.raises(InvalidCoordinateError, match=r"latitude 91\.0"):
        SegmentDistanceIndex([0.0], [91.0], [1.0], [0.0])
    with pytest.raises(BoundaryDataError, match="equal length"):
        SegmentDistanceIndex([0.0, 1.0], [0.0, 1.0], [1.0], [0.0])
    with pytest.raises(BoundaryDataError, match="one label per segment"):
        SegmentDistanceIndex([0.0], [0.0], [1.0], [0.0], segment_source=[1, 2])
    with pytest.raises(BoundaryDataError, match="max_piece_m"):
        SegmentDistanceIndex([0.0], [0.0], [1.0], [0.0], max_piece_m=0.0)
    with pytest.raises(BoundaryDataError, match="Point"):
        SegmentDistanceIndex.from_lines([shapely.LineString([(0, 0), (1, 1)]), shapely.Point(0, 0)])
    index = SegmentDistanceIndex([0.0], [0.0], [1.0], [0.0])
    with pytest.raises(InvalidCoordinateError, match="swapped"):
        index.nearest(45.0, 120.0)


def test_from_lines_accepts_lines_polygons_and_collections():
    square = shapely.box(0, 0, 1, 1)
    holed = shapely.Polygon(
        [(10, 0), (13, 0), (13, 3), (10, 3)], [[(11, 1), (12, 1), (12, 2), (11, 2)]]
    )
    geoms = [
        shapely.LineString([(20, 0), (21, 0), (21, 1)]),
        None,
        shapely.MultiPolygon([square, shapely.box(5, 5, 6, 6)]),
        shapely.GeometryCollection([holed, shapely.LineString([(30, 0), (30, 1)])]),
    ]
    index = SegmentDistanceIndex.from_lines(geoms)
    assert len(index) == 2 + 8 + 8 + 1
    assert np.bincount(index.segment_source).tolist() == [2, 0, 8, 9]
    hit = index.nearest(11.5, 1.5)  # inside the hole: its ring is 0.5 degrees away
    assert index.segment_source[hit.segment] == 3
    assert hit.distance_m == pytest.approx(GEOD.inv(11.5, 1.5, 11.5, 1.0)[2], rel=1e-3)


def test_shapes_scalars_and_repr():
    index = SegmentDistanceIndex([0.0], [-1.0], [0.0], [1.0])
    hit = index.nearest(1.0, 0.0)
    assert all(np.ndim(v) == 0 for v in hit)
    assert hit.distance_m == pytest.approx(EQUATOR_DEGREE_M, abs=1e-6)
    grid = index.nearest(np.ones((3, 4)), np.linspace(-1, 1, 4))
    assert all(v.shape == (3, 4) for v in grid)
    assert "1 segments" in repr(index) and index.nbytes > 0


def test_docstring_examples():
    result = doctest.testmod(incidentmap.geo.segment_distance)
    assert result.attempted >= 3 and result.failed == 0


# --- properties -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_index(black_sea_borders):
    _, segments, _, _ = black_sea_borders
    keep = slice(0, 3000)  # a few hundred km of real, wiggly border
    return SegmentDistanceIndex(*(v[keep] for v in segments))


@settings(max_examples=150, deadline=None)
@given(
    lon=st.floats(15, 45),
    lat=st.floats(38, 58),
    azimuth=st.floats(-180, 180),
    step_m=st.floats(0, 20_000),
)
def test_distance_properties(small_index, lon, lat, azimuth, step_m):
    hit = small_index.nearest(lon, lat)
    assert hit.distance_m >= 0.0
    to_point = geodesic_distance_m(lon, lat, hit.lon, hit.lat)
    assert to_point == pytest.approx(hit.distance_m, abs=1e-6)
    lon2, lat2 = geodesic_destination(lon, lat, azimuth, step_m)
    moved = small_index.nearest(lon2, lat2)
    assert abs(moved.distance_m - hit.distance_m) <= step_m + 1e-6  # 1-Lipschitz
