"""incidentmap: check Russian drone and missile incidents against NATO borders and map them.

One import namespace over the project's folders:

- :mod:`incidentmap.geo`: the geospatial core (borders, NATO membership, territory, distance,
  geocoding, incidents); pure, no folium, no click;
- :mod:`incidentmap.layers`: one module per folium map layer, and the map builder;
- :mod:`incidentmap.news`: text extraction from news articles into draft incident records;
- :mod:`incidentmap.seeds` and :mod:`incidentmap.maps`: the shipped data and map specs;
- the ``incidentmap`` command: one module per subcommand in this package (``incidentmap.main``).

>>> from incidentmap.geo import territory
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("incidentmap")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
