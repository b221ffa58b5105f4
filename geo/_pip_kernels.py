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
    probes_on_line,
    row_sweep,
)

# ----------------------------------------------------------------------------- quadtree
#
# Layout of the finished index (built by geo._pip_tree; see also PolygonIndex):
#   root[j * nx + i]  code of level-0 cell (i, j)
#   slots[4 * v + q]  code of child q (q = 1 if east half, + 2 if north half) of internal node v
#   a code v >= 0 is internal node v; v < 0 means w = -v - 1 and then either
#     w <= n_poly:    one answer, w - 1, for the whole box (-1: no polygon)
#     w >  n_poly:    a leaf with edges, stored in blob from offset w - n_poly - 1 as
#       rx, ry, base, n_groups, reach, then per group (ascending polygon):
#       poly, inside_at_r, n_runs, then per run: n_vertices, x0, y0, x1, y1, ...
#     "base" is the lowest polygon containing r among those without edges in the leaf and
#     "reach" bounds |x - rx| and |y - ry| over the leaf's vertices (for the error bound).


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
