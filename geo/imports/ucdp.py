"""UCDP GED exports (CSV, the GED column names) → seed mappings.

* id: ``<ISO3>-GED<id>`` (UCDP's ``id``, with the country so it fits the catalogue's ids).
* dates: UCDP's own ``date_start``/``date_end`` (``2024-09-08`` or with a time, which is
  dropped); ``event_date`` = ``date_start``; ``date_prec`` 1 → ``time_precision`` 1, 2–3
  (within a week) → 2, 4–5 (month, year) → 3.
* place: ``where_prec`` → ``precision_m`` (:data:`WHERE_PREC_M`) and ``geo_precision``
  (1 → 1, 2 → 2, 3–7 → 3); 7 (over water or in international airspace) keeps UCDP's
  coordinates, the ``country`` the event is coded to, and the tag ``ucdp_over_water``.
* fatalities: ``best``; ``low`` and ``high`` as tags ``fatalities_low=…``, ``fatalities_high=…``.
* types: ``Explosions/Remote violence`` with ``Air/drone strike`` when the headline or the
  place description mentions a drone, else ``Shelling/artillery/missile attack``; ``kind``
  as for ACLED (:func:`~geo.imports.common.kind_for`). ``actor1`` is ``side_a``.
* sources: ``source_office`` split on ``;`` (one source per office, titled with
  ``source_headline``), else "UCDP GED"; one ``claimed`` claim by the first.
"""

from __future__ import annotations

import re

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.imports.common import (
    RowError,
    country_iso3,
    kind_for,
    parse_day,
    parse_float,
    parse_int,
    split_sources,
)

__all__ = ["COLUMNS", "WHERE_PREC_M", "check_header", "record"]

#: The GED columns the importer reads (a GED file has more; they are ignored).
COLUMNS = (
    "id",
    "date_prec",
    "date_start",
    "date_end",
    "where_prec",
    "where_coordinates",
    "where_description",
    "adm_1",
    "adm_2",
    "latitude",
    "longitude",
    "country",
    "side_a",
    "side_b",
    "conflict_name",
    "type_of_violence",
    "source_office",
    "source_headline",
    "best",
    "low",
    "high",
)
REQUIRED = (
    "id",
    "date_start",
    "date_end",
    "where_prec",
    "latitude",
    "longitude",
    "country",
    "side_a",
    "best",
)
#: ``precision_m`` of ``where_prec``: 1 exact place, 2 within 25 km, 3 second-order admin
#: (district), 4 first-order admin (region), 5 linear feature or more than 25 km, 6 country,
#: 7 over water or in international airspace.
WHERE_PREC_M = {
    1: 2_000.0,
    2: 25_000.0,
    3: 50_000.0,
    4: 150_000.0,
    5: 100_000.0,
    6: 300_000.0,
    7: 100_000.0,
}
_TIME_PRECISION = {1: 1, 2: 2, 3: 2, 4: 3, 5: 3}
_DRONE = re.compile(r"drone|UAV|Shahed|Geran", re.IGNORECASE)


def check_header(header: list[str], path) -> None:
    """Refuse a file that lacks a GED column the importer needs (naming it)."""
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise DataFileError(
            f"{path}: line 1: UCDP GED column {missing[0]!r} is missing; is this a GED CSV "
            "export? (use --format csv with --map-columns otherwise)"
        )


def _cell(row: dict, col: str) -> str:
    value = row.get(col)
    return "" if value is None else str(value).strip()


def _day(row, col):
    text = _cell(row, col)
    return parse_day(text[:10] if re.match(r"^\d{4}-\d\d-\d\d[ T]", text) else text, col)


def record(row: dict, today) -> dict:
    """The seed mapping of one GED row; :class:`RowError` names the column at fault."""
    for col in REQUIRED:
        if not _cell(row, col):
            raise RowError(col, f"missing required field {col!r} (the cell is empty)")
    start, end = _day(row, "date_start"), _day(row, "date_end")
    if end < start:
        raise RowError("date_end", f"date_end {end} is before date_start {start}")
    where_prec = parse_int(row.get("where_prec"), "where_prec")
    if where_prec not in WHERE_PREC_M:
        raise RowError("where_prec", f"where_prec {where_prec} is not 1–7")
    date_prec = parse_int(row.get("date_prec"), "date_prec") or 1
    if date_prec not in _TIME_PRECISION:
        raise RowError("date_prec", f"date_prec {date_prec} is not 1–5")
    country = country_iso3(_cell(row, "country"))
    if country is None:
        raise RowError(
            "country", f"country {_cell(row, 'country')[:60]!r} is not a known country name"
        )
    ged_id = parse_int(row.get("id"), "id")
    event_id = f"{country}-GED{ged_id}"
    headline = _cell(row, "source_headline")
    text = f"{headline} {_cell(row, 'where_description')}"
    sub = "Air/drone strike" if _DRONE.search(text) else "Shelling/artillery/missile attack"
    event_type = "Explosions/Remote violence"
    title = headline or f"UCDP GED event {ged_id}"
    sources = split_sources(_cell(row, "source_office"), title=title)
    if not sources:
        sources = [{"publisher": "UCDP GED", "title": title, "url": None}]
    best = parse_int(row.get("best"), "best")
    low, high = parse_int(row.get("low"), "low"), parse_int(row.get("high"), "high")
    if low is not None and high is not None and not low <= (best or 0) <= high:
        raise RowError("best", f"best {best} is outside low {low} … high {high}")
    place = _cell(row, "where_coordinates") or _cell(row, "where_description")
    if not place:
        raise RowError("where_coordinates", "missing place name (where_coordinates is empty)")
    tags = [f"fatalities_{k}={v}" for k, v in (("low", low), ("high", high)) if v is not None]
    if where_prec == 7:
        tags.append("ucdp_over_water")
    desc = _cell(row, "where_description")
    conflict = _cell(row, "conflict_name")
    notes = (
        f"UCDP GED event {ged_id}"
        + (f" ({conflict})" if conflict else "")
        + (f": {desc}" if desc else "")
        + f". Deaths best {best}, low {low}, high {high}."
    )
    m = {
        "event_id_cnty": event_id,
        "event_date": start,
        "date_start": start,
        "date_end": end,
        "time_precision": _TIME_PRECISION[date_prec],
        "event_type": event_type,
        "sub_event_type": sub,
        "kind": kind_for(event_type, sub, country),
        "actor1": _cell(row, "side_a"),
        "country": country,
        "admin1": _cell(row, "adm_1") or None,
        "admin2": _cell(row, "adm_2") or None,
        "location": place,
        "latitude": parse_float(row.get("latitude"), "latitude"),
        "longitude": parse_float(row.get("longitude"), "longitude"),
        "geo_precision": min(where_prec, 3),
        "precision_m": WHERE_PREC_M[where_prec],
        "claims": [
            {
                "date": start,
                "actor": sources[0]["publisher"],
                "stance": "claimed",
                "summary": "reported it; UCDP GED coded it",
            }
        ],
        "evidence_strength": 2 if len(sources) > 1 else 1,
        "fatalities": best,
        "sources": sources,
        "notes": notes,
        "tags": tags,
        "geocoding": {"source": "UCDP GED", "ref": place, "note": f"where_prec {where_prec}"},
    }
    return {k: v for k, v in m.items() if v is not None and v != []}
