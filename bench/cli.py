"""Benchmark of single answers from the command line: wall time and peak memory per process.

    python bench/cli.py             # readable report
    python bench/cli.py --json      # one JSON object
    python bench/cli.py --no-cold   # skip the first-run measurement (about 20-40 s)

Measured in one run, each command in a fresh process (median of ``--repeat`` runs):
- the baseline: start Python and import numpy and shapely;
- warm ``incidentmap check LAT LON --json`` (targets: <= 0.5 s, <= 250 MB peak RSS);
- warm ``incidentmap check PLACE --json`` (target <= 0.7 s), for a curated place and a
  GeoNames place;
- ``incidentmap check -`` on 200 lines (answers per second, indexes loaded once);
- the first run after install: ``check LAT LON`` with an empty cache folder (numba's cache
  included), target <= 20 s.
Each figure is also printed as a ratio to the baseline. The warm runs use the cache folder of
``$INCIDENTMAP_CACHE_DIR`` (filled first if needed); the cold run a temporary one.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

POINT = ["45.4353", "28.05"]
PLACES = ["Plauru", "Galați"]


def command() -> list[str]:
    script = Path(sys.executable).with_name("incidentmap")
    return [str(script)] if script.exists() else [sys.executable, "-m", "incidentmap.main"]


def run_once(args: list[str], *, env=None, stdin: str | None = None) -> tuple[float, float, float]:
    """Wall seconds, peak RSS (MB) and CPU seconds (user + system) of one child process."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        args,
        stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    if stdin is not None:
        proc.stdin.write(stdin)
        proc.stdin.close()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    err = proc.stderr.read()
    proc.stderr.close()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed ({proc.returncode}): {err.strip()}")
    return wall, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime


def median_of(args, repeat, **kw) -> tuple[float, float, float]:
    """Median wall seconds, largest peak RSS (MB), median CPU seconds of ``repeat`` runs."""
    runs = [run_once(args, **kw) for _ in range(repeat)]
    return (
        statistics.median(r[0] for r in runs),
        max(r[1] for r in runs),
        statistics.median(r[2] for r in runs),
    )


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--no-cold", action="store_true", help="skip the first-run measurement")
    args = ap.parse_args(argv)
    cli = command()
    r: dict = {"load_average_1min_at_start": os.getloadavg()[0]}

    # fill the warm cache (indexes, numba, GeoNames) before measuring
    for warm in (POINT, PLACES[:1], PLACES[1:]):
        run_once([*cli, "check", *warm, "--json"])

    base = median_of([sys.executable, "-c", "import numpy, shapely"], args.repeat)
    base_s, r["baseline_peak_mb"], base_cpu = base
    r["baseline_python_numpy_shapely_s"], r["baseline_cpu_s"] = base_s, base_cpu

    def record(key, measured):
        s, mb, cpu = measured
        r[f"{key}_s"], r[f"{key}_peak_mb"], r[f"{key}_cpu_s"] = s, mb, cpu
        r[f"{key}_vs_baseline"] = s / base_s
        r[f"{key}_cpu_vs_baseline"] = cpu / base_cpu

    record("check_latlon", median_of([*cli, "check", *POINT, "--json"], args.repeat))
    for place in PLACES:
        key = "check_place_" + place.encode("ascii", "ignore").decode().lower()
        record(key, median_of([*cli, "check", place, "--json"], args.repeat))
    lines = "".join(f"{45 + i * 0.01:.4f} {28 + i * 0.005:.4f}\n" for i in range(200))
    record("check_stdin_200_lines", median_of([*cli, "check", "-"], 1, stdin=lines))
    r["check_stdin_lines_per_s"] = 200 / r["check_stdin_200_lines_s"]

    if not args.no_cold:
        with tempfile.TemporaryDirectory() as cold:
            env = {**os.environ, "INCIDENTMAP_CACHE_DIR": cold}
            env.pop("NUMBA_CACHE_DIR", None)
            record("first_run_empty_cache", run_once([*cli, "check", *POINT, "--json"], env=env))
            r["warm_after_first_run_s"] = run_once([*cli, "check", *POINT], env=env)[0]

    r["cpu_count"] = os.cpu_count()
    r["load_average_1min_at_end"] = os.getloadavg()[0]
    if args.json:
        print(json.dumps({k: (round(v, 4) if isinstance(v, float) else v) for k, v in r.items()}))
    else:
        for key, value in r.items():
            print(f"{key:38s} {value:,.3f}" if isinstance(value, float) else f"{key:38s} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
