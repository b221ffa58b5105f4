"""Issue 15 on the shipped data: the UK bases on Cyprus, Ceuta's waters, dated status areas,
member territory over time (the former GDR, French Algeria, before 1949) and inland water."""

import datetime as dt

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shapely
from pyproj import Geod

from incidentmap.geo import borders
from incidentmap.geo.territory import classify
from tests import places as P

GEOD = Geod(ellps="WGS84")
TODAY = dt.date(2025, 6, 1)


def at(point, on=TODAY, **kw):
    return classify(*point, on=on, **kw)


# -- the UK Sovereign Base Areas ---------------------------------------------------------------
@pytest.mark.parametrize("base", [P.RAF_AKROTIRI, P.DHEKELIA_CANTONMENT])
def test_the_sovereign_base_areas_are_uk_member_soil_outside_article_6(base):
    a = at(base)
    assert (a.country, a.zone, a.nato_member, a.nato_since) == ("GBR", "land", True, "1949-08-24")
    assert a.article_6_area is False
    assert "Sovereign Base Area" in a.status_note and "Article 6" in a.status_note
    assert a.distance_to_nato_border_km > 0 and a.across == "CYP"


def test_nicosia_is_measured_to_the_dhekelia_base_area():
    """Reference: the boundary of the UK rows on Cyprus, densified to ~20 m and measured with
    pyproj, independent of the segment index."""
    a = at(P.NICOSIA)
    assert a.country == "CYP" and not a.nato_member and a.across == "GBR"
    assert "Turkish" not in (a.status_note or "")  # the centre is south of the Green Line
    countries = borders.load_countries()
    uk = countries[(countries.a3 == "GBR") & countries.part.str.contains("Dhekelia")]
    ring = shapely.segmentize(shapely.union_all(uk.geometry.values).boundary, 0.0002)
    xy = shapely.get_coordinates(ring)
    n = len(xy)
    _, _, d_m = GEOD.inv(np.full(n, P.NICOSIA[0]), np.full(n, P.NICOSIA[1]), xy[:, 0], xy[:, 1])
    assert a.distance_to_nato_border_km == pytest.approx(-d_m.min() / 1000, abs=0.05)
    assert a.distance_to_nato_border_km > -40  # it read -80 km (to Turkey) before


def test_limassol_is_next_to_akrotiri_and_the_bases_predate_nothing_else():
    a = at(P.LIMASSOL)
    assert a.country == "CYP" and a.across == "GBR" and -15 < a.distance_to_nato_border_km < 0


def test_the_water_off_ceuta_and_melilla_is_spanish_territorial_sea():
    for city, azimuth in ((P.CEUTA, 0.0), (P.MELILLA, 90.0)):
        lon, lat, _ = GEOD.fwd(*city, azimuth, 2500.0)
        a = at((lon, lat))
        assert (a.country, a.zone, a.nato_member) == ("ESP", "territorial_sea", True)
        assert a.article_6_area is False


# -- dated status areas --------------------------------------------------------------------------
CASES = [  # place, country, a date inside the period and words of its note, a date before it
    (P.SIMFEROPOL, "UKR", "2015-01-01", "Crimea", "2014-02-26"),
    (P.TIRASPOL, "MDA", "2024-01-01", "Transnistria", "1990-09-01"),
    (P.SUKHUMI, "GEO", "2000-01-01", "breakaway", "1993-09-29"),
    (P.SUKHUMI, "GEO", "2010-01-01", "recognised as independent by Russia", "1993-09-29"),
    (P.TSKHINVALI, "GEO", "2000-01-01", "breakaway", "1992-06-23"),
    (P.TSKHINVALI, "GEO", "2010-01-01", "occupied by Russia", "1992-06-23"),
    (P.KYRENIA, "CYP", "2020-01-01", "Turkish military control", "1974-07-19"),
    (P.DONETSK, "UKR", "2018-01-01", "since 2014", "2014-04-06"),
    (P.LUHANSK, "UKR", "2023-01-01", "held since 2014", "2014-04-06"),
    (P.MELITOPOL, "UKR", "2023-01-01", "occupied by Russia", "2022-02-23"),
    (P.MARIUPOL, "UKR", "2022-04-01", "siege", "2022-02-23"),
    (P.MARIUPOL, "UKR", "2023-01-01", "occupied by Russia since 2022-05-20", "2022-02-23"),
    (P.KHERSON, "UKR", "2022-06-01", "Kherson", "2022-03-01"),
    (P.IZIUM, "UKR", "2022-06-01", "Kharkiv", "2022-02-23"),
    (P.MARIEHAMN, "FIN", "2025-01-01", "demilitarised", "1921-10-19"),
]


