"""Numba kernels behind :class:`geo.segment_distance.SegmentDistanceIndex`.

A bounding-volume hierarchy over boundary pieces in earth-centred (ECEF) coordinates: an
implicit complete binary tree (node ``i`` has children ``2i+1`` and ``2i+2``) whose leaves each
own ``LEAF_SIZE`` consecutive pieces, built by median splits along the longest axis.
Each piece is a straight line in (lon, lat) between two vertices; ``dev`` bounds how far it
strays from the 3-D chord between them, and the leaf boxes are grown by it, so a box or a
chord gives a true lower bound of the chord length from a query point to any point of the
piece.  The search is a best-first branch and bound in which the chord bound is turned into
a geodesic bound with ``s >= 2 R asin(c / 2R)`` (proved in :mod:`geo.segment_distance`).
"""

from __future__ import annotations

import math

import numpy as np

from incidentmap.geo._ellipsoid import A_M, E2, R_MAX_M, ecef, radii, wrap_pi
from incidentmap.geo._jit import njit, prange
from incidentmap.geo.geodesic import inverse_core, reduced

#: Pieces per leaf: few enough that scanning a leaf is cheaper than descending further.
LEAF_SIZE = 8
#: IUGG mean Earth radius (m), for the spherical x / tan x curvature correction.
_R_MEAN_M = 6371008.8
#: Depth of the build's explicit stack; the tree is at most ~40 levels deep, so ample.
_STACK = 256
#: Stop Newton when the predicted gain of another step is below this (metres).
_ESTIMATE_GAIN_M = 1e-4
#: Final refinement: stop only at rounding level (metres).
_REFINE_GAIN_M = 1e-12
#: Newton steps for a candidate piece's estimate (the estimate only has to rank pieces).
_ESTIMATE_STEPS = 4
#: Newton steps for the final answer on the best piece (converges in 3-5 in practice).
_REFINE_STEPS = 12
#: Bound of |dM/dlat| / a for the WGS84 meridian radius M (3/2 e^2 = 0.0101, rounded up).
_DM_DLAT_PER_A = 0.011
#: A Newton step that lengthens s by more than rounding (m) overshot; back off halfway.
_OVERSHOOT_M = 1e-9
#: x / tan x (the sphere's correction of the Hessian) is used up to this arc (radians,
#: ~80°); beyond it falls towards 0 and then negative, so it is held at _CURVATURE_FLOOR.
_CURVATURE_ARC_MAX = 1.4
_CURVATURE_FLOOR = 0.2
#: Initial entries of the query heap (grown by doubling when needed).
_HEAP_START = 4096
#: Added to the pruning threshold (m) so that rounding never prunes the best piece.
_PRUNE_SLACK_M = 1e-6
#: Bits per axis of a Morton key (3 x 21 = 63 bits fit in an int64).
_MORTON_BITS = 21
#: Half the span of ECEF coordinates covered by Morton keys (m): above the equatorial radius.
_ECEF_HALF_SPAN_M = 6.4e6


def _radii_many(lat_rad):
    """:func:`geo._ellipsoid.radii` over an array: (M, N) in metres."""
    sin_lat = np.sin(lat_rad)
    w2 = 1.0 - E2 * sin_lat * sin_lat
    n = A_M / np.sqrt(w2)
    return n * (1.0 - E2) / w2, n


def _ecef_many(lon_rad, lat_rad):
    """:func:`geo._ellipsoid.ecef` over arrays: an (n, 3) array in metres."""
    sin_lat = np.sin(lat_rad)
    cos_lat = np.cos(lat_rad)
    n = A_M / np.sqrt(1.0 - E2 * sin_lat * sin_lat)
    return np.stack(
        (n * cos_lat * np.cos(lon_rad), n * cos_lat * np.sin(lon_rad), n * (1.0 - E2) * sin_lat),
        axis=-1,
    )


