"""The level-0 grid of :mod:`geo._pip_kernels`: segments bucketed into cells, probe points
off every edge, and the row sweep that gives each cell's answer at its probe.
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._jit import njit
from incidentmap.geo._pip_exact import _CCW_ERRBOUND_A, NO_POLYGON, on_segment, orient

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


def bucket_segments(ax, ay, bx, by, x0, y0, d0, nx, ny, margin):
    """Per level-0 cell, the segments whose bounding box touches the cell grown by ``margin``.

    Returns ``(cell_off, cell_seg)``: the segments of cell ``c = j * nx + i`` are
    ``cell_seg[cell_off[c]:cell_off[c + 1]]``, in increasing segment order. Plain numpy (a
    one-off build is not worth compiling).
    """
    i0, i1 = _cell_ranges(np.minimum(ax, bx), np.maximum(ax, bx), x0, d0, nx, margin)
    j0, j1 = _cell_ranges(np.minimum(ay, by), np.maximum(ay, by), y0, d0, ny, margin)
    width = np.maximum(i1 - i0 + 1, 0)
    count = width * np.maximum(j1 - j0 + 1, 0)
    seg, t = _expand(count)
    w = width[seg]
    cell = (j0[seg] + t // w) * nx + (i0[seg] + t % w)
    order = np.argsort(cell, kind="stable")  # keeps segments in increasing order per cell
    cell_off = np.zeros(nx * ny + 1, np.int64)
    np.cumsum(np.bincount(cell, minlength=nx * ny), out=cell_off[1:])
    return cell_off, seg[order].astype(np.int32)


def _cell_ranges(lo, hi, origin, size, n, margin):
    """Vectorised :func:`_cell_range`: first and last cell index of each ``[lo, hi]``."""
    i0 = np.floor((lo - margin - origin) / size).astype(np.int64)
    i1 = np.floor((hi + margin - origin) / size).astype(np.int64)
    return np.maximum(i0, 0), np.minimum(i1, n - 1)


def _expand(count):
    """``(owner, t)`` listing ``t = 0 .. count[k] - 1`` for each ``k`` (owner ``k``)."""
    count = np.asarray(count, dtype=np.int64)
    owner = np.repeat(np.arange(count.size, dtype=np.int64), count)
    starts = np.cumsum(count) - count
    return owner, np.arange(owner.size, dtype=np.int64) - starts[owner]


def orient_many(ax, ay, bx, by, cx, cy):
    """:func:`orient` over arrays: the same floating-point filter, exact where in doubt."""
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    errbound = _CCW_ERRBOUND_A * (np.abs(detleft) + np.abs(detright))
    out = np.where(det > errbound, 1, np.where(-det > errbound, -1, 0)).astype(np.int8)
    doubt = np.flatnonzero(out == 0)
    if doubt.size:
        args = np.broadcast_arrays(ax, ay, bx, by, cx, cy)
        for k in doubt.tolist():
            out[k] = orient.interpreted(*(float(a.flat[k]) for a in args))
    return out


def on_segment_many(px, py, ax, ay, bx, by):
    """:func:`on_segment` over arrays (exact)."""
    box = (px >= np.minimum(ax, bx)) & (px <= np.maximum(ax, bx))
    box &= (py >= np.minimum(ay, by)) & (py <= np.maximum(ay, by))
    out = np.zeros(box.shape, np.bool_)
    k = np.flatnonzero(box)
    if k.size:
        pxk = px[k] if np.ndim(px) else px
        pyk = py[k] if np.ndim(py) else py
        out[k] = orient_many(ax[k], ay[k], bx[k], by[k], pxk, pyk) == 0
    return out


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


def level0_probes(ax, ay, bx, by, x0, y0, d0, nx, ny, cell_off, cell_seg):
    """Reference x on each cell's centre line that lies on none of the cell's edges.

    Returns ``(probe_x, ok)``; ``ok`` is False for the (rare) cells whose whole centre line
    is covered by edges; those need a point on another line (:func:`probes_on_line`) and
    :func:`line_states`. Candidates are tried in the order of :func:`_candidate_offset`, all
    cells at once (plain numpy).
    """
    ncell = nx * ny
    xc = np.tile(x0 + (np.arange(nx) + 0.5) * d0, ny)
    yc = np.repeat(y0 + (np.arange(ny) + 0.5) * d0, nx)
    probe_x = xc.copy()
    ok = np.ones(ncell, np.bool_)
    counts = np.diff(cell_off)
    pending = np.flatnonzero(counts > 0)
    for k in range(127):
        if not pending.size:
            break
        owner, t = _expand(counts[pending])
        cell = pending[owner]
        s = cell_seg[cell_off[cell] + t]
        px = xc[pending] + _candidate_offset.interpreted(k) * (d0 / 128.0)
        hit = on_segment_many(px[owner], yc[cell], ax[s], ay[s], bx[s], by[s])
        blocked = np.zeros(pending.size, np.bool_)
        blocked[owner[hit]] = True
        free = ~blocked
        probe_x[pending[free]] = px[free]
        pending = pending[blocked]
    ok[pending] = False
    return probe_x, ok


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


def _first_rows_at_or_above(v, y0, d0, ny):
    """Vectorised :func:`_first_row_at_or_above` (the same float comparisons)."""
    j = np.ceil((v - y0) / d0 - 0.5)
    j = np.minimum(np.maximum(np.nan_to_num(j, nan=0.0), 0), ny).astype(np.int64)
    while True:  # the same corrections, as many rounds as any value needs (one or two)
        down = (j > 0) & (y0 + (j - 1 + 0.5) * d0 >= v)
        if not down.any():
            break
        j -= down
    while True:
        up = (j < ny) & (y0 + (j + 0.5) * d0 < v)
        if not up.any():
            break
        j += up
    return j


def row_sweep(
    ax, ay, bx, by, spoly, x0, y0, d0, nx, ny, probe_x, probe_ok, mixed_row, n_mixed, width, delta
):
    """Exact sets of polygons containing each level-0 probe ``(probe_x[c], row centre)``.

    Along every row's centre line, the polygons containing a probe are those with an odd
    number of edge crossings west of it. Crossings within ``delta`` of a probe are decided
    exactly with :func:`orient`; farther ones by their computed x, whose error is far below
    ``delta``. Plain numpy: each crossing's first probe east of it (``searchsorted`` per row),
    the runs of probes each polygon covers (pairs of crossings in order), their union.

    Returns ``(cell_first, mixed_cnt, mixed_val)``: the lowest containing polygon of every
    cell's probe (``NO_POLYGON`` if none) and, for cells with edges, the whole set.
    """
    ylo = np.minimum(ay, by)
    yhi = np.maximum(ay, by)
    live = np.flatnonzero(ylo != yhi)
    j0 = _first_rows_at_or_above(ylo[live], y0, d0, ny)
    j1 = _first_rows_at_or_above(yhi[live], y0, d0, ny)
    owner, t = _expand(np.maximum(j1 - j0, 0))
    ev_seg = live[owner]
    ev_row = j0[owner] + t
    del owner, t
    up = ay[ev_seg] < by[ev_seg]
    lx = np.where(up, ax[ev_seg], bx[ev_seg])
    ly = np.where(up, ay[ev_seg], by[ev_seg])
    ux = np.where(up, bx[ev_seg], ax[ev_seg])
    uy = np.where(up, by[ev_seg], ay[ev_seg])
    yc_ev = y0 + (ev_row + 0.5) * d0
    xs = lx + (yc_ev - ly) / (uy - ly) * (ux - lx)

    # per crossing: the first cell of its row whose probe it is surely west of (xs < px - delta),
    # and the first whose window [px - delta, px + delta) it may fall in
    probe_x = np.asarray(probe_x, dtype=np.float64)
    west_from = np.empty(xs.size, np.int64)
    window_from = np.empty(xs.size, np.int64)
    by_row = np.argsort(ev_row, kind="stable")
    row_off = np.searchsorted(ev_row[by_row], np.arange(ny + 1))
    for j in range(ny):
        e = by_row[row_off[j] : row_off[j + 1]]
        if not e.size:
            continue
        px = probe_x[j * nx : (j + 1) * nx]
        west_from[e] = np.searchsorted(px - delta, xs[e], side="right")
        window_from[e] = np.searchsorted(px + delta, xs[e], side="right")

    # crossings in a probe's window: exact side; west of the probe toggles that cell only
    owner, t = _expand(np.maximum(west_from - window_from, 0))
    w_cell = ev_row[owner] * nx + window_from[owner] + t
    keep = probe_ok[w_cell]
    owner, w_cell = owner[keep], w_cell[keep]
    o = orient_many(
        lx[owner], ly[owner], ux[owner], uy[owner], probe_x[w_cell], y0 + (ev_row[owner] + 0.5) * d0
    )
    if (o == 0).any():
        raise ValueError("reference point lies on a polygon edge")
    single_cell = w_cell[o < 0]
    single_poly = spoly[ev_seg[owner[o < 0]]]

    # each polygon's crossings along a row, in order, pair up into runs of covered probes
    ev_poly = spoly[ev_seg].astype(np.int64)
    order = np.lexsort((west_from, ev_poly, ev_row))
    g_row, g_poly, g_from = ev_row[order], ev_poly[order], west_from[order]
    new_group = np.ones(order.size, np.bool_)
    new_group[1:] = (g_row[1:] != g_row[:-1]) | (g_poly[1:] != g_poly[:-1])
    group_start = np.flatnonzero(new_group)
    rank = np.arange(order.size) - np.repeat(
        group_start, np.diff(np.append(group_start, order.size))
    )
    opens = np.flatnonzero(rank % 2 == 0)
    closes = opens + 1
    closed = closes < order.size
    closed[closed] &= ~new_group[closes[closed]]
    run_end = np.full(opens.size, nx, np.int64)  # an unpaired crossing covers the rest
    run_end[closed] = g_from[closes[closed]]
    run_start = g_from[opens]
    owner, t = _expand(np.maximum(run_end - run_start, 0))
    cov_cell = g_row[opens][owner] * nx + run_start[owner] + t
    cov_poly = g_poly[opens][owner]

    # membership = covered XOR toggled in its window
    cell = np.concatenate([cov_cell, single_cell.astype(np.int64)])
    poly = np.concatenate([cov_poly, single_poly.astype(np.int64)])
    order = np.lexsort((poly, cell))
    cell, poly = cell[order], poly[order]
    same = np.ones(cell.size, np.bool_)
    same[1:] = (cell[1:] != cell[:-1]) | (poly[1:] != poly[:-1])
    pair_start = np.flatnonzero(same)
    odd = np.diff(np.append(pair_start, cell.size)) % 2 == 1
    cell, poly = cell[pair_start[odd]], poly[pair_start[odd]]

    ncell = nx * ny
    cell_first = np.full(ncell, NO_POLYGON, np.int32)
    first = np.ones(cell.size, np.bool_)
    first[1:] = cell[1:] != cell[:-1]
    cell_first[cell[first]] = poly[first]
    mixed_cnt = np.zeros(n_mixed, np.int32)
    mixed_val = np.zeros((n_mixed, width), np.int32)
    r = mixed_row[cell]
    in_mixed = r >= 0
    r, p = r[in_mixed], poly[in_mixed]
    np.add.at(mixed_cnt, r, 1)
    if mixed_cnt.size and mixed_cnt.max() > width:
        raise ValueError("more polygons overlap at one point than the index supports")
    slot = np.arange(r.size) - (np.cumsum(mixed_cnt)[r] - mixed_cnt[r])
    mixed_val[r, slot] = p
    return cell_first, mixed_cnt, mixed_val
