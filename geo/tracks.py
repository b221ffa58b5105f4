"""Flight tracks: an ordered list of (lon, lat) points with optional times, read and validated.

A :class:`Track` comes from arrays (:func:`make_track`) or from a file read by
:mod:`geo.track_files` (GeoJSON, CSV, GPX, seed YAML). Every reader ends in
:func:`make_track`, which refuses a track that cannot be analysed, with a message naming the
point and the likely mistake; nothing half-read is returned.

Rules
-----
* At least two points, all finite, latitude in [-90, 90], longitude in [-180, 180]; the track
  must have a length (not all points the same).
* No leg may cross the antimeridian (a leg whose ends are more than 180° of longitude apart
  is flown across it along the shortest geodesic). Such tracks are refused rather than
  handled: the country polygons, the maps and the GeoJSON output are all cut at ±180°, and no
  incident near NATO needs it. Split the track at 180° and analyse the parts.
* Times are ISO 8601 (``2025-09-13T18:23:00+03:00``; ``Z`` for UTC); a time without a
  zone is taken as UTC. Give a time for every point, for none, or for some points including
  the first and the last: the missing ones are interpolated at constant speed between the
  given ones (by geodesic distance along the track).
* Times must not go backwards; two points with the same time must be the same place.
* The speed of every leg (from the times), and a speed given instead of times, must be
  greater than 0 and at most :data:`MAX_SPEED_KMH` (4000 km/h) unless ``max_speed_kmh``
  says otherwise. 4000 km/h is above every aircraft and cruise missile that has crossed into
  NATO airspace (attack drones fly at 150-250 km/h, cruise missiles at 700-900 km/h, fighter
  jets at most about Mach 2.5, 2700 km/h at altitude) and low enough to catch the usual
  mistakes: a timestamp with the wrong time zone or date, minutes written as seconds.
  Hypersonic or ballistic missiles (Kinzhal, about Mach 10) need ``max_speed_kmh=13000``.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import dataclass, field

import numpy as np

from incidentmap.geo.coords import parse_date
from incidentmap.geo.errors import TrackError
from incidentmap.geo.geodesic import geodesic_inverse

__all__ = [
    "MAX_SPEED_KMH",
    "Track",
    "check_speed_kmh",
    "make_track",
    "parse_time",
]

logger = logging.getLogger(__name__)

#: Fastest plausible speed of anything in a track, km/h (see the module docstring).
MAX_SPEED_KMH = 4000.0



@dataclass(frozen=True, eq=False)
class Track:
    """A validated flight track; build it with :func:`make_track` or a reader.

    Attributes
    ----------
    lon, lat : numpy.ndarray
        Degrees, (lon, lat) order, at least two points.
    time_s : numpy.ndarray or None
        Seconds since 1970-01-01 UTC at every point (interpolated where the source gave
        none), or None for a track without times.
    speed_kmh : float or None
        The speed to use when the track has no times (from the source, e.g. a seed).
    name, incident, note : str or None
        Labels: the track's id or name, the incident it belongs to, a free note.
    approximate : bool
        True when the points are a reconstruction from reports, not a recorded track.
    sources : tuple of dict
        Where the points come from (publisher, date, title, url).
    date : datetime.date or None
        The day of the flight (from the first time, or given); NATO membership is taken
        as of this day.
    notes : tuple of str
        Per-point notes, "" where none.
    """

    lon: np.ndarray
    lat: np.ndarray
    time_s: np.ndarray | None = None
    speed_kmh: float | None = None
    name: str | None = None
    incident: str | None = None
    approximate: bool = False
    sources: tuple = ()
    note: str | None = None
    date: dt.date | None = None
    notes: tuple = field(default=())
    method: str | None = None

    def __len__(self) -> int:
        return int(self.lon.size)

    @property
    def has_times(self) -> bool:
        return self.time_s is not None

    def leg_lengths_m(self) -> np.ndarray:
        """Geodesic length of each leg in metres."""
        return np.asarray(
            geodesic_inverse(self.lon[:-1], self.lat[:-1], self.lon[1:], self.lat[1:]).distance_m,
            dtype=float,
        ).reshape(-1)

    def length_m(self) -> float:
        """Geodesic length of the whole track in metres."""
        return float(self.leg_lengths_m().sum())

    def describe(self) -> str:
        label = self.name or "track"
        return f"{label} ({len(self)} points{', approximate' if self.approximate else ''})"


def check_speed_kmh(speed_kmh, *, max_speed_kmh: float = MAX_SPEED_KMH,
                    what: str = "speed") -> float:
    """Return ``speed_kmh`` as a float or raise TrackError naming the mistake.

    >>> check_speed_kmh(200)
    200.0
    >>> check_speed_kmh(0)
    Traceback (most recent call last):
    ...
    incidentmap.geo.errors.TrackError: speed 0.0 km/h must be greater than 0
    """
    if isinstance(speed_kmh, bool):
        raise TrackError(f"{what} {speed_kmh!r} is a boolean, not a speed in km/h")
    try:
        v = float(speed_kmh)
    except (TypeError, ValueError):
        raise TrackError(f"{what} {speed_kmh!r} is not a number of km/h") from None
    if not math.isfinite(v):
        raise TrackError(f"{what} {speed_kmh!r} is not a finite number of km/h")
    if v <= 0:
        raise TrackError(f"{what} {v} km/h must be greater than 0")
    if v > max_speed_kmh:
        raise TrackError(
            f"{what} {v:g} km/h is above {max_speed_kmh:g} km/h, faster than anything that "
            "flies in these incidents; is the unit right (km/h, not m/h)? (for hypersonic "
            "missiles raise max_speed_kmh)"
        )
    return v


def parse_time(value, *, where: str = "time") -> float:
    """Seconds since the epoch (UTC) of an ISO 8601 timestamp; naive times are UTC.

    >>> parse_time("2025-09-13T18:23:00+03:00")
    1757776980.0
    """
    if isinstance(value, dt.datetime):
        t = value
    elif isinstance(value, dt.date):
        raise TrackError(f"{where} {value.isoformat()!r} is a date without a time of day")
    elif isinstance(value, str) and value.strip():
        text = value.strip()
        if text.endswith(("Z", "z")):
            text = text[:-1] + "+00:00"
        try:
            t = dt.datetime.fromisoformat(text)
        except ValueError:
            raise TrackError(
                f"{where} {value!r} is not an ISO 8601 timestamp like 2025-09-13T18:23:00+03:00"
            ) from None
        if len(text) <= 10:
            raise TrackError(f"{where} {value!r} is a date without a time of day")
    else:
        raise TrackError(
            f"{where} {value!r} is not an ISO 8601 timestamp like 2025-09-13T18:23:00+03:00"
        )
    if t.tzinfo is None:
        t = t.replace(tzinfo=dt.UTC)
    return t.timestamp()


def _iso(t_s: float) -> str:
    return (dt.datetime.fromtimestamp(t_s, tz=dt.UTC).isoformat(timespec="seconds")
            .replace("+00:00", "Z"))


def _coordinates(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    try:
        lon = np.asarray(lon, dtype=float).ravel()
        lat = np.asarray(lat, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise TrackError(f"track coordinates are not numbers: {exc}") from None
    if lon.size != lat.size:
        raise TrackError(f"{lon.size} longitudes but {lat.size} latitudes")
    if lon.size < 2:
        raise TrackError(
            f"a track needs at least two points, got {lon.size}; a single position is an "
            "incident location, not a track"
        )
    for i, (x, y) in enumerate(zip(lon, lat, strict=True), 1):
        if not (math.isfinite(x) and math.isfinite(y)):
            raise TrackError(f"point {i} has longitude {x}, latitude {y}: not a finite number")
        if not -90.0 <= y <= 90.0:
            hint = "; were latitude and longitude swapped?" if -90 <= x <= 90 else ""
            raise TrackError(f"point {i}: latitude {y} is outside [-90, 90]{hint}")
        if not -180.0 <= x <= 180.0:
            raise TrackError(f"point {i}: longitude {x} is outside [-180, 180]")
    return lon, lat


def _check_antimeridian(lon: np.ndarray) -> None:
    jump = np.abs(np.diff(lon)) > 180.0
    if jump.any():
        i = int(np.flatnonzero(jump)[0]) + 1
        raise TrackError(
            f"the leg from point {i} (longitude {lon[i - 1]:g}) to point {i + 1} (longitude "
            f"{lon[i]:g}) crosses the antimeridian (180°), which this tool does not analyse; "
            "split the track at 180° (or check the sign of the longitudes)"
        )


def _fill_times(times: list, leg_m: np.ndarray) -> np.ndarray | None:
    """Times at every point from the given ones (None = missing), by distance between anchors."""
    given = np.array([t is not None for t in times], dtype=bool)
    if not given.any():
        return None
    if not (given[0] and given[-1]):
        first_missing = 1 if not given[0] else len(times)
        raise TrackError(
            f"point {first_missing} has no time but other points do: give times for every "
            "point, for none, or at least for the first and the last point"
        )
    t = np.array([np.nan if v is None else v for v in times], dtype=float)
    along = np.concatenate([[0.0], np.cumsum(leg_m)])
    anchors = np.flatnonzero(given)
    for a, b in zip(anchors[:-1], anchors[1:], strict=True):
        if b - a > 1:
            span = along[b] - along[a]
            frac = (along[a + 1 : b] - along[a]) / span if span > 0 else np.zeros(b - a - 1)
            t[a + 1 : b] = t[a] + frac * (t[b] - t[a])
    return t


def _check_times(t: np.ndarray, leg_m: np.ndarray, max_speed_kmh: float) -> None:
    dt_s = np.diff(t)
    for i in range(dt_s.size):
        a, b = i + 1, i + 2
        if dt_s[i] < 0:
            raise TrackError(
                f"time goes backwards from point {a} ({_iso(t[i])}) to point {b} "
                f"({_iso(t[i + 1])}); are the points out of order or in different time zones?"
            )
        if dt_s[i] == 0 and leg_m[i] > 0:
            raise TrackError(
                f"points {a} and {b} have the same time ({_iso(t[i])}) but are "
                f"{leg_m[i]:.0f} m apart: that would be an infinite speed"
            )
        if dt_s[i] > 0:
            speed = leg_m[i] / dt_s[i] * 3.6
            if speed > max_speed_kmh:
                raise TrackError(
                    f"the leg from point {a} to point {b} ({leg_m[i] / 1000:.1f} km in "
                    f"{dt_s[i]:.0f} s) implies {speed:.0f} km/h, above {max_speed_kmh:g} km/h; "
                    "is a time zone, date or unit wrong?"
                )


def make_track(
    lon,
    lat,
    times=None,
    *,
    speed_kmh=None,
    name: str | None = None,
    incident: str | None = None,
    approximate: bool = False,
    sources=(),
    note: str | None = None,
    date=None,
    notes=(),
    method: str | None = None,
    max_speed_kmh: float = MAX_SPEED_KMH,
) -> Track:
    """Validate points (and optional times) and return a :class:`Track`.

    Parameters
    ----------
    lon, lat : array_like
        Degrees, in flight order.
    times : sequence, optional
        One entry per point: an ISO 8601 string, a ``datetime``, a number of seconds since
        the epoch, or None where unknown (see the module docstring for which gaps are allowed).
    speed_kmh : float, keyword-only, optional
        A constant speed for a track without times (kept on the track, checked here).
    max_speed_kmh : float, keyword-only
        Refuse legs (and speeds) faster than this.

    Raises
    ------
    TrackError
        With the point number (1-based) and the likely mistake.

    Examples
    --------
    >>> t = make_track([28.0, 28.1], [45.0, 45.0], ["2025-09-13T18:00Z", "2025-09-13T18:03Z"])
    >>> round(t.length_m()), float(t.time_s[1] - t.time_s[0])
    (7885, 180.0)
    """
    lon, lat = _coordinates(lon, lat)
    _check_antimeridian(lon)
    leg_m = np.asarray(
        geodesic_inverse(lon[:-1], lat[:-1], lon[1:], lat[1:]).distance_m, dtype=float
    ).reshape(-1)
    if not leg_m.sum() > 0:
        raise TrackError(
            f"all {lon.size} points are at the same place ({lon[0]:g}, {lat[0]:g}): the track "
            "has no length"
        )
    time_s = None
    if times is not None:
        times = list(times)
        if len(times) != lon.size:
            raise TrackError(f"{len(times)} times for {lon.size} points; give one per point")
        parsed = []
        for i, v in enumerate(times, 1):
            if v is None or (isinstance(v, float) and math.isnan(v)) or v == "":
                parsed.append(None)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                parsed.append(float(v))
            else:
                parsed.append(parse_time(v, where=f"time of point {i}"))
        time_s = _fill_times(parsed, leg_m)
        if time_s is not None:
            _check_times(time_s, leg_m, max_speed_kmh)
            if not time_s[-1] > time_s[0]:
                raise TrackError("the first and the last time are equal: the track takes no time")
    if speed_kmh is not None:
        speed_kmh = check_speed_kmh(speed_kmh, max_speed_kmh=max_speed_kmh)
    day = None
    if date is not None:
        day = parse_date(date, what="track date")
    elif time_s is not None:
        day = dt.datetime.fromtimestamp(time_s[0], tz=dt.UTC).date()
    notes = tuple(str(n) if n else "" for n in notes) if notes else ("",) * lon.size
    if len(notes) != lon.size:
        raise TrackError(f"{len(notes)} point notes for {lon.size} points")
    return Track(
        lon=lon,
        lat=lat,
        time_s=time_s,
        speed_kmh=speed_kmh,
        name=name,
        incident=incident,
        approximate=bool(approximate),
        sources=tuple(sources or ()),
        note=note,
        date=day,
        notes=notes,
        method=method,
    )
