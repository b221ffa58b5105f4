"""Typed incident records and curated places, loaded and validated from ``seeds/``.

The seed files are YAML lists of records whose keys are the ACLED column names plus this
project's own (``kind``, ``claims``, ``evidence_strength`` ...); see ``seeds_schema.md``.
This module only *reads and checks* them: it never geocodes, never touches the network and
never enriches a record. Every problem is reported as a :class:`Rejection` that names the
file and the line, and one bad record never stops the others from loading.

Coding conventions used in the catalogue
----------------------------------------
``kind`` says what was observed on the territory of ``country``:

* ``impact``: a whole drone or missile came down there (crashed or exploded) and the fall
  itself was observed or dated;
* ``debris_found``: wreckage or fragments were found, the fall is inferred;
* ``strike_on_building``: the object hit a building;
* ``airspace_violation``: the object flew through the airspace without coming down;
* ``shoot_down``: an interception (or a claim of one) is what the record is about;
* ``attack_near_border``: a strike on the other side of the border (Izmail, Reni ...),
  kept as context for the spill-over events.

``event_type``/``sub_event_type`` follow what physically happened, by precedence:

1. something exploded on the ground in ``country`` (detonation, crater, blast damage):
   ``Explosions/Remote violence`` with ``Air/drone strike`` (drones) or
   ``Shelling/artillery/missile attack`` (missiles);
2. otherwise, if the record documents an interception: ``Strategic developments`` /
   ``Disrupted weapons use``;
3. otherwise (wreck without explosion, airspace violation, a denied claim):
   ``Strategic developments`` / ``Other``.

``actor1`` is the party whose weapon it was (so Przewodów is the Ukrainian air defence);
who claimed, denied or attributed what is in ``claims``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import logging
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from incidentmap.geo.coords import validate_lonlat
from incidentmap.geo.errors import DataFileError, InvalidCoordinateError, SeedValidationError

logger = logging.getLogger(__name__)

__all__ = [
    "ACLED_EVENT_TYPES",
    "FEATURES",
    "KINDS",
    "STANCES",
    "Claim",
    "CuratedPlace",
    "Geocoding",
    "Incident",
    "LoadResult",
    "PlacesResult",
    "Rejection",
    "Source",
    "TrackPoint",
    "load_incidents",
    "load_places",
]

KINDS = (
    "impact",
    "debris_found",
    "airspace_violation",
    "shoot_down",
    "strike_on_building",
    "attack_near_border",
)
STANCES = ("claimed", "denied", "confirmed", "attributed", "retracted")
FEATURES = ("village", "town", "city", "port", "island", "region", "county", "river", "sea", "site")

#: ACLED event types and their sub-event types (ACLED codebook).
ACLED_EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": (
        "Armed clash",
        "Government regains territory",
        "Non-state actor overtakes territory",
    ),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": (
        "Peaceful protest",
        "Protest with intervention",
        "Excessive force against protesters",
    ),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

_ISO3 = re.compile(r"^[A-Z]{3}$")
_EVENT_ID = re.compile(r"^[A-Z]{3}-\d{4}-\d{4}$")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a publication, or an article in ``shared/articles``."""

    publisher: str
    title: str
    date: dt.date | None = None
    url: str | None = None
    ref: str | None = None
    accessed: dt.date | None = None
    language: str | None = None


@dataclass(frozen=True)
class Claim:
    """One dated statement about the incident, in our own words."""

    date: dt.date
    actor: str
    stance: str
    summary: str


