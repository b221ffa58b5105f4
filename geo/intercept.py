"""Intercept windows: how many minutes a drone needs from the NATO border to a target.

For a target on NATO territory and a ground speed, the window from a neighbour is the
geodesic distance from the target to the nearest point of the border between NATO and that
neighbour, divided by the speed: the shortest time between crossing into NATO airspace from
that side and reaching the target. It is a lower bound: a drone that does not fly straight
at the target, or slows down, takes longer; one detected before it crosses the border gives
the defence more time.

Every neighbour whose border with NATO lies within ``radius_km`` of the target gets its own
window (``international_waters`` for the outer edge of the territorial sea), because the
nearest border is not always the side the threat comes from. Example, Galați (Romania) at
200 km/h, as of 2025: the nearest NATO border is Moldova's at Giurgiulești, 11.4 km away
(3.4 minutes), but drones attacking the Danube ports come over Ukraine, whose border (the
Danube at Reni) is 13.1 km away: 3.9 minutes, the "about four minutes" reported by Romania.

:func:`flight_time_bands` turns the same idea into polygons: the parts of NATO territory
within t minutes of flight of the border with non-members (distance bands of ``geo.bands``
at distances ``t * speed``).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import asdict, dataclass

import numpy as np

from incidentmap.geo.coords import parse_date, validate_lonlat
from incidentmap.geo.errors import (
    BandError,
    BorderOutOfReachError,
    IncidentMapError,
    UnknownCountryError,
)
from incidentmap.geo.territory import INTERNATIONAL_WATERS, classify, territory
from incidentmap.geo.tracks import MAX_SPEED_KMH, check_speed_kmh

__all__ = [
    "DEFAULT_BAND_MINUTES",
    "DEFAULT_RADIUS_KM",
    "Approach",
    "BorderOutOfReachError",
    "InterceptWindow",
    "flight_time_bands",
    "intercept_window",
    "minutes_at_speed",
]

logger = logging.getLogger(__name__)

#: Flight-time bands drawn by default, minutes.
DEFAULT_BAND_MINUTES = (2.0, 5.0, 10.0, 15.0)
#: Neighbours whose border with NATO is farther than this from the target are not listed.
DEFAULT_RADIUS_KM = 150.0

_SEA_WORDS = {"SEA", "INTERNATIONAL_WATERS", "INTERNATIONAL WATERS"}


def minutes_at_speed(distance_km: float, speed_kmh: float) -> float:
    """Minutes to fly ``distance_km`` at ``speed_kmh``.

    >>> round(minutes_at_speed(13.1247, 200.0), 2)
    3.94
    """
    return distance_km / speed_kmh * 60.0


@dataclass(frozen=True)
class Approach:
    """The shortest approach to the target from one neighbour of NATO.

    ``nato_country`` / ``nato_country_name`` name the member on the NATO side of the border
    point (e.g. Lithuania for Russia's Kaliningrad border).
    """

    from_country: str
    from_name: str
    distance_km: float
    minutes: float
    border_point: dict
    nato_country: str | None = None
    nato_country_name: str | None = None


def _fmt_lat_lon(lat: float, lon: float) -> str:
    """``45.1787 N, 28.8050 E`` (hemisphere letters, never a minus sign)."""
    return f"{abs(lat):.4f} {'N' if lat >= 0 else 'S'}, {abs(lon):.4f} {'E' if lon >= 0 else 'W'}"


@dataclass(frozen=True)
class InterceptWindow:
    """The answer of :func:`intercept_window`; field names are the CLI's JSON keys."""

    lat: float
    lon: float
    place: str | None
    on: dt.date
    speed_kmh: float
    country: str | None
    country_name: str | None
    inside_nato: bool
    distance_to_nato_border_km: float | None
    nearest: Approach | None
    approaches: tuple[Approach, ...]
    explanation: str

    @property
    def minutes(self) -> float | None:
        """Minutes from the nearest NATO border (None outside NATO)."""
        return None if self.nearest is None else self.nearest.minutes

    def to_dict(self) -> dict:
        out = asdict(self)
        out["on"] = self.on.isoformat()
        out["minutes"] = self.minutes
        return out


def _neighbour_code(value: str | None, day: dt.date) -> str | None:
    if value is None:
        return None
    code = str(value).strip().upper()
    if code in _SEA_WORDS:
        return INTERNATIONAL_WATERS
    t = territory()
    if code not in set(t.a3):
        from incidentmap.geo.borders import country_row

        country_row(code)  # raises UnknownCountryError with a suggestion
        raise UnknownCountryError(f"{value!r} is not a territory code in the border data")
    return code


def _approach_from(
    segs, sel: np.ndarray, lon: float, lat: float, speed_kmh: float, code: str, name: str
) -> Approach:
    from incidentmap.geo.segment_distance import SegmentDistanceIndex

    index = SegmentDistanceIndex(segs.lon0[sel], segs.lat0[sel], segs.lon1[sel], segs.lat1[sel])
    hit = index.nearest(lon, lat)
    d_km = float(hit.distance_m) / 1000.0
    t = territory()
    member_row = int(segs.inside[sel][int(hit.segment)])
    return Approach(
        from_country=code,
        from_name=name,
        distance_km=round(d_km, 4),
        minutes=round(minutes_at_speed(d_km, speed_kmh), 3),
        border_point={"lat": round(float(hit.lat), 7), "lon": round(float(hit.lon), 7)},
        nato_country=str(t.a3[member_row]),
        nato_country_name=str(t.names[member_row]),
    )


def _explain(w_place: str, nearest: Approach, approaches, speed: float, from_code) -> str:
    which = "the NATO border" if from_code else "the nearest NATO border"
    lines = [
        f"{w_place}: {which} with {nearest.from_name} "
        f"({nearest.from_country}) is {nearest.distance_km:.2f} km away: {nearest.minutes:.1f} "
        f"min at {speed:g} km/h (geodesic straight line, the shortest possible time)."
    ]
    others = [a for a in approaches if a is not nearest]
    if others and from_code is None:
        parts = ", ".join(
            f"{a.from_name} {a.distance_km:.2f} km = {a.minutes:.1f} min" for a in others
        )
        lines.append(
            "The window depends on the side the threat comes from; from the other neighbours "
            f"within reach: {parts}."
        )
    return " ".join(lines)


def intercept_window(
    lon,
    lat,
    *,
    speed_kmh,
    on=None,
    from_country: str | None = None,
    radius_km: float = DEFAULT_RADIUS_KM,
    place: str | None = None,
    max_speed_kmh: float = MAX_SPEED_KMH,
) -> InterceptWindow:
    """Minutes from the NATO border to the target at ``speed_kmh``, per neighbour.

    Parameters
    ----------
    lon, lat : float
        The target, degrees.
    speed_kmh : float, keyword-only
        Ground speed of the threat.
    on : date or str, keyword-only, optional
        Membership date (default today).
    from_country : str, keyword-only, optional
        Only the approach from this neighbour (ISO alpha-3 of a territory row, or ``sea``
        for international waters). Its border must lie within ``radius_km`` of the target,
        else :class:`BorderOutOfReachError` (which carries the approach, however far).
    radius_km : float, keyword-only
        List the neighbours whose border with NATO is within this distance (the nearest
        border is listed whatever its distance); with ``from_country``, the reach asked for.
    place : str, keyword-only, optional
        A label for the target (e.g. the place name it was geocoded from).

    Returns
    -------
    InterceptWindow
        ``inside_nato`` False (and no approaches) when the target is not on NATO territory.

    Raises
    ------
    BorderOutOfReachError
        ``from_country``'s border with NATO is farther than ``radius_km`` from the target
        (e.g. Russia from Tulcea: only Kaliningrad's border, 1,109 km away).
    UnknownCountryError, IncidentMapError
        An unknown code, or a country that shares no border with NATO.
    """
    p = validate_lonlat(lon, lat)
    speed = check_speed_kmh(speed_kmh, max_speed_kmh=max_speed_kmh)
    if not (math.isfinite(radius_km) and radius_km > 0):
        raise IncidentMapError(f"radius_km {radius_km!r} must be a positive number of km")
    day = parse_date(on, what="on")
    code = _neighbour_code(from_country, day)
    answer = classify(p.lon, p.lat, on=day)
    label = place or _fmt_lat_lon(p.lat, p.lon)
    base = dict(
        lat=p.lat,
        lon=p.lon,
        place=place,
        on=day,
        speed_kmh=speed,
        country=answer.country,
        country_name=answer.country_name,
        distance_to_nato_border_km=answer.distance_to_nato_border_km,
    )
    if not answer.nato_member:
        where = answer.country_name or "international waters"
        d = answer.distance_to_nato_border_km
        far = "" if d is None else f" ({abs(d):.2f} km outside the NATO border)"
        return InterceptWindow(
            **base,
            inside_nato=False,
            nearest=None,
            approaches=(),
            explanation=f"{label} is in {where}, not on NATO territory on {day}{far}: "
            "there is no intercept window to compute.",
        )
    t = territory()
    segs, _ = t.nato_index(day)
    outside = segs.outside
    if code is not None:
        rows = np.flatnonzero(t.a3 == code) if code != INTERNATIONAL_WATERS else np.array([-1])
        sel = np.isin(outside, rows)
        if not sel.any():
            raise IncidentMapError(
                f"{code} shares no border with NATO territory on {day}; list the neighbours "
                "with --radius or leave out --from"
            )
        groups = {code: sel}
    else:
        reach_km = max(radius_km, float(answer.distance_to_nato_border_km or 0.0) + 1.0)
        dlat = reach_km / 110.0 + 0.05
        dlon = dlat / max(math.cos(math.radians(p.lat)), 0.05)
        near = segs.touching((p.lon - dlon, p.lat - dlat, p.lon + dlon, p.lat + dlat))
        groups = {}
        for row in np.unique(outside[near]):
            c = INTERNATIONAL_WATERS if row < 0 else str(t.a3[row])
            sel = near & (outside == row)
            groups[c] = groups[c] | sel if c in groups else sel
    approaches = []
    for c, sel in groups.items():
        name = (
            "international waters"
            if c == INTERNATIONAL_WATERS
            else str(t.names[int(np.flatnonzero(t.a3 == c)[0])])
        )
        approaches.append(_approach_from(segs, sel, p.lon, p.lat, speed, c, name))
    approaches.sort(key=lambda a: a.distance_km)
    if code is None:
        approaches = [a for i, a in enumerate(approaches) if i == 0 or a.distance_km <= radius_km]
    nearest = approaches[0]
    if code is not None and nearest.distance_km > radius_km:
        raise BorderOutOfReachError(
            f"no border between NATO and {nearest.from_name} ({code}) within {radius_km:g} km "
            f"of {label}: the nearest is {nearest.distance_km:.1f} km away, on the border of "
            f"{nearest.nato_country_name} at "
            f"{_fmt_lat_lon(nearest.border_point['lat'], nearest.border_point['lon'])} "
            f"({nearest.minutes:.1f} min at {speed:g} km/h); raise radius_km to at least "
            f"{math.ceil(nearest.distance_km)} to use it",
            approach=nearest,
            radius_km=radius_km,
            place=label,
            speed_kmh=speed,
        )
    return InterceptWindow(
        **base,
        inside_nato=True,
        nearest=nearest,
        approaches=tuple(approaches),
        explanation=_explain(label, nearest, approaches, speed, code),
    )


def flight_time_bands(
    *,
    speed_kmh,
    bbox,
    minutes=DEFAULT_BAND_MINUTES,
    on=None,
    max_speed_kmh: float = MAX_SPEED_KMH,
):
    """Polygons of NATO territory within ``minutes`` of flight of the border with non-members.

    A band ``[t0, t1)`` holds the points that a threat flying straight at ``speed_kmh`` from
    the nearest point of NATO's border with a non-member reaches between ``t0`` and ``t1``
    minutes after crossing it. Computed as geodesic distance bands (:mod:`geo.bands`) at
    ``t * speed_kmh / 60`` km; coasts facing international waters are not a starting line
    there (drones launched at sea are not modelled by the bands).

    Returns
    -------
    (GeoDataFrame, MultiLineString)
        Bands with ``minutes_min``, ``minutes_max``, ``speed_kmh``, ``band_min_km``,
        ``band_max_km``, ``error_bound_m`` and geometry (EPSG:4326), and the border line.
    """
    from incidentmap.geo.bands import nato_distance_bands

    speed = check_speed_kmh(speed_kmh, max_speed_kmh=max_speed_kmh)
    try:
        mins = [float(m) for m in minutes]
    except (TypeError, ValueError):
        raise BandError(f"minutes {minutes!r} must be numbers, e.g. 2 5 10 15") from None
    if not mins or any(not math.isfinite(m) or m <= 0 for m in mins) or mins != sorted(set(mins)):
        raise BandError(f"minutes {list(minutes)!r} must be positive and strictly increasing")
    day = parse_date(on, what="on")
    distances_km = [m * speed / 60.0 for m in mins]
    bands, border = nato_distance_bands(on=day, bbox=bbox, distances_km=distances_km)
    bands.insert(0, "minutes_min", [0.0, *mins[:-1]])
    bands.insert(1, "minutes_max", mins)
    bands.insert(2, "speed_kmh", speed)
    return bands, border
