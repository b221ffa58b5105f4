"""The online adapter with a fake geopy-like geocoder: never goes online, never sleeps."""

from __future__ import annotations

import pytest

import geopy.exc

from incidentmap.geo.errors import (
    GeocoderConfigurationError,
    GeocoderServiceError,
    GeocoderTimedOut,
    PlaceNotFoundError,
)
from incidentmap.geo.geocoding import OnlineGeocoder, RateLimiter, ResponseCache, check_user_agent
from incidentmap.geo.geocoding.online import place_from_nominatim, place_from_photon
from tests.geocoding_support import (
    FakeClock,
    FakeGeopy,
    geonames_index_once,
    nominatim_raw,
    offline_geocoder,
)

AGENT = "incidentmap-tests/0.1 (tests@example.org)"
# Asymmetric: lat 45.1, lon 28.9 for "Galați", so a swapped axis shows at once.
GALATI_FAKE = nominatim_raw(
    "Galați", 45.1, 28.9, country_code="ro", state="Galați", bbox=(45.05, 45.15, 28.85, 28.95)
)
PERIPRAVA_FAKE = nominatim_raw(
    "Periprava", 45.39, 29.54, country_code="ro", state="Tulcea", county="Comuna C.A. Rosetti"
)


@pytest.fixture
def fake():
    return FakeGeopy({"galați": [GALATI_FAKE], "periprava": [PERIPRAVA_FAKE]})


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def online(fake, clock, tmp_path):
    cache = ResponseCache(tmp_path / "answers.sqlite")
    yield OnlineGeocoder(
        fake,
        service="nominatim",
        user_agent=AGENT,
        cache=cache,
        rate_limiter=RateLimiter(1.0, clock=clock, sleep=clock.sleep),
        timeout_s=7.0,
    )
    cache.close()


@pytest.fixture(scope="module")
def geonames(tmp_path_factory):
    return geonames_index_once(tmp_path_factory)


@pytest.mark.parametrize(
    "agent", ["", "   ", None, "geopy/2.5.0", "my-app", "test", "my_user_agent/1.0", "MyApp"]
)
def test_sample_user_agents_are_refused(agent):
    with pytest.raises(GeocoderConfigurationError, match="user agent"):
        check_user_agent(agent)
    with pytest.raises(GeocoderConfigurationError):
        OnlineGeocoder.nominatim(user_agent=agent)


def test_constructors_do_not_touch_the_network(tmp_path):
    nominatim = OnlineGeocoder.nominatim(user_agent=AGENT, cache_dir=tmp_path)
    photon = OnlineGeocoder.photon(user_agent=AGENT, cache_dir=tmp_path)
    assert nominatim.name == "nominatim" and photon.name == "photon"
    assert nominatim.rate_limiter.min_interval_s >= 1.0
    assert not (tmp_path / "online-geocoder.sqlite").exists()  # nothing opened yet


def test_parsed_axes_and_precision(online, fake):
    (match,) = online.search("Galați", country="ROU")
    place = match.place
    assert (place.lon, place.lat) == (28.9, 45.1)
    assert place.country == "ROU" and place.source == "nominatim"
    assert 6000 < place.precision_m < 7500  # half the diagonal of a 0.1° x 0.1° box
    query, options = fake.calls[0]
    assert query == "Galați"
    assert options["country_codes"] == "ro" and options["timeout"] == 7.0


def test_second_call_comes_from_the_cache(online, fake, tmp_path):
    first = online.search("Galați", country="ROU")
    second = online.search("GALATI", country="ROU")  # same folded query
    assert len(fake.calls) == 1
    assert first == second
    # a new client on the same cache file does not ask either
    cache = ResponseCache(tmp_path / "answers.sqlite")
    again = OnlineGeocoder(fake, user_agent=AGENT, cache=cache, rate_limiter=RateLimiter(0))
    assert again.search("galati", country="ROU")[0].place.lat == 45.1
    assert len(fake.calls) == 1
    cache.close()


def test_empty_answers_are_cached_too(online, fake):
    assert online.search("Nowhere") == []
    assert online.search("nowhere") == []
    assert len(fake.calls) == 1


