"""Ranking like an analyst (issue 12), on the real cities500 index and the fixture gazetteers."""

from __future__ import annotations

import pytest

from incidentmap.geo.errors import AmbiguousPlaceError
from incidentmap.geo.geocoding import CuratedPlaces, Geocoder
from incidentmap.geo.geocoding.gazetteer_index import InstalledGazetteer
from incidentmap.geo.geocoding.gazetteer_install import install_from_path
from incidentmap.geo.geocoding.ranking import DOMINANCE_RATIO, importance, is_capital
from tests.geocoding_support import geonames_index_once, offline_geocoder, write_places
from tests.test_gazetteer_install import DATA


@pytest.fixture(scope="module")
def geonames_index(tmp_path_factory):
    return geonames_index_once(tmp_path_factory)


@pytest.fixture(scope="module")
def offline(geonames_index):
    return offline_geocoder(geonames_index)


@pytest.fixture(scope="module")
def chain(geonames_index, tmp_path_factory):
    """Curated test places -> fixture gazetteers -> cities500, as Geocoder.default builds it."""
    cache = tmp_path_factory.mktemp("gazetteer")
    for folder in ("wof", "geonames", "postal"):
        install_from_path(DATA / folder, cache_dir=cache)
    places = write_places(tmp_path_factory.mktemp("places"))
    return Geocoder(
        [CuratedPlaces.from_yaml(places), InstalledGazetteer.open(cache), geonames_index]
    )


@pytest.mark.parametrize(
    ("name", "country"),
    [("Moscow", "RUS"), ("Paris", "FRA"), ("Cairo", "EGY"), ("Rome", "ITA"),
     ("Damascus", "SYR"), ("Ottawa", "CAN"), ("Houston", "USA"), ("Montreal", "CAN")],
)  # fmt: skip
def test_a_dominant_place_is_the_answer(offline, name, country):
    place = offline.geocode(name)
    assert place.country == country
    assert place.confidence < 0.9  # namesakes exist: never the confidence of a unique name


@pytest.mark.parametrize("name", ["Victoria", "Oleśno", "Sobótka"])
def test_comparable_candidates_stay_ambiguous(offline, name):
    with pytest.raises(AmbiguousPlaceError) as info:
        offline.geocode(name)
    assert len(info.value.candidates) >= 2
    top, second = (importance(p) for p in info.value.candidates[:2])
    assert top / second < DOMINANCE_RATIO


def test_alexandrovka_in_russia_is_ambiguous_not_one_village(offline):
    with pytest.raises(AmbiguousPlaceError) as info:
        offline.geocode("Alexandrovka", country="RU")
    assert len(info.value.candidates) >= 3
    assert all(p.country == "RUS" for p in info.value.candidates)


def test_hel_is_the_polish_town_not_helsinki_by_its_airport_code(offline):
    place = offline.geocode("Hel")
    assert (place.name, place.country) == ("Hel", "POL")
    assert offline.geocode("HEL").confidence <= 0.5  # a code-like query is never sure


def test_capital_weight():
    from incidentmap.geo.geocoding.base import Place

    valletta = Place("Valletta", 14.51, 35.9, "MLT", population=10_000)
    assert is_capital(valletta)
    assert importance(valletta) > importance(valletta._replace(country="USA"))


def test_przewodow_with_lubelskie_takes_the_gazetteer_admin_names(chain):
    # the curated entry says "Lubelskie" nowhere; the WOF duplicate's region names it
    place = chain.geocode("Przewodów", admin="Lubelskie")
    assert place.country == "POL" and abs(place.lat - 50.474444) < 0.01
    assert chain.geocode("Przewodów", admin="Lublin Voivodeship").name == "Przewodów"


def test_chilia_veche_from_the_gazetteer_with_source_and_precision(chain):
    place = chain.geocode("Chilia Veche", country="RO", admin="Tulcea county")
    assert place.source.startswith("gazetteer:wof@")
    assert (place.lon, place.lat) == (29.283, 45.417)
    assert 1000 <= place.precision_m <= 3000  # a village of 2,132


def test_cyrillic_query_finds_the_latin_gazetteer_place(chain):
    assert chain.geocode("Рені").name == "Reni"
    assert chain.geocode("Reni", admin="Odesa oblast").country == "UKR"


def test_a_commune_and_its_seat_village_are_one_place(chain):
    # The fixture has the gmina Dołhobyczów (localadmin, pop. 4,000, 3 km off) and the village
    # of that name (population unknown): one answer, the village, not an ambiguity.
    place = chain.geocode("Dołhobyczów", country="PL")
    assert place.feature != "localadmin"
    assert abs(place.lat - 50.584444) < 0.01
