"""Base layers: four tile services (from xyzservices) and an offline vector basemap.

The vector basemap is drawn from the shipped polygons (land mask and country outlines) in its own
pane *below* the tile pane, so it shows wherever tiles do not load (no network, offline build)
and is covered by tiles when they do. The base-layer entry "Offline basemap" selects no tiles.
"""

from __future__ import annotations

import logging
import os

import folium
import xyzservices.providers as xyz
from folium.map import CustomPane

from incidentmap.layers import labels

logger = logging.getLogger(__name__)

OFFLINE_BASEMAP = "Offline basemap (no tiles)"

#: (name in the layer control, xyzservices provider), in control order.
TILE_PROVIDERS = (
    ("OpenStreetMap", xyz.OpenStreetMap.Mapnik),
    ("CartoDB Positron", xyz.CartoDB.Positron),
    ("CartoDB Dark Matter", xyz.CartoDB.DarkMatter),
    ("Esri World Imagery", xyz.Esri.WorldImagery),
)

BASEMAP_PANE = "im-basemap"
BASEMAP_PANE_Z = 150  # Leaflet's tile pane is 200


def land_style(_feature=None) -> dict:
    """Style of land on the offline basemap."""
    return {"fillColor": "#f3f0e8", "fillOpacity": 1.0, "stroke": False}


def outline_style(_feature=None) -> dict:
    """Style of country outlines (land and territorial sea) on the offline basemap."""
    return {"color": "#8d8d8d", "weight": 0.8, "fill": False}


def _with_key(provider, api_key: str | None):
    """``provider`` with its API key filled in, or without the key parameter when none is given.

    xyzservices marks CARTO basemaps as needing a key; with no key the keyless URL is used
    (which CARTO may refuse; set ``CARTO_API_KEY`` to pass yours).
    """
    if "apikey" not in provider:
        return provider
    copy = provider.copy()
    if api_key:
        copy["apikey"] = api_key
    else:
        copy["url"] = copy["url"].replace("?key={apikey}", "").replace("&key={apikey}", "")
        del copy["apikey"]
    return copy


def tile_base_layers(
    *, selected: str | None, api_keys: dict | None = None
) -> list[folium.TileLayer]:
    """One base ``TileLayer`` per provider; ``selected`` (a name) is shown on opening.

    ``api_keys`` maps a provider name prefix (``"CartoDB"``) to a key; by default
    ``$CARTO_API_KEY`` is used for CARTO if set.
    """
    keys = {"CartoDB": os.environ.get("CARTO_API_KEY")} if api_keys is None else api_keys
    layers = []
    for name, provider in TILE_PROVIDERS:
        key = next((v for k, v in keys.items() if provider.name.startswith(k)), None)
        layers.append(
            folium.TileLayer(
                tiles=_with_key(provider, key),
                name=name,
                overlay=False,
                control=True,
                show=(name == selected),
            )
        )
    return layers


def context_style(_feature=None) -> dict:
    """Coarse countries beyond the detailed area: land-coloured with faint outlines."""
    return {"fillColor": "#f3f0e8", "fillOpacity": 1.0, "color": "#b0b0b0", "weight": 0.6}


def offline_basemap(
    land, outlines, *, selected: bool, context=None, bbox=None
) -> tuple[folium.FeatureGroup, list]:
    """The "Offline basemap" base-layer entry and the elements drawn under the tiles.

    ``land`` and ``outlines`` are GeoDataFrames in EPSG:4326 (already clipped and simplified);
    ``context`` optionally adds coarse countries around them, ``bbox`` (west, south, east,
    north) the rivers and lakes near it (:mod:`layers.labels`). Returns
    ``(base_entry, underlay_elements)``; add all of them to the map.
    """
    pane = CustomPane(BASEMAP_PANE, z_index=BASEMAP_PANE_Z, pointer_events=False)
    extra = []
    if context is not None and len(context):
        extra.append(
            folium.GeoJson(
                context[["geometry"]].to_json(),
                name="context",
                control=False,
                style_function=context_style,
                interactive=False,
                pane=BASEMAP_PANE,
            )
        )
    land_layer = folium.GeoJson(
        land[["geometry"]].to_json(),
        name="land",
        control=False,
        style_function=land_style,
        interactive=False,
        pane=BASEMAP_PANE,
        smooth_factor=1.0,
    )
    water = labels.water_layer(bbox, pane=BASEMAP_PANE) if bbox is not None else None
    outline_layer = folium.GeoJson(
        outlines[["geometry"]].to_json(),
        name="country outlines",
        control=False,
        style_function=outline_style,
        interactive=False,
        pane=BASEMAP_PANE,
    )
    entry = folium.FeatureGroup(name=OFFLINE_BASEMAP, overlay=False, control=True, show=selected)
    return entry, [pane, *extra, land_layer, *([water] if water else []), outline_layer]
