"""Inland water: rivers and lakes that are national territory (zone ``internal_waters``).

``geo/data/inland_water.npz`` (and .parquet) holds the water that the land polygons of
``@geo-maps/countries-land-100m`` do not cover inside lon 12..42, lat 40..71 (NATO's eastern
flank and its neighbours) and that lies more than 3 km from Natural Earth's 10 m ocean: lakes
(Peipus, Ladoga, the Finnish lakes …) and wide rivers (the Danube, the Narva, reservoirs on the
Prut), at the 100 m accuracy of that file. A river too narrow for that file is land there, and
outside the box nothing is inland water. River mouths stay territorial sea. Built by
scripts/build_inland_water.py (also called by scripts/build_borders.py).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import borders

log = logging.getLogger(__name__)

#: The zone code of inland water, after ``territory.ZONES``' land / territorial sea / high seas.
INTERNAL_WATERS = "internal_waters"


#: Bump when the persisted inland-water point index changes shape.
INDEX_FORMAT = "1"


class InlandWaters:
    """Exact point-in-polygon over the inland water (one :class:`PolygonIndex` row for all of
    it), persisted with :func:`geo.cache.cached_arrays` like the other point indexes, so a
    fresh process maps it instead of reading the polygons."""

    def __init__(self, folder: Path | None = None):
        self.path = Path(folder or borders.data_dir()) / "inland_water.npz"
        self.folder = folder
        self._locate = None
        if not self.path.exists():  # data built before this file existed: no inland water
            log.info("%s is missing: no point reads internal_waters", self.path)

    def _index(self):
        if self._locate is None:
            from incidentmap.geo.border_indexes import Locator
            from incidentmap.geo.cache import cached_arrays
            from incidentmap.geo.point_index import PolygonIndex

            here = Path(__file__).parent
            arrays = cached_arrays(
                "inland-water-points",
                lambda: PolygonIndex(self._geometry()).to_arrays(),
                inputs=[self.path],
                code=[here / f"{m}.py" for m in ("waters", "point_index", "_pip_kernels", "_jit")],
                params=INDEX_FORMAT,
                what="the point index of the rivers and lakes",
                expected_s=5,
                mmap=True,
            )
            self._locate = Locator(PolygonIndex.from_arrays(arrays))
        return self._locate

    def _geometry(self) -> np.ndarray:
        parts = shapely.get_parts(borders.read_columns("inland_water", self.folder)[1])
        return np.array([shapely.multipolygons(parts)], dtype=object)

    def contains(self, lon, lat) -> np.ndarray:
        """Boolean per point: is (lon, lat) on inland water (its boundary included)?"""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if not self.path.exists() or not lon.size:
            return np.zeros(lon.shape, dtype=bool)
        return self._index()(lon.ravel(), lat.ravel()).reshape(lon.shape) >= 0


class FineCoast:
    """The 10 m land of NATO members on the eastern-flank coasts (``geo/data/land_fine.parquet``):
    inside its boxes, for points of those members' territory, land in it is land even where the
    100 m mask says sea (islands, spits and deltas). It only adds land: where the 10 m polygons
    fall short of the 100 m ones (along land borders, where they do not meet the sovereignty
    rows exactly) the 100 m answer stands."""

    def __init__(self, folder: Path | None = None):
        cols, self.geoms = borders.read_columns("land_fine", folder)
        self.rows = cols or None
        if self.rows is not None:
            shapely.prepare(self.geoms)

    def decide(self, lon, lat, sovereign) -> tuple[np.ndarray, np.ndarray]:
        """(decided, on_land) per point; ``sovereign`` is each point's sovereign code."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        decided = np.zeros(lon.shape, dtype=bool)
        on_land = np.zeros(lon.shape, dtype=bool)
        if self.rows is None:
            return decided, on_land
        sovereign = np.asarray(sovereign, dtype=object)
        for geom, bounds, members in zip(
            self.geoms, self.rows["bounds"], self.rows["members"], strict=True
        ):
            w, s, e, n = json.loads(bounds) if isinstance(bounds, str) else bounds
            mine = np.isin(sovereign, members.split())
            idx = np.flatnonzero(
                ~decided & mine & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
            )
            if idx.size:
                decided[idx] = True
                with borders.GEOS_QUERY_LOCK:
                    on_land[idx] = shapely.contains_xy(geom, lon[idx], lat[idx])
        return decided, on_land
