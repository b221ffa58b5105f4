"""Exact geodesic distance from points to a set of boundary segments, fast.

The boundary is a set of segments that are straight lines in (lon, lat), as GeoJSON and
shapely draw them.  :class:`SegmentDistanceIndex` is built once and then answers, for many
points, the WGS84 geodesic distance to the nearest point of the boundary, that point and the
segment that holds it.

How it works
------------
Segments longer than ``max_piece_m`` are cut, in (lon, lat), into pieces no longer than that.
Every piece gets a bound ``dev`` on how far it strays from the 3-D chord between its ends
(``max |P''| / 8``, P the ECEF position along the piece), and the pieces go into a
bounding-volume hierarchy of boxes in earth-centred (ECEF) coordinates (see
:mod:`geo._segment_tree`).  A query is a best-first branch and bound: a heap of boxes and
pieces ordered by a lower bound ``c`` of their chord distance from the point; an entry is
dropped as soon as ``2 R asin(c / 2R)`` (below) reaches the best geodesic distance found.
Pieces that survive are solved with Newton's method on the piece parameter and the geodesic
inverse (:mod:`geo.geodesic`): ``ds/du`` is the piece's velocity along the arriving geodesic,
``d2s/du2`` the planar term plus the curvature of the (lon, lat) line.  The winner is iterated
until the model promises less than 1e-12 m, and the answer is the exact geodesic distance to
the returned point.

The bound that makes the pruning exact
--------------------------------------
For two points of the ellipsoid joined by a geodesic of length ``s <= pi R``::

    c <= 2 R sin(s / 2R),   i.e.   s >= 2 R asin(c / 2R),   with R = a^2 / b = 6399.6 km,

the largest radius of curvature of WGS84 (at the poles).  Proof: every normal curvature of
the ellipsoid is at least 1/R, so by Blaschke's rolling theorem the ellipsoid lies inside the
sphere of radius R tangent to it at any of its points X (centre X + R n).  With P the start of
the geodesic X(u) (unit speed, tangent T, inner normal n, T' = k n with k >= 1/R), P inside
that sphere gives (P - X).n >= |X - P|^2 / 2R.  So y = |X - P|^2 / 2 satisfies
y'' = 1 + k (X - P).n <= 1 - y / R^2, y(0) = y'(0) = 0, while Y = 2 R^2 sin^2(u / 2R) solves
Y'' = 1 - Y / R^2 with the same start; Sturm comparison gives y <= Y for u <= pi R.  The
shortest geodesic is never longer than pi a < pi R.  With R = b^2/a instead the bound fails
(measured: by up to 326 m); tests/test_segment_distance.py checks the bound on random pairs.

Accuracy: the answer is the geodesic distance to a point of the boundary, so it is not below
the truth beyond the inverse's own error (Vincenty, within 0.1 mm of Karney's pyproj); in the
tests and the benchmark it is within a micrometre of a pyproj brute force over the boundary
sampled every centimetre.  Segments are taken literally: one from lon 179.9 to -179.9 runs
the long way round, as in shapely; split such segments at the antimeridian beforehand.
"""

from __future__ import annotations

import logging
import math
import time
from typing import NamedTuple

import numpy as np

import shapely

from incidentmap.geo._jit import compiled, for_batch, thread_count
from incidentmap.geo._segment_tree import (
    LEAF_SIZE,
    build_tree,
    cut_pieces,
    morton_keys,
    query_tree,
    query_tree_parallel,
)
from incidentmap.geo.errors import BoundaryDataError
from incidentmap.geo.geodesic import check_lonlat_arrays

__all__ = ["BoundaryDataError", "NearestBoundary", "SegmentDistanceIndex"]

logger = logging.getLogger(__name__)

#: Default longest piece (m): a 500 m piece strays ~5 mm (L^2 / 8R) from its 3-D chord, so the
#: chord bounds prune tightly, and long boundary segments are not cut into too many pieces.
MAX_PIECE_M = 500.0
_POLYGONAL = (3, 6)  # shapely type ids: Polygon, MultiPolygon
_LINEAR = (1, 2)  # LineString, LinearRing
_COLLECTIONS = (5, 7)  # MultiLineString, GeometryCollection
#: From this many query points on, :meth:`SegmentDistanceIndex.nearest` uses all threads.
PARALLEL_FROM = 2_000
_CHUNKS_PER_THREAD = 8


class NearestBoundary(NamedTuple):
    """Nearest boundary point of each query point: distance (m), position and segment."""

    distance_m: np.ndarray
    lon: np.ndarray
    lat: np.ndarray
    segment: np.ndarray


