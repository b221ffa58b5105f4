"""The per-point step of :meth:`geo.territory.Territory.answer_codes`, fused into one pass.

Given the rows the point indexes found (territory, land mask, status area), one loop derives
the zone, NATO membership, accuracy and note codes of every point; in numpy these were a dozen
full-array passes that cost more than the lookups themselves.
"""

from __future__ import annotations

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
