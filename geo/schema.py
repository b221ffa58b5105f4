"""The incident record, declared once: fields, types, required/optional, vocabularies, meaning.

Each record is a frozen dataclass whose fields carry their schema in ``metadata`` (made by
:func:`spec`): the value type from :mod:`geo.fieldtypes`, a one-line description, and where the
field sits in ACLED's layout. From these declarations come

* the validation of ``seeds/`` (:mod:`geo.validation`: required and known keys, types, messages);
* the typed records themselves (these classes);
* the seed columns of the enriched frame (:data:`SEED_COLUMNS`, :mod:`geo.enrich`);
* the ACLED export mapping (:data:`ACLED_SAME_COLUMNS`, :data:`EXPORT_COLUMNS`, :mod:`geo.export`);
* the map's kinds and claim statuses (:data:`KINDS`, :data:`CLAIM_STATUSES`, ``layers/``);
* the README's schema table (:func:`markdown_table`; a test compares it with the README).

Coding conventions of the catalogue
-----------------------------------
``kind`` says what was observed on the territory of ``country`` (see :data:`KIND_MEANINGS`).
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
import functools
from dataclasses import dataclass, field

from incidentmap.geo.fieldtypes import (
    Country,
    Date,
    Integer,
    Nested,
    NestedList,
    Number,
    OneOf,
    Text,
    TextList,
    TimeText,
    Url,
)

__all__ = [
    "ACLED_EVENT_TYPES",
    "ACLED_SAME_COLUMNS",
    "CLAIM_STATUSES",
    "CLAIM_SUBJECTS",
    "CLAIM_SUBJECT_MEANINGS",
    "EXPORT_COLUMNS",
    "FEATURES",
    "KINDS",
    "KIND_MEANINGS",
    "SEED_COLUMNS",
    "STANCES",
    "STRUCTURED_FIELDS",
    "Claim",
    "CuratedPlace",
    "Geocoding",
    "Incident",
    "Source",
    "TrackPoint",
    "field_names",
    "markdown_table",
    "schema_fields",
    "spec",
    "spec_of",
]

# --------------------------------------------------------------------------- vocabularies

#: What was observed on the territory of ``country``, with its meaning.
KIND_MEANINGS: dict[str, str] = {
    "impact": "a whole drone or missile came down there and the fall itself was observed or dated",
    "debris_found": "wreckage or fragments were found; the fall is inferred",
    "airspace_violation": "the object flew through the airspace without coming down",
    "shoot_down": "an interception (or a claim of one) is what the record is about",
    "strike_on_building": "the object hit a building",
    "attack_near_border": "a strike across the border (Izmail, Reni ...), context for spill-over",
}
KINDS: tuple[str, ...] = tuple(KIND_MEANINGS)
#: Stances of a dated claim.
STANCES = ("claimed", "denied", "confirmed", "attributed", "retracted")
#: What a claim is about, with its meaning: only claims about the ``incident`` itself settle
#: whether it happened (:func:`geo.claims.claim_status`).
CLAIM_SUBJECT_MEANINGS: dict[str, str] = {
    "incident": "whether the incident happened as recorded (the default)",
    "responsibility": "who carried it out, not whether it happened",
    "threat": "whether it threatened or reached another country (a spill-over), not the event",
}
CLAIM_SUBJECTS: tuple[str, ...] = tuple(CLAIM_SUBJECT_MEANINGS)
#: The standing of an incident computed from its claims (:func:`geo.enrich.claim_status`).
CLAIM_STATUSES = ("confirmed", "claimed", "denied", "attributed")
#: Feature classes of curated places.
FEATURES = ("village", "town", "city", "port", "island", "region", "county", "river", "sea", "site")
#: ACLED ``time_precision`` codes (1, 2, 3).
TIME_PRECISION = ("day", "week", "month")
#: ACLED ``geo_precision`` codes (1, 2, 3).
GEO_PRECISION = ("exact place", "near the place or a part of a region", "only the region")
#: ``evidence_strength`` codes (0 … 3).
EVIDENCE_STRENGTH = (
    "unverified",
    "claimed by one party",
    "confirmed, or claimed by several parties",
    "officially confirmed with physical evidence",
)

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
_SUB_EVENT_TYPES = tuple(dict.fromkeys(s for subs in ACLED_EVENT_TYPES.values() for s in subs))

# --------------------------------------------------------------------------- declaring fields


def spec(
    kind,
    doc: str,
    *,
    optional: bool = False,
    acled: str | None = None,
    export_as: str | None = None,
    default=None,
):
    """A dataclass field that carries its schema.

    Parameters
    ----------
    kind
        The value type (:mod:`geo.fieldtypes`), which validates the YAML value.
    doc
        One line: what the field means (the README table's "meaning").
    optional
        Optional fields default to ``default`` (None, or ``()`` for lists).
    acled
        The ACLED column this field fills, if any.
    export_as
        Its own column after ACLED's in the export; default: the field name unless ``acled``
        is the same name (then ACLED's column is the field).
    """
    meta = {"kind": kind, "doc": doc, "acled": acled, "export_as": export_as}
    if not optional:
        return field(metadata=meta)
    if isinstance(kind, (TextList, NestedList)) and default is None:
        default = ()
    return field(default=default, metadata=meta)


@functools.cache
def schema_fields(record_type) -> tuple[dataclasses.Field, ...]:
    """The declared fields of a record class (not ``file``/``line``), in declaration order."""
    return tuple(f for f in dataclasses.fields(record_type) if "kind" in f.metadata)


@functools.cache
def field_names(record_type) -> tuple[str, ...]:
    """Names of the declared fields of a record class."""
    return tuple(f.name for f in schema_fields(record_type))


def spec_of(record_type, name: str) -> dict:
    """The schema (``kind``, ``doc``, ``acled``, ``export_as``) of one field."""
    return next(f.metadata for f in schema_fields(record_type) if f.name == name)


def is_required(f: dataclasses.Field) -> bool:
    """True for a field without a default (it must be in every record)."""
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


_WHERE = {"compare": False, "repr": False}
#: A time of day, "HH:MM" on the 24-hour clock (``event_time``, ``event_time_end``).
_CLOCK = r"^([01]\d|2[0-3]):[0-5]\d$"

# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a publication, or an article in ``shared/articles``."""

    publisher: str = spec(Text(), "who published it")
    title: str = spec(Text(), "title of the piece")
    date: dt.date | None = spec(Date(), "day it was published", optional=True)
    url: str | None = spec(Url(), "address (null allowed when ref is given)", optional=True)
    ref: str | None = spec(Text(), "file under shared/articles", optional=True)
    accessed: dt.date | None = spec(Date(), "day it was read", optional=True)
    language: str | None = spec(Text(), "language code", optional=True)


@dataclass(frozen=True)
class Claim:
    """One dated statement about the incident, in our own words."""

    date: dt.date = spec(Date(), "day the statement was made")
    actor: str = spec(Text(), "who made it")
    stance: str = spec(OneOf(STANCES), "what they said about the incident")
    summary: str = spec(Text(), "what was said, in our own words")
    subject: str | None = spec(
        OneOf(CLAIM_SUBJECTS),
        "what the statement is about: incident (default), responsibility or threat",
        optional=True,
    )


@dataclass(frozen=True)
class Geocoding:
    """How the coordinates were (or are to be) obtained."""

    source: str = spec(Text(), "where the coordinates come from")
    ref: str | None = spec(Text(), "the place name or reference looked up", optional=True)
    note: str | None = spec(Text(), "remarks on the position", optional=True)


@dataclass(frozen=True)
class TrackPoint:
    """A point of a reported flight track, (lon, lat) in degrees."""

    lon: float = spec(Number("degrees"), "longitude, WGS84")
    lat: float = spec(Number("degrees"), "latitude, WGS84")
    time: str | None = spec(TimeText(), "time at the point, as reported", optional=True)
    note: str | None = spec(Text(), "remarks", optional=True)


@dataclass(frozen=True, kw_only=True)
class Incident:
    """One sourced incident; field names are the YAML keys (ACLED column names)."""

    event_id_cnty: str = spec(
        Text(
            r"^[A-Z]{3}(-\d{4}-\d{4}|\d{1,10}|-GED\d{1,10})$",
            "ISO3-YYYY-NNNN, e.g. ROU-2023-0001 (imports: ACLED's POL1234, UCDP's POL-GED123)",
        ),
        "unique id",
        acled="event_id_cnty",
    )
    event_date: dt.date = spec(
        Date(),
        "day of the event (first day of a range); NATO membership is judged on it",
        acled="event_date",
    )
    date_start: dt.date = spec(Date(), 'earliest possible day ("the night of 3 to 4 September")')
    date_end: dt.date = spec(Date(), "latest possible day")
    event_time: str | None = spec(
        Text(_CLOCK, "HH:MM, 24 h, e.g. 23:30 (quote it in YAML)"),
        "time of day it began on date_start, local time at the place (when a source gives it)",
        optional=True,
    )
    event_time_end: str | None = spec(
        Text(_CLOCK, "HH:MM, 24 h, e.g. 06:30 (quote it in YAML)"),
        "time of day it ended (local); earlier than event_time means the next day",
        optional=True,
    )
    time_precision: int = spec(
        Integer(1, 3, TIME_PRECISION), "how exact event_date is", acled="time_precision"
    )
    event_type: str = spec(
        OneOf(tuple(ACLED_EVENT_TYPES), "ACLED event type"),
        "e.g. Explosions/Remote violence; Strategic developments",
        acled="event_type",
    )
    sub_event_type: str = spec(
        OneOf(_SUB_EVENT_TYPES, "ACLED sub-event type"),
        "one of its event type's, e.g. Air/drone strike; Disrupted weapons use",
        acled="sub_event_type",
    )
    kind: str = spec(OneOf(KINDS), "what was observed on the territory of country")
    weapon: str | None = spec(Text(), "e.g. Shahed-136 / Geran-2, Kh-55", optional=True)
    count: int | None = spec(Integer(1), "number of objects", optional=True)
    actor1: str = spec(Text(), "whose weapon it was", acled="actor1")
    country: str = spec(
        Country(), "where it happened, as reported", acled="country", export_as="country_iso3"
    )
    admin1: str | None = spec(Text(), "region, as reported", optional=True, acled="admin1")
    admin2: str | None = spec(Text(), "district, as reported", optional=True, acled="admin2")
    location: str = spec(Text(), "the place, as geocoded", acled="location")
    location_as_reported: str | None = spec(
        Text(), "the place as the source spelled it (diacritics kept)", optional=True
    )
    latitude: float | None = spec(
        Number("degrees"),
        "WGS84; geocoded from location + country + admin1 when absent",
        optional=True,
        acled="latitude",
    )
    longitude: float | None = spec(
        Number("degrees"), "WGS84; give both or neither", optional=True, acled="longitude"
    )
    geo_precision: int = spec(
        Integer(1, 3, GEO_PRECISION), "ACLED spatial precision", acled="geo_precision"
    )
    precision_m: float = spec(Number("metres", positive=True), "radius within which it happened")
    claims: tuple[Claim, ...] = spec(
        NestedList(Claim, non_empty=True), "who said what and when, in date order"
    )
    evidence_strength: int = spec(Integer(0, 3, EVIDENCE_STRENGTH), "how well it is established")
    injuries: int | None = spec(Integer(0), "people hurt", optional=True)
    fatalities: int | None = spec(Integer(0), "people killed", optional=True, acled="fatalities")
    sources: tuple[Source, ...] = spec(
        NestedList(Source, non_empty=True),
        "at least one; publishers fill ACLED's source",
        acled="source",
    )
    notes: str = spec(Text(), "own-words summary", acled="notes")
    tags: tuple[str, ...] = spec(TextList(), "free tags", optional=True, acled="tags")
    related: tuple[str, ...] = spec(TextList(), "ids of related incidents", optional=True)
    track: tuple[TrackPoint, ...] = spec(
        NestedList(TrackPoint), "reported flight track", optional=True
    )
    geocoding: Geocoding | None = spec(
        Nested(Geocoding), "provenance of the coordinates", optional=True
    )
    file: str | None = field(default=None, **_WHERE)
    line: int | None = field(default=None, **_WHERE)

    @property
    def has_coordinates(self) -> bool:
        """True when the record carries its own latitude and longitude."""
        return self.latitude is not None and self.longitude is not None


@dataclass(frozen=True, kw_only=True)
class CuratedPlace:
    """A place the offline gazetteer lacks or gets wrong, with a sourced position."""

    name: str = spec(Text(), "the place's name")
    alt_names: tuple[str, ...] = spec(TextList(), "other spellings", optional=True)
    feature: str = spec(OneOf(FEATURES), "what kind of place")
    country: str = spec(Country(), "ISO 3166-1 alpha-3")
    admin1: str | None = spec(Text(), "region", optional=True)
    admin2: str | None = spec(Text(), "district", optional=True)
    lon: float = spec(Number("degrees"), "longitude, WGS84")
    lat: float = spec(Number("degrees"), "latitude, WGS84")
    precision_m: float = spec(Number("metres", positive=True), "radius of the position")
    source: Source = spec(Nested(Source), "where the position comes from")
    note: str | None = spec(Text(), "remarks", optional=True)
    file: str | None = field(default=None, **_WHERE)
    line: int | None = field(default=None, **_WHERE)


# --------------------------------------------------------------------------- derived

#: The seed fields as columns of the enriched frame, then where each record came from.
SEED_COLUMNS: tuple[str, ...] = (*field_names(Incident), "file", "line")

#: Seed fields copied as they are into the ACLED column of the same name.
ACLED_SAME_COLUMNS: tuple[str, ...] = tuple(
    f.name
    for f in schema_fields(Incident)
    if f.metadata["acled"] == f.name
    and not f.metadata["export_as"]
    and not isinstance(f.metadata["kind"], (Date, TextList))
)

#: Seed fields written after ACLED's columns, as (export column, field name).
EXPORT_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (f.metadata["export_as"] or f.name, f.name)
    for f in schema_fields(Incident)
    if f.metadata["export_as"] or f.metadata["acled"] != f.name
)


#: Seed fields holding lists or nested records (JSON text in CSV exports).
STRUCTURED_FIELDS: tuple[str, ...] = tuple(
    f.name
    for f in schema_fields(Incident)
    if isinstance(f.metadata["kind"], (TextList, Nested, NestedList))
)


def markdown_table(record_type=Incident) -> str:
    """The README's schema table of a record class, one row per field.

    >>> print(markdown_table(Geocoding))
    | field | type | required | meaning | ACLED |
    |---|---|---|---|---|
    | source | text | yes | where the coordinates come from |  |
    | ref | text | no | the place name or reference looked up |  |
    | note | text | no | remarks on the position |  |
    """
    rows = ["| field | type | required | meaning | ACLED |", "|---|---|---|---|---|"]
    for f in schema_fields(record_type):
        m = f.metadata
        acled = f"`{m['acled']}`" if m["acled"] else ""
        required = "yes" if is_required(f) else "no"
        kind_doc = m["kind"].doc.replace("|", "\\|")
        rows.append(f"| {f.name} | {kind_doc} | {required} | {m['doc']} | {acled} |")
    return "\n".join(rows)


if __name__ == "__main__":  # python -m incidentmap.geo.schema [--all]: the README's table(s)
    import sys

    if "--all" not in sys.argv[1:]:
        print(markdown_table(Incident))
    else:
        for record in (Incident, Claim, Source, Geocoding, TrackPoint, CuratedPlace):
            print(f"\n`{record.__name__}`\n\n{markdown_table(record)}")
