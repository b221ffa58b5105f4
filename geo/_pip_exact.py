"""Exact geometric predicates for :mod:`geo._pip_kernels` (point-in-polygon).

Every orientation test goes through :func:`orient`, a floating-point filter with Shewchuk's
error bound that falls back to exact expansion arithmetic when the sign is in doubt. Nothing
here may be compiled with ``fastmath`` (it would break the error-free transforms).
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._jit import njit

NO_POLYGON = np.int32(2**31 - 1)  # "no polygon" while taking minima; -1 in public answers

_EPS = 2.0**-53
_CCW_ERRBOUND_A = (3.0 + 16.0 * _EPS) * _EPS
_SPLITTER = 134217729.0  # 2**27 + 1

# ----------------------------------------------------------------------------- exact orientation


@njit(cache=True)
def _two_sum(a, b):
    x = a + b
    bv = x - a
    av = x - bv
    return x, (a - av) + (b - bv)


@njit(cache=True)
def _two_diff(a, b):
    x = a - b
    bv = a - x
    av = x + bv
    return x, (a - av) + (bv - b)


@njit(cache=True)
def _split(a):
    c = _SPLITTER * a
    big = c - a
    hi = c - big
    return hi, a - hi


@njit(cache=True)
def _two_product(a, b):
    x = a * b
    ahi, alo = _split(a)
    bhi, blo = _split(b)
    err1 = x - ahi * bhi
    err2 = err1 - alo * bhi
    err3 = err2 - ahi * blo
    return x, alo * blo - err3


@njit(cache=True)
def _orient_exact(ax, ay, bx, by, cx, cy):
    """Exact sign of ``(a - c) x (b - c)`` from error-free transforms (Shewchuk's expansions)."""
    acx1, acx0 = _two_diff(ax, cx)
    bcy1, bcy0 = _two_diff(by, cy)
    acy1, acy0 = _two_diff(ay, cy)
    bcx1, bcx0 = _two_diff(bx, cx)
    terms = np.empty(16)
    terms[0], terms[1] = _two_product(acx1, bcy1)
    terms[2], terms[3] = _two_product(acx1, bcy0)
    terms[4], terms[5] = _two_product(acx0, bcy1)
    terms[6], terms[7] = _two_product(acx0, bcy0)
    terms[8], terms[9] = _two_product(-acy1, bcx1)
    terms[10], terms[11] = _two_product(-acy1, bcx0)
    terms[12], terms[13] = _two_product(-acy0, bcx1)
    terms[14], terms[15] = _two_product(-acy0, bcx0)
    # Grow a non-overlapping expansion term by term; its largest non-zero component
    # (the last non-zero one) carries the sign of the exact sum.
    h = np.empty(16)
    n = 0
    for t in range(16):
        q = terms[t]
        if q == 0.0:
            continue
        for i in range(n):
            q, h[i] = _two_sum(q, h[i])
        h[n] = q
        n += 1
    for i in range(n - 1, -1, -1):
        if h[i] > 0.0:
            return 1
        if h[i] < 0.0:
            return -1
    return 0


@njit(cache=True)
def orient(ax, ay, bx, by, cx, cy):
    """Exact orientation of ``a, b, c``: +1 counter-clockwise, -1 clockwise, 0 collinear."""
    detleft = (ax - cx) * (by - cy)
    detright = (ay - cy) * (bx - cx)
    det = detleft - detright
    errbound = _CCW_ERRBOUND_A * (abs(detleft) + abs(detright))
    if det > errbound:
        return 1
    if -det > errbound:
        return -1
    return _orient_exact(ax, ay, bx, by, cx, cy)


@njit(cache=True)
def on_segment(px, py, ax, ay, bx, by):
    """True when ``p`` lies on the closed segment ``ab`` (exact)."""
    if px < min(ax, bx) or px > max(ax, bx) or py < min(ay, by) or py > max(ay, by):
        return False
    return orient(ax, ay, bx, by, px, py) == 0


@njit(cache=True)
def segment_event(rx, ry, qx, qy, ax, ay, bx, by):
    """How the path ``r -> q`` meets edge ``ab``: 0 misses, 1 crosses, 2 ``q`` lies on ``ab``.

    ``r`` must not lie on ``ab``. Vertices exactly on the line ``rq`` count as lying on its
    left (a symbolic perturbation of the path), so the crossings of all edges of a polygon
    add up to the change of membership between ``r`` and ``q``.
    """
    if max(ax, bx) < min(rx, qx) or min(ax, bx) > max(rx, qx):
        return 0
    if max(ay, by) < min(ry, qy) or min(ay, by) > max(ry, qy):
        return 0
    sa = orient(rx, ry, qx, qy, ax, ay)
    sb = orient(rx, ry, qx, qy, bx, by)
    return segment_event_sides(rx, ry, qx, qy, ax, ay, bx, by, sa, sb)


@njit(cache=True)
def segment_event_sides(rx, ry, qx, qy, ax, ay, bx, by, sa, sb):
    """:func:`segment_event` given the exact sides ``sa``, ``sb`` of ``a``, ``b`` to line ``rq``."""
    if sa == 0 or sb == 0:
        if on_segment(qx, qy, ax, ay, bx, by):
            return 2
        if (sa >= 0) == (sb >= 0):
            return 0
        # One vertex on the line rq, the other strictly off it: neither r nor q is on line ab.
        sq = orient(ax, ay, bx, by, qx, qy)
        sr = orient(ax, ay, bx, by, rx, ry)
        return 1 if sq * sr < 0 else 0
    if sa == sb:
        return 0
    sq = orient(ax, ay, bx, by, qx, qy)
    if sq == 0:
        return 2  # a and b strictly on both sides of line rq and q on line ab: q is on ab
    sr = orient(ax, ay, bx, by, rx, ry)
    return 1 if sq != sr else 0
