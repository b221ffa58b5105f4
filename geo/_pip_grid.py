"""The level-0 grid of :mod:`geo._pip_kernels`: segments bucketed into cells, probe points
off every edge, and the row sweep that gives each cell's answer at its probe.
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._jit import njit
from incidentmap.geo._pip_exact import NO_POLYGON, on_segment, orient

# ----------------------------------------------------------------------------- small sets


@njit(cache=True)
def _toggle(vals, n, p):
    """Toggle membership of ``p`` in the unordered set ``vals[:n]``; return the new size."""
    for t in range(n):
        if vals[t] == p:
            vals[t] = vals[n - 1]
            return n - 1
    if n >= vals.shape[0]:
        raise ValueError("more polygons overlap at one point than the index supports")
    vals[n] = p
    return n + 1


@njit(cache=True)
def _set_min(vals, n):
    best = NO_POLYGON
    for t in range(n):
        if vals[t] < best:
            best = vals[t]
    return best


# ----------------------------------------------------------------------------- level-0 grid


@njit(cache=True)
def _cell_range(lo, hi, origin, size, n, margin):
    i0 = int(np.floor((lo - margin - origin) / size))
    i1 = int(np.floor((hi + margin - origin) / size))
    return max(i0, 0), min(i1, n - 1)


@njit(cache=True)
def bucket_segments(ax, ay, bx, by, x0, y0, d0, nx, ny, margin):
    """Per level-0 cell, the segments whose bounding box touches the cell grown by ``margin``.

    Returns ``(cell_off, cell_seg)``: the segments of cell ``c = j * nx + i`` are
    ``cell_seg[cell_off[c]:cell_off[c + 1]]``, in increasing segment order.
    """
    ncell = nx * ny
    count = np.zeros(ncell + 1, np.int64)
    nseg = ax.shape[0]
    for s in range(nseg):
        i0, i1 = _cell_range(min(ax[s], bx[s]), max(ax[s], bx[s]), x0, d0, nx, margin)
        j0, j1 = _cell_range(min(ay[s], by[s]), max(ay[s], by[s]), y0, d0, ny, margin)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                count[j * nx + i + 1] += 1
    cell_off = np.cumsum(count)
    fill = cell_off[:-1].copy()
    cell_seg = np.empty(cell_off[-1], np.int32)
    for s in range(nseg):
        i0, i1 = _cell_range(min(ax[s], bx[s]), max(ax[s], bx[s]), x0, d0, nx, margin)
        j0, j1 = _cell_range(min(ay[s], by[s]), max(ay[s], by[s]), y0, d0, ny, margin)
        for j in range(j0, j1 + 1):
            for i in range(i0, i1 + 1):
                c = j * nx + i
                cell_seg[fill[c]] = s
                fill[c] += 1
    return cell_off, cell_seg


@njit(cache=True)
def _off_all_edges(px, py, ax, ay, bx, by, segs, e0, e1):
    for t in range(e0, e1):
        s = segs[t]
        if on_segment(px, py, ax[s], ay[s], bx[s], by[s]):
            return False
    return True


@njit(cache=True)
def _candidate_offset(k):
    """0, 1, -1, 2, -2, ... (k = 0, 1, 2, ...)."""
    return (k + 1) // 2 if k % 2 == 1 else -(k // 2)


@njit(cache=True)
def level0_probes(ax, ay, bx, by, x0, y0, d0, nx, ny, cell_off, cell_seg):
    """Reference x on each cell's centre line that lies on none of the cell's edges.

    Returns ``(probe_x, ok)``; ``ok`` is False for the (rare) cells whose whole centre line
    is covered by edges; those need a point on another line (:func:`probes_on_line`) and
    :func:`line_states`.
    """
    ncell = nx * ny
    probe_x = np.empty(ncell)
    ok = np.ones(ncell, np.bool_)
    for j in range(ny):
        yc = y0 + (j + 0.5) * d0
        for i in range(nx):
            c = j * nx + i
            xc = x0 + (i + 0.5) * d0
            probe_x[c] = xc
            e0 = cell_off[c]
            e1 = cell_off[c + 1]
            if e0 == e1:
                continue
            found = False
            for k in range(127):
                px = xc + _candidate_offset(k) * (d0 / 128.0)
                if _off_all_edges(px, yc, ax, ay, bx, by, cell_seg, e0, e1):
                    probe_x[c] = px
                    found = True
                    break
            ok[c] = found
    return probe_x, ok


@njit(cache=True)
def probe_anywhere(bx0, by0, size, ax, ay, bx, by, segs, e0, e1):
    """A point of the box ``[bx0, bx0 + size] x [by0, by0 + size]`` on none of the listed edges."""
    xc = bx0 + 0.5 * size
    yc = by0 + 0.5 * size
    step = size / 128.0
    for ky in range(127):
        py = yc + _candidate_offset(ky) * step
        for kx in range(127):
            px = xc + _candidate_offset(kx) * step
            if _off_all_edges(px, py, ax, ay, bx, by, segs, e0, e1):
                return px, py
    raise ValueError("no reference point off the polygon edges found in a grid cell")


@njit(cache=True)
def probes_on_line(ax, ay, bx, by, x0, d0, nx, cell_off, cell_seg, cells, py):
    """For each level-0 cell in ``cells``, an x on the line ``y = py`` off the cell's edges.

    Returns ``(px, ok)`` like :func:`level0_probes`; ``py`` must lie within the cells' row.
    """
    px = np.empty(cells.shape[0])
    ok = np.zeros(cells.shape[0], np.bool_)
    for t in range(cells.shape[0]):
        c = cells[t]
        xc = x0 + (c % nx + 0.5) * d0
        for k in range(127):
            x = xc + _candidate_offset(k) * (d0 / 128.0)
            if _off_all_edges(x, py, ax, ay, bx, by, cell_seg, cell_off[c], cell_off[c + 1]):
                px[t] = x
                ok[t] = True
                break
    return px, ok


@njit(cache=True)
def line_states(ax, ay, bx, by, spoly, py, px, width):
    """Exact sets of polygons containing the points ``(px[k], py)``, counting every crossing.

    Returns ``(cnt, val)``: the set of point ``k`` is ``val[k, :cnt[k]]``. The points must lie
    on no edge. Costs one pass over all segments plus one exact test per point and crossing.
    """
    crossing = np.flatnonzero((ay > py) != (by > py))
    cnt = np.zeros(px.shape[0], np.int32)
    val = np.zeros((px.shape[0], width), np.int32)
    for k in range(px.shape[0]):
        n = 0
        for s in crossing:
            if ay[s] < by[s]:
                o = orient(ax[s], ay[s], bx[s], by[s], px[k], py)
            else:
                o = orient(bx[s], by[s], ax[s], ay[s], px[k], py)
            if o == 0:
                raise ValueError("reference point lies on a polygon edge")
            if o < 0:
                n = _toggle(val[k], n, spoly[s])
        cnt[k] = n
    return cnt, val


@njit(cache=True)
def _first_row_at_or_above(v, y0, d0, ny):
    """Smallest row ``j`` whose centre line ``y0 + (j + 0.5) * d0`` is >= ``v`` (``ny`` if none)."""
    j = int(np.ceil((v - y0) / d0 - 0.5))
    j = min(max(j, 0), ny)
    while j > 0 and y0 + (j - 1 + 0.5) * d0 >= v:
        j -= 1
    while j < ny and y0 + (j + 0.5) * d0 < v:
        j += 1
    return j


@njit(cache=True)
def row_sweep(
    ax, ay, bx, by, spoly, x0, y0, d0, nx, ny, probe_x, probe_ok, mixed_row, n_mixed, width, delta
):
    """Exact sets of polygons containing each level-0 probe ``(probe_x[c], row centre)``.

    Sweeps every row's centre line from the west, toggling polygon membership at each edge
    crossing. Crossings within ``delta`` of a probe are decided exactly with :func:`orient`;
    farther ones by their computed x, whose error is far below ``delta``.

    Returns ``(cell_first, mixed_cnt, mixed_val)``: the lowest containing polygon of every
    cell's probe (``NO_POLYGON`` if none) and, for cells with edges, the whole set.
    """
    nseg = ax.shape[0]
    count = np.zeros(ny + 1, np.int64)
    for s in range(nseg):
        ylo = min(ay[s], by[s])
        yhi = max(ay[s], by[s])
        if ylo == yhi:
            continue
        j0 = _first_row_at_or_above(ylo, y0, d0, ny)
        j1 = _first_row_at_or_above(yhi, y0, d0, ny)
        for j in range(j0, j1):
            count[j + 1] += 1
    off = np.cumsum(count)
    fill = off[:-1].copy()
    events = np.empty(off[-1], np.int32)
    for s in range(nseg):
        ylo = min(ay[s], by[s])
        yhi = max(ay[s], by[s])
        if ylo == yhi:
            continue
        j0 = _first_row_at_or_above(ylo, y0, d0, ny)
        j1 = _first_row_at_or_above(yhi, y0, d0, ny)
        for j in range(j0, j1):
            events[fill[j]] = s
            fill[j] += 1

    ncell = nx * ny
    cell_first = np.empty(ncell, np.int32)
    mixed_cnt = np.zeros(n_mixed, np.int32)
    mixed_val = np.zeros((n_mixed, width), np.int32)
    cur = np.empty(width, np.int32)
    tmp = np.empty(width, np.int32)
    for j in range(ny):
        yc = y0 + (j + 0.5) * d0
        e0 = off[j]
        m = off[j + 1] - e0
        xs = np.empty(m)
        for t in range(m):
            s = events[e0 + t]
            if ay[s] < by[s]:
                lx, ly, ux, uy = ax[s], ay[s], bx[s], by[s]
            else:
                lx, ly, ux, uy = bx[s], by[s], ax[s], ay[s]
            xs[t] = lx + (yc - ly) / (uy - ly) * (ux - lx)
        order = np.argsort(xs)
        ncur = 0
        k = 0
        for i in range(nx):
            c = j * nx + i
            px = probe_x[c]
            while k < m and xs[order[k]] < px - delta:
                ncur = _toggle(cur, ncur, spoly[events[e0 + order[k]]])
                k += 1
            ntmp = ncur
            tmp[:ncur] = cur[:ncur]
            if probe_ok[c]:
                kk = k
                while kk < m and xs[order[kk]] < px + delta:
                    s = events[e0 + order[kk]]
                    if ay[s] < by[s]:
                        o = orient(ax[s], ay[s], bx[s], by[s], px, yc)
                    else:
                        o = orient(bx[s], by[s], ax[s], ay[s], px, yc)
                    if o == 0:
                        raise ValueError("reference point lies on a polygon edge")
                    if o < 0:
                        ntmp = _toggle(tmp, ntmp, spoly[s])
                    kk += 1
            cell_first[c] = _set_min(tmp, ntmp)
            r = mixed_row[c]
            if r >= 0:
                mixed_cnt[r] = ntmp
                mixed_val[r, :ntmp] = tmp[:ntmp]
    return cell_first, mixed_cnt, mixed_val