def _piece_count(lon0, lat0, lon1, lat1, max_piece_m):
    """Number of pieces per segment so that none is longer than ``max_piece_m``.

    The length of a (lon, lat) line is at most ``hypot(|dlon| max N cos(lat), |dlat| max M)``
    over the segment; N cos(lat) is largest nearest the equator, M nearest a pole. Returns
    ``(counts, m_max, n_eq, equator)`` (the radii are reused by :func:`cut_pieces`).
    """
    equator = np.where(lat0 * lat1 <= 0.0, 0.0, np.minimum(np.abs(lat0), np.abs(lat1)))
    m_max, _ = _radii_many(np.maximum(np.abs(lat0), np.abs(lat1)))
    _, n_eq = _radii_many(equator)
    length = np.hypot(np.abs(lon1 - lon0) * n_eq * np.cos(equator), np.abs(lat1 - lat0) * m_max)
    counts = np.maximum(1, np.ceil(length / max_piece_m)).astype(np.int64)
    return counts, m_max, n_eq, equator


def cut_pieces(lon0, lat0, lon1, lat1, max_piece_m):
    """Cut (lon, lat) segments (radians) into pieces no longer than ``max_piece_m``.

    Returns ``lonlat`` (piece ends, radians), ``seg`` (segment of each piece) and ``chords``
    rows ``(x0, y0, z0, x1, y1, z1, dev, 0)``: ECEF ends and ``dev``, a bound on how far the
    piece strays from its chord, ``max |P''| / 8`` with P(t) the ECEF position along the
    piece and ``|P''| <= dlon^2 N cos(lat) + 2 |dlon dlat| M + dlat^2 (M + |dM/dlat|)``.
    Plain numpy (built once per index, not worth compiling).
    """
    lon0, lat0, lon1, lat1 = (
        np.asarray(v, dtype=np.float64).ravel() for v in (lon0, lat0, lon1, lat1)
    )
    counts, m_max, n_eq, equator = _piece_count(lon0, lat0, lon1, lat1, max_piece_m)
    dlon, dlat = (lon1 - lon0) / counts, (lat1 - lat0) / counts
    p2 = (
        dlon * dlon * n_eq * np.cos(equator)
        + 2.0 * np.abs(dlon * dlat) * m_max
        + dlat * dlat * (m_max + _DM_DLAT_PER_A * A_M)
    )
    seg = np.repeat(np.arange(lon0.size, dtype=np.int64), counts)
    i = np.arange(seg.size, dtype=np.int64) - (np.cumsum(counts) - counts)[seg]
    n = counts[seg]
    lonlat = np.empty((seg.size, 4))
    for col, (start, end, step) in enumerate(((lon0, lon1, dlon), (lat0, lat1, dlat))):
        a, b, d = start[seg], end[seg], step[seg]
        lonlat[:, col] = np.where(i > 0, a + i * d, a)
        lonlat[:, col + 2] = np.where(i + 1 < n, a + (i + 1) * d, b)
    chords = np.zeros((seg.size, 8))
    chords[:, 0:3] = _ecef_many(lonlat[:, 0], lonlat[:, 1])
    chords[:, 3:6] = _ecef_many(lonlat[:, 2], lonlat[:, 3])
    chords[:, 6] = p2[seg] / 8.0 + 1e-6
    return lonlat, seg, chords


