"""Issue 15 on the shipped data: the UK bases on Cyprus, Ceuta's waters, dated status areas,
member territory over time (the former GDR, French Algeria, before 1949) and inland water."""

import datetime as dt

import numpy as np
import pytest

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
