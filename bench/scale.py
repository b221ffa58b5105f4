"""Benchmark of the Dask engine: classify many points partition by partition on a LocalCluster.

    python bench/scale.py                                         # 20 M points, 1 M per file
    python bench/scale.py --points 2000000 --per-partition 250000  # quick (a few minutes)
    python bench/scale.py --json                                  # one JSON object

Generates N random points in the eastern-flank box (lon 12..42, lat 40..62) as a partitioned
GeoParquet in the cache folder (kept for the next run), then measures in one run, on the same
files, each job reading the files and writing one GeoParquet file per input file:
- the Dask engine (``geo.partitioned.classified_files``, what ``incidentmap classify --engine
  dask`` runs: country, zone, NATO membership, Article 6, notes, accuracy) on a LocalCluster
  of 1 and of 2 worker processes of one thread each;
- the baseline a user would write: ``dask_geopandas.sjoin(points, countries, "within")`` plus
  NATO membership by country (two answer columns), on the same 2-worker cluster;
- the single process: ``classify_frame`` on each partition in turn (reading excluded).
Each cluster is warmed up first (worker start, border indexes, numba code; for the baseline
one partition joined), and that warm-up is reported apart. Every timed job reports its wall
time and the CPU seconds its workers used (the machine may be shared: points per CPU-second
do not depend on what else runs). Printed: points/s for each, the speedup over the baseline,
the scaling from 1 to 2 workers, the peak memory of each worker and what its indexes take,
the rows on which the Dask engine's answers (1 and 2 workers) differ from the single
process's (must be 0), the load average, and a projection to 64 cores (a projection, from
the measured rates, not a measurement).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import geopandas as gpd
import shapely

DAY = dt.date(2025, 6, 1)
BOX = (12.0, 40.0, 42.0, 62.0)  # west, south, east, north


def make_points(folder: Path, n: int, per_partition: int, seed: int = 2025) -> list[Path]:
    """``n`` random points in :data:`BOX` as GeoParquet files of ``per_partition`` rows."""
    done = folder / "complete"
    if done.exists():
        return sorted(folder.glob("points-*.parquet"), key=lambda p: int(p.stem.split("-")[1]))
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    files = []
    for i, start in enumerate(range(0, n, per_partition)):
        m = min(per_partition, n - start)
        lon = rng.uniform(BOX[0], BOX[2], m)
        lat = rng.uniform(BOX[1], BOX[3], m)
        frame = gpd.GeoDataFrame(
            {"id": np.arange(start, start + m)}, geometry=shapely.points(lon, lat), crs=4326
        )
        path = folder / f"points-{i}.parquet"
        frame.to_parquet(path, index=False)
        files.append(path)
    done.write_text("ok")
    return files


def _rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _warm_worker(day, distance):
    """Run on each worker: build the indexes; report RSS before and after (MB)."""
    from incidentmap.geo.partitioned import classify_partition

    before = _rss_mb()
    lon = np.full(100_000, 28.05)
    pts = gpd.GeoDataFrame(geometry=shapely.points(lon, np.full(100_000, 45.4353)), crs=4326)
    classify_partition(pts, on=day, distance=distance)  # every kernel, on one thread
    return before, _rss_mb()


def _cpu_s() -> float:
    """CPU seconds (user + system, all threads) of this process so far."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _timed_job(client, job) -> dict:
    """Wall seconds of ``client.compute(job)`` and the CPU seconds its workers spent."""
    cpu0 = client.run(_cpu_s)
    load0 = os.getloadavg()[0]
    t0 = time.perf_counter()
    client.compute(job).result()
    seconds = time.perf_counter() - t0
    cpu1 = client.run(_cpu_s)
    return {
        "seconds": seconds,
        "worker_cpu_s": sum(cpu1[w] - cpu0[w] for w in cpu1),
        "load_average": (load0 + os.getloadavg()[0]) / 2,
    }


def _as_text(series) -> np.ndarray:
    return series.astype(object).where(series.notna(), "\x00missing").astype(str).to_numpy()


