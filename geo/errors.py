"""The exception tree of incidentmap.

One root, :class:`IncidentMapError`; every leaf also inherits the built-in it is a kind of,
so callers can catch either (as in geopy's ``exc.py``).
"""

from __future__ import annotations


class IncidentMapError(Exception):
    """Root of every error raised on purpose by incidentmap."""


class InvalidCoordinateError(IncidentMapError, ValueError):
    """A latitude or longitude that is not a finite number in range."""


class InvalidDateError(IncidentMapError, ValueError):
    """A date that cannot be parsed or is out of the supported range."""


class UnknownCountryError(IncidentMapError, KeyError):
    """An ISO 3166-1 alpha-3 code that the shipped border data does not hold."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


class InvalidGeometryError(IncidentMapError, ValueError):
    """A geometry that cannot be indexed (not polygonal, or with non-finite coordinates)."""


class BoundaryDataError(IncidentMapError, ValueError):
    """Boundary segments or geometries that cannot make a distance index."""


class DataFileError(IncidentMapError, OSError):
    """Shipped or user data that is missing or unreadable."""


class GeocodingError(IncidentMapError):
    """Base class for geocoding failures."""


class PlaceNotFoundError(GeocodingError, LookupError):
    """No source knows the place name."""


class AmbiguousPlaceError(GeocodingError, LookupError):
    """Several places match and the context does not decide; ``candidates`` lists them."""

    def __init__(self, message: str, candidates=()):
        super().__init__(message)
        self.candidates = list(candidates)


class GeocoderServiceError(GeocodingError, ConnectionError):
    """An online geocoding service failed (down, refused, malformed answer)."""


class GeocoderTimedOut(GeocoderServiceError, TimeoutError):
    """An online geocoding service did not answer in time."""


class SeedValidationError(IncidentMapError, ValueError):
    """An incident or place record in ``seeds/`` that breaks the schema."""


class ArticleInputError(IncidentMapError, ValueError):
    """A file or text that cannot be read as a news article (empty, binary, not UTF-8, huge)."""


class TrackError(IncidentMapError, ValueError):
    """A flight track that cannot be analysed (too few points, time going backwards ...)."""


class GeocoderConfigurationError(GeocodingError, ValueError):
    """An online geocoder set up wrongly (e.g. a missing or sample Nominatim user agent)."""


class BorderOutOfReachError(IncidentMapError, LookupError):
    """The border with the neighbour asked for is farther from the target than the radius.

    ``approach`` is that border's nearest point (a :class:`geo.intercept.Approach`),
    ``radius_km`` the radius, ``place`` the target's label and ``speed_kmh`` the speed, so
    that a caller can word its own advice.
    """

    def __init__(self, message: str, *, approach, radius_km: float, place: str,
                 speed_kmh: float):
        super().__init__(message)
        self.approach = approach
        self.radius_km = radius_km
        self.place = place
        self.speed_kmh = speed_kmh


class BandError(IncidentMapError, ValueError):
    """Distances or geometries that cannot make distance bands."""


class TabularInputError(IncidentMapError, ValueError):
    """A CSV, GeoJSON or GeoParquet file that cannot be read as a table (not UTF-8, empty,
    no coordinate columns, malformed)."""


class TabularOutputError(IncidentMapError, ValueError):
    """A table that cannot be written as asked (unknown format, GeoParquet to stdout)."""


class ImportRowError(IncidentMapError, ValueError):
    """One row of an imported file that cannot become an incident; ``column`` names the cell
    at fault (``incidentmap import`` reports it with the row and goes on)."""

    def __init__(self, column: str | None, reason: str):
        super().__init__(reason)
        self.column = column
        self.reason = reason


# Errors of the map layers (``incidentmap.layers``). They live here so that the tree is one
# module; geo never raises them and never imports layers.


class MapSpecError(IncidentMapError, ValueError):
    """A map spec that is missing a key or has a wrong value."""


class AssetError(IncidentMapError):
    """Base class for problems with the offline asset cache."""


class AssetMissingError(AssetError, FileNotFoundError):
    """An asset the map needs is not in the local cache (run ``incidentmap assets``)."""


class AssetFetchError(AssetError, ConnectionError):
    """``npm pack`` failed or is not installed."""


class BrowserNotFoundError(IncidentMapError, FileNotFoundError):
    """No Chromium to take pictures with."""


class NotNarrowYaml(IncidentMapError, ValueError):
    """Internal to :mod:`geo.seed_yaml`: a file leaves the narrow form ``incidentmap import``
    writes, so the full YAML parser reads it. Never reaches a user."""
