"""Flight tracks on the map: the geodesic line with direction arrows, entry and exit markers,
the deepest point, and a popup with the time and distance inside NATO airspace.

Input is pairs of (:class:`geo.tracks.Track`, :class:`geo.airspace.TrackAnalysis`). Every
text that reaches the page goes through :func:`layers.escape.escape_text`; links only through
:func:`layers.escape.safe_url`. Coordinates flip from (lon, lat) to Leaflet's (lat, lon) here.
Arrows are plain Leaflet ``divIcon`` markers (no plugin, so offline pages need no extra asset).
"""

from __future__ import annotations

import logging
import math

import numpy as np
from branca.element import MacroElement
from jinja2 import Template

import folium

from incidentmap.geo.geodesic import geodesic_destination, geodesic_inverse
from incidentmap.layers.escape import escape_text, safe_url
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import LegendEntry, dot, line_swatch
from incidentmap.layers.page import DataBlock
from incidentmap.layers.runtime import add_runtime

logger = logging.getLogger(__name__)

ENTRY_COLOR = "#2e7d32"
EXIT_COLOR = "#c62828"
TRACK_COLOR = "#6a1b9a"
#: Spacing of the vertices drawn along each geodesic leg, metres.
DRAW_STEP_M = 2_000.0


def track_style(approximate: bool) -> dict:
    """Line style of a track: dashed when it is an approximate reconstruction.

    >>> track_style(True)["dashArray"], track_style(False).get("dashArray")
    ('8 6', None)
    """
    style = {"color": TRACK_COLOR, "weight": 3.0, "opacity": 0.9}
    if approximate:
        style["dashArray"] = "8 6"
    return style


def geodesic_path(lon, lat, *, step_m: float = DRAW_STEP_M) -> np.ndarray:
    """(lat, lon) vertices along the geodesic legs of a track, for Leaflet."""
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    inv = geodesic_inverse(lon[:-1], lat[:-1], lon[1:], lat[1:])
    dist = np.atleast_1d(inv.distance_m)
    azi = np.atleast_1d(inv.azimuth1_deg)
    out = []
    for i in range(dist.size):
        n = max(1, math.ceil(dist[i] / step_m))
        offsets = np.arange(n) * dist[i] / n
        x, y = geodesic_destination(lon[i], lat[i], azi[i], offsets)
        out.append(np.column_stack([np.atleast_1d(y), np.atleast_1d(x)]))
    out.append(np.array([[lat[-1], lon[-1]]]))
    return np.vstack(out)


def _mercator_y(lat_deg):
    lat = np.radians(np.clip(lat_deg, -85.0, 85.0))
    return np.degrees(np.log(np.tan(np.pi / 4 + lat / 2)))


def arrow_marks(path_latlon: np.ndarray, *, count: int = 4) -> list[tuple[float, float, float]]:
    """``count`` arrows spaced along a (lat, lon) path: (lat, lon, screen angle in degrees,
    clockwise from east, as CSS ``rotate`` wants it on a Web Mercator map).

    >>> [round(v, 1) for v in arrow_marks(np.array([[45.0, 28.0], [45.0, 29.0]]), count=1)[0]]
    [45.0, 28.5, -0.0]
    """
    if len(path_latlon) < 2:
        return []
    lat, lon = path_latlon[:, 0], path_latlon[:, 1]
    seg = np.hypot(np.diff(lon) * np.cos(np.radians(lat[:-1])), np.diff(lat))
    cum = np.concatenate([[0.0], np.cumsum(seg)])
    if cum[-1] <= 0:
        return []
    marks = []
    for k in range(count):
        target = cum[-1] * (k + 0.5) / count
        i = int(np.clip(np.searchsorted(cum, target) - 1, 0, len(seg) - 1))
        f = (target - cum[i]) / seg[i] if seg[i] > 0 else 0.0
        mlat = lat[i] + f * (lat[i + 1] - lat[i])
        mlon = lon[i] + f * (lon[i + 1] - lon[i])
        dx = lon[i + 1] - lon[i]
        dy = _mercator_y(lat[i + 1]) - _mercator_y(lat[i])
        marks.append((float(mlat), float(mlon), float(-math.degrees(math.atan2(dy, dx)))))
    return marks


