"""Where a flight track was inside NATO airspace: pieces per country, entries, exits, times,
distance flown inside and the deepest point.

NATO airspace here is the airspace over members' land and territorial sea on the day of the
flight (the territory partition of ``geo.borders`` and ``geo.nato``); over international
waters and non-members it is outside.

How it is computed (geodesic throughout, no sampling)
----------------------------------------------------
1. Each leg between two track points is the WGS84 geodesic between them (a drone does not
   fly straight lines in a lon/lat plot).
2. The crossings from one territory into another are exact (:mod:`geo.track_crossings`:
   the geodesics densified to ``tolerance_m``, default 1 cm, with
   :meth:`pyproj.Geod.inv_intermediate`, intersected with the polygon boundaries by
   shapely), so no stretch of territory is missed however short, and no sampling is involved.
3. Distances inside are along-track geodesic lengths between crossings. Times at crossings
   are interpolated within a leg at the leg's constant speed (timestamps), or are
   distance / speed when a speed is given.
4. The deepest point of a piece is the sample (every ``step_m`` metres, default 50 m) with
   the largest geodesic distance to the NATO border (``Territory.nato_index``), refined by a
   bounded one-dimensional search along the track between its neighbouring samples.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from dataclasses import asdict, dataclass

import numpy as np

from incidentmap.geo.coords import parse_date
from incidentmap.geo.errors import TrackError
from incidentmap.geo.geodesic import geodesic_destination, geodesic_inverse
from incidentmap.geo.territory import INTERNATIONAL_WATERS, territory
from incidentmap.geo.track_crossings import territory_runs
from incidentmap.geo.tracks import MAX_SPEED_KMH, Track, check_speed_kmh

__all__ = [
    "DEFAULT_STEP_M",
    "DEFAULT_TOLERANCE_M",
    "Crossing",
    "DeepestPoint",
    "Piece",
    "TrackAnalysis",
    "analyse_track",
]

logger = logging.getLogger(__name__)

#: Longest distance between two depth samples of a leg, metres.
DEFAULT_STEP_M = 50.0
#: Largest distance between the flown geodesic and the chords intersected with the borders, m
#: (1 cm: a crossing then moves along the track by at most 1 cm / sin of the angle at which
#: the track meets the border, 2 cm at 30°; it costs a chord every ~700 m at 45° latitude).
DEFAULT_TOLERANCE_M = 0.01


def _iso(t_s: float | None) -> str | None:
    if t_s is None or not math.isfinite(t_s):
        return None
    return (dt.datetime.fromtimestamp(t_s, tz=dt.UTC).isoformat(timespec="seconds")
            .replace("+00:00", "Z"))


@dataclass(frozen=True)
class Crossing:
    """A point where the track crosses a border: into (``entry``) or out of (``exit``) a
    country or NATO airspace. ``along_m`` is the geodesic distance flown from the start."""

    kind: str
    lon: float
    lat: float
    along_m: float
    time_from_start_s: float | None
    time: str | None
    from_country: str
    to_country: str


@dataclass(frozen=True)
class DeepestPoint:
    """The point of a piece farthest from the NATO border (``depth_m``, geodesic)."""

    lon: float
    lat: float
    depth_m: float
    along_m: float
    time_from_start_s: float | None
    time: str | None


@dataclass(frozen=True)
class Piece:
    """A stretch of the track inside one NATO member's territory (land or territorial sea).

    ``entry`` is None when the track starts inside, ``exit`` None when it ends inside.
    """

    country: str
    country_name: str
    sovereign: str
    entry: Crossing | None
    exit: Crossing | None
    distance_m: float
    duration_s: float | None
    deepest: DeepestPoint


@dataclass(frozen=True)
class TrackAnalysis:
    """Everything :func:`analyse_track` found; ``to_dict`` gives the CLI's JSON."""

    track: str | None
    incident: str | None
    approximate: bool
    on: dt.date
    n_points: int
    length_m: float
    duration_s: float | None
    time_basis: str | None
    speed_kmh: float | None
    start_time: str | None
    pieces: tuple[Piece, ...]
    crossings: tuple[Crossing, ...]
    distance_inside_m: float
    time_inside_s: float | None
    by_country: dict
    deepest: DeepestPoint | None
    step_m: float
    tolerance_m: float

    @property
    def entered_nato(self) -> bool:
        return bool(self.pieces)

    def to_dict(self) -> dict:
        out = asdict(self)
        out["on"] = self.on.isoformat()
        return out


