"""Layers that follow the page's time range (runtime ``im-time.js``): a heat map drawn from
the incidents inside the range, and a tag that hides any layer (a flight track) outside it.

Time in the page is counted in minutes since 1970-01-01 00:00 of the local clock at each place
(the schema's ``event_time``/``event_time_end`` are local times): :func:`minute_span` turns a
record's days and optional times of day into the inclusive span ``[m0, m1]`` the runtime's one
predicate (``IncidentMap.inTime``) compares with the range.

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

#: The heat map's colours, low to high density (no marker colour; the legend shows them).
HEAT_GRADIENT = {0.2: "#2c7bb6", 0.45: "#00a6ca", 0.65: "#00ccbc", 0.85: "#90eb9d", 1.0: "#ffff8c"}
#: The heat map's look (Leaflet.heat options). Leaflet.heat divides each point's weight by
#: 2 ** (maxZoom - zoom), with maxZoom the map's (18) unless given: at the opening zoom 6 that
#: made one incident 1/4096 of full strength, i.e. invisible. From zoom 5 on a point is at full
#: strength, so a single incident shows.
HEAT_OPTIONS = {
    "radius": 32,  # wide enough to show round the markers that sit on its hot centres
    "blur": 22,
    "minOpacity": 0.55,
    "maxZoom": 5,
    "gradient": {str(k): v for k, v in HEAT_GRADIENT.items()},
}


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


DAY_MIN = 1440


def clock_minutes(value) -> int | None:
    """Minutes after midnight of an ``"HH:MM"`` time of day (None when missing).

    >>> clock_minutes("23:30"), clock_minutes(None)
    (1410, None)
    """
    if value is None or (isinstance(value, float) and value != value):  # None or NaN
        return None
    text = str(value).strip()
    if not text:
        return None
    hours, _, minutes = text.partition(":")
    return int(hours) * 60 + int(minutes)


def minute_span(date_start, date_end, event_time=None, event_time_end=None) -> tuple[int, int]:
    """The inclusive span ``(m0, m1)`` of an incident in minutes since 1970-01-01 (local clock).

    Without a time of day the span covers whole days, from ``date_start`` 00:00 to the last
    minute of ``date_end``. ``event_time`` starts it on ``date_start``; ``event_time_end`` ends
    it (an end earlier than the start is on the next day); a start time without an end is an
    instant when the record is one day long, else the span runs to the end of ``date_end``.

    >>> minute_span("2025-09-09", "2025-09-10", "23:30", "06:30")  # the night over Poland
    (29291010, 29291430)
    >>> minute_span("2025-09-10", "2025-09-10") == (20341 * 1440, 20342 * 1440 - 1)
    True
    """
    d0, d1 = epoch_day(date_start), epoch_day(date_end)
    start, end = clock_minutes(event_time), clock_minutes(event_time_end)
    m1_days = d1 * DAY_MIN + DAY_MIN - 1
    if start is None:
        return d0 * DAY_MIN, m1_days
    m0 = d0 * DAY_MIN + start
    if end is None:
        return (m0, m0) if d1 == d0 else (m0, m1_days)
    m1 = d0 * DAY_MIN + end
    if m1 < m0:
        m1 += DAY_MIN
    return m0, m1


def minute_spans(frame) -> tuple[list[int], list[int]] | None:
    """``(m0s, m1s)`` of every row of ``frame`` (:func:`minute_span`), or None when no row has
    a time of day (the page then works in whole days from ``date_start``/``date_end``)."""
    if "event_time" not in frame or not frame["event_time"].notna().any():
        return None
    ends = frame["event_time_end"] if "event_time_end" in frame else [None] * len(frame)
    spans = [
        minute_span(a, b, t0, t1)
        for a, b, t0, t1 in zip(
            frame["date_start"], frame["date_end"], frame["event_time"], ends, strict=True
        )
    ]
    return [a for a, _ in spans], [b for _, b in spans]


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
        spans = minute_spans(incidents)
        if spans is not None:
            data["m0"], data["m1"] = spans
        self.block = DataBlock(data)
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


class TimeTag(MacroElement):
    """Shows its parent layer inside the grandparent group only while its span meets the
    page's time range (``IncidentMap.timedLayer``): the days [first, last], or ``span``
    (minutes, :func:`minute_span`) when the track's incident has a time of day."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.timedLayer({{ this._parent.get_name() }},
                {{ this._parent._parent.get_name() }}, {{ this.d0 }}, {{ this.d1 }});
        {% endmacro %}
        """
    )

    def __init__(self, first, last, *, span: tuple[int, int] | None = None):
        super().__init__()
        self._name = "TimeTag"
        self.d0, self.d1 = span or minute_span(first, last)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)