@pytest.mark.parametrize(("place", "country", "inside", "words", "before"), CASES)
def test_status_note_as_of_the_date(place, country, inside, words, before):
    a, b = at(place, on=inside), at(place, on=before)
    assert words in (a.status_note or ""), a.status_note
    assert not b.status_note or words not in b.status_note
    # a status area never changes the sovereign country
    assert a.country == b.country == country


@pytest.mark.parametrize(
    ("place", "after"),
    [(P.KHERSON, "2022-11-11"), (P.IZIUM, "2022-09-11"), (P.KHARKIV, "2022-06-01")],
)
def test_liberated_and_never_occupied_places_have_no_occupation_note(place, after):
    a = at(place, on=after)
    assert a.country == "UKR" and "occupied" not in (a.status_note or "")


# -- member territory over time ------------------------------------------------------------------
def test_dresden_joins_nato_territory_on_reunification():
    before, after = at(P.DRESDEN, on="1985-01-01"), at(P.DRESDEN, on="1991-01-01")
    assert before.country == after.country == "DEU"
    assert before.nato_member is False and before.article_6_area is False
    assert before.distance_to_nato_border_km < 0 and before.across == "DEU"
    # the FRG's nearest soil is the inner-German border by Hof, about 140 km away; before the
    # split's slivers were moved to the GDR it read -32 km (a 1 m sliver at the Czech border)
    assert -150 < before.distance_to_nato_border_km < -120
    assert "GDR" in before.status_note
    assert after.nato_member is True and after.nato_since == "1990-10-03"
    assert at(P.DRESDEN, on="1990-10-02").nato_member is False
    assert at(P.DRESDEN, on="1990-10-03").nato_member is True


def test_bonn_was_nato_soil_before_reunification():
    a = at(P.BONN, on="1985-01-01")
    assert a.nato_member and a.nato_since == "1955-05-06" and a.distance_to_nato_border_km > 0


def test_algeria_was_in_the_treaty_area_until_1962():
    a, b = at(P.ALGIERS, on="1955-01-01"), at(P.ALGIERS, on="1963-01-01")
    assert a.country == b.country == "DZA"
    assert a.nato_member and a.article_6_area and a.nato_since == "1949-08-24"
    assert "Algeria" in a.status_note
    assert not b.nato_member and not b.article_6_area and b.distance_to_nato_border_km < 0


@pytest.mark.parametrize("place", [P.BRUSSELS, P.DRESDEN, P.ALGIERS, P.HELSINKI])
def test_nothing_is_nato_before_the_treaty_entered_into_force(place):
    a = at(place, on="1949-08-23")
    assert a.nato_member is False and a.article_6_area is False
    assert a.distance_to_nato_border_km is None
    assert at(P.BRUSSELS, on="1949-08-24").nato_member is True


# -- rivers and lakes: zone internal_waters (geo/data/inland_water.*) --------------------------
# Points on the water as geo/data/inland_water.npz draws it (the 100 m land's holes and gaps),
# each next to a cited place: Galați 45°26'N 28°03'E (en.wikipedia.org/wiki/Galați), Reni
# 45°27'N 28°17'E (en.wikipedia.org/wiki/Reni,_Ukraine), Narva Castle 59°22'34"N 28°12'07"E
# and Ivangorod Fortress across the river (en.wikipedia.org/wiki/Narva_Castle), Lake Peipus
# 58°41'N 27°29'E and Mustvee on its west shore (en.wikipedia.org/wiki/Lake_Peipus), and the
# Stânca-Costești reservoir on the Prut, 3-5 km upstream of its dam at 47°51'30"N 27°15'31"E
# (en.wikipedia.org/wiki/Stânca-Costești_Dam).
WATER = {
    "danube_off_galati": ((28.1011, 45.4386), "ROU", True),
    "danube_at_reni_ukrainian_half": ((28.2800, 45.4457), "UKR", False),
    "danube_below_reni_romanian_half": ((28.2842, 45.4061), "ROU", True),
    "narva_estonian_half": ((28.2020, 59.3760), "EST", True),
    "narva_russian_half": ((28.2080, 59.3760), "RUS", False),
    "peipus_off_mustvee": ((27.1000, 58.8500), "EST", True),
    "peipus_russian_part": ((27.7500, 58.9000), "RUS", False),
    "prut_reservoir_romanian_half": ((27.1950, 47.8700), "ROU", True),
    "prut_reservoir_moldovan_half": ((27.2150, 47.8700), "MDA", False),
}


