"""Which polygon contains a point: an exact, vectorised index for many non-overlapping polygons.

:class:`PolygonIndex` answers, for arrays of (lon, lat) points, the row of the polygon that
contains each point, or -1 (no polygon: international waters for country polygons). It is
built once from shapely geometries (the world's 250 maritime country polygons, 1.9 M vertices,
in about a second) and answers tens of millions of points per second.

How it works
------------
A regular grid of ``cell_deg`` cells covers the polygons. A cell that no polygon edge touches
has one answer for its whole box, found by sweeping each row of cells from the west and
counting edge crossings. A cell that edges touch keeps them (split into a quadtree down to
``cell_deg / 2**max_depth`` while a node holds more than ``max_edges`` edges), together with a
reference point off every edge and the exact set of polygons containing it. A query point in
such a cell counts, polygon by polygon, the crossings of the path reference -> query with the
cell's edges; every orientation test is exact (floating-point filter with exact fallback).

Answers
-------
* A point strictly inside polygons gets the LOWEST row index among them (row order is
  priority), so overlapping rows, for example a disputed area in two countries or an enclave
  that is not cut out of its surrounding country, get a deterministic answer.
* A point exactly on a boundary counts as covered by the polygons whose boundary it lies on:
  the answer is the lowest row whose closed polygon contains the point. This equals
  ``min(i for i, g in enumerate(geoms) if shapely.intersects_xy(g, lon, lat))`` for every
  point, and the same with ``shapely.contains_xy`` for points not on any boundary.
* Points outside the grid (the polygons' bounding box and one cell around it: small layers
  cost little memory and a point far from them one comparison) or with NaN coordinates get
  -1. Longitudes are not wrapped.

Coordinates are planar (lon, lat) degrees as in the data: an edge is the straight segment
between its vertices in lon/lat, exactly as shapely and GEOS see it.

The build is plain numpy (:mod:`geo._pip_grid`, :mod:`geo._pip_tree`: about 3 s for the
countries, nothing to compile). The query kernels (:mod:`geo._pip_kernels`) compile on first
use (once; numba caches them on disk), and the first compiled call in a process pays about
1.5 s to import numba and load them. A query of
fewer than :data:`geo._jit.INTERPRET_BELOW` points runs the same kernel interpreted (well under
a millisecond per point) unless its compiled code is loaded already, saving numba's start-up.
:meth:`PolygonIndex.save` and :meth:`PolygonIndex.load` keep a built index in an ``.npz`` file;
:meth:`PolygonIndex.to_arrays` and :meth:`PolygonIndex.from_arrays` let :mod:`geo.cache`
persist (and memory-map) it.
"""

from __future__ import annotations

import logging
import math
import time
import zipfile
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import _pip_kernels as kern
from incidentmap.geo._jit import for_batch
from incidentmap.geo._pip_tree import build_tree
from incidentmap.geo.errors import DataFileError, InvalidGeometryError

__all__ = ["InvalidGeometryError", "PolygonIndex"]

log = logging.getLogger(__name__)

_FORMAT = "incidentmap-polygon-index-1"
_MARGIN_DEG = 4e-9  # edges this close to a cell are listed in it (>> float error of 1e-13)
_SWEEP_WINDOW_DEG = 1e-9  # crossings this close to a reference point are decided exactly
_SET_WIDTH = 16  # most polygons that may overlap at one point

_ARRAYS = ("root", "slots", "blob")