class _Legs:
    """The geodesic legs of a track and the time along them."""

    def __init__(self, track: Track, time_basis: str | None, speed_kmh: float | None):
        inv = geodesic_inverse(track.lon[:-1], track.lat[:-1], track.lon[1:], track.lat[1:])
        self.lon, self.lat = track.lon, track.lat
        self.length_m = np.atleast_1d(np.asarray(inv.distance_m, dtype=float))
        self.azimuth_deg = np.atleast_1d(np.asarray(inv.azimuth1_deg, dtype=float))
        self.cum_m = np.concatenate([[0.0], np.cumsum(self.length_m)])
        self.basis = time_basis
        self.speed_ms = None if speed_kmh is None else speed_kmh / 3.6
        self.time_s = track.time_s
        self.t0 = None if track.time_s is None else float(track.time_s[0])

    def position(self, leg, offset_m):
        """(lon, lat) at ``offset_m`` along leg ``leg`` (arrays)."""
        leg = np.asarray(leg, dtype=int)
        return geodesic_destination(self.lon[leg], self.lat[leg], self.azimuth_deg[leg], offset_m)

    def locate_along(self, along_m):
        """(leg, offset) of along-track distances."""
        along_m = np.asarray(along_m, dtype=float)
        leg = np.clip(np.searchsorted(self.cum_m, along_m, side="right") - 1, 0,
                      self.length_m.size - 1)
        return leg, along_m - self.cum_m[leg]

    def time_from_start(self, leg: int, offset_m: float) -> float | None:
        if self.basis is None:
            return None
        if self.basis == "timestamps":
            t = self.time_s
            length = self.length_m[leg]
            frac = offset_m / length if length > 0 else 0.0
            return float(t[leg] + frac * (t[leg + 1] - t[leg]) - t[0])
        return float((self.cum_m[leg] + offset_m) / self.speed_ms)

    def end_time_from_start(self) -> float | None:
        if self.basis is None:
            return None
        if self.basis == "timestamps":
            return float(self.time_s[-1] - self.time_s[0])
        return float(self.cum_m[-1] / self.speed_ms)

    def absolute(self, t_rel: float | None) -> str | None:
        return None if t_rel is None or self.t0 is None else _iso(self.t0 + t_rel)


def _samples(legs: _Legs, step_m: float):
    """Leg index, offset and position of the depth samples of every leg, plus the last point."""
    n_sub = np.maximum(1, np.ceil(legs.length_m / step_m)).astype(np.int64)
    leg_of = np.repeat(np.arange(legs.length_m.size), n_sub)
    first = np.repeat(np.cumsum(n_sub) - n_sub, n_sub)
    k = np.arange(leg_of.size) - first
    offset = k * legs.length_m[leg_of] / n_sub[leg_of]
    lon, lat = legs.position(leg_of, offset)
    lon, lat = np.atleast_1d(lon).astype(float), np.atleast_1d(lat).astype(float)
    at_vertex = k == 0
    lon[at_vertex] = legs.lon[leg_of[at_vertex]]
    lat[at_vertex] = legs.lat[leg_of[at_vertex]]
    last = legs.length_m.size - 1
    leg_of = np.append(leg_of, last)
    offset = np.append(offset, legs.length_m[last])
    lon = np.append(lon, legs.lon[-1])
    lat = np.append(lat, legs.lat[-1])
    return leg_of, offset, lon, lat