@pytest.mark.parametrize("name", sorted(WATER))
def test_rivers_and_lakes_are_internal_waters_of_the_country(name):
    point, country, member = WATER[name]
    a = at(point)
    assert (a.country, a.zone, a.nato_member) == (country, "internal_waters", member)


def test_the_river_banks_stay_land_and_the_black_sea_stays_territorial_sea():
    assert at((28.1961, 59.3758)).zone == "land"  # Narva Castle, west bank
    assert at((28.0080, 45.4353)).zone == "land"  # Galați city centre
    constanta_offshore = at((28.70, 44.17))  # ~5 km off Constanța, 44°10'N 28°38'E
    assert (constanta_offshore.country, constanta_offshore.zone) == ("ROU", "territorial_sea")


def test_internal_waters_only_change_the_zone():
    """Sovereignty, membership and the distance come from the territory rows, not the water."""
    from incidentmap.geo.territory import Territory

    t = Territory()
    lon, lat = np.array([[p[0][0], p[0][1]] for p in WATER.values()]).T
    codes = t.answer_codes(lon, lat, on=TODAY)
    assert (codes["zone"] == 3).all()
    zone = codes["zone"].copy()
    zone[:] = 0
    t.inland_zone(lon, lat, codes["row"], zone)
    assert (zone == 3).all()
    land = np.zeros_like(zone)
    t.inland_zone(lon, lat, np.full_like(codes["row"], -1), land)
    assert (land == 0).all()  # no territory row: never internal waters


@pytest.mark.parametrize(
    "point",
    [
        (24.14662, 65.84811),  # GeoNames 634093, Suensaari
        (24.143611, 65.85),  # Tornio Church on Suensaari, de.wikipedia.org/wiki/Kirche_von_Tornio
    ],
)
def test_tornio_town_centre_on_suensaari_is_finnish_land(point):
    # both 2017 land files (100 m and geo-maps 10 m) left out the east of Suensaari by 90-150 m
    # (territorial_sea, or internal_waters where the 100 m river hole covers it); the OSM land
    # polygons of geo/data/land_fine.npz draw the island, and their land is not a river there
    a = at(point)
    assert (a.country, a.zone, a.nato_member, a.article_6_area) == ("FIN", "land", True, True)
    assert a.accuracy_m == 10 and a.distance_to_nato_border_km > 0


def test_the_fine_coast_only_adds_land_where_the_100m_mask_says_sea():
    """Suensaari reads sea in the 100 m mask alone (the hook undone), land with it."""
    t = _territory()
    lon, lat = np.array([24.14662, 24.143611]), np.array([65.84811, 65.85])
    codes = t.answer_codes(lon, lat, on=TODAY, distance=False)
    assert (codes["zone"] == 0).all()
    sovereign = np.append(t.sovereign, None)[codes["row"]]
    decided, on_land = t.fine_coast.decide(lon, lat, sovereign)
    assert decided.all() and on_land.all()
    # a non-member's point in the same box is never decided by it (Ivangorod, Russia)
    decided, _ = t.fine_coast.decide(np.array([28.21625]), np.array([59.37155]), ["RUS"])
    assert not decided.any()


def test_tornio_alatornio_church_on_the_mainland_is_land():
    # 65°49'48"N 24°09'26"E: Struve Geodetic Arc point 36 (blogi.eoppimispalvelut.fi/struvenorth)
    a = at((24.157222, 65.83))
    assert (a.country, a.zone) == ("FIN", "land")


@pytest.fixture(scope="module")
def water_reference():
    """The shipped inland water as one prepared shapely geometry (the reference)."""
    geom = shapely.multipolygons(shapely.get_parts(borders.read_columns("inland_water")[1]))
    shapely.prepare(geom)
    return geom


