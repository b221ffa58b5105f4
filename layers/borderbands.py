"""Distance-to-border bands inside NATO territory, and the border line itself."""

from __future__ import annotations

import logging

import folium
import shapely

from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import LegendEntry, line_swatch, ramp, row

logger = logging.getLogger(__name__)

_BAND_COLORS = ("#b10026", "#e31a1c", "#fc4e2a", "#fd8d3c", "#feb24c", "#fed976")


def band_style(index: int) -> dict:
    """Style of the ``index``-th band counted from the border (0 = nearest, darkest).

    >>> band_style(0)["fillColor"], band_style(3)["fillColor"]
    ('#b10026', '#fd8d3c')
    """
    color = _BAND_COLORS[min(index, len(_BAND_COLORS) - 1)]
    return {"fillColor": color, "fillOpacity": 0.22, "color": color, "weight": 0.5}


def border_line_style(_feature=None) -> dict:
    """The NATO border line: a strong dark line."""
    return {"color": "#1a237e", "weight": 2.5, "opacity": 0.9}


def bands_layer(bands) -> folium.FeatureGroup:
    """Bands (GeoDataFrame from :func:`geo.bands.distance_bands`) as one toggleable layer."""
    edges = ", ".join(f"{b:g}" for b in bands["band_max_km"])
    group = folium.FeatureGroup(name=escape_text(f"Distance to NATO border ({edges} km)"))
    rows = bands[~bands.geometry.is_empty].copy()
    if len(rows):
        rows["index"] = range(len(rows))
        rows["tooltip"] = [
            escape_text(f"{lo:g}–{hi:g} km from the border (geodesic, ±{err:.0f} m)")
            for lo, hi, err in zip(
                rows["band_min_km"],
                rows["band_max_km"],
                rows["error_bound_m"].clip(lower=1),
                strict=True,
            )
        ]
        folium.GeoJson(
            rows[["index", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: band_style(int(f["properties"]["index"])),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        ).add_to(group)
    return group


def border_line_layer(line, *, on) -> folium.FeatureGroup:
    """The border of NATO with non-members on ``on`` (a shapely (Multi)LineString, lon/lat)."""
    group = folium.FeatureGroup(
        name=escape_text(f"NATO border with non-members ({on.isoformat()})")
    )
    if line is not None and not line.is_empty:
        folium.GeoJson(
            shapely.to_geojson(line),
            style_function=border_line_style,
            tooltip=escape_text("NATO border with non-member states"),
        ).add_to(group)
    return group


# -- the layers ----------------------------------------------------------------------------------


def bands_legend(edges_km) -> list[LegendEntry]:
    """A ramp of the bands' colours with their outer edges (km)."""
    line = ramp(
        "Distance to the NATO border",
        [(band_style(i)["fillColor"], f"{e:g}") for i, e in enumerate(edges_km)],
        "km",
        opacity=band_style(0)["fillOpacity"],
        border="1px solid #999",
    )
    return [LegendEntry("Lines and bands", (line,), height=2, order=1)]


def border_legend() -> list[LegendEntry]:
    """The border line."""
    s = border_line_style()
    mark = line_swatch(s["color"], weight=s["weight"])
    return [LegendEntry("Lines and bands", (row(mark, "NATO border with non-members"),), order=0)]


BANDS = MapLayer(
    "bands",
    draw=lambda ctx: [] if ctx.drawing.bands is None else [bands_layer(ctx.drawing.bands)],
    legend=lambda ctx: bands_legend(ctx.spec.bands_km),
    needs_bands=True,
)
BORDER = MapLayer(
    "border",
    draw=lambda ctx: (
        []
        if ctx.drawing.border is None
        else [border_line_layer(ctx.drawing.border, on=ctx.spec.as_of)]
    ),
    legend=lambda ctx: border_legend(),
    needs_bands=True,
)