def test_rate_limit_one_request_per_second(online, clock):
    online.search("Galați")
    online.search("Periprava")  # at once: has to wait a full second
    clock.now += 0.4
    online.search("Galați", country="ROU")  # 0.4 s later: waits 0.6 s more
    clock.now += 5.0
    online.search("Periprava", country="ROU")  # long after: no wait
    assert clock.slept == pytest.approx([1.0, 0.6])


def test_errors_are_mapped(clock, tmp_path):
    timing_out = FakeGeopy({}, fail_with=geopy.exc.GeocoderTimedOut("slow"))
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    geocoder = OnlineGeocoder(timing_out, user_agent=AGENT, rate_limiter=limiter)
    with pytest.raises(GeocoderTimedOut) as info:
        geocoder.search("Galați")
    assert isinstance(info.value, TimeoutError)
    down = FakeGeopy({}, fail_with=geopy.exc.GeocoderUnavailable("503"))
    geocoder = OnlineGeocoder(down, user_agent=AGENT, rate_limiter=limiter)
    with pytest.raises(GeocoderServiceError, match="503") as info:
        geocoder.search("Galați")
    assert isinstance(info.value, ConnectionError)


def test_online_answers_when_offline_finds_nothing(geonames, online, fake):
    chain = offline_geocoder(geonames)
    chain.online = online
    place = chain.geocode("Periprava")
    assert place.source == "nominatim" and (place.lon, place.lat) == (29.54, 45.39)
    assert place.admin1 == "Tulcea"
    # an offline answer is kept without asking
    assert chain.geocode("Tulcea").source == "geonames"
    assert [q for q, _ in fake.calls] == ["Periprava"]


def test_service_down_falls_back_to_offline(geonames, clock, caplog):
    down = FakeGeopy({}, fail_with=geopy.exc.GeocoderUnavailable("service down"))
    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    chain = offline_geocoder(geonames)
    chain.online = OnlineGeocoder(down, user_agent=AGENT, rate_limiter=limiter)
    chain.online_first = True
    with caplog.at_level("WARNING", logger="incidentmap.geo.geocoding.chain"):
        place = chain.geocode("Galați")
    assert place.source == "geonames" and place.country == "ROU"
    assert "service down" in caplog.text
    assert len(down.calls) == 1
    # with nothing offline either, the not-found error says the service failed
    chain.online_first = False
    with pytest.raises(PlaceNotFoundError, match="online geocoder failed"):
        chain.geocode("Periprava")


def test_low_confidence_offline_answer_is_checked_online(geonames, online, fake):
    chain = offline_geocoder(geonames)
    chain.online = online
    chain.online_below = 0.99  # every offline answer counts as weak here
    place = chain.geocode("Galați")
    assert place.source == "nominatim"
    assert fake.calls and fake.calls[0][0] == "Galați"


def test_photon_feature_parsing():
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [28.9, 45.1]},
        "properties": {
            "name": "Galați",
            "countrycode": "RO",
            "state": "Galați",
            "extent": [28.85, 45.15, 28.95, 45.05],
            "osm_type": "R",
            "osm_id": 1,
            "osm_value": "city",
        },
    }
    place = place_from_photon(feature)
    assert (place.lon, place.lat) == (28.9, 45.1)
    assert place.country == "ROU" and place.feature == "city"
    assert 6000 < place.precision_m < 7500


def test_nominatim_answer_with_bad_coordinates_is_a_service_error():
    with pytest.raises(GeocoderServiceError, match="coordinates"):
        place_from_nominatim({"lat": "145.1", "lon": "28.9"})


def test_geopy_does_the_spacing_and_its_own_agent_check(clock):
    """The limiter is geopy's RateLimiter (no retries, errors not swallowed), and a sample
    agent that only geopy's own list knows ("my_app/1") is refused too."""
    from geopy.extra.rate_limiter import RateLimiter as GeopyRateLimiter

    limiter = RateLimiter(1.0, clock=clock, sleep=clock.sleep)
    assert limiter(lambda x: x * 2, 21) == 42
    assert isinstance(limiter._limiter, GeopyRateLimiter)
    with pytest.raises(geopy.exc.GeocoderUnavailable):
        limiter(FakeGeopy({}, fail_with=geopy.exc.GeocoderUnavailable("503")).geocode, "x")
    assert clock.slept == pytest.approx([1.0])  # the failed call waited its turn, no retry
    with pytest.raises(GeocoderConfigurationError, match="user agent 'my_app/1'"):
        check_user_agent("my_app/1")
