"""Inland water (rivers and lakes inside the land) for geo/data/inland_water.parquet.

From the same ``@geo-maps/countries-land-100m`` polygons as the land mask, inside the
Europe-and-Turkey box: the holes of each country's land (lakes and rivers inside a country)
and the holes between neighbours' land (border rivers and lakes: the Danube, the Narva, the
Prut, Lake Peipus), minus the islands in them. Water open to the sea is not a hole, so river
mouths stay territorial sea. Holes smaller than MIN_AREA_KM2 are left out to keep the file
small (ponds; a point there reads ``land``).
"""

from __future__ import annotations

import logging

import numpy as np

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

MIN_AREA_KM2 = 0.5


def inland_water(land100: gpd.GeoDataFrame, box_bounds) -> gpd.GeoDataFrame:
    box = shapely.box(*box_bounds)
    parts = shapely.get_parts(land100.geometry.values)
    parts = parts[shapely.intersects(parts, box) & (shapely.get_type_id(parts) == 3)]
    shells = shapely.make_valid(shapely.polygons(shapely.get_exterior_ring(parts)))
    holes = []
    for p in parts:  # lakes and rivers inside one country's land
        holes.extend(shapely.Polygon(r) for r in p.interiors)
    merged = shapely.union_all(shells)
    for g in shapely.get_parts(merged):  # water enclosed by several countries' land
        if g.geom_type != "Polygon":
            continue
        holes.extend(shapely.Polygon(r) for r in g.interiors)
    holes = np.array([h for h in holes if not h.is_empty], dtype=object)
    holes = shapely.make_valid(holes)
    area_km2 = gpd.GeoSeries(holes, crs=4326).to_crs("+proj=cea").area.to_numpy() / 1e6
    holes = holes[area_km2 >= MIN_AREA_KM2]
    water = shapely.union_all(holes)
    # islands in the lakes and rivers are land
    tree = shapely.STRtree(shells)
    idx = tree.query(water, predicate="intersects")
    islands = [s for s in shells[idx] if shapely.within(s, water)]
    if islands:
        water = shapely.difference(water, shapely.union_all(islands))
    water = shapely.intersection(water, box)
    n = shapely.get_num_coordinates(water)
    log.info("inland water: %d parts ≥ %.1f km², %d vertices", len(holes), MIN_AREA_KM2, n)
    return gpd.GeoDataFrame(
        [{"region": "europe_turkey", "accuracy_m": 100, "geometry": water}],
        geometry="geometry",
        crs=4326,
    )


#: Boxes (west, south, east, north) where the coast of NATO members is taken from the 10 m land
#: file instead of the 100 m one: the Gulf of Bothnia and the eastern Baltic, and the western
#: Black Sea. Towns on islands and spits there (Tornio's Suensaari, the Curonian and Hel spits,
#: the Danube delta) are misread by the 100 m mask.
FINE_COAST_BOXES = {
    "baltic_east": (17.0, 53.5, 30.5, 66.5),
    "black_sea_west": (27.0, 41.0, 30.5, 46.0),
}
FINE_COAST_MEMBERS = ("FIN", "SWE", "EST", "LVA", "LTU", "POL", "ROU", "BGR", "TUR")


def fine_coast(land10_path) -> gpd.GeoDataFrame:
    """The 10 m land of the members in FINE_COAST_MEMBERS inside FINE_COAST_BOXES, one row per
    box (exterior rings only: inland water is ``inland_water``'s job)."""
    rows = []
    for name, bounds in FINE_COAST_BOXES.items():
        gdf = gpd.read_file(land10_path, engine="pyogrio", bbox=bounds)
        gdf = gdf[gdf.A3.isin(FINE_COAST_MEMBERS)]
        parts = shapely.get_parts(shapely.clip_by_rect(gdf.geometry.values, *bounds))
        parts = parts[shapely.get_type_id(parts) == 3]
        shells = shapely.make_valid(shapely.polygons(shapely.get_exterior_ring(parts)))
        land = shapely.union_all(shells)
        # water enclosed by members' land (border rivers and lakes between them) is "land" here,
        # as in the 100 m mask; inland_water then tells what of it is a river or lake
        land = shapely.union_all(
            [shapely.Polygon(g.exterior) for g in shapely.get_parts(land) if not g.is_empty]
        )
        log.info("fine coast %s: %d vertices", name, shapely.get_num_coordinates(land))
        rows.append(
            {
                "region": name,
                "bounds": list(bounds),
                "members": " ".join(sorted(set(gdf.A3))),
                "accuracy_m": 10,
                "geometry": land,
            }
        )
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)
