"""PolygonIndex against shapely's exact predicates, on real maritime border polygons."""

from __future__ import annotations

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import shapely
from shapely.geometry import LineString, MultiPolygon, Polygon, box

from incidentmap.geo import _pip_kernels as kern
from incidentmap.geo.borders import load_countries
from incidentmap.geo.errors import DataFileError
from incidentmap.geo.point_index import InvalidGeometryError, PolygonIndex

# Enclaves, exclaves, an overlap and borderlands; RUS, FJI and ATA reach the antimeridian
# and ATA's edges run along grid lines.
COUNTRIES = (
    "ITA",
    "SMR",
    "VAT",
    "CHE",
    "LIE",
    "DEU",
    "AUT",
    "BLR",
    "UKR",
    "MDA",
    "ROU",
    "BGR",
    "EST",
    "RUS",
    "FIN",
    "FJI",
    "ATA",
    "ZAF",
    "LSO",
)

SAN_MARINO = (12.4467, 43.9367)
VATICAN = (12.4534, 41.9029)
ROME = (12.4964, 41.9028)
BUSINGEN = (8.6900, 47.6970)  # German exclave surrounded by Switzerland
MEDVEZHYE_SANKOVO = (31.5469, 52.4753)  # Russian exclave surrounded by Belarus
CRIMEA = (34.4178, 45.2106)  # Ukraine; inside Russia's polygon too in the raw OSM data
GALATI = (28.05, 45.4353)
IZMAIL = (28.8363, 45.3509)


@pytest.fixture(scope="module")
def countries():
    """(codes, geometries) of COUNTRIES in file order, from the shipped polygons."""
    frame = load_countries()
    frame = frame[frame["a3"].isin(COUNTRIES)].reset_index(drop=True)
    geoms = np.array(frame.geometry.values, dtype=object)
    assert shapely.is_valid(geoms).all()
    assert set(shapely.get_type_id(geoms)) <= {3, 6}
    return list(frame["a3"]), geoms


@pytest.fixture(scope="module")
def index(countries):
    return PolygonIndex(countries[1])


