"""Where a flight track crosses from one territory into another: exact crossings, no sampling.

Each leg of a track is the WGS84 geodesic between two points. It is densified with
:meth:`pyproj.Geod.inv_intermediate` into equal chords, halved until the middle of every
chord (straight in lon/lat, as the border polygons' edges are) is within ``tolerance_m`` of
the geodesic's middle. The chords are intersected with the boundaries of every territory
polygon near the track (shapely, exact in lon/lat): these are all the crossings, however
short the stretch between two of them, so a sliver of territory clipped by the track is
never missed. Each stretch between two crossings is located by its middle (exact
point-in-polygon); neighbouring stretches in the same territory are merged.
"""

from __future__ import annotations

import functools
import math

import numpy as np

import shapely
from pyproj import Geod

from incidentmap.geo import borders
from incidentmap.geo.errors import TrackError
from incidentmap.geo.territory import territory

__all__ = ["densify", "territory_runs"]

#: First chord length tried when densifying a leg (then halved until within tolerance), m.
FIRST_CHORD_M = 2_000.0
#: Margin around the track's box when clipping polygons, degrees: keeps the clip edges off it.
_CLIP_MARGIN_DEG = 0.01
#: Crossings closer than this along the track are one (floating-point noise at vertices), m.
_SAME_CROSSING_M = 1e-6
_GEOD = Geod(ellps="WGS84")


@functools.cache
def _polygons(folder: str | None):
    """The territory polygons (rows as in :func:`geo.territory.territory`) and their tree."""
    geoms = np.asarray(borders.load_countries(folder).geometry.values, dtype=object)
    return geoms, shapely.STRtree(geoms)


def _densify_leg(lon0, lat0, lon1, lat1, length_m: float, tolerance_m: float):
    """Points of one geodesic leg, equally spaced, whose lon/lat chords are within
    ``tolerance_m`` of the geodesic at their middles (both ends exactly the track points)."""
    n = max(1, math.ceil(length_m / FIRST_CHORD_M))
    while True:
        # 2n + 1 equally spaced points: the even ones end the chords, the odd ones are the
        # geodesic's middles of the chords
        r = _GEOD.inv_intermediate(lon0, lat0, lon1, lat1, npts=2 * n + 1,
                                   initial_idx=0, terminus_idx=0, return_back_azimuth=True)
        lon, lat = np.asarray(r.lons, dtype=float), np.asarray(r.lats, dtype=float)
        lon[0], lat[0], lon[-1], lat[-1] = lon0, lat0, lon1, lat1
        mid_lon = 0.5 * (lon[:-2:2] + lon[2::2])
        mid_lat = 0.5 * (lat[:-2:2] + lat[2::2])
        gap_m = _GEOD.inv(mid_lon, mid_lat, lon[1::2], lat[1::2], return_back_azimuth=True)[2]
        if length_m == 0 or float(np.max(gap_m)) <= tolerance_m:
            return lon[::2], lat[::2]
        n *= 2


def densify(lon, lat, length_m, tolerance_m: float):
    """The track (points ``lon``, ``lat``; geodesic leg lengths ``length_m``) as a lon/lat
    polyline within ``tolerance_m`` of its geodesics, with the along-track distance (m) and
    the leg of every vertex."""
    cum_m = np.concatenate([[0.0], np.cumsum(length_m)])
    lons, lats, along, leg = [lon[:1]], [lat[:1]], [np.zeros(1)], [np.zeros(1, dtype=int)]
    for i, length in enumerate(length_m):
        x, y = _densify_leg(lon[i], lat[i], lon[i + 1], lat[i + 1], float(length), tolerance_m)
        lons.append(x[1:])
        lats.append(y[1:])
        along.append(cum_m[i] + np.linspace(0.0, length, x.size)[1:])
        leg.append(np.full(x.size - 1, i))
    return (np.concatenate(lons), np.concatenate(lats), np.concatenate(along),
            np.concatenate(leg))


def _planar_along(lon, lat) -> np.ndarray:
    """Distance along the polyline in the lon/lat plane (what shapely measures)."""
    return np.concatenate([[0.0], np.cumsum(np.hypot(np.diff(lon), np.diff(lat)))])


def _crossings_along(line, planar, along, folder) -> np.ndarray:
    """Sorted along-track distances where the polyline meets a territory polygon's boundary."""
    x0, y0, x1, y1 = line.bounds
    m = _CLIP_MARGIN_DEG
    found = []
    geoms, tree = _polygons(None if folder is None else str(folder))
    for geom in geoms[tree.query(line)]:
        clipped = shapely.clip_by_rect(geom, x0 - m, y0 - m, x1 + m, y1 + m)
        hits = shapely.get_coordinates(shapely.intersection(line, shapely.boundary(clipped)))
        if hits.size:
            found.append(shapely.line_locate_point(line, shapely.points(hits)))
    if not found:
        return np.empty(0)
    out = np.unique(np.interp(np.concatenate(found), planar, along))
    out = out[np.concatenate([[True], np.diff(out) > _SAME_CROSSING_M])]
    return out[(out > 0) & (out < along[-1])]


def territory_runs(lon, lat, length_m, tolerance_m: float):
    """Where a track crosses from one territory into another, exactly (to ``tolerance_m``).

    Returns (``crossings_m``, ``rows``): the sorted along-track distances of the crossings,
    and the territory row (``-1``: international waters) of each of the ``len(crossings_m) +
    1`` stretches they bound; consecutive stretches are in different territories.
    """
    lon, lat, along, leg = densify(lon, lat, length_m, tolerance_m)
    jump = np.flatnonzero(np.abs(np.diff(lon)) > 180.0)
    if jump.size:
        i = int(leg[jump[0] + 1])
        raise TrackError(
            f"the geodesic from point {i + 1} to point {i + 2} crosses the antimeridian (180°), "
            "which this tool does not analyse; split the track there"
        )
    line = shapely.LineString(np.column_stack([lon, lat]))
    planar = _planar_along(lon, lat)
    t = territory()
    cuts = _crossings_along(line, planar, along, t.folder)
    bounds = np.concatenate([[0.0], cuts, [along[-1]]])
    # locate the middle of every stretch on the chords that were intersected (not on the
    # geodesic), so that the territories agree with the crossings however short a stretch is
    mid = np.interp(0.5 * (bounds[:-1] + bounds[1:]), along, planar)
    pts = shapely.get_coordinates(shapely.line_interpolate_point(line, mid))
    rows = np.asarray(t.locate(pts[:, 0], pts[:, 1]), dtype=np.int64)
    change = np.concatenate([[True], rows[1:] != rows[:-1]])
    return cuts[change[1:]], rows[change]
