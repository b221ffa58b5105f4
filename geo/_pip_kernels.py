"""Numba kernels behind :mod:`geo.point_index` (exact point-in-polygon on a quadtree grid).

Everything here works on plain numpy arrays; :class:`geo.point_index.PolygonIndex` owns the
data layout and documents it. Two rules keep the answers exact:

* Every orientation test goes through :func:`orient`, a floating-point filter with Shewchuk's
  error bound that falls back to exact expansion arithmetic when the sign is in doubt.
  Nothing here may be compiled with ``fastmath`` (it would break the error-free transforms).
* A query counts the crossings of the segment from a cell's reference point ``R`` (whose
  answer is known) to the query point ``Q`` with the cell's edges. Vertices lying exactly on
  the line ``RQ`` are counted on its left side, which is a symbolic perturbation of that line;
  ``R`` is chosen off every edge, so the parity is exact for every ``Q``, and a ``Q`` lying on
  an edge is detected exactly and reported as such.
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._jit import njit, prange
from incidentmap.geo._pip_exact import (  # noqa: F401  (orient: used by the tests)
    _EPS,
    NO_POLYGON,
    orient,
    segment_event,
    segment_event_sides,
)
from incidentmap.geo._pip_grid import (  # noqa: F401  (the grid kernels PolygonIndex calls)
    _candidate_offset,
    _set_min,
    _toggle,
    bucket_segments,
    level0_probes,
    line_states,
    probe_anywhere,
    probes_on_line,
    row_sweep,
)

# ----------------------------------------------------------------------------- quadtree
#
# Layout of the finished index (see also PolygonIndex):
#   root[j * nx + i]  code of level-0 cell (i, j)
#   slots[4 * v + q]  code of child q (q = 1 if east half, + 2 if north half) of internal node v
#   a code v >= 0 is internal node v; v < 0 means w = -v - 1 and then either
#     w <= n_poly:    one answer, w - 1, for the whole box (-1: no polygon)
#     w >  n_poly:    a leaf with edges, stored in blob from offset w - n_poly - 1 as
#       rx, ry, base, n_groups, reach, then per group (ascending polygon):
#       poly, inside_at_r, n_runs, then per run: n_vertices, x0, y0, x1, y1, ...
#     "base" is the lowest polygon containing r among those without edges in the leaf and
#     "reach" bounds |x - rx| and |y - ry| over the leaf's vertices (for the error bound).


@njit(cache=True)
def _ensure_i32(a, n):
    if n <= a.shape[0]:
        return a
    b = np.empty(max(n, 2 * a.shape[0]), np.int32)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def _ensure_f64(a, n):
    if n <= a.shape[0]:
        return a
    b = np.empty(max(n, 2 * a.shape[0]), np.float64)
    b[: a.shape[0]] = a
    return b


@njit(cache=True)
def encode_answer(a):
    """Code of a box with one answer ``a`` (``NO_POLYGON`` or -1 for none)."""
    if a == NO_POLYGON or a < 0:
        return np.int32(-1)
    return np.int32(-a - 2)


@njit(cache=True)
def _encode_leaf(offset, n_poly):
    return np.int32(-(n_poly + 1 + offset) - 1)


_LEAF_HEADER = 5
# |error| of dqx * (vy - ry) - dqy * (vx - rx) in floating point is below
# (4 eps + O(eps^2)) * (|dqx| + |dqy|) * reach; the factor 6 eps leaves room for the rounding
# of the bound itself.
_SIDE_ERRBOUND = 6.0 * _EPS


@njit(cache=True)
def side_of_path(rx, ry, qx, qy, dqx, dqy, errbound, vx, vy):
    """Exact side of ``v`` to the line ``r -> q`` (as :func:`orient` of ``r, q, v``).

    ``dqx, dqy`` are ``qx - rx, qy - ry`` and ``errbound`` is
    ``_SIDE_ERRBOUND * ((|dqx| + |dqy|) * reach)`` with ``reach`` bounding ``|vx - rx|`` and
    ``|vy - ry|``; one bound serves all vertices of a leaf.
    """
    det = dqx * (vy - ry) - dqy * (vx - rx)
    if det > errbound:
        return 1
    if det < -errbound:
        return -1
    return orient(rx, ry, qx, qy, vx, vy)


@njit(cache=True)
def _write_leaf(blob, nb, rx, ry, pset, setn, pool, poff, pcnt, spoly, seg_vtx, ax, ay, bx, by):
    """Append one leaf with edges to ``blob`` at ``nb``; return ``(blob, new nb)``."""
    blob = _ensure_f64(blob, nb + _LEAF_HEADER + 5 * pcnt + 8)
    start = nb
    blob[nb] = rx
    blob[nb + 1] = ry
    reach = 0.0
    for t in range(poff, poff + pcnt):
        s = pool[t]
        reach = max(reach, abs(ax[s] - rx), abs(ay[s] - ry), abs(bx[s] - rx), abs(by[s] - ry))
    blob[nb + 4] = reach * (1.0 + 8.0 * _EPS)  # an upper bound of the exact differences
    nb += _LEAF_HEADER
    ngroups = 0
    base = NO_POLYGON
    t = poff
    pend = poff + pcnt
    while t < pend:
        p = spoly[pool[t]]
        inside = 0
        for u in range(setn):
            if pset[u] == p:
                inside = 1
        blob[nb] = p
        blob[nb + 1] = inside
        runs_at = nb + 2
        nb += 3
        nruns = 0
        prev = -1
        nv_at = 0
        while t < pend and spoly[pool[t]] == p:
            s = pool[t]
            if prev >= 0 and seg_vtx[s] == seg_vtx[prev] + 1:
                blob[nb] = bx[s]
                blob[nb + 1] = by[s]
                nb += 2
                blob[nv_at] += 1.0
            else:
                nv_at = nb
                blob[nb] = 2.0
                blob[nb + 1] = ax[s]
                blob[nb + 2] = ay[s]
                blob[nb + 3] = bx[s]
                blob[nb + 4] = by[s]
                nb += 5
                nruns += 1
            prev = s
            t += 1
        blob[runs_at] = nruns
        ngroups += 1
    for u in range(setn):
        v = pset[u]
        listed = False
        o = start + _LEAF_HEADER
        for _g in range(ngroups):
            if blob[o] == v:
                listed = True
            nruns = int(blob[o + 2])
            o += 3
            for _r in range(nruns):
                o += 1 + 2 * int(blob[o])
        if not listed and v < base:
            base = v
    blob[start + 2] = base
    blob[start + 3] = ngroups
    return blob, nb


@njit(cache=True)
def build_tree(
    ax,
    ay,
    bx,
    by,
    spoly,
    seg_vtx,
    n_poly,
    x0,
    y0,
    d0,
    nx,
    ny,
    cell_off,
    cell_seg,
    cell_first,
    mixed_row,
    mixed_cnt,
    mixed_val,
    mixed_rx,
    mixed_ry,
    margin,
    max_edges,
    max_depth,
):
    """Splits busy level-0 cells into quadtrees and lays out the flat query structure.

    Each new node gets a reference point off its edges; its set of containing polygons is the
    parent's set toggled by the crossings of the path parent reference -> child reference with
    the parent's edges (the parent's list holds every edge that touches the child).

    Returns ``(root, slots, blob)`` as described at the top of this section.
    """
    width = mixed_val.shape[1]
    ncell = nx * ny
    root = np.empty(ncell, np.int32)
    slots = np.empty(1024, np.int32)
    nslots = 0
    blob = np.empty(4096, np.float64)
    nb = np.int64(0)  # not a literal 0: one compiled signature of the kernels it is passed to

    depth_cap = 4 * max_depth + 8
    st_loc = np.empty(depth_cap, np.int64)  # slot index, or -1 - cell for a root cell
    st_x = np.empty(depth_cap)
    st_y = np.empty(depth_cap)
    st_size = np.empty(depth_cap)
    st_depth = np.empty(depth_cap, np.int32)
    st_poff = np.empty(depth_cap, np.int64)
    st_pcnt = np.empty(depth_cap, np.int64)
    st_rx = np.empty(depth_cap)
    st_ry = np.empty(depth_cap)
    st_set = np.empty((depth_cap, width), np.int32)
    st_setn = np.empty(depth_cap, np.int32)
    pool = np.empty(1024, np.int32)
    pset = np.empty(width, np.int32)
    cset = np.empty(width, np.int32)

    for c in range(ncell):
        r = mixed_row[c]
        if r < 0:
            root[c] = encode_answer(cell_first[c])
            continue
        e0 = cell_off[c]
        cnt = cell_off[c + 1] - e0
        pool = _ensure_i32(pool, cnt)
        pool[:cnt] = cell_seg[e0 : e0 + cnt]
        ptop = cnt
        st_loc[0] = -1 - c
        st_x[0] = x0 + (c % nx) * d0
        st_y[0] = y0 + (c // nx) * d0
        st_size[0] = d0
        st_depth[0] = 0
        st_poff[0] = 0
        st_pcnt[0] = cnt
        st_rx[0] = mixed_rx[r]
        st_ry[0] = mixed_ry[r]
        st_setn[0] = mixed_cnt[r]
        st_set[0, :] = mixed_val[r, :]
        sp = 1
        while sp > 0:
            sp -= 1
            loc = st_loc[sp]
            bx0 = st_x[sp]
            by0 = st_y[sp]
            size = st_size[sp]
            depth = st_depth[sp]
            poff = st_poff[sp]
            pcnt = st_pcnt[sp]
            rx = st_rx[sp]
            ry = st_ry[sp]
            setn = st_setn[sp]
            pset[:] = st_set[sp, :]
            if pcnt <= max_edges or depth >= max_depth:
                code = _encode_leaf(nb, n_poly)
                blob, nb = _write_leaf(
                    blob, nb, rx, ry, pset, setn, pool, poff, pcnt, spoly, seg_vtx, ax, ay, bx, by
                )
            else:
                slots = _ensure_i32(slots, nslots + 4)
                first = nslots
                nslots += 4
                code = np.int32(first // 4)
                half = 0.5 * size
                for q in range(4):
                    cx0 = bx0 + (q & 1) * half
                    cy0 = by0 + (q >> 1) * half
                    lo_x = cx0 - margin
                    hi_x = cx0 + half + margin
                    lo_y = cy0 - margin
                    hi_y = cy0 + half + margin
                    pool = _ensure_i32(pool, ptop + pcnt)
                    coff = ptop
                    for t in range(poff, poff + pcnt):
                        s = pool[t]
                        if (
                            max(ax[s], bx[s]) >= lo_x
                            and min(ax[s], bx[s]) <= hi_x
                            and max(ay[s], by[s]) >= lo_y
                            and min(ay[s], by[s]) <= hi_y
                        ):
                            pool[ptop] = s
                            ptop += 1
                    ccnt = ptop - coff
                    if ccnt == 0:
                        qx = cx0 + 0.5 * half
                        qy = cy0 + 0.5 * half
                    else:
                        qx, qy = probe_anywhere(cx0, cy0, half, ax, ay, bx, by, pool, coff, ptop)
                    cn = np.int64(setn)
                    cset[:setn] = pset[:setn]
                    for t in range(poff, poff + pcnt):
                        s = pool[t]
                        ev = segment_event(rx, ry, qx, qy, ax[s], ay[s], bx[s], by[s])
                        if ev == 2:
                            raise ValueError("child reference point lies on a polygon edge")
                        if ev == 1:
                            cn = _toggle(cset, cn, spoly[s])
                    if ccnt == 0:
                        slots[first + q] = encode_answer(_set_min(cset, cn))
                        ptop = coff
                        continue
                    if sp >= depth_cap:
                        raise ValueError("quadtree stack overflow")
                    st_loc[sp] = first + q
                    st_x[sp] = cx0
                    st_y[sp] = cy0
                    st_size[sp] = half
                    st_depth[sp] = depth + 1
                    st_poff[sp] = coff
                    st_pcnt[sp] = ccnt
                    st_rx[sp] = qx
                    st_ry[sp] = qy
                    st_setn[sp] = cn
                    st_set[sp, :cn] = cset[:cn]
                    sp += 1
            if loc < 0:
                root[-1 - loc] = code
            else:
                slots[loc] = code
    if nslots + nb + n_poly + 2 >= 2**31 - 1:
        raise ValueError("index too large for 32-bit codes")
    return root, slots[:nslots].copy(), blob[:nb].copy()


# ----------------------------------------------------------------------------- queries


@njit(cache=True)
def locate_serial(lon, lat, out, x0, y0, d0, nx, ny, n_poly, root, slots, blob):
    """Fill ``out[k]`` with the lowest polygon covering ``(lon[k], lat[k])``, or -1."""
    inv_d0 = 1.0 / d0
    x1 = x0 + nx * d0
    y1 = y0 + ny * d0
    for k in range(lon.shape[0]):
        x = lon[k]
        y = lat[k]
        if not (x >= x0 and x <= x1 and y >= y0 and y <= y1):  # also catches NaN
            out[k] = -1
            continue
        i = min(int((x - x0) * inv_d0), nx - 1)
        j = min(int((y - y0) * inv_d0), ny - 1)
        v = root[j * nx + i]
        if v >= 0:
            bx0 = x0 + i * d0
            by0 = y0 + j * d0
            half = d0
            while v >= 0:
                half *= 0.5
                q = 0
                if x >= bx0 + half:
                    q = 1
                    bx0 += half
                if y >= by0 + half:
                    q += 2
                    by0 += half
                v = slots[4 * v + q]
        w = -v - 1
        if w <= n_poly:
            out[k] = w - 1
            continue
        o = w - n_poly - 1
        rx = blob[o]
        ry = blob[o + 1]
        best = int(blob[o + 2])
        ngroups = int(blob[o + 3])
        dqx = x - rx
        dqy = y - ry
        errbound = _SIDE_ERRBOUND * ((abs(dqx) + abs(dqy)) * blob[o + 4])
        o += _LEAF_HEADER
        for _g in range(ngroups):
            p = int(blob[o])
            if p >= best:
                break
            parity = int(blob[o + 1])
            nruns = int(blob[o + 2])
            o += 3
            covered = False
            for _r in range(nruns):
                nv = int(blob[o])
                pax = blob[o + 1]
                pay = blob[o + 2]
                o += 3
                sa = side_of_path(rx, ry, x, y, dqx, dqy, errbound, pax, pay)
                for _t in range(nv - 1):
                    pbx = blob[o]
                    pby = blob[o + 1]
                    o += 2
                    sb = side_of_path(rx, ry, x, y, dqx, dqy, errbound, pbx, pby)
                    if sa != sb or sa == 0:
                        ev = segment_event_sides(rx, ry, x, y, pax, pay, pbx, pby, sa, sb)
                        if ev == 2:
                            covered = True
                            break
                        parity ^= ev
                    pax = pbx
                    pay = pby
                    sa = sb
                if covered:
                    break
            if covered or parity:
                best = p
                break
        out[k] = -1 if best == NO_POLYGON else best


@njit(cache=True, parallel=True)
def locate_parallel(lon, lat, out, x0, y0, d0, nx, ny, n_poly, root, slots, blob):
    """As :func:`locate_serial`, in chunks on all numba threads."""
    n = lon.shape[0]
    chunk = 16384
    for c in prange((n + chunk - 1) // chunk):
        s = c * chunk
        e = min(s + chunk, n)
        locate_serial(lon[s:e], lat[s:e], out[s:e], x0, y0, d0, nx, ny, n_poly, root, slots, blob)
