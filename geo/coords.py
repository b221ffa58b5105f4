"""Validation of coordinates and dates at the boundary of the library.

Inside ``geo/`` coordinates are always (lon, lat) in degrees on WGS84.
"""

from __future__ import annotations

import datetime as dt
import math
import re
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


# -- reading "LAT LON" as people write it ---------------------------------------------------
_NUM = r"\d+(?:\.\d+)?|\.\d+"


def _coord(i: int) -> str:
    return (
        rf"(?P<h{i}a>[NSEW])?\s*(?P<sign{i}>[-+])?(?P<deg{i}>{_NUM})\s*(?:°|º|deg|d)?\s*"
        rf"(?:(?P<min{i}>{_NUM})\s*(?:'|′|’|min|m)\s*"
        rf"(?:(?P<sec{i}>{_NUM})\s*(?:\"|″|”|''|sec|s)\s*)?)?(?(h{i}a)|(?P<h{i}b>[NSEW])?)"
    )


_SEPARATOR = r"(?:\s*[,;/]\s*|\s+|(?<=[NSEW°º'′’\"″”]))"
_PAIR = re.compile(rf"^\s*{_coord(1)}{_SEPARATOR}{_coord(2)}\s*$", re.IGNORECASE)
_AXIS = {"N": "lat", "S": "lat", "E": "lon", "W": "lon"}


def _one_value(m: re.Match, i: int, text: str) -> tuple[float, str | None]:
    """The signed value of coordinate ``i`` and its axis from a hemisphere letter (or None)."""
    letters = [m.group(f"h{i}a"), m.group(f"h{i}b")]
    hemi = (letters[0] or letters[1] or "").upper() or None
    deg, minutes, seconds = (m.group(f"{k}{i}") for k in ("deg", "min", "sec"))
    value = float(deg)
    if minutes is not None:
        if "." in deg:
            raise InvalidCoordinateError(
                f"{text!r}: degrees {deg} with minutes must be a whole number"
            )
        for part, name in ((minutes, "minutes"), (seconds, "seconds")):
            if part is not None and float(part) >= 60:
                raise InvalidCoordinateError(f"{text!r}: {name} {part} must be below 60")
        value += float(minutes) / 60 + float(seconds or 0) / 3600
    if m.group(f"sign{i}") == "-":
        if hemi:
            raise InvalidCoordinateError(
                f"{text!r}: a minus sign and a hemisphere letter ({hemi}); give one of them"
            )
        value = -value
    if hemi in ("S", "W"):
        value = -value
    return value, (_AXIS[hemi] if hemi else None)


def parse_lat_lon(text: str, *, order: str = "latlon") -> tuple[LngLat, bool] | None:
    """Read two coordinates as people write them; ``None`` if ``text`` is not coordinates.

    Returns ``(LngLat, fixed)``: ``fixed`` is True when hemisphere letters decided which number
    is the latitude. Without letters the first number is the latitude (``order="latlon"``,
    as people write them) or the longitude (``order="lonlat"``). Accepted: decimal degrees
    (``45.43 28.05``, ``45.43,28.05``), hemisphere letters before or after (``45.43N 28.05E``,
    ``N45.43 E28.05``; S and W are negative), and degrees with minutes and seconds
    (``45°26'N 28°03'E``, ``45°26'07.5"N 28°3'E``). Raises InvalidCoordinateError for text that
    is coordinates but unusable (latitude 95, minutes 75, two latitudes).

    >>> parse_lat_lon("45.4353, 28.05")
    (LngLat(lon=28.05, lat=45.4353), False)
    >>> parse_lat_lon("28.05E 45.43N")
    (LngLat(lon=28.05, lat=45.43), True)
    >>> parse_lat_lon("45°30'N 28°03'W")
    (LngLat(lon=-28.05, lat=45.5), True)
    >>> parse_lat_lon("Plauru") is None
    True
    """
    if order not in ("latlon", "lonlat"):
        raise ValueError(f"order {order!r} must be 'latlon' or 'lonlat'")
    m = _PAIR.match(str(text))
    if not m:
        return None
    (v1, axis1), (v2, axis2) = _one_value(m, 1, text), _one_value(m, 2, text)
    fixed = bool(axis1 or axis2)
    if axis1 and axis2 and axis1 == axis2:
        both = "latitudes (N/S)" if axis1 == "lat" else "longitudes (E/W)"
        raise InvalidCoordinateError(f"{text!r}: both coordinates are {both}")
    if axis1 == "lon" or axis2 == "lat" or (not fixed and order == "lonlat"):
        lon, lat = v1, v2
    else:
        lat, lon = v1, v2
    try:
        point = validate_lonlat(lon, lat)
    except InvalidCoordinateError as exc:
        axes = "latitude, longitude" if (lat, lon) == (v1, v2) else "longitude, latitude"
        raise InvalidCoordinateError(f"{text!r} read as {axes}: {exc}") from None
    return point, fixed


#: A swap is suggested when the swapped point is this close to the NATO border (km) ...
SWAP_HINT_NEAR_KM = 100.0
#: ... and this many times closer than the point as given.
SWAP_HINT_RATIO = 10.0


def swapped_hint(point: LngLat, distance_km) -> str | None:
    """ "did you mean LAT LON?" when ``point`` looks like latitude and longitude swapped.

    ``distance_km(lon, lat)`` gives the (unsigned) distance in km from a point to the area
    of interest (the NATO border). The swap is suggested when the swapped point is within
    :data:`SWAP_HINT_NEAR_KM` of it and :data:`SWAP_HINT_RATIO` times closer than ``point``.
    """
    if abs(point.lon) > 90:
        return None
    swapped = LngLat(point.lat, point.lon)
    near = distance_km(swapped.lon, swapped.lat)
    if near is None or near > SWAP_HINT_NEAR_KM:
        return None
    given = distance_km(point.lon, point.lat)
    if given is None or given < SWAP_HINT_RATIO * max(near, 0.1):
        return None
    return (
        f"latitude {point.lat:g}, longitude {point.lon:g} is {given:,.0f} km from the NATO "
        f"border; did you mean {swapped.lat:g} {swapped.lon:g}? (that is {near:,.0f} km from "
        "it; coordinates are read as LAT LON)"
    )