@dataclass(frozen=True)
class Geocoding:
    """How the coordinates were (or are to be) obtained."""

    source: str
    ref: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class TrackPoint:
    """A point of a reported flight track, (lon, lat) in degrees."""

    lon: float
    lat: float
    time: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Incident:
    """One sourced incident; field names are the YAML keys (ACLED column names)."""

    event_id_cnty: str
    event_date: dt.date
    date_start: dt.date
    date_end: dt.date
    time_precision: int
    event_type: str
    sub_event_type: str
    kind: str
    actor1: str
    country: str
    location: str
    geo_precision: int
    precision_m: float
    claims: tuple[Claim, ...]
    evidence_strength: int
    sources: tuple[Source, ...]
    notes: str
    admin1: str | None = None
    admin2: str | None = None
    location_as_reported: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    weapon: str | None = None
    count: int | None = None
    injuries: int | None = None
    fatalities: int | None = None
    tags: tuple[str, ...] = ()
    geocoding: Geocoding | None = None
    track: tuple[TrackPoint, ...] = ()
    related: tuple[str, ...] = ()
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)

    @property
    def has_coordinates(self) -> bool:
        """True when the record carries its own latitude and longitude."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True)
class CuratedPlace:
    """A place the offline gazetteer lacks or gets wrong, with a sourced position."""

    name: str
    feature: str
    country: str
    lon: float
    lat: float
    precision_m: float
    source: Source
    alt_names: tuple[str, ...] = ()
    admin1: str | None = None
    admin2: str | None = None
    note: str | None = None
    file: str | None = field(default=None, compare=False)
    line: int | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Rejection:
    """A record (or a whole file) that could not be loaded, and why."""

    file: str
    line: int | None
    event_id: str | None
    reason: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        who = f" [{self.event_id}]" if self.event_id else ""
        return f"{where}:{who} {self.reason}"


class _Rejections:
    """``raise_if_rejected`` for the results of the seed loaders."""

    rejected: tuple[Rejection, ...]
    _what = "seed"

    def raise_if_rejected(self) -> None:
        """Raise :class:`SeedValidationError` listing every rejection, if there is any."""
        if self.rejected:
            lines = "\n".join(str(r) for r in self.rejected)
            raise SeedValidationError(f"{len(self.rejected)} {self._what} problem(s):\n{lines}")


@dataclass(frozen=True)
class LoadResult(_Rejections):
    """Incidents that passed validation and the rejections of the others."""

    incidents: tuple[Incident, ...]
    rejected: tuple[Rejection, ...]


@dataclass(frozen=True)
class PlacesResult(_Rejections):
    """Curated places that passed validation and the rejections of the others."""

    places: tuple[CuratedPlace, ...]
    rejected: tuple[Rejection, ...]
    _what = "place"


# --------------------------------------------------------------------------- YAML with lines


class _LineDict(dict):
    """A mapping that remembers its own start line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


