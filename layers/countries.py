"""Country layers: NATO members coloured by accession era, and the non-NATO neighbours.

Colours (STYLE: readable on the offline basemap and on OpenStreetMap tiles, and for
red-green colour-blind readers):

* accession eras are five fills from the ColorBrewer, Okabe-Ito and Paul Tol sets, chosen so
  that none looks like the sea and neighbouring eras stay apart for red-green colour-blind
  readers (CIEDE2000 with simulated colour blindness, see tests/test_layers_styles.py): the
  1999-2004 members on the eastern flank (Poland, the Baltics, Romania …) are indigo, darker
  than any water; the others green, yellow, dark teal and magenta, at
  :data:`MEMBER_FILL_OPACITY`;
* non-NATO neighbours are warm greys and oranges drawn *hatched* (SVG pattern fills, see
  :class:`HatchPatterns`) with a dashed outline, so "not NATO" does not rely on colour alone.
"""

from __future__ import annotations

import datetime as dt
import logging

import folium
from folium.elements import MacroElement
from folium.template import Template

from incidentmap.geo import nato
from incidentmap.layers.escape import escape_text
from incidentmap.layers.layer import MapLayer
from incidentmap.layers.legend import (
    LAND_COLOR,
    LegendEntry,
    blend_hex,
    hatch_swatch,
    row,
    swatch,
)

logger = logging.getLogger(__name__)

#: Fill colour per accession era label of :func:`geo.nato.accession_era`.
ERA_COLORS = {
    "founding (1949)": "#33a02c",  # green (ColorBrewer Paired)
    "Cold War (1952-1982)": "#f0e442",  # yellow (Okabe-Ito)
    "post-Cold War (1999-2004)": "#332288",  # indigo (Paul Tol, muted)
    "Balkans (2009-2020)": "#01665e",  # dark teal (ColorBrewer BrBG)
    "Nordic (2023-2024)": "#c51b7d",  # magenta (ColorBrewer PiYG)
}
#: Fill opacity of member territories: enough to read the era on both basemaps.
MEMBER_FILL_OPACITY = 0.45
#: Outline of member territories.
MEMBER_OUTLINE = "#37474f"

NEIGHBOURS = ("UKR", "MDA", "BLR", "RUS")
#: Names of the neighbours in the legend.
NEIGHBOUR_NAMES = {"UKR": "Ukraine", "MDA": "Moldova", "BLR": "Belarus", "RUS": "Russia"}
#: Hatch colour per neighbour: warm greys and oranges, none of them an era colour.
NEIGHBOUR_COLORS = {"UKR": "#b35806", "MDA": "#d8b365", "BLR": "#e69f00", "RUS": "#7f6f63"}
#: Hatch colour of any other non-member drawn as a neighbour.
OTHER_NEIGHBOUR_COLOR = "#9e8b7a"
NEIGHBOUR_OUTLINE = "#5d4037"


def hatch_id(key: str) -> str:
    """The DOM id of the hatch pattern of ``key`` (an ISO3 code or a status word).

    >>> hatch_id("RUS")
    'im-hatch-RUS'
    """
    return "im-hatch-" + "".join(ch for ch in str(key) if ch.isalnum() or ch in "-_")


def hatch_fill(key: str, fallback: str) -> str:
    """An SVG ``fill`` that paints the hatch pattern of ``key``, or ``fallback`` without it.

    >>> hatch_fill("RUS", "#7f6f63")
    'url(#im-hatch-RUS) #7f6f63'
    """
    return f"url(#{hatch_id(key)}) {fallback}"


class HatchPatterns(MacroElement):
    """SVG ``<pattern>`` definitions (diagonal stripes over a light wash) for hatched fills.

    Leaflet's SVG renderer writes ``fillColor`` into the path's ``fill`` attribute, so a
    style with ``fillColor`` = :func:`hatch_fill` paints these stripes; the colour after the
    ``url()`` is the fallback when the pattern is missing. ``patterns`` maps a key (see
    :func:`hatch_id`) to ``(colour, wash_opacity, stripe_opacity)``; ``angle_deg`` turns the
    stripes (45: rising to the right, like ``/``; -45: falling, like ``\\``).
    """

    _template = Template(
        """
        {% macro html(this, kwargs) %}
        <svg width="0" height="0" style="position:absolute" aria-hidden="true"><defs>
        {%- for pid, color, wash, stripe in this.patterns %}
        <pattern id="{{ pid }}" patternUnits="userSpaceOnUse" width="7" height="7"
                 patternTransform="rotate({{ this.angle_deg }})">
          <rect width="7" height="7" fill="{{ color }}" fill-opacity="{{ wash }}"/>
          <rect width="2.5" height="7" fill="{{ color }}" fill-opacity="{{ stripe }}"/>
        </pattern>
        {%- endfor %}
        </defs></svg>
        {% endmacro %}
        """
    )

    def __init__(self, patterns: dict, *, angle_deg: float = 45.0):
        super().__init__()
        self._name = "HatchPatterns"
        self.angle_deg = float(angle_deg)
        self.patterns = [
            (hatch_id(k), _hex(c), float(w), float(s)) for k, (c, w, s) in patterns.items()
        ]


def _hex(color: str) -> str:
    """``color`` if it is a #rrggbb colour (it goes into HTML), else a ValueError."""
    c = str(color)
    if len(c) != 7 or c[0] != "#" or any(ch not in "0123456789abcdefABCDEF" for ch in c[1:]):
        raise ValueError(f"colour {color!r} is not a #rrggbb hex colour")
    return c