def _minutes(seconds) -> str:
    return "unknown (no times)" if seconds is None else f"{seconds / 60:.1f} min"


def _clock(c) -> str:
    if c.time:
        return c.time[11:19] + " UTC"
    if c.time_from_start_s is not None:
        return f"+{c.time_from_start_s / 60:.1f} min"
    return ""


def crossing_tooltip(c, country_name: str) -> str:
    """Escaped tooltip of an entry or exit marker."""
    if c.kind == "entry":
        text = f"Entry into {country_name} from {c.from_country}"
    else:
        text = f"Exit from {country_name} to {c.to_country}"
    when = _clock(c)
    return escape_text(f"{text}{' at ' + when if when else ''}")


def track_popup_html(track, analysis) -> str:
    """The popup of a track as HTML in which every piece of text is escaped."""
    a = analysis
    rows = [f"<b>{escape_text(a.track or 'Flight track')}</b>"]
    if a.approximate:
        rows.append("<i>approximate reconstruction, not a recorded track</i>")
    if a.incident:
        rows.append(f"Incident: {escape_text(a.incident)}")
    rows.append(
        f"Inside NATO airspace: {escape_text(f'{a.distance_inside_m / 1000:.1f} km')}, "
        f"{escape_text(_minutes(a.time_inside_s))}"
    )
    for p in a.pieces:
        line = (
            f"{p.country_name} ({p.country}): {p.distance_m / 1000:.1f} km, "
            f"{_minutes(p.duration_s)}; deepest {p.deepest.depth_m / 1000:.1f} km"
        )
        rows.append(escape_text(line))
    if a.time_basis:
        rows.append(escape_text(f"Times: {a.time_basis}"))
    if track.method:
        rows.append(f"<small>{escape_text(track.method)}</small>")
    links = []
    for s in track.sources:
        title = escape_text(s.get("title") or s.get("publisher") or "source")
        publisher = escape_text(s.get("publisher") or "")
        url = safe_url(s.get("url"))
        text = f"{publisher}: {title}" if publisher else title
        links.append(
            f'<a href="{escape_text(url)}" target="_blank" rel="noopener">{text}</a>'
            if url
            else text
        )
    if links:
        rows.append("Sources:<br>" + "<br>".join(links))
    return "<br>".join(rows)


def _arrow_icon(angle_deg: float) -> folium.DivIcon:
    html = (
        f'<div style="transform: rotate({angle_deg:.1f}deg); color: {TRACK_COLOR}; '
        'font-size: 16px; line-height: 16px; text-align: center;">&#10148;</div>'
    )
    return folium.DivIcon(html=html, icon_size=(16, 16), icon_anchor=(8, 8))