def disagreements(got, expected, columns) -> int:
    """Rows on which any of ``columns`` differs (missing equals missing; floats exactly)."""
    bad = np.zeros(len(expected), dtype=bool)
    for col in columns:
        a, b = got[col], expected[col]
        if b.dtype.kind == "f":
            x, y = a.to_numpy(dtype=float), b.to_numpy(dtype=float)
            bad |= ~((x == y) | (np.isnan(x) & np.isnan(y)))
        else:
            bad |= _as_text(a) != _as_text(b)
    return int(bad.sum())


def _cluster(workers: int):
    from distributed import LocalCluster

    return LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
    )


def run_engine(files, out: Path, workers: int, distance: bool) -> dict:
    from distributed import Client

    from incidentmap.geo.partitioned import classified_files

    with _cluster(workers) as cluster, Client(cluster) as client:
        t0 = time.perf_counter()
        warm = client.run(_warm_worker, DAY, distance)
        r: dict = {"warmup_s": time.perf_counter() - t0}
        r["index_mb_per_worker"] = max(after - before for before, after in warm.values())
        shutil.rmtree(out, ignore_errors=True)
        job = classified_files(str(files[0].parent), str(out), on=DAY, distance=distance)
        r.update(_timed_job(client, job))
        r["peak_mb_per_worker"] = max(client.run(_peak_mb).values())
    return r


def nato_by_country(part, members):
    """The baseline's NATO answer: the joined country's sovereign is a member."""
    return part.assign(nato_member=part["sovereign"].isin(members))


def sjoin_job(source: str, countries, members, out: str):
    """The baseline: read, ``dask_geopandas.sjoin`` within the countries, NATO by country,
    write one GeoParquet file per input file (as the engine does)."""
    import dask_geopandas

    from incidentmap.geo.partitioned import read_partitioned, write_partitioned

    points = read_partitioned(source)
    joined = dask_geopandas.sjoin(points, countries, predicate="within")
    answered = joined.map_partitions(nato_by_country, members)
    return write_partitioned(answered, out, compute=False)


