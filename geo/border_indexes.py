"""The persisted indexes behind :mod:`geo.territory`, built once per install (:mod:`geo.cache`).

- :func:`point_tables`: the territory rows' codes and names, the land mask's accuracies, the
  status areas' notes, and one :class:`~geo.point_index.PolygonIndex` each for the countries,
  the land and the status areas (memory-mapped);
- :func:`nato_border_index`: the NATO border of one membership epoch (the boundary segments
  whose member side faces a non-member) and its
  :class:`~geo.segment_distance.SegmentDistanceIndex` (memory-mapped);
- :func:`country_border_index`: the same for one state's border (kept in memory only).

A warm process reads these files and never opens the GeoParquet border data (so it imports
neither geopandas nor pyarrow) and, for a few points, never loads numba (:mod:`geo._jit`).
"""

from __future__ import annotations

import hashlib
import logging
from pathlib import Path

import numpy as np

from incidentmap.geo import borders
from incidentmap.geo.boundary import FIELDS, BoundarySegments
from incidentmap.geo.cache import cached_arrays
from incidentmap.geo.point_index import PolygonIndex

log = logging.getLogger(__name__)

#: Bump when what :func:`point_tables` stores changes (2: the tree laid out depth by depth).
POINT_TABLES_FORMAT = 2
#: Bump when what :func:`nato_border_index` stores changes.
NATO_INDEX_FORMAT = 1
#: From this many points on, the grid index runs on all numba threads.
PARALLEL_BATCH = 100_000

_LAYERS = ("countries", "land", "status")
_KERNEL_MODULES = ("point_index", "_pip_grid", "_pip_tree", "_pip_exact", "_pip_kernels", "_jit")
_DISTANCE_MODULES = ("segment_distance", "_segment_tree", "geodesic", "_ellipsoid", "boundary")


def _geo_sources(names) -> list[Path]:
    here = Path(__file__).parent
    return [here / f"{name}.py" for name in names]


def data_files(folder: Path | None) -> list[Path]:
    """The shipped border files the indexes are derived from."""
    base = Path(folder or borders.data_dir())
    names = ("countries.parquet", "land.parquet", "status_areas.parquet", "borders_meta.json")
    return [base / n for n in names]


class Locator:
    """Exact "which row contains this point" (lowest row wins) over a :class:`PolygonIndex`."""

    def __init__(self, index: PolygonIndex):
        self.index = index

    def __call__(self, lon, lat) -> np.ndarray:
        lon = np.ascontiguousarray(lon, dtype=np.float64)
        lat = np.ascontiguousarray(lat, dtype=np.float64)
        # numba threads pay off on large batches only
        return self.index.locate(lon, lat, parallel=len(lon) >= PARALLEL_BATCH)


def persisted_locator(
    name: str, geometry, *, inputs: list[Path], what: str, expected_s: float, module: str
) -> Locator:
    """A :class:`Locator` over ``geometry()`` (a polygon per row), its index persisted in the
    cache folder under ``name``, keyed by ``inputs`` and by the code of the index build and of
    ``module`` (the ``geo`` module that reads the geometry); memory-mapped when reused."""
    arrays = cached_arrays(
        name,
        lambda: PolygonIndex(geometry()).to_arrays(),
        inputs=inputs,
        code=_geo_sources((module, *_KERNEL_MODULES)),
        params=str(POINT_TABLES_FORMAT),
        what=what,
        expected_s=expected_s,
        mmap=True,
    )
    return Locator(PolygonIndex.from_arrays(arrays))


def _text(values) -> np.ndarray:
    """An object array of str/None as a 'U' array (None stored as '')."""
    return np.array(["" if v is None else str(v) for v in values], dtype=str)


def untext(values) -> np.ndarray:
    """The inverse of :func:`_text`: '' back to None, as an object array."""
    return np.array([v or None for v in values.tolist()], dtype=object)


