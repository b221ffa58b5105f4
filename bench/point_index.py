"""Micro-benchmark of geo.point_index.PolygonIndex on the world's maritime 10 m polygons.

Run:  python bench/point_index.py [--points 1000000] [--sjoin-points 100000]

Prints build time, points per second (one thread and all threads) on random points in
lon 12..42, lat 40..62 and on points jittered around border vertices, the same for geopandas
``sjoin(predicate="within")`` measured in this run, and the number of disagreements with
shapely's exact ``contains_xy`` (lowest row wins, like the index).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np

import geopandas as gpd
import pyogrio
import shapely

from incidentmap.geo.point_index import PolygonIndex

BOX = (12.0, 40.0, 42.0, 62.0)


def load_countries(path: Path | None) -> gpd.GeoDataFrame:
    """Raw polygons from ``path`` (repaired as in DATA_NOTES), or the shipped ones."""
    if path is None:
        from incidentmap.geo.borders import load_countries as shipped

        return shipped()
    os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
    frame = pyogrio.read_dataframe(path)
    geoms = np.array(frame.geometry.values, dtype=object)
    invalid = ~shapely.is_valid(geoms)
    geoms[invalid] = shapely.make_valid(geoms[invalid], method="linework")
    return gpd.GeoDataFrame(frame.drop(columns="geometry"), geometry=geoms, crs=frame.crs)


def lowest_containing_row(geoms, lon, lat) -> np.ndarray:
    """Reference answer: shapely.contains_xy per row, the lowest containing row wins."""
    out = np.full(lon.shape, -1, dtype=np.int64)
    for row in range(len(geoms) - 1, -1, -1):
        minx, miny, maxx, maxy = geoms[row].bounds
        sel = np.flatnonzero((lon >= minx) & (lon <= maxx) & (lat >= miny) & (lat <= maxy))
        if sel.size:
            out[sel[shapely.contains_xy(geoms[row], lon[sel], lat[sel])]] = row
    return out


def best_of(fn, repeat=3) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--points", type=int, default=1_000_000)
    parser.add_argument("--sjoin-points", type=int, default=100_000)
    parser.add_argument(
        "--geojson", type=Path, default=None,
        help="raw polygons (e.g. geo-maps countries-maritime-10m); default: the shipped data",
    )
    args = parser.parse_args()

    started = time.perf_counter()
    countries = load_countries(args.geojson)
    geoms = countries.geometry.values
    print(
        f"read + repair {len(countries)} polygons, "
        f"{shapely.get_num_coordinates(geoms).sum():,} vertices: "
        f"{time.perf_counter() - started:.2f} s"
    )

    first = PolygonIndex(geoms)
    index = PolygonIndex(geoms)
    print(
        f"build: {first.build_seconds:.2f} s (first in process), {index.build_seconds:.2f} s "
        f"(again); {index!r}"
    )
    with tempfile.TemporaryDirectory() as tmp:
        path = index.save(Path(tmp) / "index")
        load_s = best_of(lambda: PolygonIndex.load(path), repeat=1)
        print(f"save/load .npz: {path.stat().st_size / 2**20:.1f} MiB, load {load_s:.2f} s")

    rng = np.random.default_rng(0)
    n = args.points
    lon = rng.uniform(BOX[0], BOX[2], n)
    lat = rng.uniform(BOX[1], BOX[3], n)
    xy = shapely.get_coordinates(geoms)
    xy = xy[(xy[:, 0] > BOX[0]) & (xy[:, 0] < BOX[2]) & (xy[:, 1] > BOX[1]) & (xy[:, 1] < BOX[3])]
    pick = xy[rng.integers(0, len(xy), n)]
    step = 10.0 ** rng.uniform(-7, -2, n)
    angle = rng.uniform(0, 2 * np.pi, n)
    near_lon = pick[:, 0] + step * np.cos(angle)
    near_lat = pick[:, 1] + step * np.sin(angle)

    index.locate(lon[:10], lat[:10], parallel=True)
    rates = {}
    for name, (x, y) in {"box": (lon, lat), "near border": (near_lon, near_lat)}.items():
        serial = best_of(lambda x=x, y=y: index.locate(x, y))
        threads = best_of(lambda x=x, y=y: index.locate(x, y, parallel=True))
        rates[name] = n / serial
        print(
            f"PolygonIndex.locate, {name:11s}: {n / serial / 1e6:6.1f} M points/s (1 thread), "
            f"{n / threads / 1e6:6.1f} M points/s (parallel=True)"
        )

    m = min(args.sjoin_points, n)
    points = gpd.GeoDataFrame(geometry=gpd.points_from_xy(lon[:m], lat[:m]), crs=countries.crs)
    sjoin_s = best_of(lambda: gpd.sjoin(points, countries, predicate="within"), repeat=2)
    sjoin_rate = m / sjoin_s
    print(
        f"geopandas sjoin(within) on {m:,} points: {sjoin_rate / 1e6:.3f} M points/s; "
        f"PolygonIndex is {rates['box'] / sjoin_rate:.0f}x faster (1 thread)"
    )

    for name, (x, y) in {"box": (lon, lat), "near border": (near_lon, near_lat)}.items():
        started = time.perf_counter()
        truth = lowest_containing_row(geoms, x, y)
        truth_s = time.perf_counter() - started
        got = index.locate(x, y)
        print(
            f"disagreements with shapely.contains_xy, {name}: "
            f"{np.count_nonzero(got != truth)} of {n:,} "
            f"(reference took {truth_s:.1f} s, {n / truth_s / 1e6:.2f} M points/s)"
        )


if __name__ == "__main__":
    main()
