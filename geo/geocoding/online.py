"""Optional online geocoding through geopy (Nominatim, Photon), off by default.

A polite client: the user's own user agent (sample agents are refused: geopy's own Nominatim
check plus a longer list of samples), at least one second between requests (geopy's
:class:`geopy.extra.rate_limiter.RateLimiter`, with an injectable clock so tests never sleep),
a timeout, and a persistent cache of every answer keyed by the normalised query and filters.
The only network call is :meth:`OnlineGeocoder.search`; constructors never touch the network.
geopy errors are mapped to :mod:`geo.errors`. Answers are parsed by pure functions
(:func:`place_from_nominatim`, :func:`place_from_photon`).
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pyproj

from incidentmap.geo.coords import validate_lonlat
from incidentmap.geo.errors import (
    GeocoderConfigurationError,
    GeocoderServiceError,
    GeocoderTimedOut,
    InvalidCoordinateError,
)
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.cache import ResponseCache, default_cache_dir
from incidentmap.geo.geocoding.countries import country_iso2, iso2_to_iso3
from incidentmap.geo.geocoding.names import fold

__all__ = [
    "OnlineGeocoder",
    "RateLimiter",
    "check_user_agent",
    "place_from_nominatim",
    "place_from_photon",
    "bbox_precision_m",
]

logger = logging.getLogger(__name__)

_GEOD = pyproj.Geod(ellps="WGS84")

# Sample user agents that geopy's Nominatim check (which refuses its own default and four
# documentation samples) lets through: more documentation samples and names that identify
# nobody.
_MORE_SAMPLE_AGENTS = frozenset(
    """
    my-app my_app myapp my-application my_application myapplication my-app-name app
    application test testing tests example sample demo user-agent useragent user_agent
    my_user_agent my-user-agent my_user_agent/1.0 specify_your_app_name_here your-app
    your_app_name yourapp python python-requests curl wget mozilla/5.0 geopy incidentmap
    """.split()
)


def check_user_agent(user_agent: str | None) -> str:
    """Return the user agent, or refuse an empty or sample one (Nominatim's usage policy).

    >>> check_user_agent("incidentmap-research/0.1 (jane@example.org)")
    'incidentmap-research/0.1 (jane@example.org)'
    >>> check_user_agent("my-app")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    incidentmap.geo.errors.GeocoderConfigurationError: user agent 'my-app' is a sample ...
    """
    from geopy.exc import ConfigurationError
    from geopy.geocoders import Nominatim

    agent = (user_agent or "").strip()
    if not agent:
        raise GeocoderConfigurationError(
            "online geocoding needs your own user agent (e.g. 'yourproject/1.0 (you@org)'); "
            "set --user-agent or INCIDENTMAP_USER_AGENT"
        )
    try:
        Nominatim(user_agent=agent)  # geopy's own check; builds no connection
        geopy_refuses = False
    except ConfigurationError:
        geopy_refuses = True
    folded = agent.casefold()
    if geopy_refuses or folded in _MORE_SAMPLE_AGENTS or folded.startswith("geopy/"):
        raise GeocoderConfigurationError(
            f"user agent {agent!r} is a sample or identifies nobody; Nominatim's usage policy "
            "asks for one that identifies your application, e.g. 'yourproject/1.0 (you@org)'"
        )
    return agent


@functools.cache
def _geopy_limiter_class():
    """geopy's RateLimiter with an injectable clock and sleep (imported on first use: geopy
    costs ~0.1 s to import, and most commands never geocode online)."""
    from geopy.extra.rate_limiter import RateLimiter as GeopyRateLimiter

    class _Limiter(GeopyRateLimiter):
        def __init__(self, min_interval_s: float, clock, sleep):
            super().__init__(
                lambda func, *args, **kwargs: func(*args, **kwargs),
                min_delay_seconds=min_interval_s,
                max_retries=0,  # no retries and no swallowed errors: the caller maps them
                error_wait_seconds=min_interval_s,
                swallow_exceptions=False,
            )
            self._clock_fn, self._sleep_fn = clock, sleep

        def _clock(self) -> float:
            return self._clock_fn()

        def _sleep(self, seconds: float) -> None:
            self._sleep_fn(seconds)

    return _Limiter


class RateLimiter:
    """At least ``min_interval_s`` seconds between calls, by geopy's ``RateLimiter``.

    Call it with the function to limit and its arguments (``limiter(client.geocode, query)``),
    so that one limiter can space the calls of several clients. ``clock`` and ``sleep`` are
    injectable (defaults ``time.monotonic`` and ``time.sleep``).
    """

    def __init__(
        self,
        min_interval_s: float = 1.0,
        *,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Any] = time.sleep,
    ):
        if min_interval_s < 0:
            raise ValueError(f"min_interval_s {min_interval_s} must not be negative")
        self.min_interval_s = min_interval_s
        self._clock = clock
        self._sleep = sleep
        self._limiter = None
        self._lock = threading.Lock()

    def __call__(self, func, *args, **kwargs):
        with self._lock:
            if self._limiter is None:
                self._limiter = _geopy_limiter_class()(self.min_interval_s, self._clock,
                                                       self._sleep)
        return self._limiter(func, *args, **kwargs)


def bbox_precision_m(south: float, north: float, west: float, east: float) -> float:
    """Half the geodesic diagonal of a bounding box in metres (at least 100 m).

    >>> round(bbox_precision_m(45.40, 45.48, 27.95, 28.10))
    7362
    """
    diagonal_m = _GEOD.inv(west, south, east, north)[2]
    return max(100.0, float(diagonal_m) / 2.0)


def _iso3(code: str | None) -> str | None:
    return iso2_to_iso3(code.upper()) if code else None


def place_from_nominatim(raw: dict, *, service: str = "nominatim") -> Place:
    """A :class:`Place` from one Nominatim JSON result (``Location.raw``)."""
    try:
        lon, lat = validate_lonlat(raw["lon"], raw["lat"])
    except (KeyError, InvalidCoordinateError) as exc:
        raise GeocoderServiceError(
            f"{service} answered a result without valid coordinates: {exc}"
        ) from exc
    address = raw.get("address") or {}
    precision_m = 5000.0
    box = raw.get("boundingbox")
    if box and len(box) == 4:
        south, north, west, east = (float(v) for v in box)
        precision_m = bbox_precision_m(south, north, west, east)
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip()
    osm = f"osm:{raw.get('osm_type')}/{raw.get('osm_id')}" if raw.get("osm_id") else None
    return Place(
        name=name,
        lon=lon,
        lat=lat,
        country=_iso3(address.get("country_code")),
        admin1=address.get("state") or address.get("region"),
        admin2=address.get("county") or address.get("municipality") or address.get("district"),
        feature=raw.get("addresstype") or raw.get("type"),
        population=None,
        source=service,
        precision_m=precision_m,
        confidence=0.0,
        ref=osm,
        raw=raw,
    )


def place_from_photon(feature: dict, *, service: str = "photon") -> Place:
    """A :class:`Place` from one Photon GeoJSON feature (``Location.raw``)."""
    props = feature.get("properties") or {}
    try:
        lon_raw, lat_raw = feature["geometry"]["coordinates"][:2]
        lon, lat = validate_lonlat(lon_raw, lat_raw)
    except (KeyError, TypeError, ValueError, InvalidCoordinateError) as exc:
        raise GeocoderServiceError(
            f"{service} answered a feature without valid coordinates: {exc}"
        ) from exc
    precision_m = 5000.0
    extent = props.get("extent")
    if extent and len(extent) == 4:
        west, north, east, south = (float(v) for v in extent)
        precision_m = bbox_precision_m(south, north, west, east)
    osm = f"osm:{props.get('osm_type')}/{props.get('osm_id')}" if props.get("osm_id") else None
    return Place(
        name=props.get("name", ""),
        lon=lon,
        lat=lat,
        country=_iso3(props.get("countrycode")),
        admin1=props.get("state"),
        admin2=props.get("county") or props.get("district"),
        feature=props.get("osm_value"),
        population=None,
        source=service,
        precision_m=precision_m,
        confidence=0.0,
        ref=osm,
        raw=feature,
    )


_PARSERS = {"nominatim": place_from_nominatim, "photon": place_from_photon}


class OnlineGeocoder:
    """An online source for the chain, wrapping a geopy geocoder.

    Parameters
    ----------
    client
        A geopy geocoder (or anything with ``geocode(query, exactly_one=False, timeout=...)``
        returning objects with a ``raw`` attribute).
    service
        "nominatim" or "photon": which parser reads the answers.
    user_agent
        Your application's user agent; sample agents are refused.
    cache
        Where answers are kept (``None``: no cache).
    rate_limiter
        Spacing of requests (default: one per second).
    timeout_s
        Seconds to wait for an answer.
    """

    def __init__(
        self,
        client,
        *,
        service: str = "nominatim",
        user_agent: str | None,
        cache: ResponseCache | None = None,
        rate_limiter: RateLimiter | None = None,
        timeout_s: float = 10.0,
        limit: int = 5,
    ):
        if service not in _PARSERS:
            raise GeocoderConfigurationError(
                f"service {service!r} is not one of {sorted(_PARSERS)}"
            )
        self.user_agent = check_user_agent(user_agent)
        self.client = client
        self.name = service
        self.cache = cache
        self.rate_limiter = rate_limiter or RateLimiter(1.0)
        self.timeout_s = timeout_s
        self.limit = limit

    @classmethod
    def _from_geopy(
        cls, service, geopy_class, *, user_agent, cache_dir, timeout_s, domain, min_interval_s
    ) -> OnlineGeocoder:
        agent = check_user_agent(user_agent)
        client = geopy_class(user_agent=agent, timeout=timeout_s, domain=domain)
        return cls(
            client,
            service=service,
            user_agent=agent,
            cache=_cache(cache_dir),
            rate_limiter=RateLimiter(max(1.0, min_interval_s)),
            timeout_s=timeout_s,
        )

    @classmethod
    def nominatim(
        cls,
        *,
        user_agent: str | None,
        cache_dir: str | os.PathLike | None = None,
        timeout_s: float = 10.0,
        domain: str = "nominatim.openstreetmap.org",
        min_interval_s: float = 1.0,
    ) -> OnlineGeocoder:
        """Nominatim (OpenStreetMap) through geopy, with a disk cache in ``cache_dir``."""
        from geopy.geocoders import Nominatim

        return cls._from_geopy(
            "nominatim",
            Nominatim,
            user_agent=user_agent,
            cache_dir=cache_dir,
            timeout_s=timeout_s,
            domain=domain,
            min_interval_s=min_interval_s,
        )

    @classmethod
    def photon(
        cls,
        *,
        user_agent: str | None,
        cache_dir: str | os.PathLike | None = None,
        timeout_s: float = 10.0,
        domain: str = "photon.komoot.io",
        min_interval_s: float = 1.0,
    ) -> OnlineGeocoder:
        """Photon (komoot, OpenStreetMap data) through geopy, with a disk cache."""
        from geopy.geocoders import Photon

        return cls._from_geopy(
            "photon",
            Photon,
            user_agent=user_agent,
            cache_dir=cache_dir,
            timeout_s=timeout_s,
            domain=domain,
            min_interval_s=min_interval_s,
        )

    def cache_key(self, name: str, *, country: str | None, admin: Iterable[str]) -> str:
        """The cache key: service, folded name, country and folded admin context."""
        return json.dumps([self.name, fold(name), country, sorted(fold(a) for a in admin)])

    def search(
        self, name: str, *, country: str | None = None, admin: Iterable[str] = ()
    ) -> list[Match]:
        """Ask the service (or its cache) for ``name``; THE network call of this module.

        Raises
        ------
        GeocoderTimedOut, GeocoderServiceError
            The service did not answer in time, or failed.
        """
        admin = [a for a in admin if a]
        key = self.cache_key(name, country=country, admin=admin)
        raws = self.cache.get(key, None) if self.cache is not None else None
        if raws is None:
            raws = self._request(name, country=country, admin=admin)
            if self.cache is not None:
                self.cache.put(key, raws)
        else:
            logger.debug("%s: %r answered from the cache", self.name, name)
        parse = _PARSERS[self.name]
        matches = []
        for raw in raws:
            place = parse(raw, service=self.name)
            if country is not None and place.country not in (None, country):
                continue
            admin_names = tuple(
                v for v in (place.admin1, place.admin2, (raw.get("address") or {}).get("city")) if v
            )
            matches.append(Match(place, "name", admin_names))
        return matches

    def _request(self, name: str, *, country: str | None, admin: list[str]) -> list[dict]:
        query = ", ".join([name, *admin])
        options: dict[str, Any] = {"exactly_one": False, "timeout": self.timeout_s}
        if self.name == "nominatim":
            options.update(limit=self.limit, addressdetails=True)
            if country:
                options["country_codes"] = country_iso2(country).lower()
        else:
            options["limit"] = self.limit
        from geopy import exc as geopy_exc

        logger.info("%s: asking for %r (country %s)", self.name, query, country or "any")
        try:
            locations = self.rate_limiter(self.client.geocode, query, **options)
        except (geopy_exc.GeocoderTimedOut, TimeoutError) as exc:
            raise GeocoderTimedOut(
                f"{self.name} did not answer {query!r} within {self.timeout_s} s: {exc}"
            ) from exc
        except geopy_exc.GeocoderServiceError as exc:
            raise GeocoderServiceError(f"{self.name} failed on {query!r}: {exc}") from exc
        except (geopy_exc.GeopyError, OSError) as exc:
            raise GeocoderServiceError(f"{self.name} failed on {query!r}: {exc}") from exc
        return [dict(location.raw) for location in (locations or [])]


def _cache(cache_dir: str | os.PathLike | None) -> ResponseCache:
    directory = Path(cache_dir) if cache_dir else default_cache_dir()
    return ResponseCache(directory / "online-geocoder.sqlite")
