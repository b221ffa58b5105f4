"""Territory answers and signed geodesic distances on the shipped border data."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pyproj import Geod

from incidentmap.geo.errors import InvalidCoordinateError, InvalidDateError
from incidentmap.geo.territory import classify, classify_many, distance_to_country_border
from tests import places as P

GEOD = Geod(ellps="WGS84")
D = dt.date(2025, 6, 1)


def at(point, on=D, **kw):
    return classify(*point, on=on, **kw)


def offshore(point, azimuth_deg, distance_m):
    lon, lat, _ = GEOD.fwd(point[0], point[1], azimuth_deg, distance_m)
    return lon, lat


def test_galati_is_romanian_nato_land_about_11_km_inside():
    a = at(P.GALATI)
    assert (a.country, a.zone, a.nato_member, a.nato_since) == ("ROU", "land", True, "2004-03-29")
    assert a.article_6_area is True
    assert 10.0 <= a.distance_to_nato_border_km <= 15.0
    # the nearest non-NATO land is Moldova's Danube strip at Giurgiulești, not Ukraine
    assert a.across == "MDA"
    assert 45.45 < a.nearest_border_point["lat"] < 45.55


def test_izmail_and_reni_are_ukrainian_and_just_across_the_danube():
    for point in (P.IZMAIL, P.RENI):
        a = at(point)
        assert a.country == "UKR" and not a.nato_member and not a.article_6_area
        assert -3.0 <= a.distance_to_nato_border_km < 0
        assert a.across == "ROU"


def test_narva_and_ivangorod_face_each_other_across_the_river():
    narva, ivangorod = at(P.NARVA), at(P.IVANGOROD)
    assert narva.country == "EST" and narva.nato_member
    assert 0 < narva.distance_to_nato_border_km < 2.0 and narva.across == "RUS"
    assert ivangorod.country == "RUS" and not ivangorod.nato_member
    assert -2.0 < ivangorod.distance_to_nato_border_km < 0 and ivangorod.across == "EST"
    castle = at(P.NARVA_CASTLE)
    assert castle.country == "EST" and 0 < castle.distance_to_nato_border_km < 0.5


def test_kaliningrad_is_russian_and_tens_of_km_outside():
    a = at(P.KALININGRAD)
    assert a.country == "RUS" and not a.nato_member
    assert -45 < a.distance_to_nato_border_km < -25
    assert a.across in {"POL", "LTU"}


def test_crimea_is_occupied_ukraine_not_nato():
    for point in (P.SEVASTOPOL, P.CRIMEA_INTERIOR):
        a = at(point)
        assert a.country == "UKR" and not a.nato_member
        assert "occupied by Russia since 2014" in a.status_note


def test_chisinau_is_moldova():
    a = at(P.CHISINAU)
    assert a.country == "MDA" and not a.nato_member and a.distance_to_nato_border_km < -30


def test_finland_and_sweden_join_on_their_accession_dates():
    assert not at(P.HELSINKI, on=dt.date(2023, 1, 1)).nato_member
    helsinki = at(P.HELSINKI, on=dt.date(2023, 5, 1))
    assert helsinki.nato_member and helsinki.nato_since == "2023-04-04"
    assert not at(P.STOCKHOLM, on=dt.date(2024, 3, 6)).nato_member
    assert at(P.STOCKHOLM, on=dt.date(2024, 3, 7)).nato_member
    # the NATO border moves with them: Helsinki was outside before, inside after
    assert at(P.HELSINKI, on=dt.date(2023, 1, 1)).distance_to_nato_border_km < 0
    assert at(P.HELSINKI, on=dt.date(2023, 5, 1)).distance_to_nato_border_km > 0


def test_aland_is_finland_demilitarised():
    a = at(P.MARIEHAMN)
    assert a.country == "FIN" and a.nato_member and "demilitarised" in a.status_note


def test_territorial_sea_and_international_waters_off_constanta():
    sea = at(offshore(P.CONSTANTA, 90, 15_000))
    assert (sea.country, sea.zone, sea.nato_member) == ("ROU", "territorial_sea", True)
    far = at(offshore(P.CONSTANTA, 90, 40_000))
    assert far.country is None and far.zone == "international_waters" and not far.nato_member
    assert far.distance_to_nato_border_km < 0 and far.across == "ROU"


@pytest.mark.parametrize(
    ("point", "country", "member", "art6"),
    [
        (P.LONGYEARBYEN, "SJM", True, True),
        (P.GIBRALTAR, "GIB", True, True),
        (P.CEUTA, "ESP", True, False),
        (P.MELILLA, "ESP", True, False),
        (P.HONOLULU, "USA", True, False),
        (P.CAYENNE, "GUF", True, False),
        (P.SAN_MARINO, "SMR", False, False),
        (P.BUSINGEN, "DEU", True, True),
        (P.MEDVEZHYE_SANKOVO, "RUS", False, False),
        (P.UELEN, "RUS", False, False),
        (P.ANADYR, "RUS", False, False),
    ],
)
def test_territories_enclaves_and_article_6(point, country, member, art6):
    a = at(point)
    assert (a.country, a.nato_member, a.article_6_area) == (country, member, art6)


def test_poles_get_an_answer():
    north, south = at(P.NORTH_POLE), at(P.SOUTH_POLE)
    assert north.zone == "international_waters" and north.country is None
    assert south.country == "ATA" and south.zone == "land"
    assert north.distance_to_nato_border_km < 0 and south.distance_to_nato_border_km < 0


def test_distance_matches_an_independent_geodesic_to_the_nearest_point():
    a = at(P.GALATI)
    p = a.nearest_border_point
    _, _, d_m = GEOD.inv(P.GALATI[0], P.GALATI[1], p["lon"], p["lat"])
    assert abs(d_m / 1000 - a.distance_to_nato_border_km) < 0.001


def test_distance_to_one_country_border():
    r = distance_to_country_border(*P.GALATI, "UKR")
    assert not r.inside and -15 < r.distance_km < -11
    inside = distance_to_country_border(*P.IZMAIL, "ukr")
    assert inside.inside and 0 < inside.distance_km < 3


def test_vectorised_keeps_every_row_and_explains_bad_ones():
    lon = [P.GALATI[0], 28.0, float("nan"), 200.0, P.IZMAIL[0]]
    lat = [P.GALATI[1], 95.0, 45.0, 45.0, P.IZMAIL[1]]
    df = classify_many(lon, lat, on=D)
    assert len(df) == 5
    assert list(df.country[[0, 4]]) == ["ROU", "UKR"]
    assert df.error[0] is None and df.error[4] is None
    assert "swapped" in df.error[1] and "not a finite" in df.error[2]
    assert "longitude 200.0" in df.error[3]


def test_bad_input_names_the_value():
    with pytest.raises(InvalidCoordinateError, match="latitude 95.0.*swapped"):
        classify(28.0, 95.0)
    with pytest.raises(InvalidCoordinateError, match="'abc' is not a number"):
        classify("abc", 45)
    with pytest.raises(InvalidDateError, match="2023-02-30"):
        classify(*P.GALATI, on="2023-02-30")


BOX = st.tuples(st.floats(19.0, 32.0), st.floats(43.0, 56.0))


#: NATO members on D (2025-06-01), written out here so that the test does not use geo.nato.
MEMBERS_ON_D = frozenset(
    "ALB BEL BGR CAN HRV CZE DNK EST FIN FRA DEU GRC HUN ISL ITA LVA LTU LUX MNE NLD MKD NOR "
    "POL PRT ROU SVK SVN ESP SWE TUR GBR USA".split()
)


@pytest.fixture(scope="module")
def shipped():
    """The shipped polygons in a shapely tree, and the NATO border's segment ends."""
    import shapely

    from incidentmap.geo import borders
    from incidentmap.geo.territory import territory

    countries = borders.load_countries()
    segs, _ = territory().nato_index(D)
    ends = np.unique(np.concatenate([np.column_stack([segs.lon0, segs.lat0]),
                                     np.column_stack([segs.lon1, segs.lat1])]), axis=0)
    return countries, shapely.STRtree(countries.geometry.values), ends


