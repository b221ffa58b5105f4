"""What a map draws, prepared in lon/lat: border polygons clipped, simplified and rounded for an
extent, the distance bands, and the coarse context around it (pure; no folium).

Sizes are geodesic (:func:`geo.geodesic.geodesic_distance_m`); the only degree length is
:data:`METRES_PER_DEGREE`, used to turn a tolerance in metres into one in degrees for
shapely's planar simplification, so that the result is never coarser than asked.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass

import numpy as np

import shapely

from incidentmap.geo.geodesic import geodesic_distance_m

logger = logging.getLogger(__name__)

#: Metres per degree used to turn a tolerance in metres into degrees: a degree of longitude on
#: the WGS84 equator, 2π × 6 378 137 m / 360 = 111 319.5 m. Everywhere else a degree of
#: longitude is shorter, and a degree of latitude is at most 0.3 % longer (111 694 m at the
#: poles), so the degrees it gives are never more than 0.3 % coarser than the metres asked.
METRES_PER_DEGREE = 2 * math.pi * 6_378_137.0 / 360.0
#: Simplification tolerance: this fraction of the extent's diagonal (about a pixel of a
#: 2000-pixel screen showing the extent) ...
TOLERANCE_OF_DIAGONAL = 1 / 2000
#: ... kept between these bounds, metres (below 30 m the file grows and nothing shows;
#: above 1.5 km borders visibly jump).
TOLERANCE_MIN_M, TOLERANCE_MAX_M = 30.0, 1500.0
#: Web Mercator stops at ±85.05°; the drawing boxes are clamped to ±85°.
MAX_DRAW_LAT = 85.0


def drawing_tolerance_m(bbox) -> float:
    """Simplification tolerance for an extent: 1/2000 of its geodesic diagonal, 30 m to 1.5 km.

    >>> round(drawing_tolerance_m((27.7, 45.0, 29.2, 45.65)))
    69
    """
    west, south, east, north = bbox
    diagonal_m = float(geodesic_distance_m(west, south, east, north))
    return float(min(TOLERANCE_MAX_M, max(TOLERANCE_MIN_M, diagonal_m * TOLERANCE_OF_DIAGONAL)))


def _clamp(box):
    west, south, east, north = box
    return (
        max(-180.0, west),
        max(-MAX_DRAW_LAT, south),
        min(180.0, east),
        min(MAX_DRAW_LAT, north),
    )


def view_boxes(bbox, *, aspect: float = 1.9) -> tuple[tuple, tuple]:
    """(detail_box, context_box) for an extent: what a screen of ``aspect`` (w/h) shows, padded.

    Leaflet fits the extent at a whole zoom level, so the screen may show up to twice the
    extent: the detail box is two such views wide, the context box six. (Screen boxes are in
    degrees by nature: the map is Web Mercator, where a degree of latitude is 1/cos(lat) times
    a degree of longitude on screen.)
    """
    west, south, east, north = bbox
    cos_lat = max(math.cos(math.radians((south + north) / 2)), 0.1)
    width, height = east - west, north - south
    view_w = max(width, aspect * height / cos_lat)
    view_h = max(height, width * cos_lat / aspect)
    cx, cy = (west + east) / 2, (south + north) / 2
    detail = _clamp((cx - 1.1 * view_w, cy - 1.1 * view_h, cx + 1.1 * view_w, cy + 1.1 * view_h))
    context = _clamp((cx - 3.0 * view_w, cy - 3.0 * view_h, cx + 3.0 * view_w, cy + 3.0 * view_h))
    return detail, context


def polygonal(geoms):
    """Keep only the polygonal part of each geometry (drop stray lines and points of overlays)."""
    out = []
    for g in geoms:
        if g is None or g.geom_type in ("Polygon", "MultiPolygon"):
            out.append(g)
            continue
        parts = [p for p in shapely.get_parts(g) if p.geom_type in ("Polygon", "MultiPolygon")]
        out.append(shapely.union_all(parts) if parts else shapely.Polygon())
    return out


def rounded(gdf, decimals: int):
    """Round coordinates for drawing (4 decimals ≈ 11 m) so the HTML stays small."""
    out = gdf.copy()
    geoms = shapely.set_precision(out.geometry.values, 10.0**-decimals)
    polygons = shapely.get_dimensions(geoms) == 2
    out["geometry"] = np.where(polygons, polygonal(geoms), geoms)
    return out[~out.geometry.is_empty]


@dataclass
class DrawingData:
    """The polygons and lines a map draws (lon/lat), clipped to boxes around its extent.

    Detailed layers cover ``detail_box``; beyond it, ``context`` (coarse outlines) fills the
    rest of what a screen shows at the opening zoom and the minimap.
    """

    detail_box: tuple[float, float, float, float]
    countries: object
    land: object
    status_areas: object
    bands: object | None
    border: object | None
    context: object
    coarse_outlines_geojson: str


def drawing_data(bbox, *, as_of, bands_km=(), with_bands: bool = False) -> DrawingData:
    """Load and clip the shipped border data around ``bbox`` (uses :mod:`geo.borders`).

    ``with_bands``: also compute the NATO distance bands (``bands_km``) and border line as of
    ``as_of`` (the slow part; only when a layer draws them).
    """
    from incidentmap.geo import bands as geo_bands
    from incidentmap.geo import borders

    box, context_box = view_boxes(bbox)
    tolerance_m = drawing_tolerance_m(bbox)
    tolerance_deg = tolerance_m / METRES_PER_DEGREE
    decimals = 4 if tolerance_m < 200 else 3  # 1e-4° ≈ 11 m, 1e-3° ≈ 111 m
    world = rounded(borders.countries_for_drawing(bbox=box, tolerance_m=tolerance_m), decimals)
    land = borders.load_land()
    land_parts = shapely.clip_by_rect(land.geometry.values, *box)  # simplify before union: faster
    land_geom = shapely.union_all(
        shapely.simplify(land_parts, tolerance_deg, preserve_topology=False)
    )
    land_df = rounded(
        type(world)({"geometry": [land_geom]}, geometry="geometry", crs="EPSG:4326"), decimals
    )
    status = borders.load_status_areas()
    status = status[shapely.intersects(status.geometry.values, shapely.box(*box))].copy()
    status["geometry"] = shapely.simplify(
        shapely.clip_by_rect(status.geometry.values, *box), tolerance_deg
    )
    status = rounded(status, decimals)
    bands = border = None
    if with_bands:
        bands, border = geo_bands.nato_distance_bands(
            on=as_of, bbox=box, distances_km=bands_km, simplify_m=tolerance_m / 2
        )
        bands = rounded(bands, decimals)
    coarse = borders.countries_for_drawing(bbox=context_box, tolerance_m=5000.0)
    coarse = rounded(coarse, 2)
    context = coarse.copy()
    context["geometry"] = shapely.difference(context.geometry.values, shapely.box(*box))
    context = context[~context.geometry.is_empty]
    return DrawingData(
        detail_box=box,
        countries=world,
        land=land_df,
        status_areas=status,
        bands=bands,
        border=border,
        context=context,
        coarse_outlines_geojson=coarse[["geometry"]].to_json(),
    )
