"""Every layer a map can draw, in drawing order (bottom to top), then the controls.

Adding a layer: write its module with a :class:`layers.layer.MapLayer` (what it draws, its
legend entries) and add one line here.
"""

from __future__ import annotations

from incidentmap.layers import (
    areas,
    borderbands,
    controls,
    countries,
    flight_bands,
    incidents,
    legend,
    tracks,
)

#: Overlays, bottom to top; drawn before the layer control.
OVERLAYS = (
    countries.MEMBERS,
    countries.NEIGHBOURS_LAYER,
    areas.SEAS,
    areas.STATUS_AREAS,
    borderbands.BANDS,
    borderbands.BORDER,
    flight_bands.FLIGHT_BANDS,
    tracks.TRACKS,
    controls.HEATMAP,
    incidents.INCIDENTS,
)
#: Controls, after the layer control; the legend comes after every overlay it describes.
CONTROLS = (
    controls.TIMESLIDER,
    legend.LEGEND,
    controls.SEARCH,
    controls.MEASURE,
    controls.FULLSCREEN,
    controls.MINIMAP,
)
LAYERS = OVERLAYS + CONTROLS
#: The names a map spec may list.
LAYER_NAMES = tuple(layer.name for layer in LAYERS)
if len(set(LAYER_NAMES)) != len(LAYER_NAMES):
    raise RuntimeError(f"two layers share a name in {LAYER_NAMES}")
