"""Ranking like an analyst (issue 12), on the real cities500 index and the fixture gazetteers."""

from __future__ import annotations

import pytest

from incidentmap.geo.errors import AmbiguousPlaceError
from incidentmap.geo.geocoding import CuratedPlaces, Geocoder
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.gazetteer_index import InstalledGazetteer
from incidentmap.geo.geocoding.gazetteer_install import install_from_path
from incidentmap.geo.geocoding.ranking import (
    DOMINANCE_RATIO,
    choose,
    importance,
    is_capital,
    seat_level,
)
from incidentmap.geo.geocoding.world import CountriesAndContinents
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


# -- issue 12 follow-up: qualified names, own names first, namesake seats, countries ----------


def test_a_name_before_a_qualifier_is_a_lower_confidence_candidate(chain, offline):
    # "Chilia" for Chilia Veche (RO), first, before Ivănești (1,308) whose alias it is
    listed = chain.geocode("Chilia", country="RO", exactly_one=False)
    assert (listed[0].name, listed[0].country) == ("Chilia Veche", "ROU")
    assert chain.geocode("Chilia", country="RO").name == "Chilia Veche"
    place = chain.geocode("Chilia", country="RO", admin="Tulcea")
    assert (place.lon, place.lat) == (29.283, 45.417)
    assert place.confidence <= 0.6 < chain.geocode("Chilia Veche", admin="Tulcea").confidence
    # the rule, not the example: Polish and Ukrainian qualifiers before or after the name
    assert offline.geocode("Sącz").name == "Nowy Sącz"  # 84,376 vs Stary Sącz 8,959
    assert offline.geocode("Ustrzyki").name == "Ustrzyki Dolne"
    assert offline.geocode("Bereznyy", country="UA").name == "Velykyy Bereznyy"
    assert offline.geocode("Sącz").confidence <= 0.6


def test_a_qualified_name_never_displaces_the_exact_name(chain, offline):
    # the fixture has Kościaszyn and Kosciaszyn Stary, both of unknown size
    assert chain.geocode("Kościaszyn", country="PL").name == "Kościaszyn"
    assert offline.geocode("Brzozów", country="PL").name == "Brzozów"


def test_own_names_are_listed_before_alias_matches(offline):
    with pytest.raises(AmbiguousPlaceError) as info:
        offline.geocode("Alexandrovka", country="RU")
    names = [p.name for p in info.value.candidates]
    own = [i for i, n in enumerate(names) if n == "Aleksandrovka"]
    assert own and "Belogorsk" in names  # Belogorsk carries "Alexandrovka" as an alias
    assert max(own) < names.index("Belogorsk")


def _krynki(admin3, population=None, lon=23.7775, lat=53.2633):
    return Place("Krynki", lon, lat, "POL", "podlaskie", admin3, "locality", population,
                 raw={"admin3": admin3})  # fmt: skip


def test_a_seat_named_like_its_commune_dominates_villages_of_unknown_size():
    # Krynki, the town of gmina Krynki (2,700), against the village Krynki of gmina Grodzisk
    # (size unknown): the town; the same village of unknown commune keeps it ambiguous
    town = Match(_krynki("Gmina Krynki", 2700), "name")
    village = Match(_krynki("Grodzisk", lon=22.6667, lat=52.6167), "name")
    assert seat_level(town.place) == 3 and seat_level(village.place) is None
    chosen = choose([town, village], "Krynki")
    assert chosen.admin2 == "Gmina Krynki" and chosen.confidence < 0.8
    unknown_commune = Match(village.place._replace(admin2=None, raw={}), "name")
    with pytest.raises(AmbiguousPlaceError):
        choose([town, unknown_commune], "Krynki")


def test_a_namesake_abroad_is_outweighed_sooner_than_one_at_home():
    # Maitland NSW (89,597) vs Maitland FL (17,463): 5.1x, abroad: the Australian town;
    # the same populations in one country (Oleśno-like) stay ambiguous
    nsw = Match(Place("Maitland", 151.5574, -32.7331, "AUS", population=89_597), "name")
    florida = Match(Place("Maitland", -81.3631, 28.6278, "USA", population=17_463), "name")
    assert choose([nsw, florida], "Maitland").country == "AUS"
    with pytest.raises(AmbiguousPlaceError):
        choose([nsw, florida._replace(place=florida.place._replace(country="AUS"))], "Maitland")


@pytest.fixture(scope="module")
def world(geonames_index):
    return Geocoder([CountriesAndContinents(), geonames_index])


def test_countries_and_continents_are_places(world):
    georgia = world.geocode("Georgia")
    assert (georgia.feature, georgia.country) == ("country", "GEO")
    assert 40 < georgia.lon < 47 and 41 < georgia.lat < 44  # inside the Caucasus country
    poland = world.geocode("Poland")
    assert 300_000 < poland.precision_m < 600_000  # the point stands for the whole country
    assert world.geocode("Polska").country == "POL"
    europe = world.geocode("Europe")
    assert europe.feature == "continent" and europe.country is None
    # a country and the town of its name are not rivals: no ambiguity, the country first
    for name in ("Singapore", "Luxembourg", "Kuwait"):
        assert world.geocode(name).feature == "country"
    listed = world.geocode("Luxembourg", exactly_one=False)
    assert listed[0].feature == "country" and "populated place" in {p.feature for p in listed}
    # codes are never names: ROU and RO are not the country here
    assert not CountriesAndContinents().candidates("ROU")
    assert not CountriesAndContinents().candidates("RO")


def test_a_city_in_two_sources_is_one_place_within_its_extent(geonames_index, tmp_path):
    # a second source's point for Kyiv 7.5 km from GeoNames' (illustrative coordinates, as in
    # tests/geocoding_support.py): one city, so the exonym "Kiev" is Kyiv, not an ambiguity
    # between two Kyivs
    places = tmp_path / "places.yaml"
    places.write_text(
        "- name: Kyiv\n"
        "  alt_names: [Kiev]\n"
        "  feature: city\n"
        "  country: UKR\n"
        "  admin1: Kyiv City\n"
        "  lon: 30.42\n"
        "  lat: 50.47\n"
        "  precision_m: 20000\n"
        '  source: {publisher: Test, title: "Kyiv", url: "https://example.org/kyiv"}\n',
        encoding="utf-8",
    )
    geocoder = Geocoder([CuratedPlaces.from_yaml(places), geonames_index])
    place = geocoder.geocode("Kiev")
    assert (place.name, place.country, place.source) == ("Kyiv", "UKR", "curated")
    assert place.population > 1_000_000  # taken from the GeoNames duplicate
