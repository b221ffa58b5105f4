"""The index builds are plain numpy: building needs no compiled code (the first run after
install compiled these builds for most of its time), and degenerate inputs still build."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import shapely
from shapely.geometry import Polygon, box

from incidentmap.geo.point_index import PolygonIndex

BUILD_WITHOUT_NUMBA = """
import sys
import numpy as np
from shapely.geometry import Point, box
from incidentmap.geo.point_index import PolygonIndex
from incidentmap.geo.segment_distance import SegmentDistanceIndex

ring = Point(0, 0).buffer(5, quad_segs=200)  # 800 edges: cells split into quadtrees
index = PolygonIndex([ring, box(2, 2, 8, 8)], max_edges=4)
assert index.slots.size > 0, "expected split cells"
assert index.locate([0.0, 7.0, 20.0], [0.0, 7.0, 20.0]).tolist() == [0, 1, -1]
coords = np.asarray(ring.exterior.coords)
dist = SegmentDistanceIndex(coords[:-1, 0], coords[:-1, 1], coords[1:, 0], coords[1:, 1])
assert dist.n_pieces > 800
assert "numba" not in sys.modules, "building an index imported numba"
"""


def test_building_indexes_compiles_nothing():
    proc = subprocess.run(
        [sys.executable, "-c", BUILD_WITHOUT_NUMBA], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr


@pytest.mark.parametrize("geoms", [[], [None], [Polygon()], [None, box(0, 0, 1, 1)]])
def test_degenerate_inputs_build_and_answer(geoms):
    index = PolygonIndex(geoms)
    lon = np.array([0.5, 5.0, np.nan])
    lat = np.array([0.5, 5.0, 0.0])
    got = index.locate(lon, lat).tolist()
    want = [
        min((i for i, g in enumerate(geoms) if g is not None and shapely.intersects_xy(g, x, y)),
            default=-1)  # fmt: skip
        for x, y in zip(lon, lat, strict=True)
    ]
    assert got == want
