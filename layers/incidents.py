"""Incident layers: one ``folium.FeatureGroup`` per kind, clustered, fast for 100 000 points.

Incidents are not turned into one folium ``Marker`` each (that makes one JavaScript statement per
incident and takes tens of seconds to open for 10 000). Instead each kind's incidents go into one
compact JSON blob (column arrays) that the small runtime in ``static/im-*.js`` turns into
markers and hands to ``MarkerCluster.addLayers`` in one call (chunked loading). Popups are built
lazily in the browser with DOM nodes and ``textContent``; the text itself is prepared here by the
pure :func:`popup_record`, so what a popup says is tested in Python.

Coordinates flip from (lon, lat) to Leaflet's (lat, lon) here, in :func:`incident_payload`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

import folium
from folium.elements import MacroElement
from folium.template import Template

from incidentmap.geo.schema import CLAIM_STATUSES, KINDS
from incidentmap.layers.escape import escape_text, safe_url
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import GRID2, LegendEntry
from incidentmap.layers.page import DataBlock
from incidentmap.layers.popup_text import (
    _day,
    _get,
    _missing,
    _missing_list,
    _nato_parts,
    _text,
    date_text,
    distance_text,
    nato_soil_text,
    precision_text,
)
from incidentmap.layers.runtime import add_runtime
from incidentmap.layers.timed import clock_minutes, minute_spans

logger = logging.getLogger(__name__)

#: Kinds and claim statuses come from the one schema (a new kind needs a look in _KIND_LOOK).
STATUSES = CLAIM_STATUSES
#: Decimals of the coordinates drawn: 1e-4 degree is at most 11 m, below every incident's
#: precision radius (the exact coordinates stay in the build report).
COORD_DECIMALS = 4


@dataclass(frozen=True)
class IncidentStyle:
    """How an incident of one kind and claim status is drawn."""

    kind: str
    label: str
    color: str  # CSS hex colour of the kind
    icon: str  # Font Awesome 6 solid icon class
    status: str
    fill: str  # marker fill: the kind colour (confirmed) or white/grey
    border: str  # CSS border style: solid, dashed (claimed), dotted (denied)
    opacity: float


_KIND_LOOK = {
    "impact": ("Impact", "#c62828", "fa-burst"),
    "debris_found": ("Debris found", "#ef6c00", "fa-puzzle-piece"),
    "airspace_violation": ("Airspace violation", "#1565c0", "fa-plane"),
    "shoot_down": ("Shoot-down", "#2e7d32", "fa-crosshairs"),
    "strike_on_building": ("Strike on a building", "#6a1b9a", "fa-house-crack"),
    "attack_near_border": ("Attack near the border", "#455a64", "fa-triangle-exclamation"),
}


def kind_label(kind: str) -> str:
    """Human label of an incident kind (``debris_found`` -> ``Debris found``)."""
    look = _KIND_LOOK.get(kind)
    return look[0] if look else str(kind).replace("_", " ").capitalize()


def incident_style(kind: str, status: str) -> IncidentStyle:
    """The style of an incident marker: colour and icon by kind, fill and border by status.

    Confirmed incidents are filled with the kind's colour; claimed (or only attributed) ones are
    white with a dashed border; denied ones are grey, dotted and faded.

    >>> s = incident_style("debris_found", "denied")
    >>> (s.color, s.icon, s.border, s.opacity)
    ('#ef6c00', 'fa-puzzle-piece', 'dotted', 0.65)
    """
    if kind not in _KIND_LOOK:
        raise ValueError(f"incident kind {kind!r} is not one of {', '.join(KINDS)}")
    if status not in STATUSES:
        raise ValueError(f"claim status {status!r} is not one of {', '.join(STATUSES)}")
    label, color, icon = _KIND_LOOK[kind]
    if status == "confirmed":
        return IncidentStyle(kind, label, color, icon, status, color, "solid", 1.0)
    if status == "denied":
        return IncidentStyle(kind, label, color, icon, status, "#eeeeee", "dotted", 0.65)
    return IncidentStyle(kind, label, color, icon, status, "#ffffff", "dashed", 1.0)


# -- popup content (pure) --------------------------------------------------------------------


def popup_record(row) -> list:
    """The popup of one incident as a list of plain strings (shown with ``textContent``).

    ``[id, title, date, place, kind, weapon, country, nato, distance, status, claims, sources,
    notes, precision]`` where claims are ``[date, actor, stance, summary]`` in date order and
    sources are ``[label, url or None]`` (only http/https URLs are kept as links).
    """
    kind = _text(_get(row, "kind"))
    place = _text(_get(row, "location_as_reported")) or _text(_get(row, "location"))
    weapon = _text(_get(row, "weapon"))
    count = _get(row, "count")
    if weapon and not _missing(count) and int(count) > 1:
        weapon = f"{weapon} (×{int(count)})"
    country = _text(_get(row, "found_country_name")) or _text(_get(row, "country"))
    reported = _text(_get(row, "country"))
    found = _text(_get(row, "found_country"))
    if found and reported and found != reported:
        country += f" (reported as {reported})"
    claims = []
    raw_claims = _get(row, "claims")
    for claim in [] if _missing_list(raw_claims) else list(raw_claims):
        day = _day(_get(claim, "date"))
        claims.append(
            [
                day.isoformat() if day else "",
                _text(_get(claim, "actor")),
                _text(_get(claim, "stance")),
                _text(_get(claim, "summary")),
            ]
        )
    claims.sort(key=lambda c: c[0])  # stable: same-day claims keep their recorded order
    sources = []
    raw_sources = _get(row, "sources")
    for source in [] if _missing_list(raw_sources) else list(raw_sources):
        day = _day(_get(source, "date"))
        label = " — ".join(
            x for x in (_text(_get(source, "publisher")), day.isoformat() if day else "") if x
        )
        title = _text(_get(source, "title"))
        if title:
            label += f": {title}"
        ref = _text(_get(source, "ref"))
        url = safe_url(_get(source, "url"))
        if url is None and ref:
            label += f" [{ref}]"
        sources.append([label, url])
    status = _text(_get(row, "claim_status"))
    return [
        _text(_get(row, "event_id_cnty")),
        f"{kind_label(kind)}: {place}" if place else kind_label(kind),
        date_text(_get(row, "date_start"), _get(row, "date_end")),
        place,
        kind_label(kind),
        weapon,
        country,
        nato_soil_text(row),
        distance_text(_get(row, "distance_to_nato_border_km")),
        status,
        claims,
        sources,
        _text(_get(row, "notes")),
        precision_text(row),
    ]


# -- payload and folium elements ---------------------------------------------------------------

_EPOCH = dt.date(1970, 1, 1)


def _days(values) -> list[int]:
    return [(_day(v) - _EPOCH).days for v in values]


def encode_column(values: list):
    """A list, or ``{"u": uniques, "i": indexes}`` when that is shorter (repeated values).

    >>> encode_column(["yes", "yes", "no", "yes"])
    {'u': ['yes', 'no'], 'i': [0, 0, 1, 0]}
    """
    # scalars are their own keys (typed: 1, 1.0 and True stay apart); others as sorted JSON
    keys = [
        (type(v), v)
        if v is None or isinstance(v, str | int | float)
        else json.dumps(v, sort_keys=True, default=str)
        for v in values
    ]
    index: dict[str, int] = {}
    uniques, positions = [], []
    for key, value in zip(keys, values, strict=True):
        if key not in index:
            index[key] = len(uniques)
            uniques.append(value)
        positions.append(index[key])
    if len(uniques) * 2 <= len(values):
        return {"u": uniques, "i": positions}
    return list(values)


#: The record fields :func:`popup_record` and :func:`layers.popup_text._nato_parts` read.
POPUP_FIELDS = (
    "event_id_cnty",
    "kind",
    "location",
    "location_as_reported",
    "weapon",
    "count",
    "country",
    "found_country",
    "found_country_name",
    "claims",
    "sources",
    "claim_status",
    "date_start",
    "date_end",
    "event_date",
    "distance_to_nato_border_km",
    "notes",
    "precision_m",
    "geocoding_source",
    "on_nato_soil",
    "status_note",
    "zone",
)

#: Popup columns of the payload, in the order the runtime reads them.
POPUP_COLUMNS = (
    "precision",
    "id",
    "place",
    "weapon",
    "country",
    "nato",
    "where",
    "distance",
    "claims",
    "sources",
    "notes",
)


def incident_payload(incidents, kind: str) -> dict:
    """The compact JSON-able blob of one kind's incidents, in (lat, lon) order.

    With any time of day (``event_time``), ``m0``/``m1`` carry each incident's span in minutes
    (:func:`layers.timed.minute_span`) and ``tm`` the times shown with the date.

    Coordinates, claim statuses and days (since 1970-01-01) are plain arrays; the popup text
    comes from :func:`popup_record` and is stored column by column, repeated values
    dictionary-encoded (:func:`encode_column`). Date text, title, kind and status are rebuilt
    in the browser from the arrays, so the blob stays small (about 100 bytes an incident).
    """
    sub = incidents[incidents["kind"] == kind]
    look = incident_style(kind, "confirmed")
    lon = sub.geometry.x.to_numpy() if hasattr(sub, "geometry") else sub["longitude"].to_numpy()
    lat = sub.geometry.y.to_numpy() if hasattr(sub, "geometry") else sub["latitude"].to_numpy()
    status = sub["claim_status"].where(sub["claim_status"].isin(STATUSES), "claimed")
    # only the fields the popup reads (a records copy of every column cost time and memory)
    rows = sub[[c for c in POPUP_FIELDS if c in sub.columns]].to_dict("records")
    records = [popup_record(row) for row in rows]
    nato = [_nato_parts(row) for row in rows]
    d0 = _days(sub["date_start"])
    event_days = [
        (day - _EPOCH).days if day else d for (_, day, _), d in zip(nato, d0, strict=True)
    ]
    columns = {
        "id": [r[0] for r in records],
        "place": [r[3] for r in records],
        "weapon": [r[5] for r in records],
        "country": [r[6] for r in records],
        "nato": [answer for answer, _, _ in nato],
        "where": [context for _, _, context in nato],
        "distance": [r[8] for r in records],
        "claims": [r[10] for r in records],
        "sources": [r[11] for r in records],
        "notes": [r[12] for r in records],
        "precision": [r[13] for r in records],
    }
    payload = {
        "style": {"kind": kind, "label": look.label, "color": look.color, "icon": look.icon},
        "status": list(STATUSES),
        "lat": np.round(lat, COORD_DECIMALS).tolist(),
        "lon": np.round(lon, COORD_DECIMALS).tolist(),
        "st": [STATUSES.index(s) for s in status],
        "d0": d0,
        "d1": _days(sub["date_end"]),
        "pm": [round(v) for v in _precision(sub)],
        "pop": {name: encode_column(columns[name]) for name in POPUP_COLUMNS},
    }
    if event_days != d0:
        payload["de"] = event_days
    spans = minute_spans(sub)
    if spans is not None:  # times of day: spans in minutes (local clock) for the time range
        payload["m0"], payload["m1"] = spans
        ends = sub["event_time_end"] if "event_time_end" in sub else [None] * len(sub)
        payload["tm"] = [_clock_text(a, b) for a, b in zip(sub["event_time"], ends, strict=True)]
    return payload


def _clock_text(start, end) -> str:
    """``"23:30–06:30"``, ``"06:30"`` or ``""``: the times of day shown with the date."""
    start = None if clock_minutes(start) is None else str(start)
    end = None if clock_minutes(end) is None else str(end)
    if start is None:
        return ""
    return f"{start}–{end}" if end else start


def _precision(sub) -> list:
    """``precision_m`` of each incident (0 where unknown): the runtime's precision halo."""
    if "precision_m" not in sub:
        return [0] * len(sub)
    return pd.to_numeric(sub["precision_m"], errors="coerce").fillna(0).tolist()