def _polygon_rings(geometries) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Vertex arrays of all rings and the segments between consecutive vertices.

    Returns ``(vx, vy, seg_vtx, seg_poly)``: segment ``k`` runs from vertex ``seg_vtx[k]`` to
    ``seg_vtx[k] + 1`` and belongs to row ``seg_poly[k]``; zero-length segments are dropped.
    """
    geoms = np.asarray(geometries, dtype=object)
    if geoms.ndim != 1:
        raise InvalidGeometryError(
            f"expected a 1-D sequence of geometries, got an array of shape {geoms.shape}"
        )
    types = shapely.get_type_id(geoms)
    bad = ~np.isin(types, (-1, 3, 6))  # missing, Polygon, MultiPolygon
    if bad.any():
        row = int(np.flatnonzero(bad)[0])
        raise InvalidGeometryError(
            f"geometry at row {row} is a {geoms[row].geom_type}, not a Polygon or "
            "MultiPolygon; keep only the polygonal parts (shapely.make_valid may return a "
            "GeometryCollection)"
        )
    parts, part_row = shapely.get_parts(geoms, return_index=True)
    rings, ring_part = shapely.get_rings(parts, return_index=True)
    coords, vert_ring = shapely.get_coordinates(rings, return_index=True)
    if not np.isfinite(coords).all():
        row = int(part_row[ring_part[vert_ring[~np.isfinite(coords).all(axis=1)][0]]])
        raise InvalidGeometryError(f"geometry at row {row} has non-finite coordinates")
    vx = np.ascontiguousarray(coords[:, 0], dtype=np.float64)
    vy = np.ascontiguousarray(coords[:, 1], dtype=np.float64)
    if len(vx) >= 2**31 - 1:
        raise InvalidGeometryError(f"{len(vx)} vertices are more than the index supports")
    same_ring = vert_ring[1:] == vert_ring[:-1]
    moves = (vx[1:] != vx[:-1]) | (vy[1:] != vy[:-1])
    seg_vtx = np.flatnonzero(same_ring & moves).astype(np.int32)
    seg_poly = part_row[ring_part[vert_ring[seg_vtx]]].astype(np.int32)
    return vx, vy, seg_vtx, seg_poly


class PolygonIndex:
    """Exact "which polygon contains this point" for many polygons, vectorised.

    Parameters
    ----------
    geometries : sequence of shapely Polygon or MultiPolygon
        Valid polygons (holes allowed); ``None`` or empty rows never match. Row order is
        priority: where polygons overlap, the lowest row index wins.
    cell_deg : float, keyword-only
        Side of the level-0 grid cells in degrees; a power of two (default 0.25).
    max_edges : int, keyword-only
        A grid node with more edges than this is split in four (default 32).
    max_depth : int, keyword-only
        Most splits of a level-0 cell (default 8: nodes down to 1/1024 degree, about 100 m).

    Attributes
    ----------
    n_polygons : int
        Number of rows indexed.
    build_seconds : float
        Wall time the build took (0.0 for an index read with :meth:`load`).

    Examples
    --------
    >>> from shapely.geometry import box
    >>> index = PolygonIndex([box(0, 0, 10, 10), box(5, 5, 20, 20)])
    >>> index.locate([1.0, 7.0, 15.0, 30.0], [1.0, 7.0, 15.0, 30.0]).tolist()
    [0, 0, 1, -1]
    """

    def __init__(
        self, geometries, *, cell_deg: float = 0.25, max_edges: int = 32, max_depth: int = 8
    ):
        if not (cell_deg > 0 and math.frexp(cell_deg)[0] == 0.5 and cell_deg <= 360):
            raise ValueError(f"cell_deg {cell_deg!r} is not a power of two such as 0.25 or 1.0")
        if int(max_edges) < 1:
            raise ValueError(f"max_edges {max_edges!r} must be at least 1")
        if not 0 <= int(max_depth) <= 20:
            raise ValueError(f"max_depth {max_depth!r} must be between 0 and 20")
        started = time.perf_counter()
        vx, vy, seg_vtx, seg_poly = _polygon_rings(geometries)
        self.n_polygons = len(np.asarray(geometries, dtype=object))
        self._build(vx, vy, seg_vtx, seg_poly, float(cell_deg), int(max_edges), int(max_depth))
        self.build_seconds = time.perf_counter() - started
        log.debug("built %r from %d edges in %.2f s", self, len(seg_vtx), self.build_seconds)

    # ------------------------------------------------------------------ building
    def _build(self, vx, vy, seg_vtx, seg_poly, d0, max_edges, max_depth) -> None:
        ax = vx[seg_vtx]
        ay = vy[seg_vtx]
        bx = vx[seg_vtx + 1]
        by = vy[seg_vtx + 1]
        if len(vx):
            minx, maxx, miny, maxy = vx.min(), vx.max(), vy.min(), vy.max()
        else:
            minx, maxx, miny, maxy = -180.0, 180.0, -90.0, 90.0
        # the grid covers the polygons' bounding box and a cell more (so that the sweep of
        # each row starts outside every polygon); points off the grid are in none
        x0 = math.floor(minx / d0) * d0 - d0
        x1 = math.ceil(maxx / d0) * d0 + d0
        y0 = math.floor(miny / d0) * d0 - d0
        y1 = math.ceil(maxy / d0) * d0 + d0
        nx = round((x1 - x0) / d0)
        ny = round((y1 - y0) / d0)

        seg = (ax, ay, bx, by)
        grid = (x0, y0, d0, nx, ny)
        cell_off, cell_seg = kern.bucket_segments(*seg, *grid, _MARGIN_DEG)
        has_edges = np.diff(cell_off) > 0
        mixed_row = np.where(has_edges, np.cumsum(has_edges) - 1, -1).astype(np.int32)
        probe_x, probe_ok = kern.level0_probes(*seg, *grid, cell_off, cell_seg)
        cell_first, mixed_cnt, mixed_val = kern.row_sweep(
            *seg, seg_poly, *grid, probe_x, probe_ok, mixed_row, int(has_edges.sum()),
            _SET_WIDTH, _SWEEP_WINDOW_DEG,
        )  # fmt: skip
        mixed_cells = np.flatnonzero(has_edges)
        mixed_rx = probe_x[mixed_cells]
        mixed_ry = y0 + (mixed_cells // nx + 0.5) * d0
        blocked = np.flatnonzero(~probe_ok)
        for j in np.unique(blocked // nx):
            # Edges cover these cells' whole centre line: move their reference points to a
            # nearby line and count the crossings along it exactly.
            cells = blocked[blocked // nx == j]
            for k in range(1, 127):
                py = y0 + (j + 0.5) * d0 + kern._candidate_offset(k) * (d0 / 128.0)
                px, ok = kern.probes_on_line(*seg[:4], x0, d0, nx, cell_off, cell_seg, cells, py)
                if ok.all():
                    break
            else:  # pragma: no cover - needs edges along 126 lines of one row
                raise InvalidGeometryError(f"no reference points found in grid row {j}")
            log.debug("row %d: %d reference points moved to latitude %r", j, len(cells), py)
            cnt, val = kern.line_states(*seg, seg_poly, py, px, _SET_WIDTH)
            rows = mixed_row[cells]
            mixed_rx[rows], mixed_ry[rows] = px, py
            mixed_cnt[rows] = cnt
            mixed_val[rows] = val
        self.root, self.slots, self.blob = build_tree(
            *seg, seg_poly, seg_vtx, self.n_polygons, *grid, cell_off, cell_seg, cell_first,
            mixed_row, mixed_cnt, mixed_val, mixed_rx, mixed_ry, _MARGIN_DEG, max_edges,
            max_depth,
        )  # fmt: skip
        self.x0, self.y0, self.cell_deg, self.nx, self.ny = x0, y0, d0, nx, ny

    # ------------------------------------------------------------------ queries
    def locate(self, lon, lat, *, parallel: bool = False) -> np.ndarray:
        """Row index of the polygon containing each point, or -1 where none does.

        Parameters
        ----------
        lon, lat : array_like
            Longitudes and latitudes in degrees (broadcast together).
        parallel : bool, keyword-only
            Use all numba threads (worth it from about a million points).

        Returns
        -------
        numpy.ndarray of int32
            Same shape as the broadcast inputs: the lowest row whose polygon covers the
            point, -1 if none does, if a coordinate is NaN or the point is off the grid.
        """
        lon_b, lat_b = np.broadcast_arrays(
            np.asarray(lon, dtype=np.float64), np.asarray(lat, dtype=np.float64)
        )
        shape = lon_b.shape
        x = np.ascontiguousarray(lon_b).ravel()
        y = np.ascontiguousarray(lat_b).ravel()
        out = np.empty(x.size, dtype=np.int32)
        kernel = for_batch(kern.locate_parallel if parallel else kern.locate_serial, x.size)
        kernel(x, y, out, self.x0, self.y0, self.cell_deg, self.nx, self.ny, self.n_polygons,
               self.root, self.slots, self.blob)  # fmt: skip
        return out.reshape(shape)

    # ------------------------------------------------------------------ persistence
    def to_arrays(self) -> dict[str, np.ndarray]:
        """The index as plain arrays (for :mod:`geo.cache` or :meth:`save`)."""
        scalars = np.array(
            [self.x0, self.y0, self.cell_deg, self.nx, self.ny, self.n_polygons], dtype=np.float64
        )
        return {"scalars": scalars, **{name: getattr(self, name) for name in _ARRAYS}}

    @classmethod
    def from_arrays(cls, arrays) -> PolygonIndex:
        """An index from :meth:`to_arrays` output (arrays may be memory-mapped)."""
        self = cls.__new__(cls)
        for name in _ARRAYS:
            setattr(self, name, arrays[name])
        scalars = arrays["scalars"]
        self.x0, self.y0, self.cell_deg = (float(v) for v in scalars[:3])
        self.nx, self.ny, self.n_polygons = (int(v) for v in scalars[3:6])
        self.build_seconds = 0.0
        return self

    def save(self, path) -> Path:
        """Write the index to an uncompressed ``.npz`` file and return its path."""
        path = Path(path)
        np.savez(path, format=np.array(_FORMAT), **self.to_arrays())
        return path if path.suffix == ".npz" else path.with_name(path.name + ".npz")

    @classmethod
    def load(cls, path) -> PolygonIndex:
        """Read an index written by :meth:`save`."""
        path = Path(path)
        try:
            with np.load(path, allow_pickle=False) as data:
                fmt = str(data["format"]) if "format" in data.files else None
                if fmt != _FORMAT:
                    raise DataFileError(
                        f"{path} is not a polygon index file (format {fmt!r}, expected "
                        f"{_FORMAT!r}); rebuild it with PolygonIndex(...).save()"
                    )
                arrays = {name: data[name] for name in (*_ARRAYS, "scalars")}
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            if isinstance(exc, DataFileError):
                raise
            raise DataFileError(f"cannot read polygon index {path}: {exc}") from exc
        return cls.from_arrays(arrays)

    def __repr__(self) -> str:
        return (
            f"PolygonIndex({self.n_polygons} polygons, {self.root.size} cells of "
            f"{self.cell_deg} deg, {self.slots.size // 4} split nodes, "
            f"{self.nbytes / 2**20:.1f} MiB)"
        )

    @property
    def nbytes(self) -> int:
        """Memory held by the index arrays, in bytes."""
        return sum(getattr(self, name).nbytes for name in _ARRAYS)
