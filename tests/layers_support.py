"""Shared fixtures for the map tests: small enriched-incident frames and synthetic drawing data.

Coordinates are (lon, lat) like geo/; the named places carry their real coordinates.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import shapely
from shapely.geometry import Point

from incidentmap.layers.mapbuild import DrawingData

PLAURU = (28.6789, 45.3456)  # Romanian bank of the Danube opposite Izmail
GALATI = (28.0500, 45.4353)
IZMAIL = (28.8303, 45.3503)  # Ukraine
WYRYKI = (23.4203, 51.6219)  # Poland, roof hit on 2025-09-10

HOSTILE_PLACE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=2">'
HOSTILE_NOTES = "${window.__pwned=4} `backtick` </script><script>window.__pwned=5</script> \\` ${"


def incident(event_id, kind, lonlat, *, start, end=None, status="confirmed", **extra):
    """One enriched incident row (the columns of geo.enrich.enrich_incidents)."""
    end = end or start
    row = {
        "event_id_cnty": event_id,
        "event_date": start,
        "date_start": start,
        "date_end": end,
        "kind": kind,
        "weapon": "Shahed-136 / Geran-2",
        "count": 1,
        "location": "Plauru",
        "location_as_reported": "Plauru",
        "country": "ROU",
        "claims": [
            {
                "date": dt.date(2023, 9, 6),
                "actor": "Romania defence minister",
                "stance": "confirmed",
                "summary": "confirmed drone fragments near the village",
            },
            {
                "date": dt.date(2023, 9, 4),
                "actor": "Ukraine foreign ministry",
                "stance": "claimed",
                "summary": "said a Russian drone fell on Romanian soil",
            },
            {
                "date": dt.date(2023, 9, 4),
                "actor": "Romania defence ministry",
                "stance": "denied",
                "summary": "denied that drones fell on Romanian territory",
            },
        ],
        "sources": [
            {
                "publisher": "Reuters",
                "date": dt.date(2023, 9, 6),
                "title": "Drone pieces found",
                "url": "https://www.reuters.com/world/europe/drone-pieces",
            },
            {
                "publisher": "Trap",
                "date": None,
                "title": "not a link",
                "url": "javascript:alert(1)",
            },
            {
                "publisher": "Newsweek",
                "date": dt.date(2023, 9, 4),
                "title": "Headline",
                "url": None,
                "ref": "articles/001.txt",
            },
        ],
        "notes": "debris of a drone found on the river bank",
        "found_country": "ROU",
        "found_country_name": "Romania",
        "zone": "land",
        "on_nato_soil": "yes",
        "nato_member": True,
        "article_6_area": True,
        "distance_to_nato_border_km": 0.4,
        "status_note": None,
        "claim_status": status,
        "precision_m": 1500.0,
        "geocoding_source": "curated",
        "geometry": Point(*lonlat) if lonlat is not None else None,
    }
    row.update(extra)
    return row


def incident_frame(rows=None) -> gpd.GeoDataFrame:
    """A small enriched GeoDataFrame: Plauru debris, Galați hostile text, a Polish shoot-down."""
    if rows is None:
        rows = [
            incident(
                "ROU-2023-0001",
                "debris_found",
                PLAURU,
                start=dt.date(2023, 9, 3),
                end=dt.date(2023, 9, 4),
            ),
            incident(
                "ROU-2023-0666",
                "impact",
                GALATI,
                start=dt.date(2023, 9, 10),
                status="denied",
                location="Galați",
                location_as_reported=HOSTILE_PLACE,
                notes=HOSTILE_NOTES,
                weapon="<b>bold</b>",
            ),
            incident(
                "POL-2025-0001",
                "shoot_down",
                WYRYKI,
                start=dt.date(2025, 9, 9),
                end=dt.date(2025, 9, 10),
                status="claimed",
                country="POL",
                found_country="POL",
                found_country_name="Poland",
                location="Wyryki",
            ),
            incident(
                "ROU-2024-0009",
                "airspace_violation",
                None,
                start=dt.date(2024, 2, 1),
                status="claimed",
            ),
        ]
    return gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")


def small_drawing(bbox=(27.0, 44.5, 30.0, 46.0)) -> DrawingData:
    """Synthetic drawing data (boxes): Romania west of 28.5° E, Ukraine east of it."""
    west, south, east, north = bbox
    rou = shapely.box(west, south, 28.5, north)
    ukr = shapely.box(28.5, south, east, north)
    countries = gpd.GeoDataFrame(
        {
            "a3": ["ROU", "UKR"],
            "name": ["Romania", "Ukraine"],
            "sovereign": ["ROU", "UKR"],
            "geometry": [rou, ukr],
        },
        geometry="geometry",
        crs="EPSG:4326",
    )
    land = gpd.GeoDataFrame(
        {"geometry": [shapely.box(west, south + 0.2, east, north)]},
        geometry="geometry",
        crs="EPSG:4326",
    )
    status = gpd.GeoDataFrame(
        {
            "name": ["Test <area>"],
            "a3": ["UKR"],
            "status_note": ["occupied by ${x} since 2014"],
            "geometry": [shapely.box(29.5, 44.6, 29.9, 44.9)],
        },
        geometry="geometry",
        crs="EPSG:4326",
    )
    border = shapely.MultiLineString([[(28.5, south), (28.5, north)]])
    bands = gpd.GeoDataFrame(
        {
            "band_min_km": [0.0, 5.0],
            "band_max_km": [5.0, 10.0],
            "error_bound_m": [0.3, 0.5],
            "geometry": [
                shapely.box(28.44, south, 28.5, north),
                shapely.box(28.37, south, 28.44, north),
            ],
        },
        geometry="geometry",
        crs="EPSG:4326",
    )
    return DrawingData(
        detail_box=bbox,
        countries=countries,
        land=land,
        status_areas=status,
        bands=bands,
        border=border,
        context=countries.iloc[:0],
        coarse_outlines_geojson=countries[["geometry"]].to_json(),
    )