_CSS_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")


def incident_layers(incidents, *, kinds=KINDS, progress=None) -> list[folium.FeatureGroup]:
    """One ``FeatureGroup`` per kind present in ``incidents`` (an enriched GeoDataFrame).

    Layers are named ``Incidents: <kind> (<count>)``; the browser runtime clusters and draws
    them (``IncidentMap.addIncidents``). ``progress(text)`` is called before each kind.
    """
    groups = []
    for kind in kinds:
        n = int((incidents["kind"] == kind).sum()) if len(incidents) else 0
        if n == 0:
            continue
        if progress is not None:
            progress(f"incidents: {kind_label(kind)} ({n})")
        payload = incident_payload(incidents, kind)
        assert _CSS_COLOR.match(payload["style"]["color"])
        group = folium.FeatureGroup(name=escape_text(f"Incidents: {kind_label(kind)} ({n})"))
        _IncidentData(payload).add_to(group)
        groups.append(group)
    return groups


class _IncidentData(MacroElement):
    """One kind's blob as a JSON data block, handed to the runtime, which fills the parent group.

    The blob travels in a :class:`layers.page.DataBlock` (never through a template); the macro
    only names the block. ``JSON.parse`` of a data block is much faster than the same data as a
    JavaScript literal.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.addIncidents(
                {{ this.map_name }},
                {{ this._parent.get_name() }},
                IncidentMap.data({{ this.block.dom_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, payload: dict):
        super().__init__()
        self._name = "IncidentData"
        self.block = DataBlock(payload)
        self.add_child(self.block)
        self.map_name = None

    def render(self, **kwargs):
        node = self._parent
        while node is not None and not isinstance(node, folium.Map):
            node = node._parent
        if node is None:
            raise ValueError("incident layers must be added to a folium.Map before rendering")
        self.map_name = node.get_name()
        add_runtime(self.get_root())
        super().render(**kwargs)


# -- the layer ---------------------------------------------------------------------------------


def legend_entries(kinds) -> list[LegendEntry]:
    """Legend rows: one pin per incident kind in ``kinds``, and the four claim statuses."""
    rows = []
    for kind in kinds:
        s = incident_style(kind, "confirmed")
        rows.append(
            f'<div><span class="im-pin" style="--im-c:{s.color}"><i class="fa-solid {s.icon}"></i>'
            f"</span>{escape_text(s.label)}</div>"
        )
    entries = [LegendEntry("Incidents", tuple(rows))] if rows else []
    statuses = [
        f'<div class="im-s-{status}" style="position:relative">'
        f'<span class="im-pin" style="--im-c:#555"><i class="fa-solid fa-circle"></i></span>'
        f"{escape_text(words)}</div>"
        for status, words in zip(
            STATUSES, ("confirmed", "claimed only", "denied", "attributed"), strict=True
        )
    ]
    entries.append(
        LegendEntry("Claim status", (f'<div style="{GRID2}">{"".join(statuses)}</div>',), height=2)
    )
    return entries


def _kinds_drawn(ctx) -> list[str]:
    if not len(ctx.selected):
        return []
    return [k for k in ctx.spec.kinds if (ctx.selected["kind"] == k).any()]


INCIDENTS = MapLayer(
    "incidents",
    draw=lambda ctx: incident_layers(ctx.selected, kinds=ctx.spec.kinds, progress=ctx.progress),
    legend=lambda ctx: legend_entries(_kinds_drawn(ctx)),
)