def lowest_row(geoms, lon, lat, predicate=shapely.contains_xy):
    """The reference: lowest row whose geometry satisfies ``predicate`` at each point, or -1."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(lon.shape, -1, dtype=np.int64)
    for row in range(len(geoms) - 1, -1, -1):
        geom = geoms[row]
        if geom is None or geom.is_empty:
            continue
        minx, miny, maxx, maxy = geom.bounds
        sel = np.flatnonzero((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
        hit = predicate(geom, lon[sel], lat[sel])
        out[sel[hit]] = row
    return out


def assert_matches(geoms, idx, lon, lat):
    """Exact agreement: with intersects everywhere, with contains off the boundaries."""
    got = idx.locate(lon, lat)
    covers = lowest_row(geoms, lon, lat, shapely.intersects_xy)
    inside = lowest_row(geoms, lon, lat, shapely.contains_xy)
    off_boundary = covers == inside
    assert np.count_nonzero(got != covers) == 0
    assert np.count_nonzero(got[off_boundary] != inside[off_boundary]) == 0
    return got, off_boundary


def vertices(geoms):
    return shapely.get_coordinates(shapely.get_rings(shapely.get_parts(geoms)))


# ----------------------------------------------------------------------------- real data


def test_named_places(countries, index):
    codes, _ = countries
    places = [SAN_MARINO, VATICAN, ROME, BUSINGEN, MEDVEZHYE_SANKOVO, GALATI, IZMAIL]
    got = index.locate(*np.array(places).T)
    assert [codes[r] for r in got] == ["SMR", "VAT", "ITA", "DEU", "RUS", "ROU", "UKR"]


def test_overlap_goes_to_lowest_row(countries):
    codes, geoms = countries
    # the raw OSM data holds Crimea in both Russia's and Ukraine's polygon: rebuild that overlap
    claim = shapely.intersection(geoms[codes.index("UKR")], box(32.4, 44.3, 36.7, 46.3))
    geoms = np.append(geoms, np.array([claim], dtype=object))
    codes = [*codes, "RUS (claim)"]
    inside = [codes[r] for r in range(len(geoms)) if geoms[r].contains(shapely.Point(CRIMEA))]
    assert sorted(inside) == ["RUS (claim)", "UKR"]
    forward = PolygonIndex(geoms)
    backward = PolygonIndex(geoms[::-1])
    assert codes[forward.locate(*CRIMEA)] == min(inside, key=codes.index)
    assert codes[::-1][backward.locate(*CRIMEA)] == min(inside, key=codes[::-1].index)


def test_random_points_in_eastern_europe(countries, index):
    rng = np.random.default_rng(1)
    lon = rng.uniform(12, 42, 200_000)
    lat = rng.uniform(40, 62, 200_000)
    got, off_boundary = assert_matches(countries[1], index, lon, lat)
    assert off_boundary.all()
    assert (got >= 0).mean() > 0.5


def test_random_points_on_whole_earth(countries, index):
    rng = np.random.default_rng(2)
    lon = rng.uniform(-180, 180, 100_000)
    lat = np.degrees(np.arcsin(rng.uniform(-1, 1, 100_000)))
    got, _ = assert_matches(countries[1], index, lon, lat)
    assert len(set(got.tolist())) > 10


def test_points_near_vertices(countries, index):
    """Vertices jittered by 1e-7 to 1e-3 degrees: the hard cases for a grid."""
    rng = np.random.default_rng(3)
    xy = vertices(countries[1])
    pick = xy[rng.integers(0, len(xy), 150_000)]
    step = 10.0 ** rng.uniform(-7, -3, len(pick))
    angle = rng.uniform(0, 2 * np.pi, len(pick))
    lon = pick[:, 0] + step * np.cos(angle)
    lat = pick[:, 1] + step * np.sin(angle)
    got, off_boundary = assert_matches(countries[1], index, lon, lat)
    assert off_boundary.mean() > 0.999
    assert 0 < (got == -1).sum() < len(got)


def test_points_on_boundaries_count_as_covered(countries, index):
    """Vertices, and midpoints of axis-parallel edges, lie exactly on a boundary."""
    _, geoms = countries
    xy = vertices(geoms)
    rng = np.random.default_rng(4)
    on_vertex = xy[rng.integers(0, len(xy), 20_000)]
    rings = shapely.get_rings(shapely.get_parts(geoms))
    coords, ring = shapely.get_coordinates(rings, return_index=True)
    a, b = coords[:-1], coords[1:]
    same = ring[:-1] == ring[1:]
    straight = same & ((a[:, 0] == b[:, 0]) | (a[:, 1] == b[:, 1])) & (a != b).any(axis=1)
    mid = (a[straight] + b[straight]) / 2
    lon = np.concatenate([on_vertex[:, 0], mid[:, 0]])
    lat = np.concatenate([on_vertex[:, 1], mid[:, 1]])
    got, off_boundary = assert_matches(geoms, index, lon, lat)
    assert (~off_boundary).sum() > 10_000
    assert (got[~off_boundary] >= 0).all()


def test_grid_lines_and_the_edges_of_the_world(countries, index):
    rng = np.random.default_rng(5)
    on_quarter = np.round(rng.uniform(-180, 180, 50_000) * 4) / 4
    on_fine = np.round(rng.uniform(12, 42, 50_000) * 64) / 64
    lat_fine = np.round(rng.uniform(40, 62, 50_000) * 64) / 64
    lat_any = rng.uniform(-90, 90, 50_000)
    edge_lon = np.concatenate(
        [np.full(2000, 180.0), np.full(2000, -180.0), rng.uniform(-180, 180, 4000)]
    )
    edge_lat = np.concatenate(
        [rng.uniform(-90, 90, 4000), np.full(2000, 90.0), np.full(2000, -90.0)]
    )
    corners_lon = np.array([-180.0, -180.0, 180.0, 180.0, 0.0, 0.0, 179.9999, -179.9999])
    corners_lat = np.array([-90.0, 90.0, -90.0, 90.0, -90.0, 90.0, -16.5, -16.5])
    lon = np.concatenate([on_quarter, on_fine, edge_lon, corners_lon])
    lat = np.concatenate([lat_any, lat_fine, edge_lat, corners_lat])
    assert_matches(countries[1], index, lon, lat)


def test_polygons_reaching_the_antimeridian_and_the_south(countries, index):
    codes, _ = countries
    lon = np.array([179.5, -179.9, 178.0, 0.0, 100.0, -120.0, 150.0])
    lat = np.array([68.0, 67.0, -17.8, -80.0, -70.0, -75.0, 70.0])
    assert [codes[r] for r in index.locate(lon, lat)] == [
        "RUS",
        "RUS",
        "FJI",
        "ATA",
        "ATA",
        "ATA",
        "RUS",
    ]


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_answer_is_the_lowest_covering_row(countries, index, data):
    _, geoms = countries
    if data.draw(st.booleans()):
        lon = data.draw(st.floats(-180, 180))
        lat = data.draw(st.floats(-90, 90))
    else:
        xy = vertices(geoms[data.draw(st.integers(0, len(geoms) - 1))])
        vx, vy = xy[data.draw(st.integers(0, len(xy) - 1))]
        lon = vx + data.draw(st.sampled_from([0.0, 1e-12, -1e-9, 1e-6, -1e-4]))
        lat = vy + data.draw(st.sampled_from([0.0, -1e-12, 1e-9, -1e-6, 1e-4]))
    row = int(index.locate(lon, lat))
    covering = [r for r in range(len(geoms)) if shapely.intersects_xy(geoms[r], lon, lat)]
    assert row == (covering[0] if covering else -1)


# ----------------------------------------------------------------------------- synthetic shapes


def test_overlapping_boxes_lowest_row_wins():
    idx = PolygonIndex([box(0, 0, 10, 10), box(5, 5, 20, 20), None, Polygon()])
    got = idx.locate([1.0, 7.0, 15.0, 30.0, np.nan], [1.0, 7.0, 15.0, 30.0, 1.0])
    assert got.tolist() == [0, 0, 1, -1, -1]
    assert got.dtype == np.int32
    assert idx.n_polygons == 4


def test_holes_multipolygons_and_tiny_shapes_in_one_cell():
    ring = [(0.01, 0.01), (0.2, 0.01), (0.2, 0.2), (0.01, 0.2)]
    hole = [(0.05, 0.05), (0.1, 0.05), (0.1, 0.1), (0.05, 0.1)]
    comb = Polygon(
        [(0.3, 0.0)] + [(0.3 + k * 1e-3, 0.1 + 0.05 * (k % 2)) for k in range(200)] + [(0.5, 0.0)]
    )
    geoms = [
        Polygon(ring, [hole]),
        box(0.06, 0.06, 0.09, 0.09),  # island in the hole
        MultiPolygon([box(0.21, 0.0, 0.22, 0.01), box(0.23, 0.0, 0.24, 0.01)]),
        comb.buffer(0),
    ]
    rng = np.random.default_rng(6)
    lon = rng.uniform(-0.05, 0.55, 100_000)
    lat = rng.uniform(-0.05, 0.25, 100_000)
    for params in ({}, {"max_edges": 1, "max_depth": 8}, {"max_depth": 0}, {"cell_deg": 1.0}):
        assert_matches(geoms, PolygonIndex(geoms, **params), lon, lat)


def test_edges_along_cell_centre_lines():
    """Edges along the centre lines of cells and quadtree nodes move the reference points."""
    geoms = [
        box(-1.0, 0.125, 1.0, 0.625),
        box(1.0, 0.125, 2.0, 0.375),
        box(-3, -3, 3, 0.125),
        box(5.0625, 5.0625, 5.1875, 5.1875),  # edges on the centre lines of 1/8 degree nodes
        box(5.03125, 5.09375, 5.21875, 5.15625),
    ]
    rng = np.random.default_rng(7)
    lon = np.concatenate([rng.uniform(-4, 6, 50_000), np.round(rng.uniform(-4, 6, 5000) * 32) / 32])
    lat = np.concatenate([rng.uniform(-4, 6, 50_000), np.round(rng.uniform(-4, 6, 5000) * 32) / 32])
    assert_matches(geoms, PolygonIndex(geoms), lon, lat)
    assert_matches(geoms, PolygonIndex(geoms, max_edges=1, max_depth=6), lon, lat)


def test_shapes_and_scalars():
    idx = PolygonIndex([box(0, 0, 1, 1)])
    assert idx.locate(0.5, 0.5).shape == ()
    assert int(idx.locate(0.5, 0.5)) == 0
    grid = idx.locate(np.array([[0.5], [2.0]]), np.array([0.5, 0.7]))
    assert grid.shape == (2, 2)
    assert grid.tolist() == [[0, 0], [-1, -1]]
    assert idx.locate([], []).shape == (0,)


def test_parallel_gives_the_same_answers(countries, index):
    rng = np.random.default_rng(8)
    lon = rng.uniform(12, 42, 100_000)
    lat = rng.uniform(40, 62, 100_000)
    assert np.array_equal(index.locate(lon, lat, parallel=True), index.locate(lon, lat))


def test_rejects_lines_and_bad_options():
    with pytest.raises(InvalidGeometryError, match="row 1 .*LineString"):
        PolygonIndex([box(0, 0, 1, 1), LineString([(0, 0), (1, 1)])])
    with pytest.raises(ValueError, match="cell_deg 0.3"):
        PolygonIndex([box(0, 0, 1, 1)], cell_deg=0.3)


# ----------------------------------------------------------------------------- persistence


def test_save_and_load_round_trip(tmp_path, countries, index):
    path = index.save(tmp_path / "countries")
    assert path.name == "countries.npz"
    again = PolygonIndex.load(path)
    rng = np.random.default_rng(9)
    lon = rng.uniform(12, 42, 50_000)
    lat = rng.uniform(40, 62, 50_000)
    assert np.array_equal(again.locate(lon, lat), index.locate(lon, lat))
    assert again.n_polygons == len(countries[1])


def test_load_rejects_other_files(tmp_path):
    other = tmp_path / "other.npz"
    np.savez(other, a=np.arange(3))
    with pytest.raises(DataFileError, match="not a polygon index"):
        PolygonIndex.load(other)
    with pytest.raises(DataFileError, match="cannot read"):
        PolygonIndex.load(tmp_path / "missing.npz")


# ----------------------------------------------------------------------------- exact predicate


def _exact_sign(a, b, c):
    ax, ay, bx, by, cx, cy = (Fraction(v) for v in (*a, *b, *c))
    det = (ax - cx) * (by - cy) - (ay - cy) * (bx - cx)
    return (det > 0) - (det < 0)


def test_orientation_is_exact_near_collinear_points():
    rng = np.random.default_rng(10)
    zeros = 0
    for k in range(2000):
        a = rng.uniform(-180, 180, 2)
        b = a + rng.uniform(-1e-3, 1e-3, 2)
        if k % 2 == 0:  # exactly collinear on a dyadic grid
            a, b = np.round(a * 2**20) / 2**20, np.round(b * 2**20) / 2**20
            c = a + rng.integers(-3, 4) * (b - a)
        else:  # on the line up to rounding, then nudged by a few ulps
            c = a + rng.uniform(-2, 3) * (b - a)
            c = c + rng.integers(-2, 3, 2) * np.spacing(c)
        assert kern.orient(a[0], a[1], b[0], b[1], c[0], c[1]) == _exact_sign(a, b, c)
        zeros += _exact_sign(a, b, c) == 0
    assert zeros > 500


def test_orientation_is_exact_where_plain_floating_point_fails():
    """The classroom example of Kettner et al.: points within ulps of the line y = x."""
    a, b = (12.0, 12.0), (24.0, 24.0)
    naive_wrong = 0
    for i in range(64):
        for j in range(64):
            c = (0.5 + i * 2.0**-53, 0.5 + j * 2.0**-53)
            want = _exact_sign(a, b, c)
            assert kern.orient(*a, *b, *c) == want
            naive = (a[0] - c[0]) * (b[1] - c[1]) - (a[1] - c[1]) * (b[0] - c[0])
            naive_wrong += ((naive > 0) - (naive < 0)) != want
    assert naive_wrong > 100


def test_leaf_side_filter_is_exact_near_the_path():
    """The per-leaf error bound of the query kernel never decides a sign wrongly."""
    rng = np.random.default_rng(11)
    undecided = 0
    for k in range(3000):
        r = rng.uniform(-180, 180, 2)
        q = r + rng.uniform(-0.25, 0.25, 2) * 10.0 ** rng.uniform(-9, 0)
        if k % 2:  # on the line up to rounding, then nudged by a few ulps
            v = r + rng.uniform(-2, 3) * (q - r)
            v = v + rng.integers(-3, 4, 2) * np.spacing(v)
        else:  # exactly on the line, on a dyadic grid
            r, q = np.round(r * 2**24) / 2**24, np.round(q * 2**24) / 2**24
            v = r + rng.integers(-2, 4) * (q - r)
        reach = max(abs(v[0] - r[0]), abs(v[1] - r[1])) * (1 + 8 * 2.0**-53)
        dq = q - r
        bound = kern._SIDE_ERRBOUND * ((abs(dq[0]) + abs(dq[1])) * reach)
        naive = dq[0] * (v[1] - r[1]) - dq[1] * (v[0] - r[0])
        undecided += abs(naive) <= bound
        got = kern.side_of_path(r[0], r[1], q[0], q[1], dq[0], dq[1], bound, v[0], v[1])
        assert got == _exact_sign(r, q, v)
    assert undecided > 100

