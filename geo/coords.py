"""Validation of coordinates and dates at the boundary of the library.

Inside ``geo/`` coordinates are always (lon, lat) in degrees on WGS84.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import NamedTuple

import numpy as np

from incidentmap.geo.errors import InvalidCoordinateError, InvalidDateError


class LngLat(NamedTuple):
    """A point as (longitude, latitude) in degrees, WGS84."""

    lon: float
    lat: float


def _as_float(value, what: str) -> float:
    if isinstance(value, np.generic):  # so messages show 95.0, never np.float64(95.0)
        value = value.item()
    if isinstance(value, bool):
        raise InvalidCoordinateError(f"{what} {value!r} is a boolean, not a number")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise InvalidCoordinateError(f"{what} {value!r} is not a number") from None
    if not math.isfinite(number):
        raise InvalidCoordinateError(f"{what} {value!r} is not a finite number")
    return number


def validate_lonlat(lon, lat) -> LngLat:
    """Return ``LngLat(lon, lat)`` as floats, or raise with a message that names the mistake.

    >>> validate_lonlat(28.05, 45.4353)
    LngLat(lon=28.05, lat=45.4353)
    >>> validate_lonlat(120.0, 95.0)
    Traceback (most recent call last):
    ...
    incidentmap.geo.errors.InvalidCoordinateError: latitude 95.0 is outside [-90, 90]
    """
    lon_f = _as_float(lon, "longitude")
    lat_f = _as_float(lat, "latitude")
    if not -90.0 <= lat_f <= 90.0:
        hint = ""
        if -90.0 <= lon_f <= 90.0 and -180.0 <= lat_f <= 180.0:
            hint = f"; were latitude and longitude swapped (latitude {lon_f}, longitude {lat_f})?"
        raise InvalidCoordinateError(f"latitude {lat_f} is outside [-90, 90]{hint}")
    if not -180.0 <= lon_f <= 180.0:
        raise InvalidCoordinateError(f"longitude {lon_f} is outside [-180, 180]")
    return LngLat(lon_f, lat_f)


def coordinate_problems(lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Vectorised check: an object array with ``None`` for good rows and a reason otherwise."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    out = np.full(lon.shape, None, dtype=object)
    bad_lon_nan = ~np.isfinite(lon)
    bad_lat_nan = ~np.isfinite(lat)
    bad_lat = np.isfinite(lat) & (np.abs(lat) > 90)
    bad_lon = np.isfinite(lon) & (np.abs(lon) > 180)
    for i in np.flatnonzero(bad_lon_nan | bad_lat_nan | bad_lat | bad_lon):
        try:
            validate_lonlat(lon[i], lat[i])
        except InvalidCoordinateError as exc:
            out[i] = str(exc)
    return out


def parse_date(value, *, what: str = "date") -> dt.date:
    """Parse ``YYYY-MM-DD`` (or pass a :class:`datetime.date` through).

    >>> parse_date("2023-04-04")
    datetime.date(2023, 4, 4)
    """
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise InvalidDateError(
            f"{what} {value!r} is not a valid date; expected YYYY-MM-DD, e.g. 2023-09-04"
        ) from None