def build_tree(chords, depth):
    """Order of the pieces in the leaves, and the node boxes ``(lo xyz, hi xyz)``.

    ``chords`` rows are ``(x0, y0, z0, x1, y1, z1, dev, 0)`` in metres. Level by level, each
    node's pieces are sorted along the longest axis of their centres' box and split at the
    node's middle leaf (plain numpy: one sort per level).
    """
    n = chords.shape[0]
    cent = 0.5 * (chords[:, 0:3] + chords[:, 3:6])
    perm = np.arange(n)
    n_leaves = 1 << depth
    position = np.arange(n)
    for level in range(depth):
        span = (n_leaves >> level) * LEAF_SIZE  # pieces per node at this level
        node = position // span
        n_nodes = -(-n // span)
        start = np.arange(n_nodes) * span
        end = np.minimum(start + span, n)
        split = np.minimum(start + span // 2, n)
        active = (end - start > LEAF_SIZE) & (split < end)
        c = cent[perm]
        lo = np.minimum.reduceat(c, start, axis=0)
        hi = np.maximum.reduceat(c, start, axis=0)
        axis = np.argmax(hi - lo, axis=1)
        key = np.where(active[node], c[position, axis[node]], position.astype(np.float64))
        perm = perm[np.lexsort((key, node))]
    boxes = np.empty((2 * n_leaves - 1, 6))
    boxes[:, :3] = np.inf
    boxes[:, 3:] = -np.inf
    first_leaf = n_leaves - 1
    if n:
        dev = chords[perm, 6:7]
        lo = np.minimum(chords[perm, 0:3] - dev, chords[perm, 3:6] - dev)
        hi = np.maximum(chords[perm, 0:3] + dev, chords[perm, 3:6] + dev)
        leaf_start = np.arange(0, n, LEAF_SIZE)
        leaves = first_leaf + np.arange(leaf_start.size)
        boxes[leaves, :3] = np.minimum.reduceat(lo, leaf_start, axis=0)
        boxes[leaves, 3:] = np.maximum.reduceat(hi, leaf_start, axis=0)
    for level in range(depth - 1, -1, -1):
        nodes = np.arange((1 << level) - 1, (1 << (level + 1)) - 1)
        left, right = boxes[2 * nodes + 1], boxes[2 * nodes + 2]
        boxes[nodes, :3] = np.minimum(left[:, :3], right[:, :3])
        boxes[nodes, 3:] = np.maximum(left[:, 3:], right[:, 3:])
    return perm, boxes


@njit(cache=True)
def _box_dist2(boxes, node, qx, qy, qz):
    """Squared distance from q to the box of ``node`` (0 inside, inf for an empty box)."""
    ex = max(boxes[node, 0] - qx, qx - boxes[node, 3], 0.0)
    ey = max(boxes[node, 1] - qy, qy - boxes[node, 4], 0.0)
    ez = max(boxes[node, 2] - qz, qz - boxes[node, 5], 0.0)
    return ex * ex + ey * ey + ez * ez


@njit(cache=True)
def _chord_foot(qx, qy, qz, chords, p):
    """Parameter of the point of piece ``p``'s chord nearest to q, and the distance to it."""
    ax, ay, az = chords[p, 0], chords[p, 1], chords[p, 2]
    ex, ey, ez = chords[p, 3] - ax, chords[p, 4] - ay, chords[p, 5] - az
    wx, wy, wz = qx - ax, qy - ay, qz - az
    len2 = ex * ex + ey * ey + ez * ez
    u = 0.0
    if len2 > 0.0:
        u = min(max((wx * ex + wy * ey + wz * ez) / len2, 0.0), 1.0)
    cx, cy, cz = wx - u * ex, wy - u * ey, wz - u * ez
    return u, math.sqrt(cx * cx + cy * cy + cz * cz)


@njit(cache=True)
def _newton(q, lonlat, p, u, gain_m, max_steps, predict):
    """Minimise the geodesic distance from q over piece ``p``, starting at parameter ``u``.

    ``q`` is ``(lon, lat, sin, cos and angle of the reduced latitude)`` of the query point.
    Each step solves the inverse problem at ``P(u)``, with unit direction t of the arriving
    geodesic there, and is a Newton step on ``s^2 / 2``: ``ds/du = v.t`` (v = dP/du) and
    ``d2s/du2 = |v x t|^2 / s`` (times the sphere's ``x / tan x`` correction) ``+ a.t``, with a
    the covariant acceleration of the (lon, lat) line (it matters near a pole).
    Stops when the model predicts a gain below ``gain_m`` (or after ``max_steps``) and returns
    ``(s, u)``: with ``predict`` the minimum the model predicts and where (to rank pieces),
    otherwise the exact distance at ``u`` (the answer).  A step that makes things worse is
    halved instead.
    """
    lon0, lat0 = lonlat[p, 0], lonlat[p, 1]
    dlon, dlat = lonlat[p, 2] - lon0, lonlat[p, 3] - lat0
    best_s, best_u = np.inf, u
    for step_no in range(max_steps + 1):
        lat = lat0 + u * dlat
        su2, cu2, u2 = reduced(lat)
        s, _, _, ye, xn = inverse_core(
            q[1], q[2], q[3], q[4], lat, su2, cu2, u2, wrap_pi(lon0 + u * dlon - q[0])
        )
        norm = math.hypot(ye, xn)
        if s == 0.0 or norm == 0.0:
            return s, u
        if s > best_s + _OVERSHOOT_M:  # the model overshot (far points): back off halfway
            u = 0.5 * (u + best_u)
            continue
        best_s, best_u = s, u
        if step_no == max_steps:
            break
        m, n = radii(lat)
        sin_lat, cos_lat = math.sin(lat), math.cos(lat)
        ve = n * cos_lat * dlon
        vn = m * dlat
        g = (ve * ye + vn * xn) / norm  # ds/du
        ae = -2.0 * m * sin_lat * dlon * dlat
        dm = 3.0 * m * E2 * sin_lat * cos_lat / (1.0 - E2 * sin_lat * sin_lat)
        an = n * cos_lat * sin_lat * dlon * dlon + dm * dlat * dlat
        x = s / _R_MEAN_M
        curv = x / math.tan(x) if x < _CURVATURE_ARC_MAX else _CURVATURE_FLOOR
        # Newton on s^2 / 2, which stays smooth where s has a kink (q on the piece)
        h2 = g * g + max(ve * ve + vn * vn - g * g, 0.0) * curv + s * (ae * ye + an * xn) / norm
        if h2 > 0.0:
            step = -s * g / h2
        else:
            step = -1.0 if g > 0.0 else 1.0
        u_next = min(max(u + step, 0.0), 1.0)
        du = u_next - u
        change = du * (2.0 * s * g + h2 * du)  # predicted s_next^2 - s^2
        gain = -change / (s + math.sqrt(max(s * s + change, 0.0)))
        if gain <= gain_m:
            if predict and gain > 0.0:
                return s - gain, u_next
            return s, u
        u = u_next
    return best_s, best_u


@njit(cache=True)
def _heap_push(keys, items, size, key, item):
    """Push onto a binary min-heap of ``size`` entries held in (keys, items), not full."""
    i = size
    while i > 0:
        parent = (i - 1) >> 1
        if keys[parent] <= key:
            break
        keys[i], items[i] = keys[parent], items[parent]
        i = parent
    keys[i], items[i] = key, item


@njit(cache=True)
def _heap_pop(keys, items, size):
    """Remove the smallest entry of a heap of ``size`` entries; returns it."""
    key, item = keys[0], items[0]
    last_key, last_item = keys[size - 1], items[size - 1]
    size -= 1
    i = 0
    while True:
        child = 2 * i + 1
        if child >= size:
            break
        if child + 1 < size and keys[child + 1] < keys[child]:
            child += 1
        if keys[child] >= last_key:
            break
        keys[i], items[i] = keys[child], items[child]
        i = child
    if size > 0:
        keys[i], items[i] = last_key, last_item
    return key, item


@njit(cache=True)
def query_tree(qlon, qlat, lonlat, chords, boxes, depth, out_s, out_u, out_p):
    """Nearest piece, parameter on it and geodesic distance for every query point (radians).

    Best-first branch and bound: one heap holds tree nodes keyed by their squared box
    distance and pieces (as ``-1 - p``) keyed by their squared chord lower bound.
    """
    first_leaf = (1 << depth) - 1
    n_pieces = chords.shape[0]
    keys = np.empty(_HEAP_START)
    items = np.empty(_HEAP_START, dtype=np.int64)
    two_r = 2.0 * R_MAX_M
    for i in range(qlon.size):
        qx, qy, qz = ecef(qlon[i], qlat[i])
        su1, cu1, u1 = reduced(qlat[i])
        q = (qlon[i], qlat[i], su1, cu1, u1)
        best, best_u, best_p = np.inf, 0.0, -1
        thr2 = np.inf
        keys[0], items[0] = 0.0, 0
        size = 1
        while size > 0:
            if size + LEAF_SIZE > keys.size:  # room for the pushes of this round
                keys = np.concatenate((keys, np.empty(keys.size)))
                items = np.concatenate((items, np.empty(items.size, dtype=np.int64)))
            d2, item = _heap_pop(keys, items, size)
            size -= 1
            if d2 >= thr2:
                break
            if item < 0:
                p = -1 - item
                u, _ = _chord_foot(qx, qy, qz, chords, p)
                s, u = _newton(q, lonlat, p, u, _ESTIMATE_GAIN_M, _ESTIMATE_STEPS, True)
                if s < best:
                    best, best_u, best_p = s, u, p
                    half = best / two_r
                    thr = two_r * math.sin(half) if half < 0.5 * math.pi else two_r
                    thr2 = (thr + _PRUNE_SLACK_M) ** 2
            elif item >= first_leaf:
                start = (item - first_leaf) * LEAF_SIZE
                for p in range(start, min(start + LEAF_SIZE, n_pieces)):
                    _, c = _chord_foot(qx, qy, qz, chords, p)
                    lower = max(c - chords[p, 6], 0.0)
                    if lower * lower < thr2:
                        _heap_push(keys, items, size, lower * lower, -1 - p)
                        size += 1
            else:
                for child in (2 * item + 1, 2 * item + 2):
                    cd2 = _box_dist2(boxes, child, qx, qy, qz)
                    if cd2 < thr2:
                        _heap_push(keys, items, size, cd2, child)
                        size += 1
        out_s[i], out_u[i] = _newton(
            q, lonlat, best_p, best_u, _REFINE_GAIN_M, _REFINE_STEPS, False
        )
        out_p[i] = best_p


@njit(cache=True, parallel=True)
def query_tree_parallel(qlon, qlat, lonlat, chords, boxes, depth, out_s, out_u, out_p, n_chunks):
    """:func:`query_tree` on ``n_chunks`` consecutive runs of the points at once (threads).

    Each run is answered by :func:`query_tree` with its own heap, so every point gets exactly
    the answer of the serial search; the points should be in Morton order, which keeps each
    run's points close together.
    """
    n = qlon.size
    for c in prange(n_chunks):
        a = (c * n) // n_chunks
        b = ((c + 1) * n) // n_chunks
        query_tree(
            qlon[a:b], qlat[a:b], lonlat, chords, boxes, depth, out_s[a:b], out_u[a:b], out_p[a:b]
        )


@njit(cache=True)
def _spread_bits(v):
    """Put the 21 low bits of ``v`` at every third bit position."""
    v &= 0x1FFFFF
    v = (v | (v << 32)) & 0x1F00000000FFFF
    v = (v | (v << 16)) & 0x1F0000FF0000FF
    v = (v | (v << 8)) & 0x100F00F00F00F00F
    v = (v | (v << 4)) & 0x10C30C30C30C30C3
    v = (v | (v << 2)) & 0x1249249249249249
    return v


@njit(cache=True)
def morton_keys(qlon, qlat):
    """Z-order keys of points (radians) in ECEF, to query them in an order kind to caches."""
    keys = np.empty(qlon.size, dtype=np.int64)
    scale = float((1 << _MORTON_BITS) - 1) / (2.0 * _ECEF_HALF_SPAN_M)
    for i in range(qlon.size):
        x, y, z = ecef(qlon[i], qlat[i])
        ix = np.int64((x + _ECEF_HALF_SPAN_M) * scale)
        iy = np.int64((y + _ECEF_HALF_SPAN_M) * scale)
        iz = np.int64((z + _ECEF_HALF_SPAN_M) * scale)
        keys[i] = _spread_bits(ix) | (_spread_bits(iy) << 1) | (_spread_bits(iz) << 2)
    return keys