def _deepest(legs: _Legs, index, along_lo: float, along_hi: float, s_along, s_lon, s_lat):
    """Deepest point of one piece from its samples (arrays of the piece's inner samples)."""
    if s_along.size == 0:  # a piece shorter than one step: take its middle
        mid = 0.5 * (along_lo + along_hi)
        leg, off = legs.locate_along(mid)
        lon, lat = legs.position(leg, off)
        s_along, s_lon, s_lat = np.array([mid]), np.atleast_1d(lon), np.atleast_1d(lat)
    depth = np.atleast_1d(np.asarray(index.nearest(s_lon, s_lat).distance_m, dtype=float))
    b = int(np.argmax(depth))
    best = (float(depth[b]), float(s_along[b]), float(s_lon[b]), float(s_lat[b]))
    lo = float(s_along[b - 1]) if b > 0 else along_lo
    hi = float(s_along[b + 1]) if b + 1 < s_along.size else along_hi
    if hi - lo > 1.0:
        from scipy.optimize import minimize_scalar

        def neg_depth(a):
            leg, off = legs.locate_along(a)
            lon, lat = legs.position(leg, off)
            return -float(np.asarray(index.nearest(lon, lat).distance_m))

        res = minimize_scalar(neg_depth, bounds=(lo, hi), method="bounded",
                              options={"xatol": 0.5})
        if -res.fun > best[0]:
            leg, off = legs.locate_along(res.x)
            lon, lat = legs.position(leg, off)
            best = (-float(res.fun), float(res.x), float(lon), float(lat))
    depth_m, along, lon, lat = best
    leg, off = legs.locate_along(along)
    t_rel = legs.time_from_start(int(leg), float(off))
    return DeepestPoint(round(lon, 7), round(lat, 7), depth_m, along, t_rel, legs.absolute(t_rel))