_near_water = st.sampled_from([p for p, _, _ in WATER.values()]).flatmap(
    lambda p: st.tuples(st.floats(p[0] - 0.02, p[0] + 0.02), st.floats(p[1] - 0.02, p[1] + 0.02))
)
_in_box = st.tuples(st.floats(12.0, 42.0), st.floats(40.0, 71.0))


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.one_of(_near_water, _in_box), min_size=1, max_size=60))
def test_internal_waters_exactly_where_a_territory_has_inland_water(water_reference, points):
    """A point of a territory reads internal_waters exactly where it is on the shipped water
    (boundary included), checked against shapely, unless the 10 m coast made it land where the
    100 m mask says sea; a point of no territory never does."""
    t = _territory()
    lon, lat = np.array(points, dtype=float).T
    codes = t.answer_codes(lon, lat, on=TODAY, distance=False)
    in_water = shapely.intersects_xy(water_reference, lon, lat)
    has_row = codes["row"] >= 0
    sea_100m = t.locate_land(lon, lat) < 0
    sovereign = np.append(t.sovereign, None)[codes["row"]]
    decided, fine_land = t.fine_coast.decide(lon, lat, sovereign)
    added = has_row & sea_100m & decided & fine_land
    assert ((codes["zone"] == 3) == (in_water & has_row & ~added)).all()


_TERRITORY = []


def _territory():
    from incidentmap.geo.territory import Territory

    if not _TERRITORY:
        _TERRITORY.append(Territory())
    return _TERRITORY[0]


# -- river borders: a note where the 100 m land cannot tell a narrow river from its banks -------
def _border_point(town):
    """The point of the NATO border nearest to a town, as the answer gives it."""
    b = at(town).nearest_border_point
    return (b["lon"], b["lat"])


@pytest.mark.parametrize(
    ("town", "river", "country"),
    [
        ((27.80013, 47.21023), "the Prut", "MDA"),  # Ungheni, Moldova, GeoNames 617180
        ((27.78333, 47.2), "the Prut", "ROU"),  # Ungheni, Iași county, GeoNames 664266
        ((28.21625, 59.37155), "the Narva", "RUS"),  # Ivangorod, GeoNames 555624
        ((28.83751, 45.35058), "the Danube (Chilia branch)", "UKR"),  # Izmail, GeoNames 707308
        ((19.00225, 45.35161), "the Danube", "HRV"),  # Vukovar, GeoNames 3187047
    ],
)
def test_points_on_a_river_border_say_so(town, river, country):
    """At the border on the river, and 150 m from it towards the town, the answer carries the
    river border's note (the zone is land or internal_waters, whichever the 100 m file says)."""
    bx, by = _border_point(town)
    az, _, _ = GEOD.inv(bx, by, *town)
    x, y, _ = GEOD.fwd(bx, by, az, 150.0)
    a = at((x, y))
    assert a.country == country and a.zone in ("land", "internal_waters")
    assert a.status_note.startswith(f"River border ({river}") and "uncertain" in a.status_note
    assert at(town).status_note is None or "River border" not in at(town).status_note


def test_a_river_note_never_outranks_a_status_note_nor_reaches_the_high_seas():
    t = _territory()
    # Kherson on the Dnipro is no river border in the table; Narva town is 0.8 km from it
    assert "River border" not in (at(P.NARVA).status_note or "")
    lon, lat = np.array([28.202, 30.0]), np.array([59.376, 43.5])  # on the Narva; Black Sea
    codes = t.answer_codes(lon, lat, on=TODAY, distance=False)
    notes = [t.note_values[c] if c >= 0 else None for c in codes["note"]]
    assert notes[0].startswith("River border (the Narva") and notes[1] is None


@pytest.fixture(scope="module")
def river_reference():
    cols, geoms = borders.read_columns("river_borders")
    shapely.prepare(geoms)
    return cols["note"], geoms


_near_rivers = st.sampled_from(
    [(27.80, 47.21), (28.21, 59.37), (28.84, 45.35), (19.0, 45.35), (23.6, 51.5), (14.6, 52.3)]
).flatmap(
    lambda p: st.tuples(st.floats(p[0] - 0.01, p[0] + 0.01), st.floats(p[1] - 0.01, p[1] + 0.01))
)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(_near_rivers, min_size=1, max_size=40))
def test_river_notes_exactly_in_the_strips(river_reference, points):
    """The river note of a point is that of the first strip containing it (shapely reference),
    for points of a territory with no other note; the zone and country do not change."""
    notes, geoms = river_reference
    t = _territory()
    lon, lat = np.array(points, dtype=float).T
    codes = t.answer_codes(lon, lat, on=TODAY, distance=False)
    for i in range(len(lon)):
        got = t.note_values[codes["note"][i]] if codes["note"][i] >= 0 else None
        inside = [k for k, g in enumerate(geoms) if shapely.intersects_xy(g, lon[i], lat[i])]
        if got is not None and got.startswith("River border"):
            assert inside and got == notes[inside[0]]
        elif got is None and codes["row"][i] >= 0:
            assert not inside