#: Wash and stripe opacity of the neighbours' hatching.
NEIGHBOUR_HATCH = (0.25, 0.6)
#: Direction of the neighbours' stripes (``/``); status areas use the other one.
NEIGHBOUR_HATCH_ANGLE = 45.0


def member_style(era: str) -> dict:
    """Leaflet path style of a NATO member of accession era ``era``.

    >>> member_style("Nordic (2023-2024)")["fillColor"]
    '#c51b7d'
    """
    return {
        "fillColor": ERA_COLORS.get(era, "#999999"),
        "fillOpacity": MEMBER_FILL_OPACITY,
        "color": MEMBER_OUTLINE,
        "weight": 1.0,
    }


def neighbour_color(iso3: str) -> str:
    """The hatch colour of neighbour ``iso3``."""
    return NEIGHBOUR_COLORS.get(iso3, OTHER_NEIGHBOUR_COLOR)


def neighbour_style(iso3: str) -> dict:
    """Leaflet path style of a non-NATO neighbour: hatched fill, dashed outline.

    >>> neighbour_style("RUS")["fillColor"]
    'url(#im-hatch-RUS) #7f6f63'
    """
    return {
        "fillColor": hatch_fill(iso3, neighbour_color(iso3)),
        "fillOpacity": 1.0,  # the pattern carries its own opacities
        "color": NEIGHBOUR_OUTLINE,
        "weight": 1.2,
        "dashArray": "4 3",
    }


def neighbour_patterns(iso3s) -> HatchPatterns:
    """The hatch patterns of the neighbours ``iso3s``."""
    return HatchPatterns(
        {a3: (neighbour_color(a3), *NEIGHBOUR_HATCH) for a3 in iso3s},
        angle_deg=NEIGHBOUR_HATCH_ANGLE,
    )


def neighbours_present(countries, *, iso3s=NEIGHBOURS) -> tuple[str, ...]:
    """The neighbours of ``iso3s`` that have a row in ``countries`` (for the legend)."""
    present = set(countries["a3"])
    return tuple(a3 for a3 in iso3s if a3 in present)


def member_tooltip(name: str, since: dt.date | None, era: str) -> str:
    """Escaped tooltip text of a member territory."""
    return escape_text(f"{name}: NATO member since {since.isoformat()} ({era})")


def nato_members_layer(countries, *, on: dt.date) -> folium.FeatureGroup:
    """NATO member territories on ``on`` coloured by accession era, accession date in the tooltip.

    ``countries`` has columns a3, name, sovereign, geometry (EPSG:4326).
    """
    sovereign = countries["sovereign"].fillna(countries["a3"])
    members = nato.members(on=on)
    rows = countries[sovereign.isin(members)].copy()
    rows["since"] = [nato.member_since(s) for s in sovereign[rows.index]]
    rows["era"] = [nato.accession_era(s) for s in rows["since"]]
    rows["tooltip"] = [
        member_tooltip(n, s, e)
        for n, s, e in zip(rows["name"], rows["since"], rows["era"], strict=True)
    ]
    group = folium.FeatureGroup(
        name=escape_text(f"NATO members on {on.isoformat()} (by accession era)")
    )
    if len(rows):
        folium.GeoJson(
            rows[["era", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: member_style(f["properties"]["era"]),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
            highlight_function=lambda f: {"weight": 2.5},
        ).add_to(group)
    return group


def neighbours_layer(countries, *, iso3s=NEIGHBOURS) -> folium.FeatureGroup:
    """The non-NATO neighbours (Ukraine, Moldova, Belarus, Russia with Kaliningrad)."""
    rows = countries[countries["a3"].isin(iso3s)].copy()
    rows["tooltip"] = [escape_text(f"{n}: not a NATO member") for n in rows["name"]]
    group = folium.FeatureGroup(name="Non-NATO neighbours")
    if len(rows):
        neighbour_patterns(sorted(set(rows["a3"]))).add_to(group)
        folium.GeoJson(
            rows[["a3", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: neighbour_style(f["properties"]["a3"]),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    return group


# -- the layers ----------------------------------------------------------------------------------


def members_legend(era_colors=ERA_COLORS) -> list[LegendEntry]:
    """One swatch per accession era, as the fill looks over the land."""
    rows = tuple(
        row(swatch(blend_hex(c, MEMBER_FILL_OPACITY, LAND_COLOR)), era)
        for era, c in era_colors.items()
    )
    return [LegendEntry("NATO members, by accession era", rows)]


def neighbours_legend(iso3s) -> list[LegendEntry]:
    """One hatched swatch per neighbour drawn, in two columns."""
    from incidentmap.layers.legend import GRID2

    rows = [
        row(
            hatch_swatch(
                neighbour_color(a3),
                *NEIGHBOUR_HATCH,
                under=LAND_COLOR,
                border=f"1px dashed {NEIGHBOUR_OUTLINE}",
                angle_deg=NEIGHBOUR_HATCH_ANGLE,
            ),
            NEIGHBOUR_NAMES.get(a3, a3),
        )
        for a3 in iso3s
    ]
    if not rows:
        return []
    grid = f'<div style="{GRID2}">{"".join(rows)}</div>'
    return [LegendEntry("Not NATO (hatched)", (grid,), height=(len(rows) + 1) // 2)]


MEMBERS = MapLayer(
    "countries",
    draw=lambda ctx: [nato_members_layer(ctx.drawing.countries, on=ctx.spec.as_of)],
    legend=lambda ctx: members_legend(),
)
NEIGHBOURS_LAYER = MapLayer(
    "neighbours",
    draw=lambda ctx: [neighbours_layer(ctx.drawing.countries)],
    legend=lambda ctx: neighbours_legend(neighbours_present(ctx.drawing.countries)),
)
