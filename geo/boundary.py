"""Boundary segments of the territory partition, each tagged with what lies on either side.

Every ring of every territory row is cut into segments (straight in lon/lat, as the data is).
A segment knows the row it belongs to (``inside``) and the row on its other side
(``outside``; -1 for international waters), found by locating a point 1e-6° off the segment's
midpoint, on its outer side. From these tags:

- the NATO border as of a date is every segment of a member row whose other side is not a
  member on that date (each shared edge is taken once, from the member's side);
- a country's border is every segment of its row.

Tagging the ~2 M segments of the world takes a few seconds, so the tags are kept in the cache
folder (:mod:`geo.cache`), keyed by the border data's content and this module's source.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import borders

log = logging.getLogger(__name__)

#: Offset of the probe point used to find a segment's outer neighbour, in degrees (~0.1 m).
PROBE_OFFSET_DEG = 1e-6
#: Part of the cache key: bump it when the tagging rules change.
SEGMENT_FORMAT_VERSION = 2


FIELDS = ("lon0", "lat0", "lon1", "lat1", "inside", "outside")


@dataclass(frozen=True)
class BoundarySegments:
    """Arrays of equal length: one entry per segment."""

    lon0: np.ndarray
    lat0: np.ndarray
    lon1: np.ndarray
    lat1: np.ndarray
    inside: np.ndarray  # row index in load_countries()
    outside: np.ndarray  # row index, or -1 for international waters

    def subset(self, mask: np.ndarray) -> BoundarySegments:
        return BoundarySegments(*(getattr(self, f)[mask] for f in FIELDS))

    def __len__(self) -> int:
        return len(self.lon0)

    def touching(self, bbox) -> np.ndarray:
        """Mask of the segments whose bounding box meets ``bbox`` (west, south, east, north)."""
        west, south, east, north = bbox
        return (
            (np.maximum(self.lon0, self.lon1) >= west)
            & (np.minimum(self.lon0, self.lon1) <= east)
            & (np.maximum(self.lat0, self.lat1) >= south)
            & (np.minimum(self.lat0, self.lat1) <= north)
        )

    def lines(self) -> np.ndarray:
        """One shapely LineString per segment."""
        start = np.c_[self.lon0, self.lat0]
        end = np.c_[self.lon1, self.lat1]
        return shapely.linestrings(np.stack([start, end], axis=1))


def _ring_segments(geoms) -> tuple[np.ndarray, np.ndarray]:
    """Segments (N, 4) of all rings, oriented with the interior on the left, and the row of each."""
    oriented = shapely.orient_polygons(np.asarray(geoms, dtype=object), exterior_cw=False)
    rows = []
    segs = []
    for row, geom in enumerate(oriented):
        polys = shapely.get_parts(geom)
        rings = shapely.get_rings(polys)
        coords, ring_idx = shapely.get_coordinates(rings, return_index=True)
        same = ring_idx[1:] == ring_idx[:-1]
        start = coords[:-1][same]
        end = coords[1:][same]
        keep = np.any(start != end, axis=1)
        segs.append(np.hstack([start[keep], end[keep]]))
        rows.append(np.full(keep.sum(), row, dtype=np.int32))
    return np.vstack(segs), np.concatenate(rows)


def compute_segments(geoms, locate) -> BoundarySegments:
    """Tag the ring segments of ``geoms`` using ``locate(lon, lat) -> row`` for the outer side."""
    segs, inside = _ring_segments(geoms)
    lon0, lat0, lon1, lat1 = segs.T
    mid_lon = (lon0 + lon1) / 2
    mid_lat = (lat0 + lat1) / 2
    # outward normal of a segment whose interior lies on its left, in locally scaled degrees
    coslat = np.maximum(np.cos(np.radians(mid_lat)), 1e-6)
    dx = (lon1 - lon0) * coslat
    dy = lat1 - lat0
    norm = np.hypot(dx, dy)
    norm[norm == 0] = 1.0
    probe_lon = mid_lon + (dy / norm) * PROBE_OFFSET_DEG / coslat
    probe_lat = mid_lat - (dx / norm) * PROBE_OFFSET_DEG
    probe_lon = np.clip(probe_lon, -180.0, 180.0)
    probe_lat = np.clip(probe_lat, -90.0, 90.0)
    outside = locate(probe_lon, probe_lat).astype(np.int32)
    # a probe that lands back in its own row (spikes, rounding) is not a border crossing
    outside[outside == inside] = -2
    return BoundarySegments(lon0, lat0, lon1, lat1, inside.astype(np.int32), outside)


def load_segments(locate, *, folder: Path | None = None) -> BoundarySegments:
    """The tagged segments of the shipped partition, from the cache folder when possible."""
    from incidentmap.geo.cache import cached_arrays

    def build() -> dict[str, np.ndarray]:
        segs = compute_segments(borders.load_countries(folder).geometry.values, locate)
        return {f: getattr(segs, f) for f in FIELDS}

    arrays = cached_arrays(
        "segments",
        build,
        inputs=[Path(folder or borders.data_dir()) / "countries.parquet"],
        code=[__file__],
        params=f"{SEGMENT_FORMAT_VERSION}:{PROBE_OFFSET_DEG}",
        what="the border segments and what lies across each",
        expected_s=5,
    )
    return BoundarySegments(*(arrays[f] for f in FIELDS))
