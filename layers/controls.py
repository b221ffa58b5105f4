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

    def __init__(self, text: str, *, url: str | None = None, credits=None):
        super().__init__()
        self._name = "Attribution"
        from incidentmap.layers.attribution import Credit, credits_html

        # one line of several credits (layers.attribution) or one text with one link
        self.block = DataBlock(credits_html(credits or [Credit(text, url)]))
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
                {{ this.hourly|tojson }}, {{ this.hours|tojson }}
            );
        {% endmacro %}
        """
    )

    def __init__(self, first: dt.date, last: dt.date, *, hourly: bool = False, hours=None):
        super().__init__()
        self._name = "TimeSlider"
        self.min_day = (first - _EPOCH).days
        self.max_day = max((last - _EPOCH).days, self.min_day)
        self.hourly = bool(hourly)
        # hourly: the first and last hour (since 1970) the incidents span
        self.hours = [int(h) for h in hours] if hourly and hours else None

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


#: Units of the measure control that leaflet-measure lacks or names in words (factors per metre
#: or square metre): without ``sqkilometers`` it printed areas as bare square metres.
MEASURE_UNITS = {
    "kilometers": {"factor": 0.001, "display": "km", "decimals": 2},
    "miles": {"factor": 3.2808 / 5280, "display": "mi", "decimals": 2},
    "sqkilometers": {"factor": 1e-6, "display": "km²", "decimals": 2},
    "hectares": {"factor": 1e-4, "display": "ha", "decimals": 0},
}


def measure_control() -> MeasureControl:
    """Distance and area measurement in km (mi) and km² (ha)."""
    return MeasureControl(
        position="topleft",
        primary_length_unit="kilometers",
        secondary_length_unit="miles",
        primary_area_unit="sqkilometers",
        secondary_area_unit="hectares",
        units=MEASURE_UNITS,
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
    hours = (min(spans[0]) // 60, max(spans[1]) // 60) if hourly else None
    return [TimeSlider(first, last, hourly=hourly, hours=hours)]


def heat_legend() -> list:
    """The heat map's colour ramp, low to high density of incidents."""
    from incidentmap.layers.legend import LegendEntry, ramp
    from incidentmap.layers.timed import HEAT_GRADIENT

    colours = list(HEAT_GRADIENT.values())
    labels = ["low"] + [""] * (len(colours) - 2) + ["high"]
    line = ramp(
        "Heat map: density of incidents (layer off on opening)",
        list(zip(colours, labels, strict=True)),
        "",
        opacity=1.0,
        border="1px solid #999",
    )
    return [LegendEntry("Lines and bands", (line,), height=2, order=5)]


HEATMAP = MapLayer(
    "heatmap", draw=lambda ctx: [heat_layer(ctx.selected)], legend=lambda ctx: heat_legend()
)
TIMESLIDER = MapLayer("timeslider", draw=_time_slider)
SEARCH = MapLayer("search", draw=lambda ctx: [IncidentSearch()])
MEASURE = MapLayer("measure", draw=lambda ctx: [measure_control()])
FULLSCREEN = MapLayer("fullscreen", draw=lambda ctx: [fullscreen_control()])
MINIMAP = MapLayer("minimap", draw=lambda ctx: [VectorMiniMap(ctx.drawing.coarse_outlines_geojson)])
