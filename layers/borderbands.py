"""Distance-to-border bands inside NATO territory, and the border line itself.

Both stay quiet along non-members where nothing happened (Austria, Switzerland, Serbia,
Bosnia ...: :func:`quiet_countries`): no bands within reach of them and only a thin grey line
on their border, so the eye goes to the borders with Russia, Belarus, Ukraine and Moldova and
to any other country an incident is in. The bands are greys, so that no band shares a colour
with the incident markers (red, orange, blue, green, purple).
"""

from __future__ import annotations

import logging

import folium
import shapely

from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import LegendEntry, line_swatch, ramp, row

logger = logging.getLogger(__name__)

_BAND_COLORS = ("#252525", "#525252", "#737373", "#969696", "#bdbdbd", "#d9d9d9")


def band_style(index: int) -> dict:
    """Style of the ``index``-th band counted from the border (0 = nearest, darkest).

    >>> band_style(0)["fillColor"], band_style(3)["fillColor"]
    ('#252525', '#969696')
    """
    color = _BAND_COLORS[min(index, len(_BAND_COLORS) - 1)]
    return {"fillColor": color, "fillOpacity": 0.28, "color": color, "weight": 0.4}


def border_line_style(_feature=None) -> dict:
    """The NATO border line: a strong dark line."""
    return {"color": "#1a237e", "weight": 2.5, "opacity": 0.9}


def quiet_border_style(_feature=None) -> dict:
    """The NATO border with a quiet non-member: thin and grey."""
    return {"color": "#8a8a8a", "weight": 1.0, "opacity": 0.8, "dashArray": "3 3"}


#: Non-members never quiet: the neighbours the incidents come from or happen in.
LOUD = ("RUS", "BLR", "UKR", "MDA")
#: Margin of the quiet zone beyond the widest band (and around the border line), metres.
QUIET_MARGIN_M = 3_000.0


def quiet_countries(countries, selected, *, on) -> list[str]:
    """The non-members in ``countries`` (a3) on ``on`` where no selected incident is, except
    :data:`LOUD` (sorted)."""
    from incidentmap.geo import nato

    members = nato.members(on=on)
    sovereign = countries["sovereign"].fillna(countries["a3"])
    busy = set(LOUD)
    for column in ("found_country", "country"):
        if len(selected) and column in selected:
            busy |= {str(v) for v in selected[column].dropna()}
    return sorted(
        a3
        for a3, sov in zip(countries["a3"], sovereign, strict=True)
        if sov not in members and a3 not in busy and sov not in busy
    )


def quiet_zone(countries, a3s, distance_m: float):
    """The quiet countries ``a3s`` grown by ``distance_m`` (geodesic enough: an equal-area
    Lambert projection of Europe, EPSG:3035), as one lon/lat geometry or None."""
    rows = countries[countries["a3"].isin(a3s)]
    if not len(rows):
        return None
    grown = rows.to_crs(3035).buffer(distance_m, quad_segs=4).to_crs(4326)
    return shapely.union_all(grown.values)


def quiet_bands(bands, zone):
    """``bands`` without the parts inside ``zone`` (None: unchanged)."""
    if zone is None or not len(bands):
        return bands
    out = bands.copy()
    out["geometry"] = shapely.difference(out.geometry.values, zone)
    return out


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


def border_line_layer(line, *, on, quiet=None) -> folium.FeatureGroup:
    """The border of NATO with non-members on ``on`` (a shapely (Multi)LineString, lon/lat);
    the parts inside ``quiet`` (:func:`quiet_zone`) thin and grey."""
    group = folium.FeatureGroup(
        name=escape_text(f"NATO border with non-members ({on.isoformat()})")
    )
    if line is None or line.is_empty:
        return group
    loud = line if quiet is None else shapely.difference(line, quiet)
    if quiet is not None:
        calm = shapely.intersection(line, quiet)
        if not calm.is_empty:
            folium.GeoJson(
                shapely.to_geojson(calm),
                style_function=quiet_border_style,
                tooltip=escape_text("NATO border with a non-member where nothing happened"),
            ).add_to(group)
    if not loud.is_empty:
        folium.GeoJson(
            shapely.to_geojson(loud),
            style_function=border_line_style,
            tooltip=escape_text("NATO border with non-member states"),
        ).add_to(group)
    return group


def _quiet_zone(ctx, distance_m):
    quiet = quiet_countries(ctx.drawing.countries, ctx.selected, on=ctx.spec.as_of)
    return quiet_zone(ctx.drawing.countries, quiet, distance_m)


def _draw_bands(ctx) -> list:
    bands = ctx.drawing.bands
    if bands is None:
        return []
    widest_m = max(ctx.spec.bands_km or (0,)) * 1000.0
    return [bands_layer(quiet_bands(bands, _quiet_zone(ctx, widest_m + QUIET_MARGIN_M)))]


def _draw_border(ctx) -> list:
    if ctx.drawing.border is None:
        return []
    quiet = _quiet_zone(ctx, QUIET_MARGIN_M)
    return [border_line_layer(ctx.drawing.border, on=ctx.spec.as_of, quiet=quiet)]


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
    q = quiet_border_style()
    calm = line_swatch(q["color"], weight=q["weight"], style="dashed")
    rows = (
        row(mark, "NATO border with non-members"),
        row(calm, "… where nothing happened (no bands)"),
    )
    return [LegendEntry("Lines and bands", rows, order=0)]


BANDS = MapLayer(
    "bands",
    draw=_draw_bands,
    legend=lambda ctx: bands_legend(ctx.spec.bands_km),
    needs_bands=True,
)
BORDER = MapLayer(
    "border",
    draw=_draw_border,
    legend=lambda ctx: border_legend(),
    needs_bands=True,
)
