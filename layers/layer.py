"""What a map layer is: a name a spec can list, what it draws, and its own legend entries.

Each layer module declares its :class:`MapLayer` s; :mod:`layers.registry` lists them in drawing
order. Adding a layer is one new module plus one line in the registry.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class MapContext:
    """What every layer may draw from: the spec, the selected incidents, the drawing data.

    ``tracks_dir`` is the folder of flight tracks (``None``: the shipped ones); ``legend``
    collects the :class:`layers.legend.LegendEntry` s of the layers drawn so far;
    ``progress(text)`` (optional) is told of each incident kind drawn (a progress bar).
    """

    spec: object
    selected: object
    drawing: object
    offline: bool = False
    tracks_dir: object = None
    legend: list = field(default_factory=list)
    progress: object = None


@dataclass(frozen=True)
class MapLayer:
    """One layer (or control) a map spec can name.

    ``draw(ctx)`` returns the folium elements to add to the map (none: the layer has nothing
    to show here); ``legend(ctx)`` returns its legend entries, asked only when it drew
    something. ``needs_bands``: it draws the NATO distance bands or border line, which
    :func:`geo.drawing.drawing_data` then computes.
    """

    name: str
    draw: Callable[[MapContext], list]
    legend: Callable[[MapContext], list] | None = None
    needs_bands: bool = False
