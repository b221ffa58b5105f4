"""Curated places first, GeoNames second; the places file checked at the boundary."""

from __future__ import annotations

import pytest

from incidentmap.geo.errors import AmbiguousPlaceError, DataFileError, SeedValidationError
from incidentmap.geo.geocoding import CuratedPlaces
from incidentmap.geo.geocoding.curated import default_places_yaml
from tests.geocoding_support import chained_geocoder, geonames_index_once, write_places

PLAURU = (28.6789, 45.3456)  # the test file's (asymmetric) coordinates, lon first


@pytest.fixture(scope="module")
def chained(tmp_path_factory):
    places = write_places(tmp_path_factory.mktemp("places"))
    return chained_geocoder(geonames_index_once(tmp_path_factory), places)


def test_curated_village_missing_from_geonames(chained):
    place = chained.geocode("Plauru")
    assert (place.lon, place.lat) == PLAURU
    assert place.source == "curated"
    assert place.precision_m == 1000.0
    assert place.admin1 == "Tulcea" and place.admin2 == "Ceatalchioi"
    assert place.ref == "https://example.org/plauru"
    alias = chained.geocode("Plaurul, Tulcea, Romania")
    assert (alias.name, alias.lon, alias.lat) == ("Plauru", *PLAURU)
    assert alias.confidence < place.confidence


def test_curated_place_wins_over_geonames(chained):
    place = chained.geocode("Galati")
    assert place.source == "curated"
    assert (place.lon, place.lat) == (28.0333, 45.4333)
    # a name the curated file lacks still comes from GeoNames
    assert chained.geocode("Tulcea").source == "geonames"


def test_hyphen_variant_of_curated_name(chained):
    assert chained.geocode("Wyryki Wola").name == "Wyryki-Wola"


def test_curated_namesakes_resolved_by_powiat(chained):
    with pytest.raises(AmbiguousPlaceError) as info:
        chained.geocode("Osiny")  # two curated villages, no populations: ambiguous
    assert {p.admin1 for p in info.value.candidates} == {"Lubelskie", "Podkarpackie"}
    assert chained.geocode("Osiny", admin="Jasło County").admin1 == "Podkarpackie"
    assert chained.geocode("Osiny", admin="powiat łęczyński").admin2 == "Łęczna"
    assert chained.geocode("Osiny", admin="Lubelskie voivodeship").lon == 22.91


def test_admin_mismatch_falls_through_to_geonames(chained):
    # The curated Galați is in Galați county; asked in Iași county, only GeoNames can answer,
    # and it knows no Galați there either.
    with pytest.raises(LookupError, match="Galați"):
        chained.geocode("Galați", admin="Iași")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("- {name: X, country: ROU, lon: 28.1}\n", "missing required field 'lat'"),
        ("- {name: X, country: RO, lon: 28.1, lat: 45.1}\n", "alpha-3"),
        ("- {name: X, country: ROU, lon: 28.1, lat: 95.0}\n", "latitude 95.0"),
        ("- {name: X, country: ROU, lon: 45.1, lat: 128.9}\n", "swapped"),
        ("name: X\n", "list"),
        ("- [unclosed\n", "malformed YAML"),
    ],
)
def test_bad_places_files_are_refused(tmp_path, text, message):
    path = tmp_path / "places.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SeedValidationError, match=message):
        CuratedPlaces.from_yaml(path)


def test_missing_explicit_file_is_an_error(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        CuratedPlaces.from_yaml(tmp_path / "nope.yaml")


def test_default_path_is_the_shipped_seeds():
    path = default_places_yaml()
    assert path.name == "places.yaml" and path.is_file()
    assert path.parent.joinpath("incidents").is_dir()


def test_every_seed_place_resolves_to_itself(tmp_path_factory):
    """The repository's seeds/places.yaml: each place is found by name, country and admin1."""
    seeds = CuratedPlaces.from_yaml()
    assert len(seeds) >= 5
    geocoder = chained_geocoder(geonames_index_once(tmp_path_factory), default_places_yaml())
    for place in seeds.places:
        found = geocoder.geocode(place.name, country=place.country, admin=place.admin1)
        assert found.source == "curated", place.name
        assert (found.lon, found.lat) == (place.lon, place.lat), place.name
        assert found.precision_m == place.precision_m