def _inside_nato_independently(countries, tree, lon, lat) -> bool:
    """shapely on the shipped polygons (the first polygon that holds the point decides, as
    in the partition) and the written-out member list."""
    import shapely

    rows = tree.query(shapely.Point(lon, lat), predicate="intersects")
    return bool(rows.size) and countries.sovereign.iat[int(rows.min())] in MEMBERS_ON_D


def _nearest_end_m(ends, lon, lat) -> float:
    """Brute force: pyproj distance to the nearest end of a NATO border segment (the 64
    nearest by a spherical pre-filter), an upper bound of the distance to the border."""
    x, y = np.radians(ends[:, 0]), np.radians(ends[:, 1])
    px, py = np.radians(lon), np.radians(lat)
    hav = np.sin((y - py) / 2) ** 2 + np.cos(py) * np.cos(y) * np.sin((x - px) / 2) ** 2
    near = np.argsort(hav)[:64]
    _, _, d = GEOD.inv(np.full(near.size, lon), np.full(near.size, lat),
                       ends[near, 0], ends[near, 1])
    return float(d.min())


@settings(max_examples=60, deadline=None)
@given(point=st.one_of(st.tuples(st.floats(-180, 180), st.floats(-90, 90)), BOX))
def test_any_finite_point_gets_an_answer_whose_sign_agrees_with_membership(point, shipped):
    """The sign of the distance against an independent point-in-polygon answer, and its size
    against a brute-force upper bound (the sign is set from the library's own membership, so
    comparing it with the library's nato_member alone could not fail)."""
    countries, tree, ends = shipped
    a = classify(*point, on=D)
    assert a.zone in {"land", "territorial_sea", "international_waters", "internal_waters"}
    assert a.nato_member == _inside_nato_independently(countries, tree, *point)
    if a.distance_to_nato_border_km != 0:
        assert (a.distance_to_nato_border_km > 0) == a.nato_member
    assert abs(a.distance_to_nato_border_km) * 1000 <= _nearest_end_m(ends, *point) + 1.0


