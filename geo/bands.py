"""Distance-to-border bands: the parts of a territory within 5, 10, 25, 50 km of a border line.

Pure geometry in (lon, lat) degrees on WGS84; no folium. Buffers are geodesic to a stated bound:
the border is cut into pieces no longer than ``chunk_km``; each piece is buffered in its own
ellipsoidal azimuthal equidistant projection (PROJ ``aeqd`` on WGS84) centred on the piece, and the
buffers are projected back and merged. In an azimuthal equidistant projection distances from the
centre are exact and the scale in the other direction is ``h = c / sin(c)`` (``c`` the angular
distance from the centre), so every distance within ``r = chunk_km / 2 + d`` of the centre is
overstated by at most a factor ``h(r)``. The band edge therefore lies within
:func:`buffer_error_bound_m` of the true geodesic distance ``d``: 4.6 m at 50 km with the default
200 km pieces (about 1e-4 of the distance), far below the 10 m accuracy of the border data.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

import numpy as np

import geopandas as gpd
import shapely
from pyproj import Geod, Transformer
from pyproj.enums import TransformDirection
from shapely.geometry import MultiLineString

from incidentmap.geo.errors import BandError

logger = logging.getLogger(__name__)

EARTH_RADIUS_M = 6_371_008.8
DEFAULT_DISTANCES_KM = (5.0, 10.0, 25.0, 50.0)
_GEOD = Geod(ellps="WGS84")


def buffer_error_bound_m(distance_km: float, *, chunk_km: float = 200.0) -> float:
    """Upper bound (m) of the error of a band edge at ``distance_km`` (``chunk_km`` pieces).

    >>> round(buffer_error_bound_m(50.0), 1)
    4.6
    """
    c = (chunk_km / 2.0 + distance_km) * 1000.0 / EARTH_RADIUS_M
    return (c / math.sin(c) - 1.0) * distance_km * 1000.0 if c > 0 else 0.0


def _densify(coords: np.ndarray, *, max_step_km: float) -> np.ndarray:
    """Insert geodesic intermediate points so no step is longer than ``max_step_km``."""
    if len(coords) < 2:
        return coords
    _, _, step_m = _GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
    out = [coords[:1]]
    for i, length_m in enumerate(step_m):
        extra = int(length_m // (max_step_km * 1000.0))
        if extra:
            mid = _GEOD.npts(*coords[i], *coords[i + 1], extra)
            out.append(np.asarray(mid, dtype=float).reshape(-1, 2))
        out.append(coords[i + 1 : i + 2])
    return np.concatenate(out)


def _pieces(lines, chunk_km: float) -> list:
    """Cut (lon, lat) lines into pieces no longer than ``chunk_km`` (geodesic length)."""
    out = []
    for line in shapely.get_parts(lines):
        coords = _densify(np.asarray(line.coords)[:, :2], max_step_km=chunk_km / 20.0)
        if len(coords) < 2:
            continue
        _, _, step_m = _GEOD.inv(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
        along_km = np.concatenate([[0.0], np.cumsum(step_m) / 1000.0])
        piece = np.floor(along_km / chunk_km).astype(int)
        piece[-1] = piece[-2] if len(piece) > 1 else 0
        for p in np.unique(piece):
            idx = np.flatnonzero(piece == p)
            stop = min(idx[-1] + 2, len(coords))  # overlap one vertex so pieces join
            part = coords[idx[0] : stop]
            if len(part) >= 2:
                out.append(part)
    return out


def _local_buffers(part: np.ndarray, distances_m) -> list:
    """Buffer one piece by each distance in an azimuthal equidistant projection centred on it.

    Returns one (lon, lat) polygon per distance.
    """
    _, _, step_m = _GEOD.inv(part[:-1, 0], part[:-1, 1], part[1:, 0], part[1:, 1])
    along_m = np.concatenate([[0.0], np.cumsum(step_m)])
    lon0, lat0 = part[int(np.argmin(np.abs(along_m - along_m[-1] / 2.0)))]
    aeqd = Transformer.from_pipeline(
        "+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad "
        f"+step +proj=aeqd +lat_0={float(lat0)!r} +lon_0={float(lon0)!r} +ellps=WGS84"
    )
    x, y = aeqd.transform(part[:, 0], part[:, 1])
    line = shapely.linestrings(np.c_[x, y])
    out = []
    for distance_m in distances_m:
        local = shapely.buffer(line, distance_m, quad_segs=16)
        local = shapely.segmentize(local, max_segment_length=2000.0)
        out.append(
            shapely.transform(
                local,
                lambda xy: np.column_stack(
                    aeqd.transform(xy[:, 0], xy[:, 1], direction=TransformDirection.INVERSE)
                ),
            )
        )
    return out


def distance_bands(
    inside,
    border,
    *,
    distances_km=DEFAULT_DISTANCES_KM,
    chunk_km: float = 200.0,
) -> gpd.GeoDataFrame:
    """Rings of ``inside`` by geodesic distance to ``border``.

    Parameters
    ----------
    inside : shapely geometry
        The territory to cut into bands, (lon, lat) degrees.
    border : shapely (Multi)LineString
        The border line, (lon, lat) degrees.
    distances_km : sequence of float
        Increasing outer edges of the bands, in km.
    chunk_km : float
        Longest piece of border buffered in one projection (sets the error bound).

    Returns
    -------
    GeoDataFrame
        One row per band: ``band_min_km``, ``band_max_km``, ``error_bound_m``, geometry in
        EPSG:4326; the first band starts at 0 km.
    """
    distances = [float(d) for d in distances_km]
    if not distances or any(d <= 0 for d in distances) or distances != sorted(set(distances)):
        raise BandError(
            f"distances_km {list(distances_km)!r} must be positive and strictly increasing, "
            "e.g. [5, 10, 25, 50]"
        )
    pieces = _pieces(border, chunk_km)
    empty = not pieces or inside is None or inside.is_empty
    per_piece = (
        [] if empty else [_local_buffers(p, [d * 1000.0 for d in distances]) for p in pieces]
    )
    rows = []
    previous = None
    for k, (lo, hi) in enumerate(zip([0.0, *distances[:-1]], distances, strict=True)):
        if empty:
            within = shapely.Polygon()
        else:
            buffered = shapely.union_all([bufs[k] for bufs in per_piece])
            within = shapely.intersection(shapely.make_valid(buffered), inside)
        ring = within if previous is None else shapely.difference(within, previous)
        previous = within
        rows.append(
            {
                "band_min_km": lo,
                "band_max_km": hi,
                "error_bound_m": buffer_error_bound_m(hi, chunk_km=chunk_km),
                "geometry": ring,
            }
        )
    logger.info("%d bands from %d border pieces", len(rows), len(pieces))
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def nato_border_with_non_members(*, on, bbox=None) -> MultiLineString:
    """The part of NATO's border on ``on`` that faces a non-member country (land or sea).

    Coasts facing international waters are left out. ``bbox`` is (west, south, east, north).
    """
    from incidentmap.geo.territory import nato_border_lines

    return nato_border_lines(on=on, bbox=bbox, facing="countries")


def nato_distance_bands(
    *,
    on: dt.date,
    bbox,
    distances_km=DEFAULT_DISTANCES_KM,
    simplify_m: float = 100.0,
) -> tuple[gpd.GeoDataFrame, MultiLineString]:
    """Bands inside NATO territory on ``on`` by distance to the border with non-members.

    Returns the bands and the border line they were measured from, both clipped to ``bbox``
    (west, south, east, north). The border is simplified by ``simplify_m`` before buffering
    (so the bands are for drawing, like ``countries_for_drawing``).
    """
    from incidentmap.geo import borders, nato

    west, south, east, north = bbox
    # a margin so bands near the edge of the extent come from border just outside it
    margin_deg_lat = max(distances_km) / 111.0
    margin_deg_lon = margin_deg_lat / max(math.cos(math.radians(max(abs(south), abs(north)))), 0.1)
    wide = (
        west - margin_deg_lon,
        south - margin_deg_lat,
        east + margin_deg_lon,
        north + margin_deg_lat,
    )
    border = nato_border_with_non_members(on=on, bbox=wide)
    border = shapely.simplify(border, simplify_m / 111_320.0)
    countries = borders.countries_for_drawing(bbox=bbox, tolerance_m=simplify_m)
    members = nato.members(on=on)
    sovereign = countries["sovereign"] if "sovereign" in countries else countries["a3"]
    inside = shapely.union_all(countries.geometry[sovereign.isin(members)].values)
    bands = distance_bands(inside, border, distances_km=distances_km)
    bands["geometry"] = shapely.clip_by_rect(bands.geometry.values, *bbox)
    return bands, shapely.clip_by_rect(border, *bbox)
