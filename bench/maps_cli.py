"""Benchmark: the CLI route for many incidents, seeds → ``incidentmap build``.

Run ``python bench/maps_cli.py --n 100000`` (``--out DIR`` keeps the files). It writes ``n``
valid synthetic seed incidents (coordinates given, so nothing is geocoded) and one map spec
over the eastern flank into a temporary folder, runs ``incidentmap build --offline`` on them
in a child process, and reports its wall time, peak memory (the child's maximum resident set),
the HTML size, and in headless Chromium (127.0.0.1, assets inline) the time to first draw and
the pan and zoom latency (mean time of ``setView`` with the redraw it triggers). The ratio
against the targets of issue 16 (2 min, 2 GB, 30 MB) is printed with the figures. Prints one
JSON object on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np


def _bench_maps():
    """bench/maps.py (the synthetic extent and the drawn probe), loaded from its file."""
    spec = importlib.util.spec_from_file_location("bench_maps", Path(__file__).with_name("maps.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_MAPS = _bench_maps()
EXTENT, OURS_DRAWN = _MAPS.EXTENT, _MAPS.OURS_DRAWN

COUNTRIES = ("ROU", "POL", "LTU", "LVA", "EST")
YEARS = (2022, 2023, 2024, 2025, 2026)
KINDS = ("impact", "debris_found", "airspace_violation", "shoot_down", "strike_on_building")
STANCES = ("claimed", "confirmed", "attributed", "denied")

LATENCY = """() => {
    const map = IncidentMap.map, c = map.getCenter(), z = map.getZoom(), times = [];
    const moves = [[0.3, 0.3, z], [-0.3, 0.2, z], [0, 0, z + 1], [0.2, -0.2, z + 2], [0, 0, z]];
    for (const [dy, dx, zz] of moves) {
        const t = performance.now();
        map.setView([c.lat + dy, c.lng + dx], zz, {animate: false});
        times.push(performance.now() - t);
    }
    return times;
}"""


def seed_yaml(n: int, *, seed: int = 42) -> str:
    """``n`` synthetic incidents as seed YAML (flow style: one record a few lines)."""
    if n > len(COUNTRIES) * len(YEARS) * 9999:
        raise SystemExit(f"--n {n}: ids allow at most {len(COUNTRIES) * len(YEARS) * 9999}")
    rng = np.random.default_rng(seed)
    lon = rng.uniform(EXTENT["west"], EXTENT["east"], n)
    lat = rng.uniform(EXTENT["south"], EXTENT["north"], n)
    lines = []
    for k in range(n):
        country = COUNTRIES[k % len(COUNTRIES)]
        year = YEARS[(k // len(COUNTRIES)) % len(YEARS)]
        number = k // (len(COUNTRIES) * len(YEARS)) + 1
        day = dt.date(year, 1, 1) + dt.timedelta(days=int(rng.integers(0, 300)))
        end = day + dt.timedelta(days=int(rng.integers(0, 2)))
        lines.append(
            f"- {{event_id_cnty: {country}-{year}-{number:04d}, event_date: {day}, "
            f"date_start: {day}, date_end: {end}, time_precision: 1, "
            "event_type: Explosions/Remote violence, sub_event_type: Air/drone strike, "
            f"kind: {KINDS[k % len(KINDS)]}, actor1: Military Forces of Russia (2000-), "
            f"country: {country}, location: place {k}, latitude: {lat[k]:.5f}, "
            f"longitude: {lon[k]:.5f}, geo_precision: 2, precision_m: {1000 * (1 + k % 50)}, "
            f"claims: [{{date: {day}, actor: Synthetic ministry, "
            f"stance: {STANCES[k % len(STANCES)]}, summary: synthetic}}], "
            "evidence_strength: 1, "
            f"sources: [{{publisher: Synthetic, title: synthetic {k}, "
            f"url: 'https://example.org/{k}'}}], "
            "notes: synthetic}"
        )
    return "\n".join(lines) + "\n"


def write_inputs(n: int, root: Path) -> tuple[Path, Path]:
    seeds = root / "seeds"
    (seeds / "incidents").mkdir(parents=True, exist_ok=True)
    (seeds / "incidents" / "synthetic.yaml").write_text(seed_yaml(n), encoding="utf-8")
    specs = root / "specs"
    specs.mkdir(exist_ok=True)
    e = EXTENT
    (specs / "bench_cli.toml").write_text(
        f'title = "{n} synthetic incidents"\n'
        f"extent = {{west = {e['west']}, south = {e['south']}, east = {e['east']}, "
        f"north = {e['north']}}}\n"
        "dates = {start = 2022-01-01, end = 2026-12-31}\n"
        'layers = ["countries", "incidents", "heatmap", "timeslider", "legend", "search"]\n',
        encoding="utf-8",
    )
    return seeds, specs


def run_build(seeds: Path, specs: Path, out: Path) -> dict:
    """``incidentmap build`` in a child process: wall time and the child's peak RSS."""
    exe = Path(sys.executable).with_name("incidentmap")
    cmd = [
        str(exe),
        "build",
        "--offline",
        "--seeds",
        str(seeds),
        "--maps-dir",
        str(specs),
        "--out",
        str(out),
    ]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=os.environ.copy())
    wall_s = time.perf_counter() - t0
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # KiB on Linux
    if proc.returncode != 0:
        raise SystemExit(f"build failed ({proc.returncode}): {proc.stderr[-2000:]}")
    return {
        "build_s": round(wall_s, 1),
        "peak_rss_gb": round(peak_kb / 1024**2, 2),
        "stderr_tail": proc.stderr.strip().splitlines()[-3:],
    }


def browser_figures(html: Path, timeout_s: float) -> dict:
    from playwright.sync_api import sync_playwright

    from incidentmap.layers.snapshot import CHROMIUM_ARGS, chromium_path, serve_directory

    with sync_playwright() as pw, serve_directory(html.parent) as base:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.set_default_timeout(timeout_s * 1000)
        page.goto(f"{base}/{html.name}", wait_until="commit")
        drawn_ms = page.evaluate(OURS_DRAWN)
        page.wait_for_load_state("load")
        times = page.evaluate(LATENCY)
        browser.close()
    return {
        "first_draw_s": round(drawn_ms / 1000, 2),
        "pan_zoom_ms_mean": round(float(np.mean(times)), 1),
        "pan_zoom_ms_max": round(float(np.max(times)), 1),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the files here")
    parser.add_argument("--timeout", type=float, default=180.0)
    args = parser.parse_args(argv)
    root = args.out or Path(tempfile.mkdtemp(prefix="incidentmap-bench-cli-"))
    seeds, specs = write_inputs(args.n, root)
    result = {"n": args.n, **run_build(seeds, specs, root / "out")}
    html = root / "out" / "bench_cli.html"
    result["html_mb"] = round(html.stat().st_size / 1e6, 1)
    result.update(browser_figures(html, args.timeout))
    targets = {"build_s": 120.0, "peak_rss_gb": 2.0, "html_mb": 30.0}
    result["ratio_to_target"] = {k: round(result[k] / v, 2) for k, v in targets.items()}
    print(json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
