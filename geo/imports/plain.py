"""A user's own CSV or GeoJSON → seed mappings, through a column mapping.

The mapping says which input column fills which seed field (the field names of
:class:`geo.schema.Incident`): ``--map-columns "location=place,latitude=lat"`` or a TOML file
with a ``[columns]`` table (``location = "place"``). Fields not mapped are looked up under
common names (:data:`DEFAULT_NAMES`, case-insensitive). Then:

* ``event_date`` is required (``2024-09-08`` or ``08 September 2024``); ``date_start`` and
  ``date_end`` default to it; ``time_precision`` defaults to 1.
* ``kind`` is required unless ACLED's ``event_type``/``sub_event_type`` are given (then as
  for ACLED). Without them, the types follow the schema's coding conventions: impacts and
  strikes are ``Explosions/Remote violence`` (``Shelling/artillery/missile attack`` when the
  weapon says missile, else ``Air/drone strike``), shoot-downs ``Disrupted weapons use``, the
  rest ``Strategic developments``/``Other``.
* ``sources`` is required (every fact is cited): ``;``-separated items, each an http(s)
  address (publisher = its host) or a publisher's name.
* ``country`` (name or ISO code) defaults to the country the coordinates fall in.
* ``precision_m`` defaults to 10 km; ``geo_precision`` follows it (≤ 2 km → 1, ≤ 25 km → 2,
  else 3). ``actor1`` defaults to "Unidentified". ``notes`` defaults to a placeholder.
* ``event_id_cnty`` defaults to ``<ISO3>-<year>-<NNNN>`` numbered in row order.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.imports.common import (
    RowError,
    country_iso3,
    kind_for,
    parse_day,
    parse_float,
    parse_int,
)
from incidentmap.geo.schema import KINDS, Incident, field_names, schema_fields

__all__ = ["DEFAULT_NAMES", "Mapper", "parse_mapping"]

#: Common column names of each seed field, tried (case-insensitively) when not mapped.
DEFAULT_NAMES = {
    "event_id_cnty": ("event_id_cnty", "id", "event_id"),
    "event_date": ("event_date", "date", "day"),
    "latitude": ("latitude", "lat", "y"),
    "longitude": ("longitude", "lon", "lng", "long", "x"),
    "location": ("location", "place", "name", "town", "city", "village"),
    "country": ("country", "iso3", "country_iso3", "country_code"),
    "notes": ("notes", "description", "summary", "details"),
    "sources": ("sources", "source", "url", "link"),
    "admin1": ("admin1", "region", "province", "state", "county"),
    "actor1": ("actor1", "actor"),
    "fatalities": ("fatalities", "deaths", "killed"),
    "injuries": ("injuries", "injured", "wounded"),
}
NO_NOTES = "(no notes in the import)"
_NUMBERS = ("latitude", "longitude", "precision_m")
_INTEGERS = (
    "time_precision",
    "geo_precision",
    "evidence_strength",
    "count",
    "fatalities",
    "injuries",
)
_DATES = ("event_date", "date_start", "date_end")
_SIMPLE = (
    "event_type",
    "sub_event_type",
    "kind",
    "weapon",
    "actor1",
    "admin1",
    "admin2",
    "location",
    "location_as_reported",
    "notes",
)


def parse_mapping(spec: str | None) -> dict[str, str]:
    """``{seed field: input column}`` from ``"field=column,…"`` or a TOML file's ``[columns]``.

    >>> parse_mapping("location=place, latitude=lat")
    {'location': 'place', 'latitude': 'lat'}
    """
    if not spec:
        return {}
    if spec.endswith(".toml"):
        path = Path(spec)
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("columns", {})
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataFileError(
                f"--map-columns {spec}: cannot read the TOML mapping: {exc}"
            ) from None
        pairs = list(table.items())
    else:
        pairs = []
        for item in spec.split(","):
            if not item.strip():
                continue
            if "=" not in item:
                raise DataFileError(f"--map-columns item {item.strip()!r} is not field=column")
            field, column = item.split("=", 1)
            pairs.append((field.strip(), column.strip()))
    known = field_names(Incident)
    out = {}
    for field, column in pairs:
        if field not in known:
            raise DataFileError(
                f"--map-columns: {field!r} is not a seed field (one of {', '.join(known)})"
            )
        out[field] = str(column)
    return out


def _types_of(kind: str, weapon: str) -> tuple[str, str]:
    if kind in ("impact", "strike_on_building", "attack_near_border"):
        sub = (
            "Shelling/artillery/missile attack"
            if re.search("missile", weapon, re.I)
            else "Air/drone strike"
        )
        return "Explosions/Remote violence", sub
    if kind == "shoot_down":
        return "Strategic developments", "Disrupted weapons use"
    return "Strategic developments", "Other"


def _sources(text: str) -> list[dict]:
    out = []
    for item in (p.strip() for p in text.split(";")):
        if not item:
            continue
        if re.match(r"^https?://", item):
            host = urlsplit(item).hostname or item
            out.append({"publisher": host, "title": item, "url": item})
        else:
            out.append({"publisher": item, "title": "as cited in the import", "url": None})
    return out


class Mapper:
    """Maps rows of one file: resolves the columns once, numbers generated ids in order."""

    def __init__(self, header: list[str], mapping: dict[str, str], path):
        lower = {h.casefold(): h for h in header}
        self.columns: dict[str, str] = {}
        for field, column in mapping.items():
            if column not in header:
                raise DataFileError(
                    f"{path}: line 1: column {column!r} (mapped to {field}) "
                    f"is not in the header ({', '.join(header[:12])})"
                )
            self.columns[field] = column
        for f in schema_fields(Incident):
            if f.name in self.columns:
                continue
            for name in DEFAULT_NAMES.get(f.name, (f.name,)):
                if name.casefold() in lower:
                    self.columns[f.name] = lower[name.casefold()]
                    break
        if "event_date" not in self.columns:
            raise DataFileError(
                f"{path}: line 1: no date column (map one: --map-columns event_date=COLUMN)"
            )
        self._numbers: dict[tuple[str, int], int] = {}

    def cell(self, row: dict, field: str) -> str:
        col = self.columns.get(field)
        value = None if col is None else row.get(col)
        return "" if value is None else str(value).strip()

    def record(self, row: dict, today, found_country=None) -> dict:
        m: dict = {}
        for f in _DATES:
            if self.cell(row, f):
                m[f] = parse_day(self.cell(row, f), f)
        if "event_date" not in m:
            raise RowError(self.columns["event_date"], "missing required field 'event_date'")
        m.setdefault("date_start", m["event_date"])
        m.setdefault("date_end", m["event_date"])
        for f in _NUMBERS:
            if self.cell(row, f):
                m[f] = parse_float(row[self.columns[f]], f)
        for f in _INTEGERS:
            if self.cell(row, f):
                m[f] = parse_int(row[self.columns[f]], f)
        for f in _SIMPLE:
            if self.cell(row, f):
                m[f] = self.cell(row, f)
        country = country_iso3(self.cell(row, "country")) if self.cell(row, "country") else None
        if self.cell(row, "country") and country is None:
            raise RowError(
                self.columns["country"],
                f"country {self.cell(row, 'country')[:60]!r} is not a known country",
            )
        country = country or found_country
        if country is None:
            raise RowError(
                "country",
                "missing required field 'country' (none given, and the "
                "coordinates are missing, out of range or in no country)",
            )
        m["country"] = country
        if "location" not in m:
            raise RowError("location", "missing required field 'location'")
        if "kind" not in m:
            if "event_type" in m and "sub_event_type" in m:
                m["kind"] = kind_for(
                    m["event_type"], m["sub_event_type"], country, m.get("notes", "")
                )
            else:
                raise RowError(
                    "kind",
                    f"missing required field 'kind' (one of "
                    f"{', '.join(KINDS)}; or give event_type/sub_event_type)",
                )
        if "event_type" not in m:
            m["event_type"], m["sub_event_type"] = _types_of(m["kind"], m.get("weapon", ""))
        sources = _sources(self.cell(row, "sources"))
        if not sources:
            raise RowError("sources", "missing required field 'sources' (cite each incident)")
        m["sources"] = sources
        m.setdefault("time_precision", 1)
        m.setdefault("precision_m", 10_000.0)
        p = m["precision_m"]
        m.setdefault("geo_precision", 1 if p <= 2_000 else 2 if p <= 25_000 else 3)
        m.setdefault("actor1", "Unidentified")
        m.setdefault("notes", NO_NOTES)
        m.setdefault("evidence_strength", 2 if len(sources) > 1 else 1)
        m["claims"] = [
            {
                "date": m["event_date"],
                "actor": sources[0]["publisher"],
                "stance": "claimed",
                "summary": "reported it",
            }
        ]
        tags = [t.strip() for t in self.cell(row, "tags").split(";") if t.strip()]
        if tags:
            m["tags"] = tags
        event_id = self.cell(row, "event_id_cnty")
        if not event_id:
            key = (country, m["event_date"].year)
            self._numbers[key] = self._numbers.get(key, 0) + 1
            event_id = f"{country}-{key[1]}-{self._numbers[key]:04d}"
        m["event_id_cnty"] = event_id
        return m
