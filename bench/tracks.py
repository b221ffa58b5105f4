"""Benchmark of the exact territory crossings of flight tracks (geo.track_crossings).

    python bench/tracks.py

Measured in one run, on the shipped borders and seed tracks, plus random tracks of 5 legs
across the Romania / Moldova / Ukraine borders (seeded, so the same every run):
- exact crossings (geodesics densified to 1 cm, shapely intersection): track-km/s;
- the baseline in the same process: locating a point every 50 m along the same geodesics
  (what the old sampling did before its bisection, so a lower bound of its cost);
- slivers: stretches of territory shorter than 50 m found by the exact method, which 50 m
  sampling cannot see by construction.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from incidentmap.geo.airspace import DEFAULT_TOLERANCE_M
from incidentmap.geo.geodesic import geodesic_destination, geodesic_inverse
from incidentmap.geo.territory import territory
from incidentmap.geo.track_crossings import territory_runs
from incidentmap.geo.track_files import load_seed_tracks

REPO = Path(__file__).resolve().parents[1]


def _legs(lon, lat):
    inv = geodesic_inverse(lon[:-1], lat[:-1], lon[1:], lat[1:])
    return np.atleast_1d(inv.distance_m), np.atleast_1d(inv.azimuth1_deg)


def sampled_rows(lon, lat, step_m=50.0):
    """The baseline: the territory of a point every ``step_m`` along each leg."""
    length, azimuth = _legs(lon, lat)
    rows = []
    for i in range(length.size):
        offsets = np.arange(0.0, length[i], step_m)
        x, y = geodesic_destination(np.full(offsets.size, lon[i]), np.full(offsets.size, lat[i]),
                                    np.full(offsets.size, azimuth[i]), offsets)
        rows.append(territory().locate(np.atleast_1d(x), np.atleast_1d(y)))
    return np.concatenate(rows)


def main() -> int:
    rng = np.random.default_rng(11)
    tracks = [(t.lon, t.lat) for t in load_seed_tracks(REPO / "seeds" / "tracks")]
    for _ in range(40):
        tracks.append((rng.uniform(27.0, 30.0, 6), rng.uniform(45.0, 48.5, 6)))
    km = sum(_legs(x, y)[0].sum() for x, y in tracks) / 1000
    # load the data and build both point-in-polygon paths (small batches and the grid index)
    # outside the timing
    territory().locate(np.full(5000, 28.0), np.full(5000, 45.0))
    territory_runs(*tracks[0], _legs(*tracks[0])[0], DEFAULT_TOLERANCE_M)
    sampled_rows(*tracks[0])

    t0 = time.perf_counter()
    runs = [territory_runs(x, y, _legs(x, y)[0], DEFAULT_TOLERANCE_M) for x, y in tracks]
    exact_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for x, y in tracks:
        sampled_rows(x, y)
    sampled_s = time.perf_counter() - t0

    crossings = sum(c.size for c, _ in runs)
    slivers = sum(int((np.diff(c) < 50.0).sum()) for c, _ in runs)
    print(f"{len(tracks)} tracks, {km:.0f} km, {crossings} crossings "
          f"({slivers} stretches of territory shorter than 50 m)")
    print(f"exact crossings (tolerance {DEFAULT_TOLERANCE_M} m): {km / exact_s:,.0f} track-km/s")
    print(f"baseline, a point located every 50 m: {km / sampled_s:,.0f} track-km/s")
    print(f"ratio exact / baseline time: {exact_s / sampled_s:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