class _LineLoader(yaml.SafeLoader):
    """Safe loader whose mappings are :class:`_LineDict` and which refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)
    out = _LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in out:
            raise _DuplicateKey(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {key!r} (first at line {out.key_lines[key]})",
                key_node.start_mark,
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _yaml_error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def _read_yaml(path: Path) -> tuple[Any, Rejection | None]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, Rejection(str(path), None, None, f"cannot read the file: {exc}")
    try:
        return yaml.load(text, Loader=_LineLoader), None  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        return None, Rejection(str(path), _yaml_error_line(exc), None, f"malformed YAML: {problem}")


# --------------------------------------------------------------------------- field checks


class _Problems:
    """Collects the problems of one record, each with the line it belongs to."""

    def __init__(self, file: str, record: _LineDict, event_id: str | None):
        self.file = file
        self.record = record
        self.event_id = event_id
        self.items: list[Rejection] = []

    def add(self, reason: str, *, key=None, mapping: _LineDict | None = None) -> None:
        m = mapping if mapping is not None else self.record
        line = (
            m.line_of(key)
            if (key is not None and isinstance(m, _LineDict))
            else getattr(m, "line", None)
        )
        self.items.append(Rejection(self.file, line, self.event_id, reason))


def _suggest(key: str, known: Iterable[str]) -> str:
    """A "did you mean" hint: a close spelling, or a known value that contains ``key``."""
    known = list(known)
    match = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if not match:
        match = [k for k in known if str(key).casefold() in k.casefold()][:1]
    return f"; did you mean {match[0]!r}?" if match else ""


def _check_keys(
    m: Mapping, required: Iterable[str], optional: Iterable[str], what: str, probs: _Problems
) -> bool:
    required, optional = tuple(required), tuple(optional)
    known = required + optional
    ok = True
    for key in m:
        if key not in known:
            probs.add(f"unknown field {key!r} in {what}{_suggest(key, known)}", key=key, mapping=m)
            ok = False
    for key in required:
        if key not in m:
            probs.add(f"missing required field {key!r} in {what}", mapping=m)
            ok = False
    return ok


def _str(m: Mapping, key: str, probs: _Problems, *, required: bool = True) -> str | None:
    value = m.get(key)
    if value is None:
        if required and key in m:
            probs.add(f"{key} is empty; expected text", key=key, mapping=m)
        return None
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        probs.add(f"{key} {value!r} is a {type(value).__name__}, expected text", key=key, mapping=m)
        return None
    if isinstance(value, (int, float)):
        probs.add(f"{key} {value!r} is a number, expected text (quote it)", key=key, mapping=m)
        return None
    if not value.strip():
        probs.add(f"{key} is blank; expected text", key=key, mapping=m)
        return None
    return value


def _int(
    m: Mapping, key: str, probs: _Problems, *, lo: int | None = None, hi: int | None = None
) -> int | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        probs.add(f"{key} {value!r} is not an integer", key=key, mapping=m)
        return None
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        rng = f"[{lo}, {hi}]" if hi is not None else f">= {lo}"
        probs.add(f"{key} {value} is outside {rng}", key=key, mapping=m)
        return None
    return value


def _number(m: Mapping, key: str, probs: _Problems) -> float | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        probs.add(f"{key} {value!r} is not a number", key=key, mapping=m)
        return None
    if not math.isfinite(value):
        probs.add(f"{key} {value!r} is not a finite number", key=key, mapping=m)
        return None
    return float(value)


def _date(m: Mapping, key: str, probs: _Problems, today: dt.date) -> dt.date | None:
    value = m.get(key)
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value).strip())
        except ValueError:
            probs.add(
                f"{key} {value!r} is not a date; expected YYYY-MM-DD, e.g. 2023-09-04",
                key=key,
                mapping=m,
            )
            return None
    if value > today:
        probs.add(
            f"{key} {value.isoformat()} is in the future (today is {today.isoformat()})",
            key=key,
            mapping=m,
        )
        return None
    return value


def _vocab(m: Mapping, key: str, allowed: Iterable[str], probs: _Problems) -> str | None:
    value = _str(m, key, probs)
    if value is None:
        return None
    allowed = tuple(allowed)
    if value not in allowed:
        probs.add(
            f"{key} {value!r} is not one of {', '.join(allowed)}{_suggest(value, allowed)}",
            key=key,
            mapping=m,
        )
        return None
    return value


def _str_list(m: Mapping, key: str, probs: _Problems) -> tuple[str, ...]:
    value = m.get(key)
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        probs.add(f"{key} must be a list of text items, got {value!r}", key=key, mapping=m)
        return ()
    return tuple(value)


def _country(m: Mapping, key: str, probs: _Problems) -> str | None:
    value = _str(m, key, probs)
    if value is not None and not _ISO3.match(value):
        hint = " (use ISO 3166-1 alpha-3, e.g. ROU not RO)" if len(value) == 2 else ""
        probs.add(f"{key} {value!r} is not an ISO 3166-1 alpha-3 code{hint}", key=key, mapping=m)
        return None
    return value


# --------------------------------------------------------------------------- nested records

_SOURCE_REQUIRED = ("publisher", "title")
_SOURCE_OPTIONAL = ("date", "url", "ref", "accessed", "language")


def _source(
    m: Any, probs: _Problems, today: dt.date, where: str, parent: _LineDict | None = None, key=None
) -> Source | None:
    if not isinstance(m, Mapping):
        probs.add(
            f"{where} must be a mapping with publisher and title, got {m!r}",
            key=key,
            mapping=parent,
        )
        return None
    n = len(probs.items)
    _check_keys(m, _SOURCE_REQUIRED, _SOURCE_OPTIONAL, where, probs)
    publisher, title = _str(m, "publisher", probs), _str(m, "title", probs)
    url = _str(m, "url", probs, required=False)
    ref = _str(m, "ref", probs, required=False)
    if url is not None and not re.match(r"^https?://", url):
        probs.add(f"url {url!r} in {where} is not an http(s) address", key="url", mapping=m)
    if "url" not in m and "ref" not in m:
        probs.add(f"{where} needs a url (null is allowed) or a ref", mapping=m)
    date = _date(m, "date", probs, today)
    accessed = _date(m, "accessed", probs, today)
    language = _str(m, "language", probs, required=False)
    if len(probs.items) > n:
        return None
    return Source(
        publisher=publisher,
        title=title,
        date=date,
        url=url,
        ref=ref,
        accessed=accessed,
        language=language,
    )


def _claims(m: _LineDict, probs: _Problems, today: dt.date) -> tuple[Claim, ...]:
    value = m.get("claims")
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        probs.add("claims must be a non-empty list of {date, actor, stance, summary}", key="claims")
        return ()
    out = []
    for i, c in enumerate(value, 1):
        where = f"claims item {i}"
        if not isinstance(c, Mapping):
            probs.add(f"{where} must be a mapping, got {c!r}", key="claims")
            continue
        n = len(probs.items)
        _check_keys(c, ("date", "actor", "stance", "summary"), (), where, probs)
        date = _date(c, "date", probs, today)
        if date is None and c.get("date") is None:
            probs.add(f"{where}: date is missing; every claim needs the day it was made",
                      key="claims")
        actor = _str(c, "actor", probs)
        stance = _vocab(c, "stance", STANCES, probs)
        summary = _str(c, "summary", probs)
        if len(probs.items) == n:
            out.append(Claim(date=date, actor=actor, stance=stance, summary=summary))
    for a, b in zip(out, out[1:], strict=False):
        if b.date < a.date:
            probs.add(
                f"claims are not in chronological order: {b.date} after {a.date}", key="claims"
            )
            break
    return tuple(out)


def _sources(m: _LineDict, probs: _Problems, today: dt.date) -> tuple[Source, ...]:
    value = m.get("sources")
    if value is None:
        return ()
    if not isinstance(value, list) or not value:
        probs.add("sources must be a non-empty list", key="sources")
        return ()
    out = []
    for i, s in enumerate(value, 1):
        src = _source(s, probs, today, f"sources item {i}", parent=m, key="sources")
        if src is not None:
            out.append(src)
    return tuple(out)


def _geocoding(m: _LineDict, probs: _Problems) -> Geocoding | None:
    value = m.get("geocoding")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        probs.add(
            f"geocoding must be a mapping with source/ref/note, got {value!r}", key="geocoding"
        )
        return None
    n = len(probs.items)
    _check_keys(value, ("source",), ("ref", "note"), "geocoding", probs)
    src = _str(value, "source", probs)
    ref = _str(value, "ref", probs, required=False)
    note = _str(value, "note", probs, required=False)
    return None if len(probs.items) > n else Geocoding(source=src, ref=ref, note=note)


def _track(m: _LineDict, probs: _Problems) -> tuple[TrackPoint, ...]:
    value = m.get("track")
    if value is None:
        return ()
    if not isinstance(value, list):
        probs.add("track must be a list of {lon, lat, time, note}", key="track")
        return ()
    out = []
    for i, p in enumerate(value, 1):
        where = f"track point {i}"
        if not isinstance(p, Mapping):
            probs.add(f"{where} must be a mapping", key="track")
            continue
        n = len(probs.items)
        _check_keys(p, ("lon", "lat"), ("time", "note"), where, probs)
        lon, lat = _number(p, "lon", probs), _number(p, "lat", probs)
        if lon is not None and lat is not None:
            try:
                validate_lonlat(lon, lat)
            except InvalidCoordinateError as exc:
                probs.add(f"{where}: {exc}", key="lat", mapping=p)
        time = p.get("time")
        note = _str(p, "note", probs, required=False)
        if len(probs.items) == n:
            out.append(
                TrackPoint(lon=lon, lat=lat, time=None if time is None else str(time), note=note)
            )
    return tuple(out)


def _lonlat(m: _LineDict, probs: _Problems, lat_key: str, lon_key: str):
    lat, lon = _number(m, lat_key, probs), _number(m, lon_key, probs)
    if (lat_key in m) != (lon_key in m):
        probs.add(
            f"give both {lat_key} and {lon_key}, or neither",
            key=lat_key if lat_key in m else lon_key,
        )
        return None, None
    if lat is None or lon is None:
        return None, None
    try:
        validate_lonlat(lon, lat)
    except InvalidCoordinateError as exc:
        probs.add(str(exc), key=lat_key)
        return None, None
    return lat, lon


# --------------------------------------------------------------------------- incidents

_INCIDENT_REQUIRED = (
    "event_id_cnty",
    "event_date",
    "date_start",
    "date_end",
    "time_precision",
    "event_type",
    "sub_event_type",
    "kind",
    "actor1",
    "country",
    "location",
    "geo_precision",
    "precision_m",
    "claims",
    "evidence_strength",
    "sources",
    "notes",
)
_INCIDENT_OPTIONAL = (
    "admin1",
    "admin2",
    "location_as_reported",
    "latitude",
    "longitude",
    "weapon",
    "count",
    "injuries",
    "fatalities",
    "tags",
    "geocoding",
    "track",
    "related",
)


def _incident(
    rec: Any, file: str, index: int, today: dt.date, parent_line: int | None
) -> tuple[Incident | None, list[Rejection]]:
    if not isinstance(rec, _LineDict):
        return None, [
            Rejection(
                file,
                parent_line,
                None,
                f"item {index} is a {type(rec).__name__}, expected a mapping",
            )
        ]
    raw_id = rec.get("event_id_cnty")
    event_id = raw_id if isinstance(raw_id, str) else None
    probs = _Problems(file, rec, event_id)
    _check_keys(rec, _INCIDENT_REQUIRED, _INCIDENT_OPTIONAL, "incident", probs)

    eid = _str(rec, "event_id_cnty", probs)
    if eid is not None and not _EVENT_ID.match(eid):
        probs.add(
            f"event_id_cnty {eid!r} does not look like ISO3-YYYY-NNNN, e.g. ROU-2023-0001",
            key="event_id_cnty",
        )
    event_date = _date(rec, "event_date", probs, today)
    date_start = _date(rec, "date_start", probs, today)
    date_end = _date(rec, "date_end", probs, today)
    if date_start and date_end and date_end < date_start:
        probs.add(
            f"date_end {date_end} is before date_start {date_start}; swapped?", key="date_end"
        )
    elif event_date and date_start and date_end and not date_start <= event_date <= date_end:
        probs.add(
            f"event_date {event_date} is outside [date_start {date_start}, date_end {date_end}]",
            key="event_date",
        )
    time_precision = _int(rec, "time_precision", probs, lo=1, hi=3)
    geo_precision = _int(rec, "geo_precision", probs, lo=1, hi=3)
    evidence = _int(rec, "evidence_strength", probs, lo=0, hi=3)

    event_type = _vocab(rec, "event_type", ACLED_EVENT_TYPES, probs)
    sub = _str(rec, "sub_event_type", probs)
    if event_type and sub and sub not in ACLED_EVENT_TYPES[event_type]:
        allowed = ACLED_EVENT_TYPES[event_type]
        probs.add(
            f"sub_event_type {sub!r} does not belong to {event_type!r} (one of "
            f"{', '.join(allowed)}){_suggest(sub, allowed)}",
            key="sub_event_type",
        )
    kind = _vocab(rec, "kind", KINDS, probs)
    actor1 = _str(rec, "actor1", probs)
    country = _country(rec, "country", probs)
    location = _str(rec, "location", probs)
    precision_m = _number(rec, "precision_m", probs)
    if precision_m is not None and precision_m <= 0:
        probs.add(f"precision_m {precision_m} must be > 0 (metres)", key="precision_m")
    lat, lon = _lonlat(rec, probs, "latitude", "longitude")
    claims = _claims(rec, probs, today)
    sources = _sources(rec, probs, today)
    notes = _str(rec, "notes", probs)
    count = _int(rec, "count", probs, lo=1)
    injuries = _int(rec, "injuries", probs, lo=0)
    fatalities = _int(rec, "fatalities", probs, lo=0)
    tags = _str_list(rec, "tags", probs)
    related = _str_list(rec, "related", probs)
    geocoding = _geocoding(rec, probs)
    track = _track(rec, probs)
    optional_text = {
        k: _str(rec, k, probs, required=False)
        for k in ("admin1", "admin2", "location_as_reported", "weapon")
    }

    if probs.items:
        return None, probs.items
    return Incident(
        event_id_cnty=eid,
        event_date=event_date,
        date_start=date_start,
        date_end=date_end,
        time_precision=time_precision,
        event_type=event_type,
        sub_event_type=sub,
        kind=kind,
        actor1=actor1,
        country=country,
        location=location,
        geo_precision=geo_precision,
        precision_m=precision_m,
        claims=claims,
        evidence_strength=evidence,
        sources=sources,
        notes=notes,
        latitude=lat,
        longitude=lon,
        count=count,
        injuries=injuries,
        fatalities=fatalities,
        tags=tags,
        geocoding=geocoding,
        track=track,
        related=related,
        file=file,
        line=rec.line,
        **optional_text,
    ), []


def _seed_files(paths_or_dir) -> list[Path]:
    if isinstance(paths_or_dir, (str, Path)):
        paths_or_dir = [paths_or_dir]
    files: list[Path] = []
    for p in paths_or_dir:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        elif p.exists():
            files.append(p)
        else:
            raise DataFileError(f"seed path {str(p)!r} does not exist")
    return files


def load_incidents(paths_or_dir, *, today: dt.date | None = None) -> LoadResult:
    """Load and validate incident records.

    Parameters
    ----------
    paths_or_dir : str, Path or iterable of them
        YAML files, or directories whose ``*.yaml``/``*.yml`` files are read (sorted).
    today : datetime.date, optional
        Dates after this day are rejected as "in the future"; default ``date.today()``.

    Returns
    -------
    LoadResult
        ``incidents`` in file order, and ``rejected`` with one :class:`Rejection` per problem
        (file, line, event id, reason). A malformed file is one rejection; the other files
        still load. The second record with an already used ``event_id_cnty`` is rejected,
        naming the first one's file and line.

    Raises
    ------
    DataFileError
        If a given path does not exist.
    """
    today = today or dt.date.today()
    incidents: list[Incident] = []
    rejected: list[Rejection] = []
    seen: dict[str, Incident] = {}
    for path in _seed_files(paths_or_dir):
        data, err = _read_yaml(path)
        if err is not None:
            rejected.append(err)
            continue
        if data is None:
            logger.info("%s is empty", path)
            continue
        if not isinstance(data, list):
            line = getattr(data, "line", 1)
            rejected.append(
                Rejection(
                    str(path),
                    line,
                    None,
                    f"top level is a {type(data).__name__}; expected a list "
                    "of incident records (start each with '- ')",
                )
            )
            continue
        for i, rec in enumerate(data, 1):
            inc, probs = _incident(rec, str(path), i, today, None)
            if probs:
                rejected.extend(probs)
                continue
            first = seen.get(inc.event_id_cnty)
            if first is not None:
                rejected.append(
                    Rejection(
                        str(path),
                        inc.line,
                        inc.event_id_cnty,
                        f"duplicate event_id_cnty {inc.event_id_cnty!r}; first defined at "
                        f"{first.file}:{first.line}",
                    )
                )
                continue
            seen[inc.event_id_cnty] = inc
            incidents.append(inc)
    for inc in incidents:
        for other in inc.related:
            if other not in seen:
                logger.warning(
                    "%s:%s [%s] related id %r is not among the loaded incidents",
                    inc.file,
                    inc.line,
                    inc.event_id_cnty,
                    other,
                )
    logger.info("loaded %d incidents, rejected %d problem(s)", len(incidents), len(rejected))
    return LoadResult(tuple(incidents), tuple(rejected))


# --------------------------------------------------------------------------- places

_PLACE_REQUIRED = ("name", "feature", "country", "lon", "lat", "precision_m", "source")
_PLACE_OPTIONAL = ("alt_names", "admin1", "admin2", "note")


def _place(
    rec: Any, file: str, index: int, today: dt.date
) -> tuple[CuratedPlace | None, list[Rejection]]:
    if not isinstance(rec, _LineDict):
        return None, [
            Rejection(
                file, None, None, f"item {index} is a {type(rec).__name__}, expected a mapping"
            )
        ]
    name = rec.get("name") if isinstance(rec.get("name"), str) else None
    probs = _Problems(file, rec, name)
    _check_keys(rec, _PLACE_REQUIRED, _PLACE_OPTIONAL, "place", probs)
    name = _str(rec, "name", probs)
    feature = _vocab(rec, "feature", FEATURES, probs)
    country = _country(rec, "country", probs)
    lat, lon = _lonlat(rec, probs, "lat", "lon")
    precision_m = _number(rec, "precision_m", probs)
    if precision_m is not None and precision_m <= 0:
        probs.add(f"precision_m {precision_m} must be > 0 (metres)", key="precision_m")
    source = None
    if "source" in rec:
        source = _source(rec["source"], probs, today, "source", parent=rec, key="source")
    alt_names = _str_list(rec, "alt_names", probs)
    text = {k: _str(rec, k, probs, required=False) for k in ("admin1", "admin2", "note")}
    if probs.items:
        return None, probs.items
    return CuratedPlace(
        name=name,
        feature=feature,
        country=country,
        lon=lon,
        lat=lat,
        precision_m=precision_m,
        source=source,
        alt_names=alt_names,
        file=file,
        line=rec.line,
        **text,
    ), []


def load_places(path, *, today: dt.date | None = None) -> PlacesResult:
    """Load and validate ``seeds/places.yaml`` (same rules and reporting as incidents).

    Two places with the same (name, country, admin1) are a duplicate: the second is rejected,
    naming the first one's line.
    """
    today = today or dt.date.today()
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"places file {str(path)!r} does not exist")
    data, err = _read_yaml(path)
    if err is not None:
        return PlacesResult((), (err,))
    if data is None:
        return PlacesResult((), ())
    if not isinstance(data, list):
        return PlacesResult(
            (),
            (
                Rejection(
                    str(path), getattr(data, "line", 1), None, "top level must be a list of places"
                ),
            ),
        )
    places: list[CuratedPlace] = []
    rejected: list[Rejection] = []
    seen: dict[tuple, CuratedPlace] = {}
    for i, rec in enumerate(data, 1):
        place, probs = _place(rec, str(path), i, today)
        if probs:
            rejected.extend(probs)
            continue
        key = (place.name, place.country, place.admin1)
        if key in seen:
            rejected.append(
                Rejection(
                    str(path),
                    place.line,
                    place.name,
                    f"duplicate place {place.name!r} ({place.country}); "
                    f"first defined at {path}:{seen[key].line}",
                )
            )
            continue
        seen[key] = place
        places.append(place)
    return PlacesResult(tuple(places), tuple(rejected))


def as_dict(record) -> dict:
    """A plain ``dict`` of a record (dates stay :class:`datetime.date`), e.g. for DataFrames."""
    return dataclasses.asdict(record)
