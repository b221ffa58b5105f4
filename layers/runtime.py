"""The small browser runtime (``static/incidentmap.js`` and ``.css``) that every map inlines.

It is this project's own code, so it is always written into the page (never linked), in CDN
builds as in offline ones.
"""

from __future__ import annotations

import importlib.resources
import re
from functools import cache

from incidentmap.layers.page import add_raw

_MARK = "incidentmap_runtime"


@cache
def _static(name: str) -> str:
    static = importlib.resources.files("incidentmap.layers").joinpath("static")
    return static.joinpath(name).read_text("utf-8")


def runtime_js() -> str:
    """The runtime script, safe to put inside ``<script>``."""
    text = _static("incidentmap.js")
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.I)


@cache
def runtime_css() -> str:
    """The runtime stylesheet."""
    return _static("incidentmap.css")


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