class HtmlPopup(MacroElement):
    """Binds already-escaped popup HTML to its parent layer with plain Leaflet.

    folium's ``Popup`` builds its content with jQuery, which our maps do not load.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "{{ this._parent.get_name() }}.bindPopup("
        "IncidentMap.data({{ this.block.dom_id|tojson }}), {{ this.options|tojson }});"
        "{% endmacro %}"
    )

    def __init__(self, html: str, *, max_width: int = 360):
        super().__init__()
        self._name = "HtmlPopup"
        self.block = DataBlock(html)  # the HTML travels as data, never through the template
        self.add_child(self.block)
        self.options = {"maxWidth": int(max_width)}

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


def add_track(group: folium.FeatureGroup, track, analysis) -> None:
    """Draw one analysed track into ``group``."""
    path = geodesic_path(track.lon, track.lat)
    label = analysis.track or "Flight track"
    line = folium.PolyLine(
        locations=path.tolist(),
        tooltip=escape_text(f"{label}: {_minutes(analysis.time_inside_s)} inside NATO airspace"),
        **track_style(track.approximate),
    ).add_to(group)
    HtmlPopup(track_popup_html(track, analysis), max_width=360).add_to(line)
    for lat, lon, angle in arrow_marks(path):
        folium.Marker([lat, lon], icon=_arrow_icon(angle), interactive=False).add_to(group)
    for p in analysis.pieces:
        for c, color in ((p.entry, ENTRY_COLOR), (p.exit, EXIT_COLOR)):
            if c is None:
                continue
            folium.CircleMarker(
                [c.lat, c.lon],
                radius=6,
                color=color,
                weight=2,
                fill=True,
                fill_color="#ffffff",
                fill_opacity=1.0,
                tooltip=crossing_tooltip(c, p.country_name),
            ).add_to(group)
        d = p.deepest
        folium.CircleMarker(
            [d.lat, d.lon],
            radius=4,
            color=TRACK_COLOR,
            fill=True,
            fill_color=TRACK_COLOR,
            fill_opacity=1.0,
            tooltip=escape_text(f"Deepest point: {d.depth_m / 1000:.2f} km from the NATO border"),
        ).add_to(group)


def analysed_tracks(tracks, *, bbox=None, on=None) -> list:
    """(track, analysis) pairs of the tracks that touch ``bbox`` (west, south, east, north).

    Each track is analysed as of ``on`` if given, else as of its own date.
    """
    from incidentmap.geo.airspace import analyse_track

    out = []
    for t in tracks:
        if bbox is not None:
            west, south, east, north = bbox
            if (
                t.lon.max() < west
                or t.lon.min() > east
                or t.lat.max() < south
                or t.lat.min() > north
            ):
                continue
        out.append((t, analyse_track(t, on=on)))
    return out


def tracks_layer(
    items, *, name: str = "Flight tracks", show: bool = True, spans: dict | None = None
) -> folium.FeatureGroup:
    """One toggleable layer with every (track, analysis) pair in ``items``.

    ``spans`` maps incident ids to their time spans (:func:`layers.timed.minute_span`): a track
    of such an incident follows the page's time range by its incident's times of day, any
    other by its own date.
    """
    group = folium.FeatureGroup(name=escape_text(name), show=show)
    n = 0
    for track, analysis in items:
        # maps2: each track in its own group, shown only inside the time range (layers.timed)
        one = folium.FeatureGroup(name=escape_text(analysis.track or "Flight track"), control=False)
        add_track(one, track, analysis)
        if track.date is not None:
            from incidentmap.layers.timed import TimeTag

            span = (spans or {}).get(getattr(track, "incident", None))
            TimeTag(track.date, track.date, span=span).add_to(one)
        one.add_to(group)
        n += 1
    logger.info("tracks layer: %d tracks", n)
    return group


# -- the layer -----------------------------------------------------------------------------------


def tracks_legend() -> list[LegendEntry]:
    """The track line with its entry and exit dots."""
    t = track_style(False)
    line = (
        f"<div>{line_swatch(t['color'], weight=t['weight'])}{escape_text('Flight track')} "
        f"({dot(ENTRY_COLOR)}{escape_text('entry')} "
        f"{dot(EXIT_COLOR)}{escape_text('exit')})</div>"
    )
    return [LegendEntry("Lines and bands", (line,), order=3)]


def _draw(ctx) -> list:
    """The seeded flight tracks that touch the extent and fly within the date range."""
    from pathlib import Path

    from incidentmap.geo.paths import seeds_folder
    from incidentmap.geo.track_files import load_seed_tracks

    spec = ctx.spec
    tracks_dir = Path(ctx.tracks_dir) if ctx.tracks_dir is not None else seeds_folder().tracks
    if tracks_dir is None or not tracks_dir.is_dir():
        return []
    tracks = [
        t
        for t in load_seed_tracks(tracks_dir)
        if t.date is None or spec.start <= t.date <= spec.end
    ]
    items = analysed_tracks(tracks, bbox=spec.bbox)
    return [tracks_layer(items, spans=incident_spans(ctx.selected))] if items else []


def incident_spans(selected) -> dict:
    """``{incident id: (m0, m1)}`` of the incidents with a time of day (empty without)."""
    from incidentmap.layers.timed import minute_spans

    spans = minute_spans(selected) if len(selected) else None
    if spans is None:
        return {}
    return dict(zip(selected["event_id_cnty"], zip(*spans, strict=True), strict=True))


TRACKS = MapLayer("tracks", draw=_draw, legend=lambda ctx: tracks_legend())
