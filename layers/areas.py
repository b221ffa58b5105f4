"""Territorial seas and occupied / special-status areas."""

from __future__ import annotations

import logging

import folium
import shapely

from incidentmap.geo.drawing import polygonal
from incidentmap.layers.countries import HatchPatterns, hatch_fill
from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import (
    LAND_COLOR,
    SEA_BACKGROUND,
    LegendEntry,
    blend_hex,
    hatch_swatch,
    row,
    swatch,
)

logger = logging.getLogger(__name__)


#: Territorial sea: the sea's blue, a shade stronger than the open sea of the basemap.
SEA_COLOR = "#4fc3f7"
SEA_OUTLINE = "#0288d1"

#: Status area kinds: (hatch and outline colour, legend label). Neither colour is an
#: accession-era colour (:data:`layers.countries.ERA_COLORS`) nor a neighbour's.
STATUS_KINDS = {
    "occupied": ("#c62828", "Occupied (e.g. Crimea since 2014)"),
    "special": ("#263238", "Special status (e.g. demilitarised Åland)"),
}
#: Wash and stripe opacity of the status areas' hatching: a light fill, the land shows through.
STATUS_HATCH = (0.08, 0.4)
#: Stripes falling to the right (``\\``): across a hatched neighbour (Crimea in Ukraine) they
#: cross its stripes, so the area reads as cross-hatched whatever the reader's colour vision.
STATUS_HATCH_ANGLE = -45.0


def sea_style(_feature=None) -> dict:
    """Territorial sea: a light blue band with a thin outline."""
    return {"fillColor": SEA_COLOR, "fillOpacity": 0.35, "color": SEA_OUTLINE, "weight": 0.6}


def status_kind(note: str) -> str:
    """``"occupied"`` when the status note says so, else ``"special"``.

    >>> status_kind("Crimea: Ukrainian territory occupied by Russia since 2014")
    'occupied'
    """
    return "occupied" if "occupied" in str(note).lower() else "special"


def status_area_style(note: str) -> dict:
    """Occupied areas hatched red, other special statuses (e.g. demilitarised) hatched charcoal;
    both with a light fill and a dashed outline."""
    kind = status_kind(note)
    color = STATUS_KINDS[kind][0]
    return {
        "fillColor": hatch_fill(f"status-{kind}", color),
        "fillOpacity": 1.0,  # the pattern carries its own opacities
        "color": color,
        "weight": 1.8,
        "dashArray": "6 4",
    }


def status_patterns(kinds=tuple(STATUS_KINDS)) -> HatchPatterns:
    """The hatch patterns of the status kinds ``kinds``."""
    return HatchPatterns(
        {f"status-{k}": (STATUS_KINDS[k][0], *STATUS_HATCH) for k in kinds},
        angle_deg=STATUS_HATCH_ANGLE,
    )


def status_kinds_present(areas) -> tuple[str, ...]:
    """The status kinds of the rows of ``areas`` (for the legend), in :data:`STATUS_KINDS` order."""
    found = {status_kind(n) for n in areas["status_note"]} if len(areas) else set()
    return tuple(k for k in STATUS_KINDS if k in found)


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
        rows["style_note"] = [status_kind(s) for s in rows["status_note"]]
        status_patterns(sorted(set(rows["style_note"]))).add_to(group)
        folium.GeoJson(
            rows[["style_note", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: status_area_style(f["properties"]["style_note"]),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    return group


# -- the layers ----------------------------------------------------------------------------------


def status_legend(kinds) -> list[LegendEntry]:
    """One hatched swatch per status kind drawn (first rows of "Areas")."""
    rows = []
    for kind in kinds:
        color, label = STATUS_KINDS[kind]
        mark = hatch_swatch(
            color,
            *STATUS_HATCH,
            under=LAND_COLOR,
            border=f"1.5px dashed {color}",
            angle_deg=STATUS_HATCH_ANGLE,
        )
        rows.append(row(mark, label))
    return [LegendEntry("Areas", tuple(rows), order=0)] if rows else []


def seas_legend() -> list[LegendEntry]:
    """The territorial sea swatch, as it looks over the open sea."""
    s = sea_style()
    fill = blend_hex(s["fillColor"], s["fillOpacity"], SEA_BACKGROUND)
    mark = swatch(fill, f"1px solid {s['color']}")
    return [LegendEntry("Areas", (row(mark, "Territorial sea (12 nmi)"),), order=1)]


SEAS = MapLayer(
    "seas",
    draw=lambda ctx: [
        territorial_seas_layer(territorial_seas(ctx.drawing.countries, ctx.drawing.land))
    ],
    legend=lambda ctx: seas_legend(),
)
STATUS_AREAS = MapLayer(
    "status_areas",
    draw=lambda ctx: [status_areas_layer(ctx.drawing.status_areas)],
    legend=lambda ctx: status_legend(status_kinds_present(ctx.drawing.status_areas)),
)
