"""Layers that follow the page's time range (runtime ``im-time.js``): a heat map drawn from
the incidents inside the range, and a tag that hides any layer (a flight track) outside it.

Data travels in :class:`layers.page.DataBlock` JSON blocks; the macros only name blocks and
layers.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from folium.elements import JSCSSMixin, MacroElement
from folium.plugins import HeatMap
from folium.template import Template

from incidentmap.layers.page import DataBlock
from incidentmap.layers.runtime import add_runtime

_EPOCH = dt.date(1970, 1, 1)

#: The heat map's look (Leaflet.heat options).
HEAT_OPTIONS = {"radius": 18, "blur": 14, "minOpacity": 0.35}


def epoch_day(value) -> int:
    """Days since 1970-01-01 of a date, datetime or ISO text.

    >>> epoch_day("2025-09-10")
    20341
    """
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    if isinstance(value, dt.datetime):
        value = value.date()
    if hasattr(value, "date") and not isinstance(value, dt.date):  # pandas Timestamp
        value = value.date()
    return (value - _EPOCH).days


class TimedHeat(JSCSSMixin, MacroElement):
    """A heat map of incident points, redrawn from those inside the time range."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.timedHeat({{ this._parent.get_name() }},
                IncidentMap.data({{ this.block.dom_id|tojson }}), {{ this.options|tojson }});
        {% endmacro %}
        """
    )
    default_js = HeatMap.default_js

    def __init__(self, incidents):
        super().__init__()
        self._name = "TimedHeat"
        self.options = dict(HEAT_OPTIONS)
        data = {
            "lat": np.round(incidents.geometry.y.to_numpy(), 5).tolist(),
            "lon": np.round(incidents.geometry.x.to_numpy(), 5).tolist(),
            "d0": [epoch_day(d) for d in incidents["date_start"]],
            "d1": [epoch_day(d) for d in incidents["date_end"]],
        }
        self.block = DataBlock(data)
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


class TimeTag(MacroElement):
    """Shows its parent layer inside the grandparent group only while [first, last] meets the
    page's time range (``IncidentMap.timedLayer``)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.timedLayer({{ this._parent.get_name() }},
                {{ this._parent._parent.get_name() }}, {{ this.d0 }}, {{ this.d1 }});
        {% endmacro %}
        """
    )

    def __init__(self, first, last):
        super().__init__()
        self._name = "TimeTag"
        self.d0 = int(epoch_day(first))
        self.d1 = int(epoch_day(last))

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)
