"""Country layers: NATO members coloured by accession era, and the non-NATO neighbours."""

from __future__ import annotations

import datetime as dt
import logging

import folium

from geo import nato
from layers.escape import escape_text

logger = logging.getLogger(__name__)

#: Fill colour per accession era label of :func:`geo.nato.accession_era`.
ERA_COLORS = {
    "founding (1949)": "#08306b",
    "Cold War (1952-1982)": "#1b7837",
    "post-Cold War (1999-2004)": "#2166ac",
    "Balkans (2009-2020)": "#762a83",
    "Nordic (2023-2024)": "#35978f",
}
NEIGHBOURS = ("UKR", "MDA", "BLR", "RUS")
NEIGHBOUR_COLORS = {"UKR": "#f9a825", "MDA": "#c0ca33", "BLR": "#8d6e63", "RUS": "#b71c1c"}


def member_style(era: str) -> dict:
    """Leaflet path style of a NATO member of accession era ``era``.

    >>> member_style("Nordic (2023-2024)")["fillColor"]
    '#35978f'
    """
    return {
        "fillColor": ERA_COLORS.get(era, "#2166ac"),
        "fillOpacity": 0.25,
        "color": "#08306b",
        "weight": 1.0,
    }


def neighbour_style(iso3: str) -> dict:
    """Leaflet path style of a non-NATO neighbour, hatched-looking by a dashed outline."""
    return {
        "fillColor": NEIGHBOUR_COLORS.get(iso3, "#9e9e9e"),
        "fillOpacity": 0.3,
        "color": "#5d4037",
        "weight": 1.2,
        "dashArray": "4 3",
    }


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
        folium.GeoJson(
            rows[["a3", "tooltip", "geometry"]].to_json(),
            style_function=lambda f: neighbour_style(f["properties"]["a3"]),
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
        ).add_to(group)
    return group
