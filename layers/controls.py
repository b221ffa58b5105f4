"""Map controls: title, attribution, time slider, search, measure, fullscreen, minimap, heat map.

The legend is :mod:`layers.legend`; each control a spec can name is a :class:`MapLayer` here.
"""

from __future__ import annotations

import datetime as dt
import json
import logging

import folium
from folium.elements import JSCSSMixin, MacroElement
from folium.plugins import Fullscreen, MeasureControl, MiniMap, Search
from folium.template import Template

from incidentmap.layers.escape import escape_text, safe_url
from incidentmap.layers.layer import MapLayer
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


def html_control(html: str, *, position: str, css_class: str, style: str = "") -> MacroElement:
    """A Leaflet control holding fixed HTML (markup we build, every text in it escaped)."""
    return _RuntimeControl(
        "htmlControl", {"html": html, "position": position, "css_class": css_class, "style": style}
    )


class FitBounds(MacroElement):
    """Open the map on ``bounds`` ((lat, lon) corners) without an animation.

    folium's ``fit_bounds`` animates from the initial view, which makes every layer draw twice.
    Once every control is on the map, the runtime (``IM.openView``) collapses the layer panel
    and legend on narrow screens and fits ``bounds`` again clear of the controls' boxes.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.openView({{ this._parent.get_name() }}, {{ this.bounds|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, bounds):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = [[float(v) for v in corner] for corner in bounds]

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


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


class TimeSlider(MacroElement):
    """A from–to range over the incidents that respects date ranges and times of day (runtime
    ``IM.timeSlider``). ``hourly`` makes it step by hours (local clock) instead of days."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.timeSlider(
                {{ this._parent.get_name() }}, {{ this.min_day }}, {{ this.max_day }},
                {{ this.hourly|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, first: dt.date, last: dt.date, *, hourly: bool = False):
        super().__init__()
        self._name = "TimeSlider"
        self.min_day = (first - _EPOCH).days
        self.max_day = max((last - _EPOCH).days, self.min_day)
        self.hourly = bool(hourly)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


#: The slider steps by hours when some incident has a time of day and the range is this short.
HOURLY_MAX_DAYS = 7


class IncidentSearch(JSCSSMixin, MacroElement):
    """Search incidents by place or id (leaflet-search over the runtime's markers)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.search(
                {{ this._parent.get_name() }}, IncidentMap.data({{ this.block.dom_id|tojson }})
            );
        {% endmacro %}
        """
    )
    default_js = Search.default_js
    default_css = Search.default_css

    def __init__(self):
        super().__init__()
        self._name = "IncidentSearch"
        # the geocoder's folding rules (one definition, geo.geocoding.names), for the browser
        self.block = DataBlock(search_fold_rules())
        self.add_child(self.block)


def search_fold_rules() -> dict:
    """The rules of :func:`geo.geocoding.names.fold` as data the runtime's search applies.

    >>> search_fold_rules()["letters"]["ł"]
    'l'
    """
    from incidentmap.geo.geocoding import names

    letters = {chr(k): v for k, v in names._SPECIAL_LETTERS.items()}
    return {
        "letters": letters,
        "drop": names._DROP.pattern,
        "separators": names._SEPARATORS.pattern,
    }


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
        # maps2: drawn by the runtime from the incidents inside the time range (layers.timed)
        from incidentmap.layers.timed import TimedHeat

        TimedHeat(incidents).add_to(group)
    return group


# -- the controls a spec can name ----------------------------------------------------------------


def _time_slider(ctx) -> list:
    if not len(ctx.selected):
        return []
    from incidentmap.layers.popup_text import _day
    from incidentmap.layers.timed import minute_spans

    first = min(_day(d) for d in ctx.selected["date_start"])
    last = max(_day(d) for d in ctx.selected["date_end"])
    spans = minute_spans(ctx.selected)
    if spans is not None:  # an end time after midnight can run into the day after date_end
        last = max(last, _EPOCH + dt.timedelta(days=max(spans[1]) // 1440))
    hourly = spans is not None and (last - first).days < HOURLY_MAX_DAYS
    return [TimeSlider(first, last, hourly=hourly)]


HEATMAP = MapLayer("heatmap", draw=lambda ctx: [heat_layer(ctx.selected)])
TIMESLIDER = MapLayer("timeslider", draw=_time_slider)
SEARCH = MapLayer("search", draw=lambda ctx: [IncidentSearch()])
MEASURE = MapLayer("measure", draw=lambda ctx: [measure_control()])
FULLSCREEN = MapLayer("fullscreen", draw=lambda ctx: [fullscreen_control()])
MINIMAP = MapLayer("minimap", draw=lambda ctx: [VectorMiniMap(ctx.drawing.coarse_outlines_geojson)])