def run_sjoin(files, out: Path, workers: int) -> dict:
    import pyarrow.parquet as pq
    from distributed import Client

    from incidentmap.geo import borders, nato

    countries = borders.load_countries()[["a3", "sovereign", "geometry"]]
    members = sorted(nato.members(on=DAY))
    with _cluster(workers) as cluster, Client(cluster) as client:
        # warm-up, reported apart: the workers import geopandas and join one partition
        t0 = time.perf_counter()
        one = out.parent / (out.name + "-warm")
        one.mkdir(parents=True, exist_ok=True)
        shutil.copy(files[0], one / files[0].name)
        client.compute(sjoin_job(str(one), countries, members, str(out) + "-warm-out")).result()
        r: dict = {"warmup_s": time.perf_counter() - t0}
        shutil.rmtree(out, ignore_errors=True)
        r.update(_timed_job(client, sjoin_job(str(files[0].parent), countries, members, str(out))))
        r["peak_mb_per_worker"] = max(client.run(_peak_mb).values())
    parts = sorted(out.glob("part.*.parquet"))
    r["rows_out"] = sum(pq.read_metadata(p).num_rows for p in parts)
    return r


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--points", type=int, default=20_000_000)
    ap.add_argument("--per-partition", type=int, default=1_000_000)
    ap.add_argument("--distance", action="store_true", help="also the signed distance")
    ap.add_argument("--folder", help="where the points go (default: the cache folder)")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    args = ap.parse_args(argv)

    from incidentmap.geo.paths import default_cache_dir
    from incidentmap.geo.territory import ANSWER_COLUMNS, classify_frame

    n = args.points
    folder = Path(args.folder or default_cache_dir() / "bench-scale" / f"{n}-{args.per_partition}")
    r: dict = {"points": n, "per_partition": args.per_partition, "distance": args.distance}
    r["load_average_start"] = os.getloadavg()[0]
    t0 = time.perf_counter()
    files = make_points(folder, n, args.per_partition)
    r["partitions"] = len(files)
    r["generate_s"] = time.perf_counter() - t0

    work = Path(tempfile.mkdtemp(prefix="scale-", dir=folder.parent))
    try:
        r["engine_1"] = run_engine(files, work / "one", 1, args.distance)
        r["engine_2"] = run_engine(files, work / "two", 2, args.distance)
        r["sjoin_2"] = run_sjoin(files, work / "sjoin", 2)

        # the single process, partition by partition, and the comparison with both runs
        single_s, single_cpu, bad = 0.0, 0.0, 0
        classify_frame(gpd.read_parquet(files[0]), on=DAY, distance=args.distance)  # warm
        for i, path in enumerate(files):
            frame = gpd.read_parquet(path)
            t, c = time.perf_counter(), _cpu_s()
            expected = classify_frame(frame, on=DAY, distance=args.distance)
            single_s += time.perf_counter() - t
            single_cpu += _cpu_s() - c
            for run in ("one", "two"):
                got = gpd.read_parquet(work / run / f"part.{i}.parquet")
                if len(got) != len(expected) or not np.array_equal(got["id"], expected["id"]):
                    bad += len(expected)  # rows lost or moved count as disagreements
                else:
                    bad += disagreements(got, expected, ANSWER_COLUMNS)
        r["single_process"] = {"seconds": single_s, "cpu_s": single_cpu}
        r["disagreements"] = bad
    finally:
        shutil.rmtree(work, ignore_errors=True)

    r["single_process"]["points_per_s"] = n / single_s
    r["single_process"]["points_per_cpu_s"] = n / single_cpu
    for key in ("engine_1", "engine_2", "sjoin_2"):
        r[key]["points_per_s"] = n / r[key]["seconds"]
        r[key]["points_per_worker_cpu_s"] = n / r[key]["worker_cpu_s"]
    e1, e2, sj = r["engine_1"], r["engine_2"], r["sjoin_2"]
    r["scaling_1_to_2_workers"] = e2["points_per_s"] / e1["points_per_s"]
    # what the second worker costs in CPU: 1.0 when two workers spend what one does
    per_cpu = "points_per_worker_cpu_s"
    r["cpu_efficiency_1_to_2_workers"] = e2[per_cpu] / e1[per_cpu]
    r["engine_2_vs_sjoin_2"] = e2["points_per_s"] / sj["points_per_s"]
    r["engine_2_vs_sjoin_2_per_cpu_s"] = e2[per_cpu] / sj[per_cpu]
    efficiency = min(1.0, r["scaling_1_to_2_workers"] / 2)
    r["projection_64_cores_points_per_s"] = 64 * e1["points_per_s"] * efficiency
    r["projection_64_cores_from_cpu_s_points_per_s"] = (
        64 * e1[per_cpu] * min(1.0, r["cpu_efficiency_1_to_2_workers"])
    )
    r["projection_note"] = (
        "projections, not measurements: 64 x the measured 1-worker rate x the measured 1->2 "
        "scaling efficiency (capped at 1), and 64 x the 1-worker points per CPU-second x the "
        "measured CPU efficiency of 2 workers (what 64 free cores would do); both assume "
        "storage and network keep up"
    )
    r["projection_1e9_points_s"] = 1e9 / r["projection_64_cores_points_per_s"]
    r["load_average_end"] = os.getloadavg()[0]
    r["cpu_count"] = os.cpu_count()
    r["peak_mb_this_process"] = _peak_mb()
    if args.json:
        print(json.dumps(r, default=float))
    else:
        _print(r)
    return 0 if r["disagreements"] == 0 else 1


def _print(r: dict, prefix: str = "") -> None:
    for key, value in r.items():
        if isinstance(value, dict):
            _print(value, prefix + key + ".")
        elif isinstance(value, float):
            print(f"{prefix + key:45s} {value:,.3f}")
        else:
            print(f"{prefix + key:45s} {value}")


if __name__ == "__main__":
    sys.exit(main())
