"""The per-point step of :meth:`geo.territory.Territory.answer_codes`, fused into one pass.

Given the rows the point indexes found (territory, land mask, status area), one loop derives
the zone, NATO membership, accuracy and note codes of every point; in numpy these were a dozen
full-array passes that cost more than the lookups themselves.
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._jit import njit, prange


@njit(cache=True, parallel=True)
def answer_step(
    lon, lat, row, land_row, status_row, member_rows, antarctica, antarctic_lat,
    box, coast_acc_in, coast_acc_out, sovereignty_acc, n_status,
    zone, member, since, note, accuracy,
):  # fmt: skip
    """Fill ``zone`` (0 land, 1 sea, 2 none), ``member``, ``since`` (row or -1), ``note``
    (status area k, or n_status + row, or -1) and ``accuracy`` (m); fix ``row`` in place
    (south of ``antarctic_lat`` with no row: Antarctica)."""
    west, south, east, north = box[0], box[1], box[2], box[3]
    for i in prange(lon.size):
        r = row[i]
        far_south = lat[i] < antarctic_lat
        if r < 0 and far_south:
            r = antarctica
            row[i] = r
        if r >= 0:
            zone[i] = 0 if (far_south or land_row[i] >= 0) else 1
            m = member_rows[r]
            member[i] = m
            since[i] = r if m else -1
            inside = lon[i] >= west and lon[i] <= east and lat[i] >= south and lat[i] <= north
            accuracy[i] = coast_acc_in if inside else coast_acc_out
            note[i] = n_status + r
        else:
            zone[i] = 2
            member[i] = False
            since[i] = -1
            accuracy[i] = sovereignty_acc
            note[i] = -1
        if status_row[i] >= 0:
            note[i] = status_row[i]


# ----------------------------------------------------------------------------- query order

#: Most grid cells :func:`cell_order` buckets points into (its cells grow to stay below).
_ORDER_MAX_CELLS = 1 << 20


@njit(cache=True)
def cell_order(lon, lat, cell_deg):
    """A permutation that puts the points cell by cell (row-major cells of ``cell_deg``, or
    coarser so that there are at most ``_ORDER_MAX_CELLS``; a counting sort, stable; points
    with a NaN coordinate last).

    Answers do not depend on the order in which points are asked; queries in this order
    touch each part of an index in one go instead of at random (several times faster on
    scattered points, whose lookups otherwise miss the CPU caches).
    """
    n = lon.size
    x0, y0, x1, y1 = np.inf, np.inf, -np.inf, -np.inf
    for k in range(n):
        x, y = lon[k], lat[k]
        if x == x and y == y:
            x0, x1 = min(x0, x), max(x1, x)
            y0, y1 = min(y0, y), max(y1, y)
    perm = np.arange(n)
    if not x0 <= x1:  # no point with coordinates
        return perm
    d = cell_deg
    while (int((x1 - x0) / d) + 1) * (int((y1 - y0) / d) + 1) > _ORDER_MAX_CELLS:
        d *= 2.0
    nx = int((x1 - x0) / d) + 1
    n_cells = nx * (int((y1 - y0) / d) + 1)
    key = np.empty(n, dtype=np.int64)
    start = np.zeros(n_cells + 2, dtype=np.int64)
    for k in range(n):
        x, y = lon[k], lat[k]
        c = n_cells
        if x == x and y == y:
            c = int((y - y0) / d) * nx + int((x - x0) / d)
        key[k] = c
        start[c + 1] += 1
    for c in range(n_cells + 1):
        start[c + 1] += start[c]
    for k in range(n):
        c = key[k]
        perm[start[c]] = k
        start[c] += 1
    return perm
