"""The per-point path asks its indexes cell by cell (geo._answer_kernels.cell_order) and puts
the answers back: the answers must not depend on the order of the points."""

from __future__ import annotations

import datetime as dt

import numpy as np

from incidentmap.geo._answer_kernels import cell_order
from incidentmap.geo.territory import ORDER_FROM, answer_columns, territory

DAY = dt.date(2025, 6, 1)


def test_cell_order_is_a_stable_permutation_grouped_by_cell():
    rng = np.random.default_rng(3)
    lon = rng.uniform(12, 42, 5000)
    lat = rng.uniform(40, 62, 5000)
    lon[7] = np.nan
    perm = cell_order.interpreted(lon, lat, 0.25)
    assert np.array_equal(np.sort(perm), np.arange(5000))
    assert perm[-1] == 7  # no coordinates: last
    cells = np.floor((lat[perm[:-1]] - np.nanmin(lat)) / 0.25) * 1000 + np.floor(
        (lon[perm[:-1]] - np.nanmin(lon)) / 0.25
    )
    assert (np.diff(cells) >= 0).all()
    same_cell = np.diff(cells) == 0
    assert (np.diff(perm[:-1])[same_cell] > 0).all()  # stable within a cell


def test_answers_do_not_depend_on_the_order_of_the_points():
    rng = np.random.default_rng(4)
    n = ORDER_FROM + 5000  # past the threshold: the ordered path
    lon = rng.uniform(12, 42, n)
    lat = rng.uniform(40, 62, n)
    t = territory()
    codes = t.answer_codes(lon, lat, on=DAY, distance=True)
    small = t.answer_codes(lon[:3000], lat[:3000], on=DAY, distance=True)  # unordered path
    for key, value in small.items():
        np.testing.assert_array_equal(codes[key][:3000], value, err_msg=key)
    flip = np.arange(n)[::-1]
    again = answer_columns(lon[flip], lat[flip], on=DAY, distance=True)
    first = answer_columns(lon, lat, on=DAY, distance=True)
    for key, value in first.items():
        got = np.asarray(again[key], dtype=object)[flip]
        want = np.asarray(value, dtype=object)
        assert [str(v) for v in got] == [str(v) for v in want], key
