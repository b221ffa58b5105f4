"""Map controls: title, legend, time slider, search, measure, fullscreen, minimap, heat map."""

from __future__ import annotations

import datetime as dt
import logging

import numpy as np

import folium
from folium.elements import JSCSSMixin, MacroElement
from folium.plugins import Fullscreen, HeatMap, MeasureControl, MiniMap, Search
from folium.template import Template

from layers.escape import escape_text, json_for_script, safe_url
from layers.incidents import KINDS, STATUSES, incident_style
from layers.runtime import add_runtime

logger = logging.getLogger(__name__)

_EPOCH = dt.date(1970, 1, 1)


class _Html(MacroElement):
    """A Leaflet control holding fixed HTML (already escaped by the caller)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            (function () {
                var c = L.control({position: {{ this.position|tojson }}});
                c.onAdd = function () {
                    var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
                    div.innerHTML = {{ this.html_json }};
                    L.DomEvent.disableClickPropagation(div);
                    return div;
                };
                c.addTo({{ this._parent.get_name() }});
            })();
        {% endmacro %}
        """
    )

    def __init__(self, html: str, *, position: str, css_class: str):
        super().__init__()
        self._name = "HtmlControl"
        self.html_json = json_for_script(html)
        self.position = position
        self.css_class = css_class


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
            {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.html_json }});
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
        self.html_json = json_for_script(html)


def title_control(title: str, subtitle: str = "") -> MacroElement:
    """The map title (top centre-left), escaped."""
    html = escape_text(title)
    if subtitle:
        html += f"<small>{escape_text(subtitle)}</small>"
    return _Html(html, position="topleft", css_class="im-title leaflet-bar")


def legend_html(*, kinds=KINDS, era_colors=None, band_edges_km=()) -> str:
    """The legend as (escaped) HTML: kinds, claim statuses, accession eras, bands."""
    parts = ["<h4>Incidents</h4>"]
    for kind in kinds:
        s = incident_style(kind, "confirmed")
        parts.append(
            f'<div><span class="im-pin" style="--im-c:{s.color}"><i class="fa-solid {s.icon}"></i>'
            f"</span>{escape_text(s.label)}</div>"
        )
    parts.append("<h4>Status</h4>")
    for status, words in zip(
        STATUSES,
        ("confirmed (filled)", "claimed only (dashed)", "denied (grey, ×)", "attributed (dashed)"),
        strict=True,
    ):
        parts.append(
            f'<div class="im-s-{status}" style="position:relative">'
            f'<span class="im-pin" style="--im-c:#555"><i class="fa-solid fa-circle"></i></span>'
            f"{escape_text(words)}</div>"
        )
    if era_colors:
        parts.append("<h4>NATO accession era</h4>")
        for era, color in era_colors.items():
            parts.append(
                f'<div><span class="im-sw" style="background:{color}"></span>'
                f"{escape_text(era)}</div>"
            )
    if band_edges_km:
        parts.append(
            f"<h4>Bands: {escape_text(', '.join(f'{b:g}' for b in band_edges_km))} km</h4>"
        )
    return "".join(parts)


def legend_control(html: str) -> MacroElement:
    """The legend box (bottom right)."""
    return _Html(html, position="bottomright", css_class="im-legend leaflet-bar")


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
            var {{ this.get_name() }}_layer = L.geoJson({{ this.geojson }}, {
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
        self.geojson = outlines_geojson.replace("</", "<\\/")


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
