"""The quadtree of :class:`geo.point_index.PolygonIndex`, built level by level in plain numpy.

A level-0 cell with more than ``max_edges`` edges is split in four, and so on down to
``max_depth``. Each new node gets a reference point off its edges; its set of containing
polygons is the parent's set toggled by the crossings of the path parent reference -> child
reference with the parent's edges (the parent's list holds every edge that touches the child),
decided by the exact predicates of :mod:`geo._pip_exact` (a floating-point filter here, the
exact arithmetic where it is in doubt). A child without edges is one answer; a node that is
not split is a leaf, laid out in ``blob`` as :mod:`geo._pip_kernels` describes.

All nodes of one depth are handled at once, so a build needs no compiled code (compiling the
numba version cost most of the first run); the query kernels read the same layout.
"""

from __future__ import annotations

import numpy as np

from incidentmap.geo._pip_exact import _EPS, NO_POLYGON, segment_event_sides
from incidentmap.geo._pip_grid import _candidate_offset, _expand, on_segment_many, orient_many
from incidentmap.geo._pip_kernels import _LEAF_HEADER

_KEY = np.int64(2**32)  # node * _KEY + polygon: one int64 key per (node, polygon) pair


def encode_answers(a) -> np.ndarray:
    """Codes of boxes with one answer each (``NO_POLYGON`` or < 0 for none)."""
    a = np.asarray(a, dtype=np.int64)
    return np.where((a == NO_POLYGON) | (a < 0), -1, -a - 2).astype(np.int32)


def _set_minima(node, poly, n_nodes) -> np.ndarray:
    out = np.full(n_nodes, NO_POLYGON, np.int64)
    np.minimum.at(out, node, poly)
    return out


def _xor_pairs(node, poly, width):
    """The (node, polygon) pairs listed an odd number of times, sorted."""
    key = np.sort(node.astype(np.int64) * _KEY + poly)
    if not key.size:
        return node[:0].astype(np.int64), poly[:0].astype(np.int64)
    start = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    odd = np.diff(np.append(start, key.size)) % 2 == 1
    key = key[start[odd]]
    node, poly = key // _KEY, key % _KEY
    if node.size and np.bincount(node).max() > width:
        raise ValueError("more polygons overlap at one point than the index supports")
    return node, poly


def _member(keys, sorted_keys) -> np.ndarray:
    """``np.isin(keys, sorted_keys)`` for a sorted ``sorted_keys`` (by binary search)."""
    at = np.minimum(np.searchsorted(sorted_keys, keys), max(sorted_keys.size - 1, 0))
    return sorted_keys[at] == keys if sorted_keys.size else np.zeros(keys.shape, np.bool_)


def _segment_events(rx, ry, qx, qy, ax, ay, bx, by):
    """:func:`geo._pip_exact.segment_event` over arrays: 0 misses, 1 crosses, 2 q on ab."""
    out = np.zeros(rx.shape, np.int8)
    near = (np.maximum(ax, bx) >= np.minimum(rx, qx)) & (np.minimum(ax, bx) <= np.maximum(rx, qx))
    near &= (np.maximum(ay, by) >= np.minimum(ry, qy)) & (np.minimum(ay, by) <= np.maximum(ry, qy))
    k = np.flatnonzero(near)
    if not k.size:
        return out
    rx, ry, qx, qy, ax, ay, bx, by = (v[k] for v in (rx, ry, qx, qy, ax, ay, bx, by))
    sa = orient_many(rx, ry, qx, qy, ax, ay)
    sb = orient_many(rx, ry, qx, qy, bx, by)
    ev = np.zeros(k.size, np.int8)
    odd = (sa == 0) | (sb == 0)
    for t in np.flatnonzero(odd).tolist():  # a vertex on the path: the symbolic rule
        args = (rx[t], ry[t], qx[t], qy[t], ax[t], ay[t], bx[t], by[t], int(sa[t]), int(sb[t]))
        ev[t] = segment_event_sides.interpreted(*(float(v) for v in args[:8]), *args[8:])
    apart = np.flatnonzero(~odd & (sa != sb))
    if apart.size:
        sel = (ax[apart], ay[apart], bx[apart], by[apart])
        sq = orient_many(*sel, qx[apart], qy[apart])
        sr = orient_many(*sel, rx[apart], ry[apart])
        ev[apart] = np.where(sq == 0, 2, np.where(sq != sr, 1, 0))
    out[k] = ev
    return out


