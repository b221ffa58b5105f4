"""Flight-time bands: NATO territory by minutes of flight from the border with non-members
(from :func:`geo.intercept.flight_time_bands`), as one toggleable layer."""

from __future__ import annotations

import logging

import folium

from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import LegendEntry, ramp

logger = logging.getLogger(__name__)

# a neutral grey ramp (ColorBrewer Greys): it reads over every accession-era colour, the sea
# and the red distance bands, where a purple ramp vanished into the 1999-2004 indigo
_COLORS = ("#252525", "#525252", "#737373", "#969696", "#bdbdbd", "#d9d9d9")


def flight_band_style(index: int) -> dict:
    """Style of the ``index``-th band from the border (0 = the fewest minutes, darkest).

    >>> flight_band_style(0)["fillColor"], flight_band_style(9)["fillColor"]
    ('#252525', '#d9d9d9')
    """
    color = _COLORS[min(index, len(_COLORS) - 1)]
    return {
        "fillColor": color,
        "fillOpacity": 0.25,
        "color": color,
        "weight": 0.6,
        "dashArray": "2 4",
    }


def band_tooltip(
    minutes_min: float, minutes_max: float, speed_kmh: float, km_min: float, km_max: float
) -> str:
    """Escaped tooltip of one band.

    >>> band_tooltip(2, 5, 200, 6.667, 16.667)
    '2–5 min of flight from the NATO border at 200 km/h (6.7–16.7 km)'
    """
    return escape_text(
        f"{minutes_min:g}–{minutes_max:g} min of flight from the NATO border at "
        f"{speed_kmh:g} km/h ({km_min:.1f}–{km_max:.1f} km)"
    )


def flight_bands_layer(bands, *, show: bool = False) -> folium.FeatureGroup:
    """The bands GeoDataFrame (minutes_min, minutes_max, speed_kmh, band_min_km, band_max_km,
    geometry) as one layer named after the speed and the minutes."""
    speed = float(bands["speed_kmh"].iloc[0]) if len(bands) else 0.0
    edges = ", ".join(f"{m:g}" for m in bands["minutes_max"])
    group = folium.FeatureGroup(
        name=escape_text(f"Minutes of flight from the border at {speed:g} km/h ({edges} min)"),
        show=show,
    )
    rows = bands[~bands.geometry.is_empty].copy()
    if len(rows):
        rows["index"] = range(len(rows))
        rows["tooltip"] = [
            band_tooltip(a, b, s, lo, hi)
            for a, b, s, lo, hi in zip(
                rows["minutes_min"],
                rows["minutes_max"],
                rows["speed_kmh"],
                rows["band_min_km"],
                rows["band_max_km"],
                strict=True,
            )
        ]
        folium.GeoJson(
            rows[["index", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: flight_band_style(int(f["properties"]["index"])),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False, sticky=True),
        ).add_to(group)
    logger.info("flight-time bands layer: %d bands", len(rows))
    return group


# -- the layer -----------------------------------------------------------------------------------


def flight_legend(minutes, speed_kmh: float | None) -> list[LegendEntry]:
    """A ramp of the bands' greys with their outer edges (minutes) at ``speed_kmh``."""
    speed = f" at {speed_kmh:g} km/h" if speed_kmh else ""
    line = ramp(
        f"Minutes of flight from the border{speed}",
        [(flight_band_style(i)["fillColor"], f"{m:g}") for i, m in enumerate(minutes)],
        "min",
        opacity=max(flight_band_style(0)["fillOpacity"], 0.35),
        border="1px dashed #555",
    )
    return [LegendEntry("Lines and bands", (line,), height=2, order=2)]


def _draw(ctx) -> list:
    """Minutes of flight from the NATO border at the spec's speed (geo.intercept)."""
    from incidentmap.geo.intercept import flight_time_bands

    spec = ctx.spec
    bands, _ = flight_time_bands(
        speed_kmh=spec.flight_speed_kmh, bbox=spec.bbox, minutes=spec.flight_minutes, on=spec.as_of
    )
    return [flight_bands_layer(bands)]


FLIGHT_BANDS = MapLayer(
    "flight_bands",
    draw=_draw,
    legend=lambda ctx: flight_legend(ctx.spec.flight_minutes, ctx.spec.flight_speed_kmh),
)
