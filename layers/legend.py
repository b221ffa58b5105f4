"""The legend: swatches that look like the map, sections in two balanced columns.

Each layer declares its own legend entries (:class:`LegendEntry`, see :mod:`layers.layer`);
:func:`legend_html` only orders and lays them out, so a new layer adds rows without touching
this module. Every text is escaped here (:func:`layers.escape.escape_text`); the markup is
ours, and reaches the page as data (:func:`layers.controls.html_control`).
"""

from __future__ import annotations

from dataclasses import dataclass

from folium.elements import MacroElement

from incidentmap.layers import basemaps
from incidentmap.layers.controls import html_control
from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer


@dataclass(frozen=True)
class LegendEntry:
    """Rows a layer adds to one legend section.

    ``height`` is the rows' height in lines (default: one per row); ``order`` places the rows
    among other layers' rows of the same section (lower first).
    """

    section: str
    rows: tuple[str, ...]
    height: int | None = None
    order: int = 0


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


def swatch(background: str, border: str = "1px solid #777") -> str:
    return f'<span class="im-sw" style="{_SW}background:{background};border:{border}"></span>'


def hatch_swatch(
    color: str, wash: float, stripe: float, *, under: str, border: str, angle_deg: float
) -> str:
    """A swatch striped like :class:`layers.countries.HatchPatterns` at ``angle_deg``."""
    stripes = (
        f"repeating-linear-gradient({-angle_deg:g}deg,{_rgba(color, stripe)} 0 2.5px,"
        f"{_rgba(color, wash)} 2.5px 7px),{under}"
    )
    return swatch(stripes, border)


def line_swatch(color: str, *, weight: float = 3.0, style: str = "solid") -> str:
    return (
        '<span class="im-ln" style="display:inline-block;width:18px;height:0;margin-right:5px;'
        f'vertical-align:middle;border-top:{weight:g}px {style} {color}"></span>'
    )


def dot(color: str) -> str:
    return (
        '<span style="display:inline-block;width:7px;height:7px;border-radius:50%;'
        f'background:#fff;border:2px solid {color};vertical-align:middle;margin:0 2px"></span>'
    )


GRID2 = "display:grid;grid-template-columns:auto auto;column-gap:8px"


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


def row(mark: str, text: str) -> str:
    """A legend row: a swatch (markup) and its words (escaped)."""
    return f"<div>{mark}{escape_text(text)}</div>"


def ramp(title: str, colors_and_labels, unit: str, *, opacity: float, border: str) -> str:
    """One line: a title, then a swatch per band with its upper edge, then the unit."""
    cells = "".join(
        f'<span style="white-space:nowrap">'
        f"{swatch(blend_hex(c, opacity, LAND_COLOR), border)}{escape_text(label)}</span> "
        for c, label in colors_and_labels
    )
    return f"<div>{escape_text(title)}</div><div>{cells}{escape_text(unit)}</div>"


#: Land on the offline basemap: what translucent fills are seen over.
LAND_COLOR = basemaps.land_style()["fillColor"]
#: The open sea of the offline basemap (``.leaflet-container`` in ``static/incidentmap.css``).
SEA_BACKGROUND = "#cfe1ec"


#: Legend sections in reading order (left column first).
LEGEND_ORDER = (
    "Incidents",
    "Claim status",
    "Areas",
    "Lines and bands",
    "NATO members, by accession era",
    "Not NATO (hatched)",
)


def legend_html(entries) -> str:
    """The legend of ``entries`` (:class:`LegendEntry`) as HTML: collapsible, two columns.

    Sections come in :data:`LEGEND_ORDER` (unknown ones last); within a section, rows by
    ``order``.
    """
    by_section: dict[str, list[LegendEntry]] = {}
    for entry in entries:
        if entry.rows:
            by_section.setdefault(entry.section, []).append(entry)
    order = [t for t in LEGEND_ORDER if t in by_section]
    order += [t for t in by_section if t not in LEGEND_ORDER]
    sections = []
    for title in order:
        parts = sorted(by_section[title], key=lambda e: e.order)
        rows = [r for e in parts for r in e.rows]
        height = sum(len(e.rows) if e.height is None else e.height for e in parts)
        sections.append(_section(title, rows, height=height))
    return (
        '<details open><summary style="cursor:pointer;font-weight:bold">Legend</summary>'
        f"{_two_columns(sections)}</details>"
    )


def legend_control(html: str) -> MacroElement:
    """The legend box (bottom right), as wide as its two columns need."""
    return html_control(
        html, position="bottomright", css_class="im-legend leaflet-bar", style="max-width:none"
    )


def _draw(ctx) -> list:
    return [legend_control(legend_html(ctx.legend))] if ctx.legend else []


#: The legend of every other layer on the map (drawn after them).
LEGEND = MapLayer("legend", draw=_draw)
