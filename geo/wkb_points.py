"""Point coordinates straight from a WKB column, without making a geometry object per row.

A GeoParquet file stores its geometries as WKB. Turning a million WKB points into shapely
objects and back costs far more than the territory answers themselves, so
:func:`point_coordinates` reads the 21-byte little-endian 2-D point encoding with numpy, and
hands every other row (other geometry types, Z or M, big-endian, EWKB with an SRID, points
with a NaN coordinate) to shapely, deciding exactly as :func:`geo.territory.classify_frame`
does: a row is a point when it is not missing, not empty and of type Point.
"""

from __future__ import annotations

import numpy as np

import shapely

_POINT_WKB_BYTES = 21  # byte order (1), type (4), x (8), y (8)
_LITTLE_ENDIAN_POINT = np.array([1, 1, 0, 0, 0], dtype=np.uint8)


def _binary_buffers(wkb):
    """(offsets, data, valid) of a pyarrow binary column (any chunking, large or not)."""
    import pyarrow as pa

    if isinstance(wkb, pa.ChunkedArray):
        wkb = wkb.combine_chunks() if wkb.num_chunks != 1 else wkb.chunk(0)
    if not isinstance(wkb, pa.Array):
        wkb = pa.array(list(wkb), type=pa.binary())
    if pa.types.is_binary_view(wkb.type) or not (
        pa.types.is_binary(wkb.type) or pa.types.is_large_binary(wkb.type)
    ):
        wkb = wkb.cast(pa.large_binary())
    width = np.int64 if pa.types.is_large_binary(wkb.type) else np.int32
    _, off_buf, data_buf = wkb.buffers()
    offsets = np.frombuffer(off_buf, dtype=width)[wkb.offset : wkb.offset + len(wkb) + 1]
    data = np.frombuffer(data_buf, dtype=np.uint8) if data_buf is not None else np.zeros(0, "u1")
    valid = wkb.is_valid().to_numpy(zero_copy_only=False)
    return offsets.astype(np.int64), data, valid


def point_coordinates(wkb) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lon, lat, is_point)`` of a WKB column; NaN where a row is not a usable point.

    ``wkb`` is a pyarrow binary array or chunked array, or a sequence of ``bytes``/None.

    >>> import shapely
    >>> rows = [shapely.Point(28.05, 45.4353).wkb, None, shapely.LineString([(0, 0), (1, 1)]).wkb]
    >>> lon, lat, ok = point_coordinates(rows)
    >>> lon.tolist()[0], lat.tolist()[0], ok.tolist()
    (28.05, 45.4353, [True, False, False])
    """
    offsets, data, valid = _binary_buffers(wkb)
    n = len(valid)
    start, length = offsets[:-1], np.diff(offsets)
    lon = np.full(n, np.nan)
    lat = np.full(n, np.nan)
    fast = valid & (length == _POINT_WKB_BYTES)
    if n and fast.all() and start[-1] - start[0] == (n - 1) * _POINT_WKB_BYTES:
        # the usual column: one 21-byte point after the other, read as a 2-D view
        block = data[start[0] : start[0] + n * _POINT_WKB_BYTES].reshape(n, _POINT_WKB_BYTES)
        little = (block[:, :5] == _LITTLE_ENDIAN_POINT).all(axis=1)
        rows = np.flatnonzero(little)
        xy = np.ascontiguousarray(block[:, 5:] if little.all() else block[rows, 5:]).view("<f8")
    else:
        rows = np.flatnonzero(fast)
        head = data[start[rows, None] + np.arange(5)]
        rows = rows[(head == _LITTLE_ENDIAN_POINT).all(axis=1)]
        xy = data[start[rows, None] + np.arange(5, 21)].copy().view("<f8")
    finite_xy = ~np.isnan(xy).any(axis=1)  # NaN: empty, or half empty; shapely decides
    rows, xy = rows[finite_xy], xy[finite_xy]
    lon[rows], lat[rows] = xy[:, 0], xy[:, 1]
    is_point = np.zeros(n, dtype=bool)
    is_point[rows] = True
    slow = np.flatnonzero(valid & ~is_point)
    if slow.size:
        blobs = np.array([data[start[i] : start[i] + length[i]].tobytes() for i in slow], object)
        geoms = shapely.from_wkb(blobs)
        ok = np.array(
            [g is not None and not g.is_empty and g.geom_type == "Point" for g in geoms], bool
        )
        if ok.any():
            coords = shapely.get_coordinates(geoms[ok])
            lon[slow[ok]], lat[slow[ok]] = coords[:, 0], coords[:, 1]
            is_point[slow[ok]] = True
    return lon, lat, is_point