@settings(max_examples=40, deadline=None)
@given(BOX, st.floats(0, 360), st.floats(1.0, 2000.0))
def test_distance_is_continuous_lipschitz(point, azimuth, step_m):
    a = classify(*point, on=D)
    b = classify(*offshore(point, azimuth, step_m), on=D)
    da, db = a.distance_to_nato_border_km, b.distance_to_nato_border_km
    # the signed distance is 1-Lipschitz, also across the border (it passes through 0 there)
    assert abs(da - db) <= step_m / 1000 + 0.001


def test_distances_agree_with_pyproj_on_many_points():
    rng = np.random.default_rng(7)
    lon = rng.uniform(20, 31, 200)
    lat = rng.uniform(44, 55, 200)
    df = classify_many(lon, lat, on=D)
    _, _, d_m = GEOD.inv(
        lon, lat, df.nearest_border_lon.to_numpy(), df.nearest_border_lat.to_numpy()
    )
    assert np.max(np.abs(np.abs(df.distance_to_nato_border_km.to_numpy()) * 1000 - d_m)) < 1.0


def test_distance_equals_brute_force_over_the_densified_border():
    """Reference: pyproj (Karney) distances to the NATO border densified every ~2 m."""
    from incidentmap.geo.territory import territory

    segs, _ = territory().nato_index(D)
    for point in (P.GALATI, P.IZMAIL, P.HRUBIESZOW, P.NARVA):
        lon, lat = point
        box = (np.minimum(segs.lon0, segs.lon1) < lon + 0.5) & (
            np.maximum(segs.lon0, segs.lon1) > lon - 0.5
        )
        box &= (np.minimum(segs.lat0, segs.lat1) < lat + 0.35) & (
            np.maximum(segs.lat0, segs.lat1) > lat - 0.35
        )
        idx = np.flatnonzero(box)
        _, _, d0 = GEOD.inv(
            np.full(idx.size, lon), np.full(idx.size, lat), segs.lon0[idx], segs.lat0[idx]
        )
        best = idx[np.argsort(d0)[:40]]
        ref = np.inf
        for i in best:
            _, _, length = GEOD.inv(segs.lon0[i], segs.lat0[i], segs.lon1[i], segs.lat1[i])
            t = np.linspace(0, 1, max(2, int(length / 2) + 2))
            xs = segs.lon0[i] + t * (segs.lon1[i] - segs.lon0[i])
            ys = segs.lat0[i] + t * (segs.lat1[i] - segs.lat0[i])
            _, _, d = GEOD.inv(np.full(t.size, lon), np.full(t.size, lat), xs, ys)
            ref = min(ref, d.min())
        got = abs(at(point).distance_to_nato_border_km) * 1000
        assert abs(got - ref) <= 1.0, (point, got, ref)