class SegmentDistanceIndex:
    """Geodesic distance from points to the nearest of many (lon, lat) segments.

    Parameters
    ----------
    lon0, lat0, lon1, lat1 : array_like
        Segment ends in degrees; segment ``k`` runs straight in (lon, lat) from
        ``(lon0[k], lat0[k])`` to ``(lon1[k], lat1[k])``.
    max_piece_m : float, keyword-only
        Longer segments are cut into pieces of at most this length for the search.
    segment_source : array_like, keyword-only, optional
        Any per-segment label to keep (``from_lines`` stores the input geometry index).

    Notes
    -----
    About 110 bytes per piece (the world's maritime boundaries: 1.9 M segments, 3.4 M pieces,
    400 MB, built in 2.5-4 s).  ``nearest`` runs at roughly 1-2e5 points/s on one core for
    points within a few hundred km of the boundary, slower for points thousands of km away.

    Examples
    --------
    >>> index = SegmentDistanceIndex([0.0], [-1.0], [0.0], [1.0])
    >>> hit = index.nearest(1.0, 0.0)
    >>> round(float(hit.distance_m), 3), float(hit.lon), float(hit.lat), int(hit.segment)
    (111319.491, 0.0, 0.0, 0)
    """

    def __init__(self, lon0, lat0, lon1, lat1, *, max_piece_m: float = MAX_PIECE_M,
                 segment_source=None):
        started = time.perf_counter()
        lon0, lat0 = (np.ravel(v) for v in check_lonlat_arrays(lon0, lat0, what="segment start"))
        lon1, lat1 = (np.ravel(v) for v in check_lonlat_arrays(lon1, lat1, what="segment end"))
        if lon0.size != lon1.size:
            raise BoundaryDataError(
                f"{lon0.size} segment starts but {lon1.size} segment ends; pass four arrays "
                "of equal length"
            )
        if lon0.size == 0:
            raise BoundaryDataError(
                "no boundary segments: the distance to an empty boundary is undefined; "
                "was the selection of countries or geometries empty?"
            )
        if not (math.isfinite(max_piece_m) and max_piece_m > 0):
            raise BoundaryDataError(f"max_piece_m {max_piece_m!r} must be a positive number")
        self.max_piece_m = float(max_piece_m)
        self.n_segments = lon0.size
        self.segment_source = None if segment_source is None else np.asarray(segment_source)
        if self.segment_source is not None and self.segment_source.shape != lon0.shape:
            raise BoundaryDataError(
                f"segment_source has shape {self.segment_source.shape} but there are "
                f"{lon0.size} segments; give one label per segment"
            )
        long_way = np.abs(lon1 - lon0) > 180.0
        if long_way.any():
            logger.warning(
                "%d segments span more than 180 degrees of longitude and are taken the long "
                "way round; split them at the antimeridian if that is not meant",
                int(long_way.sum()),
            )
        lonlat, seg, chords = cut_pieces(
            *(np.radians(v) for v in (lon0, lat0, lon1, lat1)), self.max_piece_m
        )
        n_leaves = -(-seg.size // LEAF_SIZE)
        self._depth = max(0, math.ceil(math.log2(n_leaves))) if n_leaves > 1 else 0
        perm, self._boxes = build_tree(chords, self._depth)
        self._chords = chords[perm]
        del chords
        self._lonlat = lonlat[perm]
        del lonlat
        self._seg = seg[perm]
        logger.debug(
            "distance index: %d segments, %d pieces, %.1f MB, built in %.2f s",
            self.n_segments,
            self.n_pieces,
            self.nbytes / 1e6,
            time.perf_counter() - started,
        )

    @classmethod
    def from_lines(cls, geoms, *, max_piece_m: float = MAX_PIECE_M) -> SegmentDistanceIndex:
        """Index the segments of shapely lines, or of polygon boundaries.

        ``geoms`` is one geometry or an array-like of them ((Multi)LineString, LinearRing,
        (Multi)Polygon, GeometryCollection; None and empty ones are skipped).
        ``segment_source`` then holds the position in ``geoms`` of each segment's geometry.
        A border shared by two polygons gives two coincident segments, one per polygon; they
        tie, and ``nearest`` returns either.
        """
        parts = np.atleast_1d(np.asarray(geoms, dtype=object))
        source = np.arange(parts.size)
        keep = np.array(
            [isinstance(g, shapely.Geometry) and not g.is_empty for g in parts], dtype=bool
        )
        parts, source = parts[keep], source[keep]
        while True:
            types = shapely.get_type_id(parts)
            poly = np.isin(types, _POLYGONAL)
            if poly.any():
                parts = parts.copy()
                parts[poly] = shapely.boundary(parts[poly])
                continue
            multi = np.isin(types, _COLLECTIONS)
            if not multi.any():
                break
            exploded, which = shapely.get_parts(parts, return_index=True)
            parts, source = exploded, source[which]
        bad = ~np.isin(shapely.get_type_id(parts), _LINEAR)
        if bad.any():
            raise BoundaryDataError(
                f"geometry {int(source[bad][0])} is a {parts[bad][0].geom_type}, not a line or "
                "a polygon: only lines and polygon boundaries can be measured to"
            )
        coords, line = shapely.get_coordinates(parts, return_index=True)
        same = line[1:] == line[:-1]
        return cls(
            coords[:-1, 0][same],
            coords[:-1, 1][same],
            coords[1:, 0][same],
            coords[1:, 1][same],
            max_piece_m=max_piece_m,
            segment_source=source[line[:-1][same]],
        )

    def to_arrays(self) -> dict[str, np.ndarray]:
        """The built index as plain arrays (for :mod:`geo.cache`); no ``segment_source``."""
        scalars = np.array([self.max_piece_m, self.n_segments, self._depth], dtype=np.float64)
        return {
            "scalars": scalars,
            "lonlat": self._lonlat,
            "chords": self._chords,
            "seg": self._seg,
            "boxes": self._boxes,
        }

    @classmethod
    def from_arrays(cls, arrays) -> SegmentDistanceIndex:
        """An index from :meth:`to_arrays` output (arrays may be memory-mapped)."""
        self = cls.__new__(cls)
        scalars = arrays["scalars"]
        self.max_piece_m = float(scalars[0])
        self.n_segments, self._depth = int(scalars[1]), int(scalars[2])
        self.segment_source = None
        self._lonlat, self._chords = arrays["lonlat"], arrays["chords"]
        self._seg, self._boxes = arrays["seg"], arrays["boxes"]
        return self

    @property
    def n_pieces(self) -> int:
        """Number of pieces the segments were cut into."""
        return int(self._seg.size)

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays, in bytes."""
        arrays = (self._lonlat, self._chords, self._seg, self._boxes)
        return sum(a.nbytes for a in arrays)

    def __len__(self) -> int:
        return self.n_segments

    def __repr__(self) -> str:
        return (
            f"SegmentDistanceIndex({self.n_segments} segments, {self.n_pieces} pieces "
            f"of at most {self.max_piece_m:g} m)"
        )

    def nearest(self, lon, lat, *, parallel: bool | None = None) -> NearestBoundary:
        """Geodesic distance (m) from each point to the boundary, the nearest point and segment.

        ``lon`` and ``lat`` are degrees (arrays broadcast, scalars give scalars).  The distance
        is the WGS84 geodesic distance to the returned point.  ``parallel``: answer on all
        numba threads (True), on one (False), or on all from :data:`PARALLEL_FROM` points on
        (None, the default); every point gets the same answer either way.
        """
        lon, lat = check_lonlat_arrays(lon, lat, what="query point")
        shape = lon.shape
        qlon = np.ascontiguousarray(np.radians(lon), dtype=float).ravel()
        qlat = np.ascontiguousarray(np.radians(lat), dtype=float).ravel()
        dist = np.empty(qlon.size)
        u = np.empty(qlon.size)
        piece = np.empty(qlon.size, dtype=np.int64)
        order = np.argsort(for_batch(morton_keys, qlon.size)(qlon, qlat), kind="stable")
        args = (qlon[order], qlat[order], self._lonlat, self._chords, self._boxes, self._depth)
        threads = thread_count() if parallel is None and qlon.size >= PARALLEL_FROM else 1
        if parallel is not None:
            threads = thread_count() if parallel else 1
        if threads > 1:
            # runs of Morton-ordered points, a few per thread (their costs differ)
            n_chunks = min(threads * _CHUNKS_PER_THREAD, max(1, qlon.size // 16))
            compiled(query_tree_parallel)(*args, dist, u, piece, n_chunks)
        else:
            for_batch(query_tree, qlon.size)(*args, dist, u, piece)
        dist[order], u[order], piece[order] = dist.copy(), u.copy(), piece.copy()
        ends = self._lonlat[piece]
        lon_n = np.degrees(ends[:, 0] + u * (ends[:, 2] - ends[:, 0]))
        lon_n = np.where(
            lon_n > 180.0, lon_n - 360.0, np.where(lon_n < -180.0, lon_n + 360.0, lon_n)
        )
        lat_n = np.degrees(ends[:, 1] + u * (ends[:, 3] - ends[:, 1]))
        seg = self._seg[piece]
        return NearestBoundary(*(a.reshape(shape)[()] for a in (dist, lon_n, lat_n, seg)))
