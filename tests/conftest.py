"""Session fixtures shared by the test modules.

The GeoNames index is built once per test session into a temporary cache directory (through
``tests.geocoding_support``, so the geocoding tests reuse the same build), and the shipped
catalog is loaded and enriched once.
"""

from __future__ import annotations

import pytest

from incidentmap.geo.geocoding import CuratedPlaces, Geocoder, default_geocoder
from tests.geocoding_support import geonames_cache_dir, geonames_index_once


@pytest.fixture(scope="session")
def geonames_cache(tmp_path_factory):
    """The session's cache directory holding the built GeoNames index."""
    return geonames_cache_dir(tmp_path_factory)


@pytest.fixture(scope="session")
def session_geocoder(tmp_path_factory) -> Geocoder:
    """The default offline chain: the shipped ``seeds/places.yaml``, then real GeoNames."""
    return Geocoder([CuratedPlaces.from_yaml(None), geonames_index_once(tmp_path_factory)])


@pytest.fixture(scope="session")
def catalog(session_geocoder):
    """The shipped seeds, loaded and enriched once: ``CatalogResult(frame, rejected, report)``."""
    from incidentmap.geo.enrich import load_catalog

    return load_catalog(geocoder=session_geocoder)


@pytest.fixture
def default_geocoder_in_session_cache(monkeypatch, geonames_cache):
    """Make :func:`geo.geocoding.default_geocoder` load the session's index (for CLI tests)."""
    monkeypatch.setenv("INCIDENTMAP_CACHE_DIR", str(geonames_cache))
    default_geocoder.cache_clear()
    yield default_geocoder()
    default_geocoder.cache_clear()