def _probes(cx0, cy0, size, pair_node, pair_seg, ax, ay, bx, by):
    """Per node, a point of its box on none of its edges: the first of 127 x 127 candidates
    around the centre, nearest rows first (``pair_node``, sorted, lists each node's edges)."""
    n = cx0.size
    px = np.empty(n)
    py = np.empty(n)
    step = size / 128.0
    xc = cx0 + 0.5 * size
    yc = cy0 + 0.5 * size
    pending = np.arange(n)
    off = np.searchsorted(pair_node, np.arange(n + 1))
    for m in range(127 * 127):
        if not pending.size:
            return px, py
        ky, kx = divmod(m, 127)
        tx = xc[pending] + _candidate_offset.interpreted(kx) * step
        ty = yc[pending] + _candidate_offset.interpreted(ky) * step
        owner, t = _expand(off[pending + 1] - off[pending])
        s = pair_seg[off[pending][owner] + t]
        hit = on_segment_many(tx[owner], ty[owner], ax[s], ay[s], bx[s], by[s])
        blocked = np.zeros(pending.size, np.bool_)
        blocked[owner[hit]] = True
        free = ~blocked
        px[pending[free]], py[pending[free]] = tx[free], ty[free]
        pending = pending[blocked]
    raise ValueError("no reference point off the polygon edges found in a grid cell")


def _write_leaves(leaves, n_poly, spoly, seg_vtx, ax, ay, bx, by):
    """The blob of all leaves and each leaf's offset in it.

    ``leaves`` is ``(rx, ry, pair_leaf, pair_seg, set_leaf, set_poly)`` with the pairs sorted
    by leaf, then segment.
    """
    rx, ry, pair_leaf, pair_seg, set_leaf, set_poly = leaves
    n = rx.size
    s = pair_seg
    p = spoly[s].astype(np.int64)
    leaf_start = np.r_[True, pair_leaf[1:] != pair_leaf[:-1]]
    group_start = leaf_start | np.r_[True, p[1:] != p[:-1]]
    run_start = group_start | np.r_[True, seg_vtx[s[1:]] != seg_vtx[s[:-1]] + 1]
    size = np.where(run_start, 5, 2) + 3 * group_start + _LEAF_HEADER * leaf_start
    at = np.cumsum(size) - size  # where each pair's part of the blob begins
    blob = np.zeros(int(size.sum()), np.float64)
    offset = np.zeros(n, np.int64)
    first = np.flatnonzero(leaf_start)
    offset[pair_leaf[first]] = at[first]

    # header: rx, ry, base, n_groups, reach
    o = offset
    blob[o], blob[o + 1] = rx, ry
    at_r = (rx[pair_leaf], ry[pair_leaf])
    reach = np.maximum.reduce(
        [
            np.abs(ax[s] - at_r[0]),
            np.abs(ay[s] - at_r[1]),
            np.abs(bx[s] - at_r[0]),
            np.abs(by[s] - at_r[1]),
        ]
    )
    blob[o + 4] = np.maximum.reduceat(reach, first) * (1.0 + 8.0 * _EPS)
    blob[o + 3] = np.bincount(pair_leaf[group_start], minlength=n)
    listed = np.unique(pair_leaf[group_start] * _KEY + p[group_start])
    unlisted = ~_member(set_leaf * _KEY + set_poly, listed)
    blob[o + 2] = _set_minima(set_leaf[unlisted], set_poly[unlisted], n)

    # groups: polygon, inside at the reference point, number of runs
    g = np.flatnonzero(group_start)
    go = at[g] + _LEAF_HEADER * leaf_start[g]
    blob[go] = p[g]
    blob[go + 1] = _member(pair_leaf[g] * _KEY + p[g], np.sort(set_leaf * _KEY + set_poly))
    group_of_run = np.cumsum(group_start)[run_start] - 1
    blob[go + 2] = np.bincount(group_of_run, minlength=g.size)

    # runs: number of vertices, then the vertices
    ro = at + _LEAF_HEADER * leaf_start + 3 * group_start
    r = np.flatnonzero(run_start)
    run_of_pair = np.cumsum(run_start) - 1
    blob[ro[r]] = np.bincount(run_of_pair, minlength=r.size) + 1
    blob[ro[r] + 1], blob[ro[r] + 2] = ax[s[r]], ay[s[r]]
    blob[ro[r] + 3], blob[ro[r] + 4] = bx[s[r]], by[s[r]]
    c = np.flatnonzero(~run_start)
    blob[ro[c]], blob[ro[c] + 1] = bx[s[c]], by[s[c]]
    return blob, offset