def analyse_track(
    track: Track,
    *,
    on=None,
    speed_kmh=None,
    step_m: float = DEFAULT_STEP_M,
    tolerance_m: float = DEFAULT_TOLERANCE_M,
    max_speed_kmh: float = MAX_SPEED_KMH,
) -> TrackAnalysis:
    """Find where ``track`` was inside NATO airspace, and for how long.

    Parameters
    ----------
    track : Track
        From :mod:`geo.tracks`.
    on : date or str, keyword-only, optional
        Membership date; default the track's date, else today.
    speed_kmh : float, keyword-only, optional
        Constant ground speed to time the track with; it takes precedence over the track's
        timestamps (to ask "what if it flew at ..."). Without it the timestamps are used,
        else the track's own ``speed_kmh``, else no times are given.
    step_m, tolerance_m : float, keyword-only
        Sampling step along each leg and the bisection tolerance of crossings (metres).

    Returns
    -------
    TrackAnalysis
    """
    if not isinstance(track, Track):
        raise TrackError(
            f"expected a Track, got {type(track).__name__}; use geo.track_files.read_track"
        )
    if not (math.isfinite(step_m) and 0 < step_m <= 10_000):
        raise TrackError(f"step_m {step_m!r} must be in (0, 10000] metres")
    if not (math.isfinite(tolerance_m) and 0 < tolerance_m <= step_m):
        raise TrackError(f"tolerance_m {tolerance_m!r} must be in (0, step_m]")
    day = parse_date(on, what="on") if on is not None else (track.date or dt.date.today())
    if speed_kmh is not None:
        speed = check_speed_kmh(speed_kmh, max_speed_kmh=max_speed_kmh, what="--speed")
        basis = "speed"
    elif track.time_s is not None:
        speed, basis = None, "timestamps"
    elif track.speed_kmh is not None:
        speed, basis = float(track.speed_kmh), "speed"
    else:
        speed, basis = None, None
    legs = _Legs(track, basis, speed)
    cut_along, run_rows = territory_runs(legs.lon, legs.lat, legs.length_m, tolerance_m)
    leg_of, offset, s_lon, s_lat = _samples(legs, step_m)
    along = legs.cum_m[leg_of] + offset
    t = territory()
    member_rows = t.member_rows(day)
    _, index = t.nato_index(day)

    c_leg, c_off = legs.locate_along(cut_along)
    c_lon, c_lat = legs.position(c_leg, c_off)
    c_lon, c_lat = np.atleast_1d(c_lon), np.atleast_1d(c_lat)
    c_along = cut_along

    def label(row: int) -> str:
        return str(t.a3[row]) if row >= 0 else INTERNATIONAL_WATERS

    def crossing(k: int, kind: str, row_from: int, row_to: int) -> Crossing:
        t_rel = legs.time_from_start(int(c_leg[k]), float(c_off[k]))
        return Crossing(kind, round(float(c_lon[k]), 7), round(float(c_lat[k]), 7),
                        float(c_along[k]), t_rel, legs.absolute(t_rel), label(row_from),
                        label(row_to))

    # run r lies between crossings r-1 and r; its depth samples are those between them
    edges = np.concatenate([[-np.inf], c_along, [np.inf]])
    starts = np.searchsorted(along, edges[:-1], side="right")
    ends = np.searchsorted(along, edges[1:], side="left")
    is_member = (run_rows >= 0) & member_rows[np.maximum(run_rows, 0)]
    t_end = legs.end_time_from_start()
    pieces: list[Piece] = []
    nato_crossings: list[Crossing] = []
    for r in range(run_rows.size):
        row = int(run_rows[r])
        if r > 0 and is_member[r] != is_member[r - 1]:
            kind = "entry" if is_member[r] else "exit"
            nato_crossings.append(crossing(r - 1, kind, int(run_rows[r - 1]), row))
        if not is_member[r]:
            continue
        entry = crossing(r - 1, "entry", int(run_rows[r - 1]), row) if r > 0 else None
        exit_ = crossing(r, "exit", row, int(run_rows[r + 1])) if r + 1 < run_rows.size else None
        a0 = entry.along_m if entry else 0.0
        a1 = exit_.along_m if exit_ else float(legs.cum_m[-1])
        t0 = entry.time_from_start_s if entry else (0.0 if basis else None)
        t1 = exit_.time_from_start_s if exit_ else t_end
        inner = slice(int(starts[r]), int(ends[r]))
        deepest = _deepest(legs, index, a0, a1, along[inner], s_lon[inner], s_lat[inner])
        pieces.append(
            Piece(
                country=label(row),
                country_name=str(t.names[row]),
                sovereign=str(t.sovereign[row]),
                entry=entry,
                exit=exit_,
                distance_m=a1 - a0,
                duration_s=None if t0 is None or t1 is None else t1 - t0,
                deepest=deepest,
            )
        )
    by_country: dict = {}
    for p in pieces:
        c = by_country.setdefault(
            p.country, {"country_name": p.country_name, "pieces": 0, "distance_m": 0.0,
                        "duration_s": 0.0 if basis else None, "max_depth_m": 0.0}
        )
        c["pieces"] += 1
        c["distance_m"] += p.distance_m
        if basis:
            c["duration_s"] += p.duration_s
        c["max_depth_m"] = max(c["max_depth_m"], p.deepest.depth_m)
    deepest = max((p.deepest for p in pieces), key=lambda d: d.depth_m, default=None)
    result = TrackAnalysis(
        track=track.name,
        incident=track.incident,
        approximate=track.approximate,
        on=day,
        n_points=len(track),
        length_m=float(legs.cum_m[-1]),
        duration_s=t_end,
        time_basis=None if basis is None else (
            "timestamps" if basis == "timestamps" else f"constant speed {speed:g} km/h"),
        speed_kmh=speed,
        start_time=_iso(legs.t0) if legs.t0 is not None else None,
        pieces=tuple(pieces),
        crossings=tuple(nato_crossings),
        distance_inside_m=float(sum(p.distance_m for p in pieces)),
        time_inside_s=None if basis is None else float(sum(p.duration_s for p in pieces)),
        by_country=by_country,
        deepest=deepest,
        step_m=float(step_m),
        tolerance_m=float(tolerance_m),
    )
    logger.info("%s: %d crossings, %d pieces inside NATO", track.describe(), c_along.size,
                len(pieces))
    return result