def _build_point_tables(folder: Path | None) -> dict[str, np.ndarray]:
    countries = borders.load_countries(folder)
    land = borders.load_land(folder)
    status = borders.load_status_areas(folder)
    out = {
        "a3": _text(countries.a3),
        "names": _text(countries["name"]),
        "sovereign": _text(countries.sovereign),
        "land_accuracy_m": land.accuracy_m.to_numpy(dtype=np.int64),
        "status_notes": _text(status.status_note),
        "europe_turkey_box": np.array(borders.europe_turkey_box(folder), dtype=np.float64),
    }
    for layer, frame in zip(_LAYERS, (countries, land, status), strict=True):
        index = PolygonIndex(frame.geometry.values)
        log.info("built %r", index)
        out.update({f"{layer}.{k}": v for k, v in index.to_arrays().items()})
    return out


def point_tables(folder: Path | None = None) -> dict:
    """Codes, names and the three point indexes (as :class:`Locator`) of the border data."""
    arrays = cached_arrays(
        "territory-points",
        lambda: _build_point_tables(folder),
        inputs=data_files(folder),
        code=_geo_sources(_KERNEL_MODULES),
        params=str(POINT_TABLES_FORMAT),
        what="the point indexes of the borders (countries, land, status areas)",
        expected_s=8,
        mmap=True,
    )
    out = {k: v for k, v in arrays.items() if "." not in k}
    for layer in _LAYERS:
        prefix = f"{layer}."
        part = {k[len(prefix) :]: v for k, v in arrays.items() if k.startswith(prefix)}
        out[layer] = Locator(PolygonIndex.from_arrays(part))
    return out


def border_subset(segs: BoundarySegments, inside_rows: np.ndarray, n_rows: int) -> np.ndarray:
    """Mask of the segments between the rows in ``inside_rows`` (a bool mask) and the rest."""
    member = np.append(np.asarray(inside_rows, dtype=bool), False)  # last: no row
    outside = np.where(segs.outside >= 0, segs.outside, n_rows)
    return member[segs.inside] & ~member[outside] & (segs.outside != -2)


def nato_border_index(member: np.ndarray, segments, *, folder: Path | None = None):
    """(segments, SegmentDistanceIndex or None) of the border of the member rows ``member``.

    ``segments`` is a callable returning the tagged :class:`BoundarySegments` (only called
    when the index has to be built).
    """
    from incidentmap.geo.segment_distance import SegmentDistanceIndex

    member = np.asarray(member, dtype=bool)
    if not member.any():
        empty = np.zeros(0)
        none = np.zeros(0, dtype=np.int32)
        return BoundarySegments(empty, empty, empty, empty, none, none), None

    def build() -> dict[str, np.ndarray]:
        sub = segments().subset(border_subset(segments(), member, member.size))
        out = {f"seg.{f}": getattr(sub, f) for f in FIELDS}
        index = SegmentDistanceIndex(sub.lon0, sub.lat0, sub.lon1, sub.lat1)
        out.update({f"index.{k}": v for k, v in index.to_arrays().items()})
        return out

    epoch = hashlib.blake2b(np.packbits(member).tobytes(), digest_size=8).hexdigest()
    arrays = cached_arrays(
        f"nato-border-{epoch}",
        build,
        inputs=data_files(folder)[:1],
        code=_geo_sources(_DISTANCE_MODULES + _KERNEL_MODULES),
        params=f"{NATO_INDEX_FORMAT}:{member.size}",
        what="the distance index of the NATO border for this membership epoch",
        expected_s=6,
        mmap=True,
    )
    sub = BoundarySegments(*(arrays[f"seg.{f}"] for f in FIELDS))
    part = {k[len("index.") :]: v for k, v in arrays.items() if k.startswith("index.")}
    log.info("NATO border: %d segments", len(sub))
    return sub, SegmentDistanceIndex.from_arrays(part)
