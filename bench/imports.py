"""Import throughput of a large ACLED export, against reading the same CSV, in the same process.

Run:  python bench/imports.py [--rows 200000] [--within-km N] [--map]

Writes a synthetic ACLED-format file (the 31 columns; ``--rows`` events between 2022 and 2025:
most in Ukraine, some in Poland, Romania and Moldova, at random positions in a box around the
border), then times ``incidentmap import`` of it (through the CLI, so the progress bar on stderr
is the real one) and, as the baseline, ``csv.DictReader`` over the same file. Prints rows per
second, wall and CPU seconds, the load average (the machine is shared: compare the CPU
figures and the ratio to the baseline, measured in the same run). ``--map`` also builds the
default map of the imported folder (``build --seeds DIR``) and prints its size and build time.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from incidentmap.geo.export import ACLED_COLUMNS

_TYPES = [
    ("Explosions/Remote violence", "Air/drone strike", "Political violence"),
    ("Explosions/Remote violence", "Shelling/artillery/missile attack", "Political violence"),
    ("Strategic developments", "Disrupted weapons use", "Strategic developments"),
    ("Strategic developments", "Other", "Strategic developments"),
]
_COUNTRIES = [
    ("Ukraine", "804", 0.85, (22.5, 40.0, 44.5, 52.2)),
    ("Poland", "616", 0.06, (19.0, 24.1, 49.2, 54.3)),
    ("Romania", "642", 0.06, (22.0, 29.6, 44.0, 48.2)),
    ("Moldova", "498", 0.03, (26.7, 30.0, 45.5, 48.4)),
]


def write_acled(path: Path, n: int, seed: int = 14) -> None:
    """``n`` synthetic ACLED rows (positions uniform in each country's box, so a few land
    outside it; the importer reports those as country mismatches, not rejections)."""
    rng = np.random.default_rng(seed)
    which = rng.choice(len(_COUNTRIES), size=n, p=[c[2] for c in _COUNTRIES])
    types = rng.integers(0, len(_TYPES), size=n)
    start = dt.date(2022, 2, 24).toordinal()
    days = rng.integers(start, dt.date(2025, 10, 31).toordinal(), size=n)
    u = rng.random((n, 2))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(ACLED_COLUMNS)
        for i in range(n):
            name, iso, _, (w0, e0, s0, n0) = _COUNTRIES[which[i]]
            et, sub, disorder = _TYPES[types[i]]
            day = dt.date.fromordinal(int(days[i]))
            row = dict.fromkeys(ACLED_COLUMNS, "")
            row.update(
                event_id_cnty=f"{iso_code(name)}{i + 1}",
                event_date=day.isoformat(),
                year=day.year,
                time_precision=1 + i % 3,
                disorder_type=disorder,
                event_type=et,
                sub_event_type=sub,
                actor1="Military Forces of Russia (2000-)",
                iso=iso,
                region="Europe",
                country=name,
                admin1="Region",
                location=f"Place {i}",
                latitude=f"{s0 + u[i, 0] * (n0 - s0):.5f}",
                longitude=f"{w0 + u[i, 1] * (e0 - w0):.5f}",
                geo_precision=1 + i % 3,
                source="Synthetic; Bench",
                notes=f"Synthetic event {i} for the benchmark.",
                fatalities=i % 4,
                timestamp=0,
            )
            w.writerow(row.values())


def _child_cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def iso_code(name: str) -> str:
    return {"Ukraine": "UKR", "Poland": "POL", "Romania": "ROU", "Moldova": "MDA"}[name]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=200_000)
    ap.add_argument("--within-km", type=float, default=None)
    ap.add_argument("--map", action="store_true", help="also build the default map")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "acled.csv"
        t = time.perf_counter()
        write_acled(src, args.rows)
        print(
            f"wrote {args.rows} rows ({src.stat().st_size / 1e6:.1f} MB) in "
            f"{time.perf_counter() - t:.1f} s",
            file=sys.stderr,
        )
        t, c = time.perf_counter(), time.process_time()
        with open(src, encoding="utf-8", newline="") as handle:
            n_read = sum(1 for _ in csv.DictReader(handle))
        base, base_cpu = time.perf_counter() - t, time.process_time() - c
        out = Path(tmp) / "seeds"
        cmd = [
            sys.executable,
            "-m",
            "incidentmap.main",
            "import",
            str(src),
            "--format",
            "acled-csv",
            "-o",
            str(out),
        ]
        if args.within_km is not None:
            cmd += ["--within-km", str(args.within_km)]
        load0 = os.getloadavg()[0]
        t, cpu0 = time.perf_counter(), _child_cpu()
        proc = subprocess.run(cmd, check=False)
        took, cpu = time.perf_counter() - t, _child_cpu() - cpu0
        print(
            f"import: {args.rows} rows in {took:.1f} s wall, {cpu:.1f} s CPU "
            f"({args.rows / took:,.0f} rows/s wall, {args.rows / cpu:,.0f} rows per CPU-s; "
            f"exit {proc.returncode}); load average {load0:.1f} before, "
            f"{os.getloadavg()[0]:.1f} after (2 cores)"
        )
        print(
            f"baseline csv.DictReader of the same {n_read} rows, this process: {base:.2f} s "
            f"wall, {base_cpu:.2f} s CPU ({n_read / base_cpu:,.0f} rows per CPU-s); import / "
            f"baseline: {cpu / base_cpu:.1f}x CPU, {took / base:.1f}x wall"
        )
        if args.map:
            t, cpu0, load0 = time.perf_counter(), _child_cpu(), os.getloadavg()[0]
            proc = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "incidentmap.main",
                    "build",
                    "--seeds",
                    str(out),
                    "--out",
                    str(Path(tmp) / "maps"),
                ],
                check=False,
            )
            took, cpu = time.perf_counter() - t, _child_cpu() - cpu0
            sizes = {p.name: p.stat().st_size for p in (Path(tmp) / "maps").glob("*.html")}
            print(
                f"build --seeds: {took:.1f} s wall, {cpu:.1f} s CPU (exit {proc.returncode}, "
                f"load average {load0:.1f}), "
                + ", ".join(f"{k} {v / 1e6:.1f} MB" for k, v in sizes.items())
            )


if __name__ == "__main__":
    main()
