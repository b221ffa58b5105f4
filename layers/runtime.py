"""The small browser runtime (``static/im-*.js`` and ``incidentmap.css``) that every map inlines.

It is this project's own code, so it is always written into the page (never linked), in CDN
builds as in offline ones. The script is split by concern into files that share code only through
``window.IncidentMap``; :data:`RUNTIME_FILES` is their load order (core first: the others use
``IncidentMap.util``).
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache

from incidentmap.layers.page import add_raw

_MARK = "incidentmap_runtime"

#: The runtime's script files, in the order they are concatenated into the page.
RUNTIME_FILES = (
    "im-core.js",  # namespace, helpers, Web Mercator, incident records, find
    "im-popup.js",  # an incident's popup (DOM nodes and text only), panning clear of controls
    "im-basemap.js",  # place labels of the offline basemap
    "im-markers.js",  # incident layers: icons, grid clustering, reveal
    "im-time.js",  # the date filter and slider
    "im-controls.js",  # title box, boxes of escaped markup (legend)
    "im-search.js",  # leaflet-search over the incidents
    "im-honest.js",  # precision halos for uncertain locations
    "im-share.js",  # the view in the URL hash, permalinks, CSV and GeoJSON download
    "im-list.js",  # the side list of the incidents in view
)

#: The runtime's stylesheets, in the order they are concatenated.
RUNTIME_CSS = ("incidentmap.css", "im-b.css")


@cache
def _static(name: str) -> str:
    static = importlib.resources.files("incidentmap.layers").joinpath("static")
    return static.joinpath(name).read_text("utf-8")


def runtime_js() -> str:
    """The runtime script, safe to put inside ``<script>``."""
    text = "\n".join(_static(name) for name in RUNTIME_FILES)
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


@cache
def runtime_css() -> str:
    """The runtime stylesheet."""
    return "\n".join(_static(name) for name in RUNTIME_CSS)


def add_runtime(figure) -> None:
    """Add the runtime to ``figure``'s header once (idempotent)."""
    if _MARK in figure.header._children:
        return
    # verbatim (layers.page.RawElement): our own code, but never compiled as a template either
    add_raw(
        figure,
        "header",
        f"<style>{runtime_css()}</style>\n<script>{runtime_js()}</script>",
        name=_MARK,
    )