def test_classify_frame_adds_answers_and_keeps_rows():
    import geopandas as gpd
    from shapely import LineString, Point

    from incidentmap.geo.territory import ANSWER_COLUMNS, classify_frame

    gdf = gpd.GeoDataFrame(
        {"name": ["Narva", "line", "none", "Ivangorod"]},
        geometry=[Point(P.NARVA), LineString([(28, 59), (28.1, 59.1)]), None, Point(P.IVANGOROD)],
        crs=4326,
    )
    out = classify_frame(gdf, on=D)
    assert list(out.name) == ["Narva", "line", "none", "Ivangorod"]
    assert set(ANSWER_COLUMNS) <= set(out.columns)
    assert list(out.country[[0, 3]]) == ["EST", "RUS"]
    assert out.error[1] == "geometry is not a point" and out.error[2] == "geometry is not a point"
    assert out.distance_to_nato_border_km[0] > 0 > out.distance_to_nato_border_km[3]
    assert "country" not in gdf.columns  # the input is not modified


def test_no_international_waters_in_gaps_between_neighbours_on_land():
    """The snapshot leaves slivers a few metres wide along land borders; they are filled."""
    import numpy as np

    for lon0, lat0 in ((23.8955, 53.126), (25.7587, 54.5809)):  # POL/BLR and LTU/BLR borders
        lon, lat = np.meshgrid(
            np.linspace(lon0 - 0.003, lon0 + 0.003, 60), np.linspace(lat0 - 0.002, lat0 + 0.002, 60)
        )
        df = classify_many(lon.ravel(), lat.ravel(), on=D)
        assert set(df.zone) == {"land"}
        assert set(df.across.dropna()) <= {"BLR", "POL", "LTU"}


def test_distance_to_a_state_includes_its_dependent_territories():
    svalbard = distance_to_country_border(*P.LONGYEARBYEN, "NOR")
    assert svalbard.inside and svalbard.country == "NOR" and svalbard.distance_km > 0
    nuuk = distance_to_country_border(-51.7389, 64.175, "DK")  # alpha-2 works too
    assert nuuk.inside and nuuk.country == "DNK"


def test_country_names_and_aliases_resolve():
    from incidentmap.geo.borders import resolve_country_code
    from incidentmap.geo.errors import UnknownCountryError

    assert [resolve_country_code(x) for x in ("ukr", "RO", "UK", "Moldova")] == [
        "UKR",
        "ROU",
        "GBR",
        "MDA",
    ]
    with pytest.raises(UnknownCountryError, match="'XYZ' is not a country"):
        resolve_country_code("XYZ")


def test_distance_matches_a_reference_built_independently_from_member_polygons():
    """Reference border: the boundary of the union of the members' polygons near the point
    (shapely), minus the edges of the clipping box, densified to ~2 m and measured with pyproj
    — it shares nothing with the segment tagging of geo.boundary."""
    import shapely

    from incidentmap.geo import nato
    from incidentmap.geo.borders import load_countries

    countries = load_countries()
    members = countries[countries.sovereign.isin(nato.members(on=D))]
    for point in (P.GALATI, P.IZMAIL, P.HRUBIESZOW, P.IVANGOROD):
        lon, lat = point
        box = shapely.box(lon - 0.6, lat - 0.4, lon + 0.6, lat + 0.4)
        near = members.geometry.values[shapely.intersects(members.geometry.values, box)]
        union = shapely.intersection(shapely.union_all(near), box)
        border = shapely.difference(shapely.boundary(union), shapely.boundary(box).buffer(1e-9))
        coords = shapely.get_coordinates(shapely.segmentize(border, 2e-5))  # ~2 m
        _, _, d = GEOD.inv(
            np.full(len(coords), lon), np.full(len(coords), lat), coords[:, 0], coords[:, 1]
        )
        got = abs(at(point).distance_to_nato_border_km) * 1000
        assert abs(got - d.min()) <= 2.0, (point, got, d.min())


def test_nato_border_lines_facing_countries_leaves_out_the_coast():
    from incidentmap.geo.territory import nato_border_lines

    box = (27.5, 43.5, 30.5, 46.0)  # the Danube delta and Romania's Black Sea coast
    every = nato_border_lines(on=D, bbox=box)
    land = nato_border_lines(on=D, bbox=box, facing="countries")
    assert land.length < every.length  # the territorial-sea edge faces international waters
    assert land.distance(shapely_point(*P.IZMAIL)) < 0.05  # the Danube border is kept
    assert land.distance(shapely_point(29.5, 44.0)) > 0.05  # the open-sea edge is not


def shapely_point(lon, lat):
    from shapely import Point

    return Point(lon, lat)
