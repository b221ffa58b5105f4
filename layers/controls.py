"""Map controls: title, legend, time slider, search, measure, fullscreen, minimap, heat map."""

from __future__ import annotations

import datetime as dt
import json
import logging

import numpy as np

import folium
from folium.elements import JSCSSMixin, MacroElement
from folium.plugins import Fullscreen, HeatMap, MeasureControl, MiniMap, Search
from folium.template import Template

from incidentmap.layers import areas, basemaps, borderbands, countries, flight_bands
from incidentmap.layers import tracks as tracks_layer
from incidentmap.layers.escape import escape_text, safe_url
from incidentmap.layers.incidents import KINDS, STATUSES, incident_style
from incidentmap.layers.page import DataBlock
from incidentmap.layers.runtime import add_runtime

logger = logging.getLogger(__name__)

_EPOCH = dt.date(1970, 1, 1)


class _RuntimeControl(MacroElement):
    """A control drawn by the runtime function ``IncidentMap.<function>(map, data)``.

    ``data`` travels in a :class:`layers.page.DataBlock`, never through the template.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap[{{ this.function|tojson }}](
                {{ this._parent.get_name() }}, IncidentMap.data({{ this.block.dom_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, function: str, data: dict):
        super().__init__()
        self._name = "RuntimeControl"
        self.function = function
        self.block = DataBlock(data)
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


def _html_control(html: str, *, position: str, css_class: str, style: str = "") -> MacroElement:
    """A Leaflet control holding fixed HTML (markup we build, every text in it escaped)."""
    return _RuntimeControl(
        "htmlControl", {"html": html, "position": position, "css_class": css_class, "style": style}
    )


class FitBounds(MacroElement):
    """Open the map on ``bounds`` ((lat, lon) corners) without an animation.

    folium's ``fit_bounds`` animates from the initial view, which makes every layer draw twice.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.fitBounds({{ this.bounds|tojson }}, {animate: false});
        {% endmacro %}
        """
    )

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[float(v) for v in corner] for corner in bounds]


class Attribution(MacroElement):
    """Add a line to the map's attribution control (text, escaped here; one optional link)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            {{ this._parent.get_name() }}.attributionControl.addAttribution(
                IncidentMap.data({{ this.block.dom_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, text: str, *, url: str | None = None):
        super().__init__()
        self._name = "Attribution"
        html = escape_text(text)
        link = safe_url(url)
        if link:
            html = f'<a href="{escape_text(link)}">{html}</a>'
        self.block = DataBlock(html)
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


def title_control(title: str, subtitle: str = "") -> MacroElement:
    """The map title (top left): text nodes made by the runtime from a data block."""
    return _RuntimeControl("titleControl", {"title": str(title), "subtitle": str(subtitle or "")})


def _rgb(color: str) -> tuple[int, int, int]:
    c = color.lstrip("#")
    return int(c[0:2], 16), int(c[2:4], 16), int(c[4:6], 16)


def blend_hex(color: str, opacity: float, under: str) -> str:
    """``color`` at ``opacity`` painted over ``under`` (sRGB, like the browser): a legend swatch
    that looks like the map.

    >>> blend_hex("#000000", 0.5, "#ffffff")
    '#808080'
    """
    top, bottom = _rgb(color), _rgb(under)
    mixed = (round(opacity * t + (1 - opacity) * b) for t, b in zip(top, bottom, strict=True))
    return "#" + "".join(f"{v:02x}" for v in mixed)


def _rgba(color: str, opacity: float) -> str:
    r, g, b = _rgb(color)
    return f"rgba({r},{g},{b},{opacity:g})"


_SW = "display:inline-block;width:14px;height:10px;margin-right:5px;vertical-align:middle;"


def _swatch(background: str, border: str = "1px solid #777") -> str:
    return f'<span class="im-sw" style="{_SW}background:{background};border:{border}"></span>'


def _hatch_swatch(
    color: str, wash: float, stripe: float, *, under: str, border: str, angle_deg: float
) -> str:
    """A swatch striped like :class:`layers.countries.HatchPatterns` at ``angle_deg``."""
    stripes = (
        f"repeating-linear-gradient({-angle_deg:g}deg,{_rgba(color, stripe)} 0 2.5px,"
        f"{_rgba(color, wash)} 2.5px 7px),{under}"
    )
    return _swatch(stripes, border)


def _line_swatch(color: str, *, weight: float = 3.0, style: str = "solid") -> str:
    return (
        '<span class="im-ln" style="display:inline-block;width:18px;height:0;margin-right:5px;'
        f'vertical-align:middle;border-top:{weight:g}px {style} {color}"></span>'
    )


def _dot(color: str) -> str:
    return (
        '<span style="display:inline-block;width:7px;height:7px;border-radius:50%;'
        f'background:#fff;border:2px solid {color};vertical-align:middle;margin:0 2px"></span>'
    )


_GRID2 = "display:grid;grid-template-columns:auto auto;column-gap:8px"


def _section(title: str, rows, *, height: int | None = None) -> tuple[str, int]:
    """A heading and its rows as HTML, and its height in lines (``height``: of the rows)."""
    html = f'<div style="margin-bottom:4px"><h4>{escape_text(title)}</h4>{"".join(rows)}</div>'
    return html, 1 + (len(rows) if height is None else height)


def _two_columns(sections) -> str:
    """``sections`` ((html, height) in reading order) split where the taller column is lowest."""
    heights = [h for _, h in sections]
    total = sum(heights)
    split = min(
        range(len(sections) + 1), key=lambda i: max(sum(heights[:i]), total - sum(heights[:i]))
    )
    left = "".join(html for html, _ in sections[:split])
    right = "".join(html for html, _ in sections[split:])
    if not right:
        return f"<div>{left}</div>"
    return (
        '<div style="display:flex;gap:14px;align-items:flex-start;line-height:1.3">'
        f"<div>{left}</div><div>{right}</div></div>"
    )


def _row(swatch: str, text: str) -> str:
    return f"<div>{swatch}{escape_text(text)}</div>"


def _ramp(title: str, colors_and_labels, unit: str, *, opacity: float, border: str) -> str:
    """One line: a title, then a swatch per band with its upper edge, then the unit."""
    cells = "".join(
        f'<span style="white-space:nowrap">'
        f"{_swatch(blend_hex(c, opacity, LAND_COLOR), border)}{escape_text(label)}</span> "
        for c, label in colors_and_labels
    )
    return f"<div>{escape_text(title)}</div><div>{cells}{escape_text(unit)}</div>"


#: Land on the offline basemap: what translucent fills are seen over.
LAND_COLOR = basemaps.land_style()["fillColor"]
#: The open sea of the offline basemap (``.leaflet-container`` in ``static/incidentmap.css``).
SEA_BACKGROUND = "#cfe1ec"


#: Legend sections in reading order (left column first).
_LEGEND_ORDER = (
    "Incidents",
    "Claim status",
    "Areas",
    "Lines and bands",
    "NATO members, by accession era",
    "Not NATO (hatched)",
)


def legend_html(
    *,
    kinds=KINDS,
    era_colors=None,
    band_edges_km=(),
    neighbours=(),
    status_kinds=(),
    territorial_seas: bool = False,
    border_line: bool = False,
    tracks: bool = False,
    flight_minutes=(),
    flight_speed_kmh: float | None = None,
) -> str:
    """The legend as (escaped) HTML: sections in two balanced columns, collapsible.

    Parameters
    ----------
    kinds : sequence of str
        Incident kinds drawn.
    era_colors : dict, optional
        Accession era label to fill colour (the countries layer).
    band_edges_km : sequence of float
        Outer edges of the distance bands (the bands layer), km.
    neighbours : sequence of str
        ISO3 codes of the non-NATO neighbours drawn (hatched).
    status_kinds : sequence of str
        Kinds of status areas drawn (keys of :data:`layers.areas.STATUS_KINDS`).
    territorial_seas, border_line, tracks : bool
        Whether those layers are on the map.
    flight_minutes : sequence of float
        Outer edges of the flight-time bands, minutes, at ``flight_speed_kmh``.
    """
    sections = {}
    rows = []
    for kind in kinds:
        s = incident_style(kind, "confirmed")
        rows.append(
            f'<div><span class="im-pin" style="--im-c:{s.color}"><i class="fa-solid {s.icon}"></i>'
            f"</span>{escape_text(s.label)}</div>"
        )
    if rows:
        sections["Incidents"] = _section("Incidents", rows)
    rows = [
        f'<div class="im-s-{status}" style="position:relative">'
        f'<span class="im-pin" style="--im-c:#555"><i class="fa-solid fa-circle"></i></span>'
        f"{escape_text(words)}</div>"
        for status, words in zip(
            STATUSES, ("confirmed", "claimed only", "denied", "attributed"), strict=True
        )
    ]
    sections["Claim status"] = _section(
        "Claim status", [f'<div style="{_GRID2}">{"".join(rows)}</div>'], height=2
    )
    lines = []
    if border_line:
        s = borderbands.border_line_style()
        lines.append(
            _row(_line_swatch(s["color"], weight=s["weight"]), "NATO border with non-members")
        )
    if band_edges_km:
        edges = list(band_edges_km)
        style = borderbands.band_style
        lines.append(
            _ramp(
                "Distance to the NATO border",
                [(style(i)["fillColor"], f"{e:g}") for i, e in enumerate(edges)],
                "km",
                opacity=style(0)["fillOpacity"],
                border="1px solid #999",
            )
        )
    if flight_minutes:
        style = flight_bands.flight_band_style
        speed = f" at {flight_speed_kmh:g} km/h" if flight_speed_kmh else ""
        lines.append(
            _ramp(
                f"Minutes of flight from the border{speed}",
                [(style(i)["fillColor"], f"{m:g}") for i, m in enumerate(flight_minutes)],
                "min",
                opacity=max(style(0)["fillOpacity"], 0.35),
                border="1px dashed #555",
            )
        )
    if tracks:
        t = tracks_layer.track_style(False)
        lines.append(
            f"<div>{_line_swatch(t['color'], weight=t['weight'])}{escape_text('Flight track')} "
            f"({_dot(tracks_layer.ENTRY_COLOR)}{escape_text('entry')} "
            f"{_dot(tracks_layer.EXIT_COLOR)}{escape_text('exit')})</div>"
        )
    if lines:
        # a ramp is two lines (its title, its swatches)
        height = sum(line.count("<div>") for line in lines)
        sections["Lines and bands"] = _section("Lines and bands", lines, height=height)
    if era_colors:
        sections["NATO members, by accession era"] = _section(
            "NATO members, by accession era",
            [
                _row(_swatch(blend_hex(c, countries.MEMBER_FILL_OPACITY, LAND_COLOR)), era)
                for era, c in era_colors.items()
            ],
        )
    if neighbours:
        rows = [
            _row(
                _hatch_swatch(
                    countries.neighbour_color(a3),
                    *countries.NEIGHBOUR_HATCH,
                    under=LAND_COLOR,
                    border=f"1px dashed {countries.NEIGHBOUR_OUTLINE}",
                    angle_deg=countries.NEIGHBOUR_HATCH_ANGLE,
                ),
                countries.NEIGHBOUR_NAMES.get(a3, a3),
            )
            for a3 in neighbours
        ]
        sections["Not NATO (hatched)"] = _section(
            "Not NATO (hatched)",
            [f'<div style="{_GRID2}">{"".join(rows)}</div>'],
            height=(len(rows) + 1) // 2,
        )
    rows = []
    for kind in status_kinds:
        color, label = areas.STATUS_KINDS[kind]
        border = f"1.5px dashed {color}"
        rows.append(
            _row(
                _hatch_swatch(
                    color,
                    *areas.STATUS_HATCH,
                    under=LAND_COLOR,
                    border=border,
                    angle_deg=areas.STATUS_HATCH_ANGLE,
                ),
                label,
            )
        )
    if territorial_seas:
        s = areas.sea_style()
        fill = blend_hex(s["fillColor"], s["fillOpacity"], SEA_BACKGROUND)
        rows.append(_row(_swatch(fill, f"1px solid {s['color']}"), "Territorial sea (12 nmi)"))
    if rows:
        sections["Areas"] = _section("Areas", rows)
    order = [t for t in _LEGEND_ORDER if t in sections]
    return (
        '<details open><summary style="cursor:pointer;font-weight:bold">Legend</summary>'
        f"{_two_columns([sections[t] for t in order])}</details>"
    )


def legend_control(html: str) -> MacroElement:
    """The legend box (bottom right), as wide as its two columns need."""
    return _html_control(
        html, position="bottomright", css_class="im-legend leaflet-bar", style="max-width:none"
    )


class TimeSlider(MacroElement):
    """A date slider over the incidents that respects date ranges (runtime ``IM.timeSlider``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.timeSlider(
                {{ this._parent.get_name() }}, {{ this.min_day }}, {{ this.max_day }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, first: dt.date, last: dt.date):
        super().__init__()
        self._name = "TimeSlider"
        self.min_day = (first - _EPOCH).days
        self.max_day = max((last - _EPOCH).days, self.min_day)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


class IncidentSearch(JSCSSMixin, MacroElement):
    """Search incidents by place or id (leaflet-search over the runtime's markers)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.search({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )
    default_js = Search.default_js
    default_css = Search.default_css

    def __init__(self):
        super().__init__()
        self._name = "IncidentSearch"


class VectorMiniMap(JSCSSMixin, MacroElement):
    """folium's MiniMap plugin, drawing coarse country outlines instead of tiles (works offline)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            var {{ this.get_name() }}_layer = L.geoJson(
                IncidentMap.data({{ this.block.dom_id|tojson }}), {
                style: function () {
                    return {color: "#777", weight: 0.6, fillColor: "#f3f0e8", fillOpacity: 1};
                },
                interactive: false
            });
            var {{ this.get_name() }} = new L.Control.MiniMap({{ this.get_name() }}_layer, {
                position: "bottomleft", toggleDisplay: true, zoomLevelOffset: -5,
                width: 160, height: 130
            });
            {{ this._parent.get_name() }}.addControl({{ this.get_name() }});
        {% endmacro %}
        """
    )
    default_js = MiniMap.default_js
    default_css = MiniMap.default_css

    def __init__(self, outlines_geojson: str):
        super().__init__()
        self._name = "VectorMiniMap"
        self.block = DataBlock(json.loads(outlines_geojson))
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


def measure_control() -> MeasureControl:
    """Distance and area measurement in km and km²."""
    return MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="sqkilometers",
    )


def fullscreen_control() -> Fullscreen:
    """A fullscreen button."""
    return Fullscreen(position="topleft")


def heat_layer(incidents) -> folium.FeatureGroup:
    """A heat map of incident locations (hidden on opening)."""
    group = folium.FeatureGroup(name="Heat map of incidents", show=False)
    if len(incidents):
        points = np.c_[incidents.geometry.y, incidents.geometry.x].round(5).tolist()  # (lat, lon)
        HeatMap(points, radius=18, blur=14, min_opacity=0.35).add_to(group)
    return group
