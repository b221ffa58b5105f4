"""Inland water: rivers and lakes that are national territory (zone ``internal_waters``).

``geo/data/inland_water.npz`` (and .parquet) holds the water that the land polygons of
``@geo-maps/countries-land-100m`` do not cover inside lon 12..42, lat 40..71 (NATO's eastern
flank and its neighbours) and that lies more than 3 km from Natural Earth's 10 m ocean: lakes
(Peipus, Ladoga, the Finnish lakes …) and wide rivers (the Danube, the Narva, reservoirs on the
Prut), at the 100 m accuracy of that file. A river too narrow for that file is land there, and
outside the box nothing is inland water. River mouths stay territorial sea. Built by
scripts/build_inland_water.py (also called by scripts/build_borders.py).

Where a border follows a river (``geo/data/river_borders.csv``: the Prut, the Danube, the Narva,
the Torne …), points within 200 m of it carry a note saying so and that land versus water is
uncertain there (:class:`RiverBorders`), since the 100 m file cannot resolve a narrow river.
Where the 10 m OSM coast (:class:`FineCoast`) has land that the 100 m mask calls sea, the point
is land, even inside the 100 m file's river holes (Tornio's Suensaari).
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import borders
from incidentmap.geo.border_indexes import persisted_locator

log = logging.getLogger(__name__)

#: The zone code of inland water, after ``territory.ZONES``' land / territorial sea / high seas.
INTERNAL_WATERS = "internal_waters"


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
            self._locate = persisted_locator(
                "inland-water-points",
                self._geometry,
                inputs=[self.path],
                what="the point index of the rivers and lakes",
                expected_s=5,
                module="waters",
            )
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
    """The 10 m land of NATO members on the eastern-flank coasts (``geo/data/land_fine.npz``,
    OpenStreetMap land polygons; scripts/build_fine_coast.py): inside its boxes, for points of
    those members' territory, land in it is land even where the 100 m mask says sea (islands,
    spits, deltas, Tornio's Suensaari). It only adds land: where the 10 m polygons fall short
    of the 100 m ones the 100 m answer stands. Answered through a persisted
    :class:`PolygonIndex` (one row per box), like :class:`InlandWaters`."""

    def __init__(self, folder: Path | None = None):
        self.path = Path(folder or borders.data_dir()) / "land_fine.npz"
        self.folder = folder
        self.rows = None
        self._locate = None
        if self.path.exists():
            with np.load(self.path) as z:  # the text columns only, not the polygons
                names = [f[len("col_") :] for f in z.files if f.startswith("col_")]
                self.rows = {c: [str(v) for v in z[f"col_{c}"]] for c in names}

    def _index(self):
        if self._locate is None:
            self._locate = persisted_locator(
                "fine-coast-points",
                lambda: borders.read_columns("land_fine", self.folder)[1],
                inputs=[self.path],
                what="the point index of the 10 m eastern-flank coast",
                expected_s=20,
                module="waters",
            )
        return self._locate

    def decide(self, lon, lat, sovereign) -> tuple[np.ndarray, np.ndarray]:
        """(decided, on_land) per point; ``sovereign`` is each point's sovereign code."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        decided = np.zeros(lon.shape, dtype=bool)
        on_land = np.zeros(lon.shape, dtype=bool)
        if self.rows is None:
            return decided, on_land
        sovereign = np.asarray(sovereign, dtype=object)
        box_of = np.full(lon.shape, -1, dtype=np.int64)
        for k, (bounds, members) in enumerate(
            zip(self.rows["bounds"], self.rows["members"], strict=True)
        ):
            w, s, e, n = json.loads(bounds) if isinstance(bounds, str) else bounds
            mine = np.isin(sovereign, members.split())
            here = ~decided & mine & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n)
            decided[here] = True
            box_of[here] = k
        idx = np.flatnonzero(decided)
        if idx.size:
            got = self._index()(lon[idx], lat[idx])
            on_land[idx] = got == box_of[idx]
        return decided, on_land


class RiverBorders:
    """The strips within 200 m of the borders that follow a river (``geo/data/river_borders.npz``,
    built by scripts/build_river_borders.py from ``river_borders.csv``): the Prut, the Danube,
    the Narva, the Torne … There the 100 m land data cannot tell a narrow river from its
    banks, so the answer carries the strip's note (see :meth:`locate`). Answered through a
    persisted :class:`PolygonIndex` (a point in two strips gets the first)."""

    def __init__(self, folder: Path | None = None):
        self.path = Path(folder or borders.data_dir()) / "river_borders.npz"
        self.folder = folder
        self.notes = np.array([], dtype=object)
        self._locate = None
        if self.path.exists():
            with np.load(self.path) as z:  # the notes only, not the polygons
                self.notes = np.array([str(v) for v in z["col_note"]], dtype=object)

    def _index(self):
        if self._locate is None:
            self._locate = persisted_locator(
                "river-border-points",
                lambda: borders.read_columns("river_borders", self.folder)[1],
                inputs=[self.path],
                what="the point index of the river borders",
                expected_s=3,
                module="waters",
            )
        return self._locate

    def locate(self, lon, lat) -> np.ndarray:
        """The strip of each point (row of :attr:`notes`), -1 where none."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        if not len(self.notes) or not lon.size:
            return np.full(lon.shape, -1, dtype=np.int64)
        return self._index()(lon.ravel(), lat.ravel()).reshape(lon.shape).astype(np.int64)
