"""Dated status areas: occupied, breakaway, disputed, demilitarised areas, UN buffer zones and
historical statuses, each valid from ``since`` (inclusive) to ``until`` (exclusive).

The table is ``geo/data/status_areas.parquet``, one row per (area, period), built by
``scripts/build_borders.py`` from ``geo/data/status_periods.csv`` (status, controller, dates,
note, accuracy and source of each period). A status area never changes the sovereign country
of an answer; it only adds its ``status_note`` when the question's date is inside its period.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import borders


def _dates(values, default: dt.date) -> np.ndarray:
    return np.array(
        [dt.date.fromisoformat(v) if isinstance(v, str) and v else default for v in values],
        dtype=object,
    )


def active(table, *, on: dt.date) -> np.ndarray:
    """Boolean mask of the rows of ``table`` whose period contains ``on``.

    >>> import pandas as pd, datetime as dt
    >>> t = pd.DataFrame({"since": ["2014-02-27", ""], "until": ["", "1990-10-03"]})
    >>> active(t, on=dt.date(2014, 2, 27)).tolist(), active(t, on=dt.date(1990, 10, 3)).tolist()
    ([True, False], [False, False])
    """
    since = _dates(table["since"], dt.date.min)
    until = _dates(table["until"], dt.date.max)
    return np.array([s <= on < u for s, u in zip(since, until, strict=True)], dtype=bool)


class StatusAreas:
    """The status areas of the shipped data (or ``folder``), located as of a date."""

    def __init__(self, folder: Path | None = None):
        cols, self.geoms = borders.read_columns("status_areas", folder)
        n = len(self.geoms)
        self.notes = np.array(cols.get("status_note", []), dtype=object)
        shapely.prepare(self.geoms)
        self.bounds = shapely.bounds(self.geoms).reshape(n, 4)
        self._since = _dates(cols.get("since", [""] * n), dt.date.min)
        self._until = _dates(cols.get("until", [""] * n), dt.date.max)

    def in_force(self, on: dt.date) -> np.ndarray:
        """Boolean per status area: is ``on`` inside its period?"""
        return np.array([s <= on < u for s, u in zip(self._since, self._until, strict=True)], bool)

    def locate(self, lon, lat, *, on: dt.date) -> np.ndarray:
        """Index of the first status area holding each point on date ``on``, -1 for none."""
        lon = np.asarray(lon, dtype=float)
        lat = np.asarray(lat, dtype=float)
        out = np.full(lon.shape, -1, dtype=np.int32)
        for i in np.flatnonzero(self.in_force(on)):
            w, s, e, n = self.bounds[i]
            todo = np.flatnonzero((out < 0) & (lon >= w) & (lon <= e) & (lat >= s) & (lat <= n))
            if todo.size:
                with borders.GEOS_QUERY_LOCK:
                    hit = shapely.contains_xy(self.geoms[i], lon[todo], lat[todo])
                out[todo[hit]] = i
        return out
