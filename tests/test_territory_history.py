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
def test_tornio_town_centre_on_suensaari_is_finnish_nato_soil(point):
    # Known data limit (README): both OSM land files (100 m and 10 m) leave out the east of
    # Suensaari by 90-150 m, so the zone reads water there; what must hold is the sovereignty.
    a = at(point)
    assert a.country == "FIN" and a.nato_member and a.article_6_area
    assert a.zone in ("territorial_sea", "internal_waters")
    assert a.distance_to_nato_border_km > 0


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
    (boundary included), checked against shapely; a point of no territory never does."""
    lon, lat = np.array(points, dtype=float).T
    codes = _territory().answer_codes(lon, lat, on=TODAY, distance=False)
    in_water = shapely.intersects_xy(water_reference, lon, lat)
    has_row = codes["row"] >= 0
    assert ((codes["zone"] == 3) == (in_water & has_row)).all()


_TERRITORY = []


def _territory():
    from incidentmap.geo.territory import Territory

    if not _TERRITORY:
        _TERRITORY.append(Territory())
    return _TERRITORY[0]
