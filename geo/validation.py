"""Validating seed records against the schema of :mod:`geo.schema`, collecting every problem.

:func:`validate_record` checks one YAML mapping against a record class: unknown keys (with a
"did you mean"), missing or null required fields, each value through its field type, then the
rules that tie fields together (:data:`RULES`). Every problem becomes a :class:`Rejection` with
file, line, field and value; nothing here raises on bad input.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Mapping
from dataclasses import dataclass

from incidentmap.geo.coords import validate_lonlat
from incidentmap.geo.errors import InvalidCoordinateError, SeedValidationError
from incidentmap.geo.fieldtypes import INVALID, show, suggest
from incidentmap.geo.schema import (
    ACLED_EVENT_TYPES,
    CuratedPlace,
    Incident,
    Source,
    TrackPoint,
    field_names,
    is_required,
    schema_fields,
)

__all__ = ["Problems", "Rejection", "Rejections", "validate_record"]


@dataclass(frozen=True)
class Rejection:
    """A record (or a whole file) that could not be loaded, and why.

    ``field`` and ``value`` (a short ``repr``) name what was wrong, when it is one field.
    """

    file: str
    line: int | None
    event_id: str | None
    reason: str
    field: str | None = None
    value: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else self.file
        who = f" [{self.event_id}]" if self.event_id else ""
        return f"{where}:{who} {self.reason}"


class Rejections:
    """``raise_if_rejected`` for the results of the seed loaders."""

    rejected: tuple[Rejection, ...]
    _what = "seed"

    def raise_if_rejected(self) -> None:
        """Raise :class:`SeedValidationError` listing every rejection, if there is any."""
        if self.rejected:
            lines = "\n".join(str(r) for r in self.rejected)
            raise SeedValidationError(f"{len(self.rejected)} {self._what} problem(s):\n{lines}")


class Problems:
    """Collects the problems of one top-level record, each with its line, field and value."""

    def __init__(self, file: str, record, record_id: str | None, today: dt.date):
        self.file = file
        self.record = record
        self.record_id = record_id
        self.today = today
        self.items: list[Rejection] = []

    def add(self, reason: str, key=None, mapping=None, *, line: int | None = None) -> None:
        m = mapping if mapping is not None else self.record
        if line is None:
            has_lines = key is not None and hasattr(m, "line_of")
            line = m.line_of(key) if has_lines else getattr(m, "line", None)
        value = None
        if key is not None and isinstance(m, Mapping) and key in m:
            value = show(m[key])
        reason = " ".join(str(reason).splitlines())  # one line per problem
        field = None if key is None else str(key)
        self.items.append(Rejection(self.file, line, self.record_id, reason, field, value))

    def nested(self, record_type, m: Mapping, where: str):
        """A nested record (claims item 2, geocoding ...) or None after reporting it."""
        return validate_record(record_type, m, self, where)


@functools.cache
def _plan(record_type):
    """What validating a ``record_type`` needs, computed once: the known names, the required
    ones, and (name, value type, required) per declared field."""
    fields = schema_fields(record_type)
    return (
        frozenset(field_names(record_type)),
        field_names(record_type),
        tuple(f.name for f in fields if is_required(f)),
        tuple((f.name, f.metadata["kind"], is_required(f)) for f in fields),
    )


def _check_keys(record_type, m: Mapping, where: str, probs: Problems) -> None:
    known, names, required, _ = _plan(record_type)
    for key in m:
        if key not in known:
            probs.add(f"unknown field {key!r} in {where}{suggest(key, names)}", key, m)
    for name in required:
        if name not in m:
            probs.add(f"missing required field {name!r} in {where}", name, m)


def validate_record(record_type, m: Mapping, probs: Problems, where: str, **extra):
    """The typed record of mapping ``m``, or None after adding its problems to ``probs``."""
    n = len(probs.items)
    _check_keys(record_type, m, where, probs)
    values = {}
    top = m is probs.record
    for name, kind, required in _plan(record_type)[3]:
        if name not in m:
            continue
        raw = m[name]
        if raw is None:
            if required:
                prefix = "" if top else f"{where}: "
                probs.add(f"{prefix}{name} is missing (null); expected {kind.doc}", name, m)
            continue
        value = kind.check(name, raw, probs, m)
        if value is not INVALID:
            values[name] = value
    for rule in RULES.get(record_type, ()):
        rule(values, m, probs, where)
    if len(probs.items) > n:
        return None
    return record_type(**values, **extra)  # every required field is in values by now


# --------------------------------------------------------------------------- rules


def _lonlat_rule(lat_key: str, lon_key: str, *, pair_optional: bool):
    def rule(values, m, probs, where):
        if pair_optional and (lat_key in m) != (lon_key in m):
            key = lat_key if lat_key in m else lon_key
            probs.add(f"give both {lat_key} and {lon_key}, or neither", key, m)
            return
        if lat_key in values and lon_key in values:
            try:
                validate_lonlat(values[lon_key], values[lat_key])
            except InvalidCoordinateError as exc:
                prefix = "" if m is probs.record else f"{where}: "
                probs.add(f"{prefix}{exc}", lat_key, m)

    return rule


def _date_range(values, m, probs, where):
    start, end, day = values.get("date_start"), values.get("date_end"), values.get("event_date")
    if start and end and end < start:
        probs.add(f"date_end {end} is before date_start {start}; swapped?", "date_end", m)
    elif day and start and end and not start <= day <= end:
        probs.add(
            f"event_date {day} is outside [date_start {start}, date_end {end}]", "event_date", m
        )


def _sub_event_type(values, m, probs, where):
    event_type, sub = values.get("event_type"), values.get("sub_event_type")
    if event_type and sub and sub not in ACLED_EVENT_TYPES[event_type]:
        allowed = ACLED_EVENT_TYPES[event_type]
        probs.add(
            f"sub_event_type {sub!r} does not belong to {event_type!r} (one of "
            f"{', '.join(allowed)}){suggest(sub, allowed)}",
            "sub_event_type",
            m,
        )


def _claims_in_order(values, m, probs, where):
    claims = values.get("claims") or ()
    for a, b in zip(claims, claims[1:], strict=False):
        if b.date < a.date:
            probs.add(
                f"claims are not in chronological order: {b.date} after {a.date}", "claims", m
            )
            break


def _source_has_url_or_ref(values, m, probs, where):
    if "url" not in m and "ref" not in m:
        probs.add(f"{where} needs a url (null is allowed) or a ref", mapping=m)


#: Checks that tie several fields of one record together, run after the field checks.
RULES = {
    Incident: (
        _date_range,
        _sub_event_type,
        _lonlat_rule("latitude", "longitude", pair_optional=True),
        _claims_in_order,
    ),
    Source: (_source_has_url_or_ref,),
    TrackPoint: (_lonlat_rule("lat", "lon", pair_optional=False),),
    CuratedPlace: (_lonlat_rule("lat", "lon", pair_optional=False),),
}


def as_dict(record) -> dict:
    """A plain ``dict`` of a record (dates stay :class:`datetime.date`), e.g. for DataFrames."""
    return dataclasses.asdict(record)
