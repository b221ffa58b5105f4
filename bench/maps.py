"""Benchmark: a map of many synthetic incidents, ours against folium's one-Marker-per-incident.

Run ``python bench/maps.py`` (options: ``--n 100000 --baseline-n 10000 --out DIR``). For each
approach it reports the HTML size, the Python build time (layers + render + inlining) and, in
headless Chromium served from 127.0.0.1 with every asset inline, the time from navigation start
until the incidents are drawn:

* ours: when the runtime has drawn every incident layer (``IncidentMap.readyAt``), then two
  animation frames;
* folium: at the load event (its Markers are created synchronously by the page script), then two
  animation frames.

The baseline uses a smaller N by default (folium is known to need over 30 s for 10 000); its
numbers are also scaled linearly to N for comparison. Prints one JSON object on stdout.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import folium
import geopandas as gpd
from shapely.geometry import Point

from incidentmap.layers import incidents as incident_layers
from incidentmap.layers.assets import UNUSED_FOLIUM_CSS, inline_assets
from incidentmap.layers.mapbuild import DrawingData, build_map, parse_spec, render_html
from incidentmap.layers.snapshot import CHROMIUM_ARGS, chromium_path, serve_directory

logger = logging.getLogger("bench.maps")

EXTENT = {"west": 13.0, "south": 41.0, "east": 33.5, "north": 60.5}


def synthetic_incidents(n: int, *, seed: int = 42) -> gpd.GeoDataFrame:
    """``n`` enriched-looking incidents scattered over the eastern flank, 2022-2026."""
    rng = np.random.default_rng(seed)
    lon = rng.uniform(EXTENT["west"], EXTENT["east"], n)
    lat = rng.uniform(EXTENT["south"], EXTENT["north"], n)
    start = dt.date(2022, 2, 24)
    offset = rng.integers(0, 1500, n)
    span = rng.integers(0, 3, n)
    kinds = rng.choice(incident_layers.KINDS, n)
    status = rng.choice(incident_layers.STATUSES, n)
    rows = {
        "event_id_cnty": [f"SYN-{2022 + int(o) // 365}-{i:06d}" for i, o in enumerate(offset)],
        "event_date": [start + dt.timedelta(days=int(o)) for o in offset],
        "date_start": [start + dt.timedelta(days=int(o)) for o in offset],
        "date_end": [
            start + dt.timedelta(days=int(o + s)) for o, s in zip(offset, span, strict=True)
        ],
        "kind": kinds,
        "weapon": "Shahed-136",
        "count": 1,
        "location": [f"place {i}" for i in range(n)],
        "location_as_reported": [f"place {i}" for i in range(n)],
        "country": "ROU",
        "claims": [[] for _ in range(n)],
        "sources": [
            [{"publisher": "Synthetic", "title": "t", "url": f"https://example.org/{i}"}]
            for i in range(n)
        ],
        "notes": "",
        "found_country": "ROU",
        "found_country_name": "Romania",
        "zone": "land",
        "on_nato_soil": "yes",
        "distance_to_nato_border_km": np.round(rng.uniform(-50, 50, n), 1),
        "status_note": None,
        "claim_status": status,
        "geometry": [Point(x, y) for x, y in zip(lon, lat, strict=True)],
    }
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def _empty_drawing() -> DrawingData:
    empty = gpd.GeoDataFrame(
        {"a3": [], "name": [], "sovereign": [], "geometry": []}, crs="EPSG:4326"
    )
    land = gpd.GeoDataFrame({"geometry": []}, crs="EPSG:4326")
    return DrawingData(
        detail_box=tuple(EXTENT.values()),
        countries=empty,
        land=land,
        status_areas=gpd.GeoDataFrame(
            {"name": [], "status_note": [], "geometry": []}, crs="EPSG:4326"
        ),
        bands=None,
        border=None,
        context=empty,
        coarse_outlines_geojson='{"type": "FeatureCollection", "features": []}',
    )


def build_ours(frame, out: Path, *, drawing: DrawingData) -> dict:
    spec = parse_spec(
        {
            "title": f"{len(frame)} synthetic incidents",
            "extent": EXTENT,
            "dates": {"start": dt.date(2022, 2, 24), "end": dt.date(2026, 12, 31)},
            "layers": [
                "countries",
                "neighbours",
                "incidents",
                "timeslider",
                "legend",
                "search",
                "measure",
                "fullscreen",
                "minimap",
            ],
        },
        name="bench_ours",
    )
    t0 = time.perf_counter()
    m = build_map(spec, frame, drawing, offline=True)
    html = render_html(m, assets="inline")
    build_s = time.perf_counter() - t0
    path = out / "bench_ours.html"
    path.write_text(html, encoding="utf-8")
    return {
        "approach": "incidentmap (JSON data block + grid clustering in view)",
        "n": len(frame),
        "build_s": round(build_s, 2),
        "html_mb": round(path.stat().st_size / 1e6, 2),
        "path": str(path),
    }


def build_folium_baseline(frame, out: Path) -> dict:
    t0 = time.perf_counter()
    m = folium.Map(location=[50, 23], zoom_start=5, tiles=None)
    # the two stylesheets npm does not publish at folium's versions (unused by markers)
    m.default_css = [c for c in m.default_css if c[0] not in UNUSED_FOLIUM_CSS]
    for row in frame.itertuples(index=False):
        popup = folium.Popup(f"{row.event_id_cnty} {row.location} {row.date_start}", max_width=300)
        folium.Marker([row.geometry.y, row.geometry.x], popup=popup).add_to(m)
    html = inline_assets(m.get_root().render())
    build_s = time.perf_counter() - t0
    path = out / "bench_folium.html"
    path.write_text(html, encoding="utf-8")
    return {
        "approach": "folium (one Marker + Popup per incident)",
        "n": len(frame),
        "build_s": round(build_s, 2),
        "html_mb": round(path.stat().st_size / 1e6, 2),
        "path": str(path),
    }


OURS_DRAWN = """() => new Promise(done => {
    const check = () => {
        if (window.IncidentMap && IncidentMap.pending === 0 && IncidentMap.readyAt !== undefined) {
            requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
        } else { setTimeout(check, 10); }
    };
    check();
})"""

FOLIUM_DRAWN = """() => new Promise(done => {
    const now = () => done(performance.now());
    const after = () => requestAnimationFrame(() => requestAnimationFrame(now));
    if (document.readyState === 'complete') after(); else window.addEventListener('load', after);
})"""


def time_to_drawn(paths_and_probes, *, timeout_s: float) -> list[float | None]:
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        for path, probe in paths_and_probes:
            with serve_directory(path.parent) as base:
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                page.set_default_timeout(timeout_s * 1000)
                try:
                    page.goto(f"{base}/{path.name}", wait_until="commit", timeout=timeout_s * 1000)
                    drawn_ms = page.evaluate(probe)
                    markers = page.locator(".leaflet-marker-icon").count()
                    results.append((round(drawn_ms / 1000.0, 2), markers))
                except Exception as exc:  # a timeout is a result here, not a crash
                    logger.warning("%s: %s", path.name, exc)
                    results.append((None, None))
                page.close()
        browser.close()
    return results


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--baseline-n", type=int, default=10_000)
    parser.add_argument("--out", type=Path, default=None, help="keep the HTML files here")
    parser.add_argument(
        "--real-basemap",
        action="store_true",
        help="draw the eastern-flank polygons too (slower build, bigger HTML)",
    )
    parser.add_argument("--timeout", type=float, default=120.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)

    out = args.out or Path(tempfile.mkdtemp(prefix="incidentmap-bench-"))
    out.mkdir(parents=True, exist_ok=True)
    frame = synthetic_incidents(args.n)
    if args.real_basemap:
        from incidentmap.layers.mapbuild import drawing_data

        drawing = drawing_data(
            parse_spec(
                {
                    "title": "x",
                    "extent": EXTENT,
                    "dates": {"start": "2022-02-24", "end": "2026-12-31"},
                },
                name="x",
            )
        )
    else:
        drawing = _empty_drawing()
    ours = build_ours(frame, out, drawing=drawing)
    logger.info("ours built: %s", ours)
    base = build_folium_baseline(frame.iloc[: args.baseline_n], out)
    logger.info("folium built: %s", base)
    (ours_t, ours_markers), (base_t, base_markers) = time_to_drawn(
        [(Path(ours["path"]), OURS_DRAWN), (Path(base["path"]), FOLIUM_DRAWN)],
        timeout_s=args.timeout,
    )
    ours.update(drawn_s=ours_t, marker_elements=ours_markers)
    base.update(drawn_s=base_t, marker_elements=base_markers)
    scale = args.n / max(args.baseline_n, 1)
    base["scaled_to_n"] = {
        "n": args.n,
        "build_s": round(base["build_s"] * scale, 1),
        "html_mb": round(base["html_mb"] * scale, 1),
        "drawn_s": round(base_t * scale, 1) if base_t is not None else None,
    }
    result = {
        "n": args.n,
        "ours": ours,
        "folium": base,
        "targets": {"drawn_s": 3.0, "html_mb": 30.0},
        "meets_targets": bool(ours_t is not None and ours_t < 3.0 and ours["html_mb"] < 30.0),
    }
    print(json.dumps(result, indent=2))
    logger.info(
        "%d incidents: ours %.2f s build, %.1f MB, drawn in %s s | "
        "folium (%d) %.2f s build, %.1f MB, "
        "drawn in %s s",
        args.n,
        ours["build_s"],
        ours["html_mb"],
        ours_t,
        args.baseline_n,
        base["build_s"],
        base["html_mb"],
        base_t,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