def build_tree(
    ax, ay, bx, by, spoly, seg_vtx, n_poly, x0, y0, d0, nx, ny, cell_off, cell_seg, cell_first,
    mixed_row, mixed_cnt, mixed_val, mixed_rx, mixed_ry, margin, max_edges, max_depth,
):  # fmt: skip
    """Splits busy level-0 cells into quadtrees and lays out the flat query structure.

    Same arguments and result ``(root, slots, blob)`` as the layout of
    :mod:`geo._pip_kernels` describes.
    """
    width = mixed_val.shape[1]
    root = encode_answers(cell_first)
    cells = np.flatnonzero(mixed_row >= 0)
    rows = mixed_row[cells]
    # the nodes of the current depth: where their code goes (>= 0 a slot, < 0 -1 - cell),
    # box corner, reference point, edges (node, segment) and set (node, polygon)
    loc = -1 - cells.astype(np.int64)
    bx0 = x0 + (cells % nx) * d0
    by0 = y0 + (cells // nx) * d0
    rx, ry = mixed_rx[rows].astype(np.float64), mixed_ry[rows].astype(np.float64)
    pair_node, t = _expand(np.diff(cell_off)[cells])
    pair_seg = cell_seg[cell_off[cells][pair_node] + t].astype(np.int64)
    set_node, t = _expand(mixed_cnt[rows])
    set_poly = mixed_val[rows[set_node], t].astype(np.int64)
    size = float(d0)
    slots_parts, n_slots = [], 0
    leaf_parts, n_leaves = [], 0
    leaf_loc = []
    writes = []  # (where, code) of every node that is not an answer of its parent's slots
    for depth in range(max_depth + 1):
        n = loc.size
        if not n:
            break
        count = np.bincount(pair_node, minlength=n)
        is_leaf = (count <= max_edges) | (depth >= max_depth)
        # leaves: renumbered after those of earlier depths
        leaf_id = np.cumsum(is_leaf) - 1 + n_leaves
        keep = is_leaf[pair_node]
        keep_set = is_leaf[set_node]
        leaf_parts.append((rx[is_leaf], ry[is_leaf], leaf_id[pair_node[keep]], pair_seg[keep],
                           leaf_id[set_node[keep_set]], set_poly[keep_set]))  # fmt: skip
        leaf_loc.append(loc[is_leaf])
        n_leaves += int(is_leaf.sum())
        split = np.flatnonzero(~is_leaf)
        if not split.size:
            break
        # split nodes: four slots each, children q = 1 if east half, + 2 if north half
        base = n_slots + 4 * np.arange(split.size, dtype=np.int64)
        writes.append((loc[split], (base // 4).astype(np.int32)))
        slot_codes = np.full(4 * split.size, -1, np.int32)
        n_slots += 4 * split.size
        slots_parts.append(slot_codes)
        parent_of = np.full(n, -1, np.int64)
        parent_of[split] = np.arange(split.size)
        sp = parent_of[pair_node]
        sel = sp >= 0
        par_pair, par_seg = sp[sel], pair_seg[sel]  # the split nodes' edges, by node
        sel = parent_of[set_node] >= 0
        par_set_node, par_set_poly = parent_of[set_node[sel]], set_poly[sel]
        half = 0.5 * size
        new = ([], [], [], [], [], [], [], [])
        # the split nodes' edges, gathered once for the four children
        e = (ax[par_seg], ay[par_seg], bx[par_seg], by[par_seg])
        ex_lo, ex_hi = np.minimum(e[0], e[2]), np.maximum(e[0], e[2])
        ey_lo, ey_hi = np.minimum(e[1], e[3]), np.maximum(e[1], e[3])
        pair_x0, pair_y0 = bx0[split][par_pair], by0[split][par_pair]
        pair_rx, pair_ry = rx[split][par_pair], ry[split][par_pair]
        touch_x, touch_y = [], []
        for h in range(2):  # west / east half, south / north half
            lo_x = pair_x0 + h * half
            lo_y = pair_y0 + h * half
            touch_x.append((ex_hi >= lo_x - margin) & (ex_lo <= lo_x + half + margin))
            touch_y.append((ey_hi >= lo_y - margin) & (ey_lo <= lo_y + half + margin))
        for q in range(4):
            cx0 = bx0[split] + (q & 1) * half
            cy0 = by0[split] + (q >> 1) * half
            touch = touch_x[q & 1] & touch_y[q >> 1]
            c_node, c_seg = par_pair[touch], par_seg[touch]
            has = np.bincount(c_node, minlength=split.size) > 0
            qx = cx0 + 0.5 * half
            qy = cy0 + 0.5 * half
            if has.any():
                busy = np.flatnonzero(has)
                renum = np.cumsum(has) - 1
                px, py = _probes(cx0[busy], cy0[busy], half, renum[c_node], c_seg, ax, ay, bx, by)
                qx[busy], qy[busy] = px, py
            # the child's set: the parent's, toggled by the crossings of parent ref -> child ref
            k = par_pair
            ev = _segment_events(pair_rx, pair_ry, qx[k], qy[k], *e)
            if (ev == 2).any():
                raise ValueError("child reference point lies on a polygon edge")
            cross = ev == 1
            node_q, poly_q = _xor_pairs(
                np.concatenate([par_set_node, k[cross]]),
                np.concatenate([par_set_poly, spoly[par_seg[cross]].astype(np.int64)]),
                width,
            )
            empty = np.flatnonzero(~has)
            slot_codes[4 * empty + q] = encode_answers(_set_minima(node_q, poly_q, split.size))[
                empty
            ]
            # the children with edges go on to the next depth
            busy = np.flatnonzero(has)
            child_id = np.full(split.size, -1, np.int64)
            child_id[busy] = np.arange(busy.size) + sum(len(v) for v in new[0])
            on = has[node_q]
            new[0].append(base[busy] + q)
            new[1].append(cx0[busy])
            new[2].append(cy0[busy])
            new[3].append(qx[busy])
            new[4].append(qy[busy])
            new[5].append((child_id[c_node], c_seg))
            new[6].append(child_id[node_q[on]])
            new[7].append(poly_q[on])
        loc = np.concatenate(new[0])
        bx0, by0 = np.concatenate(new[1]), np.concatenate(new[2])
        rx, ry = np.concatenate(new[3]), np.concatenate(new[4])
        pn = np.concatenate([v[0] for v in new[5]])
        ps = np.concatenate([v[1] for v in new[5]])
        order = np.lexsort((ps, pn))  # by node, then segment (the order leaves are laid out in)
        pair_node, pair_seg = pn[order], ps[order]
        set_node, set_poly = np.concatenate(new[6]), np.concatenate(new[7])
        size = half
    slots = np.concatenate(slots_parts) if slots_parts else np.zeros(0, np.int32)
    if n_leaves:
        leaves = tuple(np.concatenate([part[i] for part in leaf_parts]) for i in range(6))
        blob, offset = _write_leaves(leaves, n_poly, spoly, seg_vtx, ax, ay, bx, by)
        writes.append((np.concatenate(leaf_loc), (-(n_poly + 1 + offset) - 1).astype(np.int32)))
    else:  # no cell has edges (no polygons, or none with area)
        blob = np.zeros(0, np.float64)
    if n_slots + blob.size + n_poly + 2 >= 2**31 - 1:
        raise ValueError("index too large for 32-bit codes")
    for where, codes in writes:
        at_root = where < 0
        root[-1 - where[at_root]] = codes[at_root]
        slots[where[~at_root]] = codes[~at_root]
    return root, slots, blob
