"""Load time of the incident catalog: parse + validate vs. parse only, in the same process.

Run:  python bench/seeds_load.py [--repeat 20] [--copies 1] [--compare OLD_INCIDENTS_PY]
      python bench/seeds_load.py --imported DIR [--repeat 1]

Reads the shipped ``seeds/incidents/*.yaml`` (``--copies N`` repeats their records N times in a
temporary file, with fresh ids, to see how validation scales) and prints, for each, the median
wall time of ``load_incidents`` (YAML with line numbers + schema validation + typed records) and
of ``yaml.safe_load`` of the same text (the baseline, PyYAML's pure-Python safe loader), records
per second, and the ratio. ``--compare`` also times ``load_incidents`` of another version of
``geo/incidents.py`` (e.g. ``git show main:geo/incidents.py > old_incidents.py``) in the
same process, on the same file.

``--imported DIR`` times ``load_incidents`` of a folder ``incidentmap import`` wrote (e.g. of
``bench/imports.py``'s synthetic ACLED rows) against, in the same process, libyaml's
``CSafeLoader`` reading the same files into plain data (no line numbers, no validation) and
the line-aware libyaml loader ``load_incidents`` used before the import's own reader. CPU
seconds and the load average are printed too: the machine is shared, the ratios are what to
compare.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from incidentmap.geo.incidents import load_incidents

SEEDS = Path(__file__).resolve().parents[1] / "seeds" / "incidents"
TODAY = dt.date(2026, 11, 22)


def _median_s(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _catalog_text(copies: int) -> str:
    parts = []
    for k in range(copies):
        for path in sorted(SEEDS.glob("*.yaml")):
            text = path.read_text(encoding="utf-8")
            if k:
                text = re.sub(
                    r"(event_id_cnty: [A-Z]{3}-\d{4}-)(\d{4})",
                    lambda m, k=k: f"{m.group(1)}{(int(m.group(2)) + 1000 * k) % 10000:04d}",
                    text,
                )
            parts.append(text)
    return "\n".join(parts)


def _cpu_s(fn) -> float:
    start = time.process_time()
    fn()
    return time.process_time() - start


def imported(folder: Path, repeat: int) -> None:
    from incidentmap.geo import seed_yaml

    files = sorted((folder / "incidents").glob("*.yaml")) or sorted(folder.glob("*.yaml"))
    texts = [p.read_text(encoding="utf-8") for p in files]
    n = len(load_incidents(files, today=TODAY).incidents)
    load0 = os.getloadavg()[0]
    load = min(_cpu_s(lambda: load_incidents(files, today=TODAY)) for _ in range(repeat))
    plain = min(
        _cpu_s(lambda: [yaml.load(t, Loader=yaml.CSafeLoader) for t in texts])
        for _ in range(repeat)
    )
    lines = min(
        _cpu_s(lambda: [yaml.load(t, Loader=seed_yaml._LineLoader) for t in texts])
        for _ in range(repeat)
    )
    narrow = min(_cpu_s(lambda: [seed_yaml.read_narrow(t) for t in texts]) for _ in range(repeat))
    mb = sum(len(t.encode()) for t in texts) / 1e6
    print(f"records: {n} in {len(files)} files ({mb:.1f} MB); load average {load0:.1f}")
    print(f"load_incidents (read + validate):  {load:7.2f} s CPU  {n / load:9.0f} records/s")
    print(f"  of which the import's reader:    {narrow:7.2f} s CPU  {n / narrow:9.0f} records/s")
    print(f"yaml CSafeLoader, plain (baseline): {plain:6.2f} s CPU  {n / plain:9.0f} records/s")
    print(f"line-aware libyaml loader (before): {lines:6.2f} s CPU  {n / lines:9.0f} records/s")
    print(
        f"ratios: load_incidents / CSafeLoader {load / plain:.2f}; reader / CSafeLoader "
        f"{narrow / plain:.2f}; line-aware libyaml / reader {lines / narrow:.1f}x"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--copies", type=int, default=1)
    parser.add_argument("--compare", type=Path, help="another geo/incidents.py to time")
    parser.add_argument("--imported", type=Path, help="a folder `incidentmap import` wrote")
    args = parser.parse_args()
    if args.imported:
        imported(args.imported, max(1, args.repeat if args.repeat != 20 else 1))
        return
    other = None
    if args.compare:
        spec = importlib.util.spec_from_file_location("other_incidents", args.compare)
        other = sys.modules["other_incidents"] = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(other)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "catalog.yaml"
        path.write_text(_catalog_text(args.copies), encoding="utf-8")
        result = load_incidents(path, today=TODAY)
        n = len(result.incidents)
        if result.rejected:
            raise SystemExit(f"{len(result.rejected)} rejection(s), first: {result.rejected[0]}")
        text = path.read_text(encoding="utf-8")
        load_s = _median_s(lambda: load_incidents(path, today=TODAY), args.repeat)
        parse_s = _median_s(lambda: yaml.safe_load(text), args.repeat)
        if other is not None:
            assert len(other.load_incidents(path, today=TODAY).incidents) == n
            other_s = _median_s(lambda: other.load_incidents(path, today=TODAY), args.repeat)
    print(
        f"records: {n} ({args.copies} cop{'y' if args.copies == 1 else 'ies'} of the seeds); "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"load_incidents: {load_s * 1000:8.1f} ms  {n / load_s:10.0f} records/s")
    print(f"yaml.safe_load: {parse_s * 1000:8.1f} ms  {n / parse_s:10.0f} records/s (baseline)")
    print(f"ratio load/parse: {load_s / parse_s:.2f}")
    if other is not None:
        print(f"{args.compare.name}: {other_s * 1000:8.1f} ms  {n / other_s:10.0f} records/s")
        print(f"ratio {args.compare.name}/load_incidents: {other_s / load_s:.2f}")


if __name__ == "__main__":
    main()
