"""Helpers of the geocoding tests: the real GeoNames index, built once per test session into
a temporary cache, a small curated places file, and a fake geopy-like online geocoder.

(Plain functions: each test module wraps the few it needs in fixtures.)"""

from __future__ import annotations

import textwrap

from incidentmap.geo.geocoding import CuratedPlaces, Geocoder, GeoNamesIndex

_SESSION: dict = {}

# Asymmetric coordinates (lat 45.1, lon 28.9 ...) so that swapped axes fail.
PLACES_YAML = textwrap.dedent(
    """\
    - name: Plauru
      alt_names: [Plaurul]
      feature: village
      country: ROU
      admin1: Tulcea
      admin2: Ceatalchioi
      lon: 28.6789
      lat: 45.3456
      precision_m: 1000
      source: {publisher: Test, title: "Plauru", url: "https://example.org/plauru"}
    - name: Wyryki-Wola
      feature: village
      country: POL
      admin1: Lubelskie
      admin2: Włodawa
      lon: 23.41
      lat: 51.62
      precision_m: 1500
      source: {publisher: Test, title: "Wyryki-Wola", url: "https://example.org/wyryki"}
    - name: Osiny
      feature: village
      country: POL
      admin1: Lubelskie
      admin2: Łęczna
      lon: 22.91
      lat: 51.35
      precision_m: 1000
      source: {publisher: Test, title: "Osiny", url: "https://example.org/osiny-leczna"}
    - name: Osiny
      feature: village
      country: POL
      admin1: Podkarpackie
      admin2: Jasło
      lon: 21.41
      lat: 49.71
      precision_m: 1000
      source: {publisher: Test, title: "Osiny", url: "https://example.org/osiny-jaslo"}
    - name: Galați
      feature: city
      country: ROU
      admin1: Galați
      lon: 28.0333
      lat: 45.4333
      precision_m: 3000
      source: {publisher: Test, title: "Galați", url: "https://example.org/galati"}
    """
)


def geonames_index_once(tmp_path_factory) -> GeoNamesIndex:
    """The real offline index (cities500), built on the first call of the session."""
    if "index" not in _SESSION:
        cache_dir = tmp_path_factory.mktemp("geonames-cache")
        _SESSION["cache_dir"] = cache_dir
        _SESSION["index"] = GeoNamesIndex.load(cache_dir=cache_dir)
    return _SESSION["index"]


def geonames_cache_dir(tmp_path_factory):
    geonames_index_once(tmp_path_factory)
    return _SESSION["cache_dir"]


def write_places(tmp_path):
    """The test places file in ``tmp_path``; returns its path."""
    path = tmp_path / "places.yaml"
    path.write_text(PLACES_YAML, encoding="utf-8")
    return path


def offline_geocoder(index: GeoNamesIndex) -> Geocoder:
    """GeoNames only, no curated places."""
    return Geocoder([CuratedPlaces([]), index])


def chained_geocoder(index: GeoNamesIndex, places_path) -> Geocoder:
    """Curated test places, then GeoNames."""
    return Geocoder([CuratedPlaces.from_yaml(places_path), index])


class FakeLocation:
    def __init__(self, raw: dict):
        self.raw = raw
        self.latitude = float(raw["lat"])
        self.longitude = float(raw["lon"])
        self.address = raw.get("display_name", "")


def nominatim_raw(name, lat, lon, *, country_code, state=None, county=None, bbox=None):
    raw = {
        "name": name,
        "display_name": ", ".join(p for p in (name, county, state) if p),
        "lat": str(lat),
        "lon": str(lon),
        "osm_type": "relation",
        "osm_id": sum(map(ord, name)),
        "addresstype": "village",
        "address": {"country_code": country_code},
    }
    if state:
        raw["address"]["state"] = state
    if county:
        raw["address"]["county"] = county
    if bbox:
        raw["boundingbox"] = [str(v) for v in bbox]
    return raw


class FakeGeopy:
    """A geopy-like geocoder: answers from a dict, records calls, can fail on demand."""

    def __init__(self, answers: dict[str, list[dict]], *, fail_with: Exception | None = None):
        self.answers = answers
        self.fail_with = fail_with
        self.calls: list[tuple[str, dict]] = []

    def geocode(self, query, *, exactly_one=True, timeout=None, **options):
        self.calls.append((query, {"timeout": timeout, **options}))
        if self.fail_with is not None:
            raise self.fail_with
        raws = self.answers.get(query.split(",")[0].strip().casefold(), [])
        return [FakeLocation(raw) for raw in raws] or None


class FakeClock:
    """A monotonic clock that only moves when told to (or when 'slept')."""

    def __init__(self, start: float = 1000.0):
        self.now = start
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds
