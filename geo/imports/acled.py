"""ACLED exports (the 31 columns of :data:`geo.export.ACLED_COLUMNS`) → seed mappings.

Column by column: ``event_id_cnty`` is the id; ``event_date`` (``2024-09-08`` or ``08
September 2024``) with ``time_precision`` gives ``date_start``/``date_end``
(:func:`geo.imports.common.date_range`); ``geo_precision`` gives ``precision_m``
(:data:`~geo.imports.common.ACLED_PRECISION_M`); ``event_type``/``sub_event_type`` are kept
and give ``kind`` (:func:`~geo.imports.common.kind_for`); ``country`` (name, or numeric
``iso``) becomes ISO3; ``source`` is split on ``;`` into one source per publisher; ``notes``,
``fatalities``, ``actor1``, ``admin1``, ``admin2``, ``location`` and the coordinates are kept
as they are; ``tags`` is split on ``;``. ACLED has no claims: each record gets one, dated on
the event day, by its first source, stance ``claimed``; ``evidence_strength`` is 2 with two or
more sources, else 1. ``actor2``, ``admin3`` and ``source_scale`` are kept as tags
``acled_actor2=…`` etc.
"""

from __future__ import annotations

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.export import ACLED_COLUMNS
from incidentmap.geo.imports.common import (
    ACLED_PRECISION_M,
    RowError,
    country_iso3,
    date_range,
    kind_for,
    parse_day,
    parse_float,
    parse_int,
    split_sources,
)

__all__ = ["REQUIRED", "check_header", "record"]

#: Columns that must hold a value in every row.
REQUIRED = (
    "event_id_cnty",
    "event_date",
    "event_type",
    "sub_event_type",
    "actor1",
    "country",
    "location",
    "latitude",
    "longitude",
)
#: ACLED columns without a seed field, kept as ``acled_<column>=value`` tags.
TAGGED = ("actor2", "admin3", "source_scale")
#: Notes of a row whose ``notes`` cell is empty (the schema requires notes).
NO_NOTES = "(no notes in the ACLED export)"


def check_header(header: list[str], path) -> None:
    """Refuse a file that lacks one of ACLED's 31 columns (naming it)."""
    missing = [c for c in ACLED_COLUMNS if c not in header]
    if missing:
        raise DataFileError(
            f"{path}: line 1: ACLED column {missing[0]!r} is missing"
            + (
                f" (and {len(missing) - 1} more: {', '.join(missing[1:4])}…)"
                if len(missing) > 1
                else ""
            )
            + "; is this an ACLED export? (use --format csv with --map-columns otherwise)"
        )


def _cell(row: dict, col: str) -> str:
    value = row.get(col)
    return "" if value is None else str(value).strip()


def record(row: dict, today) -> dict:
    """The seed mapping of one ACLED row; :class:`RowError` names the column at fault."""
    for col in REQUIRED:
        if not _cell(row, col):
            raise RowError(col, f"missing required field {col!r} (the cell is empty)")
    event_id = _cell(row, "event_id_cnty")
    day = parse_day(_cell(row, "event_date"), "event_date")
    time_precision = parse_int(row.get("time_precision"), "time_precision") or 1
    if time_precision not in (1, 2, 3):
        raise RowError("time_precision", f"time_precision {time_precision} is not 1, 2 or 3")
    geo_precision = parse_int(row.get("geo_precision"), "geo_precision") or 1
    if geo_precision not in ACLED_PRECISION_M:
        raise RowError("geo_precision", f"geo_precision {geo_precision} is not 1, 2 or 3")
    country = country_iso3(_cell(row, "country"), _cell(row, "iso"))
    if country is None:
        raise RowError(
            "country",
            f"country {_cell(row, 'country')[:60]!r} is not a known "
            "country name (nor is iso a numeric ISO 3166 code)",
        )
    event_type, sub = _cell(row, "event_type"), _cell(row, "sub_event_type")
    notes = _cell(row, "notes") or NO_NOTES
    kind = kind_for(event_type, sub, country, notes)
    lat = parse_float(row.get("latitude"), "latitude")
    lon = parse_float(row.get("longitude"), "longitude")
    sources = split_sources(_cell(row, "source"), title=f"as coded by ACLED ({event_id})")
    if not sources:
        sources = [{"publisher": "ACLED", "title": f"event {event_id}", "url": None}]
    start, end = date_range(day, time_precision, today)
    tags = [t.strip() for t in _cell(row, "tags").split(";") if t.strip()]
    tags += [f"acled_{c}={_cell(row, c)}" for c in TAGGED if _cell(row, c)]
    m = {
        "event_id_cnty": event_id,
        "event_date": day,
        "date_start": start,
        "date_end": end,
        "time_precision": time_precision,
        "event_type": event_type,
        "sub_event_type": sub,
        "kind": kind,
        "actor1": _cell(row, "actor1"),
        "country": country,
        "admin1": _cell(row, "admin1") or None,
        "admin2": _cell(row, "admin2") or None,
        "location": _cell(row, "location"),
        "latitude": lat,
        "longitude": lon,
        "geo_precision": geo_precision,
        "precision_m": ACLED_PRECISION_M[geo_precision],
        "claims": [
            {
                "date": day,
                "actor": sources[0]["publisher"],
                "stance": "claimed",
                "summary": f"reported it; ACLED coded {event_type} / {sub}",
            }
        ],
        "evidence_strength": 2 if len(sources) > 1 else 1,
        "fatalities": parse_int(row.get("fatalities"), "fatalities"),
        "sources": sources,
        "notes": notes,
        "tags": tags,
        "geocoding": {
            "source": "ACLED",
            "ref": _cell(row, "location"),
            "note": f"ACLED geo_precision {geo_precision}",
        },
    }
    return {k: v for k, v in m.items() if v is not None and v != []}
