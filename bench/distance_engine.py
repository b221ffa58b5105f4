"""Micro-benchmark of geo.segment_distance on real border data.

Builds a SegmentDistanceIndex on every segment of the country boundaries of geo-maps'
countries-maritime-10m (land + 12 nm territorial sea), then

* times ``nearest`` on random points within ``--max-distance-km`` of the boundary (a random
  boundary vertex moved by a random azimuth and a distance uniform in [0, max]),
* compares a sample of them with an independent brute force (pyproj over the candidate
  segments densified at 100 m, 2 m, then 1 cm: tests/test_segment_distance.py).

Run from the repository root::

    python bench/distance_engine.py                      # all countries
    python bench/distance_engine.py --countries ROU,MDA,UKR --sample 500
    python bench/distance_engine.py --bbox 0,30,60,72      # countries touching a lon/lat box

``--geojson`` defaults to the unpacked npm package in the work cache; without it the shipped
``geo/data/countries.parquet`` (built from the same file) is used.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import time
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo.geodesic import geodesic_destination
from incidentmap.geo.segment_distance import SegmentDistanceIndex

ROOT = Path(__file__).resolve().parents[1]


def load_polygons(geojson: Path | None, countries: list[str] | None, bbox: list[float] | None):
    """(codes, geometries) from a raw GeoJSON if given (``--geojson``), else the shipped parquet."""
    if geojson is not None:
        import pyogrio

        os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
        df = pyogrio.read_dataframe(geojson)
        codes, geoms, source = df["A3"].to_numpy(), df.geometry.to_numpy(), str(geojson)
    else:
        from incidentmap.geo.borders import load_countries

        df = load_countries()
        codes, geoms, source = df["a3"].to_numpy(), df.geometry.to_numpy(), "countries.parquet"
    if countries:
        keep = np.isin(codes, countries)
        codes, geoms = codes[keep], geoms[keep]
    if bbox:
        keep = shapely.intersects(geoms, shapely.box(*bbox))
        codes, geoms = codes[keep], geoms[keep]
    print(f"data: {source}, {len(codes)} countries")
    return codes, geoms


def segments_of(geoms):
    parts = shapely.get_parts(shapely.get_parts(shapely.boundary(geoms)))
    coords, line = shapely.get_coordinates(parts, return_index=True)
    same = line[1:] == line[:-1]
    return tuple(
        np.ascontiguousarray(v)
        for v in (
            coords[:-1, 0][same],
            coords[:-1, 1][same],
            coords[1:, 0][same],
            coords[1:, 1][same],
        )
    )


def brute_force_class():
    path = ROOT / "tests" / "test_segment_distance.py"
    spec = importlib.util.spec_from_file_location("_segment_distance_tests", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.BruteForce


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--geojson", type=Path, default=None,
        help="raw polygons (e.g. geo-maps countries-maritime-10m); default: the shipped data",
    )
    parser.add_argument("--countries", help="comma-separated A3 codes (default: all)")
    parser.add_argument("--bbox", help="west,south,east,north: only countries touching it")
    parser.add_argument("--points", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=2000, help="points checked by brute force")
    parser.add_argument("--max-distance-km", type=float, default=300.0)
    parser.add_argument("--max-piece-m", type=float, default=500.0)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    SegmentDistanceIndex([0.0], [0.0], [1.0], [1.0]).nearest(0.5, 0.5)  # compile / load cache
    _, geoms = load_polygons(
        args.geojson,
        args.countries.split(",") if args.countries else None,
        [float(v) for v in args.bbox.split(",")] if args.bbox else None,
    )
    segments = segments_of(geoms)

    wall, cpu = time.perf_counter(), time.process_time()
    index = SegmentDistanceIndex(*segments, max_piece_m=args.max_piece_m)
    print(
        f"build: {index.n_segments:,} segments -> {index.n_pieces:,} pieces in "
        f"{time.perf_counter() - wall:.2f} s wall, {time.process_time() - cpu:.2f} s CPU; "
        f"index {index.nbytes / 1e6:.0f} MB"
    )

    rng = np.random.default_rng(args.seed)
    vertex = rng.integers(0, segments[0].size, args.points)
    lon, lat = geodesic_destination(
        segments[0][vertex],
        segments[1][vertex],
        rng.uniform(-180.0, 180.0, args.points),
        rng.uniform(0.0, args.max_distance_km * 1e3, args.points),
    )
    best_wall = best_cpu = np.inf
    for _ in range(3):
        wall, cpu = time.perf_counter(), time.process_time()
        hit = index.nearest(lon, lat)
        best_wall = min(best_wall, time.perf_counter() - wall)
        best_cpu = min(best_cpu, time.process_time() - cpu)
    print(
        f"query: {args.points:,} points within {args.max_distance_km:g} km "
        f"(median {np.median(hit.distance_m) / 1e3:.1f} km): "
        f"{args.points / best_wall:,.0f} points/s wall, {args.points / best_cpu:,.0f} points/s CPU "
        "(best of 3, 1 thread)"
    )

    if args.sample:
        wall = time.perf_counter()
        brute = brute_force_class()(*segments)
        k = rng.choice(args.points, size=min(args.sample, args.points), replace=False)
        ref = brute.distances_m(lon[k], lat[k], hit.distance_m[k])
        err = hit.distance_m[k] - ref
        print(
            f"accuracy on {k.size:,} points vs brute force (1 cm sampling, pyproj): "
            f"max |error| {np.abs(err).max() * 1e3:.4f} mm, engine - reference in "
            f"[{err.min() * 1e3:.4f}, {err.max() * 1e3:.4f}] mm "
            f"({time.perf_counter() - wall:.0f} s)"
        )


if __name__ == "__main__":
    main()
