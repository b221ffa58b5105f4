"""River borders: geo/data/river_borders.npz, the strips along borders that follow a river.

The table ``geo/data/river_borders.csv`` names each border section that runs along a river
(the river, the two territories, a box around the section, a source saying the border follows
the river there). For each row the shared boundary of the two territories' rows in
geo/data/countries.parquet (10 m), clipped to the box, is widened by BAND_M on both sides
(buffered in a local equirectangular frame, so the width is metres within ~1 %).

A point in a strip is within BAND_M of a border drawn along a river: where the river is
narrower than the 100 m land file resolves (most of the Prut, much of the Narva), that file
cannot say whether the point is on the water or the bank, so the answer carries the strip's
note (``geo.waters.RiverBorders``). Run: ``python scripts/build_river_borders.py`` (~1 min).
"""

from __future__ import annotations

import csv
import logging
import math
import sys
import time
from pathlib import Path

import numpy as np

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

BAND_M = 200.0
M_PER_DEG = 111_320.0
NOTE = (
    "River border ({river}, {a}-{b}): within {band:.0f} m of a border that follows the river; "
    "the 100 m land data cannot tell the river from its banks here, so the zone (land or "
    "internal_waters) is uncertain"
)


def _band(lines, lat: float) -> shapely.Geometry:
    k = math.cos(math.radians(lat))
    local = shapely.transform(lines, lambda xy: xy * [k, 1.0])
    band = shapely.buffer(local, BAND_M / M_PER_DEG)
    return shapely.transform(band, lambda xy: xy / [k, 1.0])


def river_borders(countries: gpd.GeoDataFrame, table: Path) -> gpd.GeoDataFrame:
    """One row per table row: river_id, note, length_km and the strip polygon."""
    rows = []
    for r in csv.DictReader(table.read_text(encoding="utf-8").splitlines()):
        box = tuple(float(r[k]) for k in ("west", "south", "east", "north"))
        sides = []
        for code in (r["a"], r["b"]):
            geoms = countries[countries.a3 == code].geometry.values
            if not len(geoms):
                raise SystemExit(f"{table.name}: {r['river_id']}: no territory {code}")
            sides.append(shapely.clip_by_rect(shapely.union_all(geoms), *box))
        shared = shapely.intersection(sides[0].boundary, sides[1].boundary)
        lines = shapely.line_merge(
            shapely.union_all([g for g in shapely.get_parts(shared) if g.geom_type != "Point"])
        )
        if lines.is_empty:
            raise SystemExit(f"{table.name}: {r['river_id']}: the two share no border in the box")
        length_km = float(
            gpd.GeoSeries([lines], crs=4326).to_crs("+proj=eqdc +lat_1=43 +lat_2=62").length[0]
            / 1000
        )
        names = {code: countries[countries.a3 == code].name.iloc[0] for code in (r["a"], r["b"])}
        note = NOTE.format(river=r["river"], a=names[r["a"]], b=names[r["b"]], band=BAND_M)
        log.info("river border %s: %.0f km of shared border", r["river_id"], length_km)
        rows.append(
            {
                "river_id": r["river_id"],
                "note": note,
                "length_km": round(length_km, 1),
                "geometry": _band(lines, (box[1] + box[3]) / 2),
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def main(argv=None) -> int:
    import build_borders
    import npm_fetch

    from incidentmap.geo.borders import write_columns

    args = npm_fetch.script_args(argv, __doc__, build_borders.DATA)
    t0 = time.time()
    countries = gpd.read_parquet(args.out / "countries.parquet")
    strips = river_borders(countries, args.out / "river_borders.csv")
    write_columns(strips, args.out / "river_borders.npz", ("river_id", "note"))
    log.info(
        "river borders: %d strips, %d vertices, %.0f km, in %.0f s", len(strips),
        int(np.sum(shapely.get_num_coordinates(strips.geometry.values))),
        strips.length_km.sum(), time.time() - t0,
    )  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    raise SystemExit(main())
