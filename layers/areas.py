"""Territorial seas and occupied / special-status areas."""

from __future__ import annotations

import logging

import folium
import shapely

from layers.escape import escape_text

logger = logging.getLogger(__name__)


def sea_style(_feature=None) -> dict:
    """Territorial sea: a light blue band with a thin outline."""
    return {"fillColor": "#4fc3f7", "fillOpacity": 0.35, "color": "#0288d1", "weight": 0.6}


def status_area_style(note: str) -> dict:
    """Occupied areas hatched red, other special statuses (e.g. demilitarised) purple."""
    occupied = "occupied" in str(note).lower()
    return {
        "fillColor": "#d32f2f" if occupied else "#7b1fa2",
        "fillOpacity": 0.35,
        "color": "#b71c1c" if occupied else "#4a148c",
        "weight": 1.5,
        "dashArray": "6 4",
    }


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


def territorial_seas(countries, land):
    """Country polygons (land + territorial sea) minus land: the territorial seas (GeoDataFrame)."""
    land_geom = shapely.union_all(land.geometry.values)
    seas = countries.copy()
    seas["geometry"] = polygonal(shapely.difference(countries.geometry.values, land_geom))
    return seas[~seas.geometry.is_empty]


def territorial_seas_layer(seas) -> folium.FeatureGroup:
    """Territorial seas (12 nautical miles), with the coastal state in the tooltip."""
    group = folium.FeatureGroup(name="Territorial seas", show=False)
    if len(seas):
        rows = seas[["name", "geometry"]].copy()
        rows["tooltip"] = [escape_text(f"Territorial sea of {n}") for n in rows["name"]]
        folium.GeoJson(
            rows[["tooltip", "geometry"]].to_json(),
            style_function=sea_style,
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    return group


def status_areas_layer(areas) -> folium.FeatureGroup:
    """Occupied and special-status areas (Crimea occupied by Russia since 2014, Åland …)."""
    group = folium.FeatureGroup(name="Occupied and special-status areas")
    if len(areas):
        rows = areas[["name", "status_note", "geometry"]].copy()
        rows["tooltip"] = [
            escape_text(f"{n}: {s}") for n, s in zip(rows["name"], rows["status_note"], strict=True)
        ]
        rows["style_note"] = [
            "occupied" if "occupied" in str(s).lower() else "special" for s in rows["status_note"]
        ]
        folium.GeoJson(
            rows[["style_note", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: status_area_style(f["properties"]["style_note"]),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    return group
