"""incidentmap's geospatial core: borders, NATO membership, territory checks, geodesic distances,
geocoding and incident records. Pure: never imports folium, click or the CLI.

Coordinates are (lon, lat) in degrees on WGS84 everywhere inside this package.
"""

__version__ = "0.1.0"
