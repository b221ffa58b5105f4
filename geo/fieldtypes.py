"""The value types of the seed schema: each checks one YAML value and says what it expects.

A field type is a small frozen object with ``doc`` (the "type" column of the README's schema
table) and ``check(key, value, ctx, mapping)``, which returns the typed value, or
:data:`INVALID` after reporting the problem through ``ctx.add(reason, key=..., mapping=...)``.
``ctx`` is the collector of :mod:`geo.validation` (it also knows ``today`` and validates nested
records). A null value never reaches ``check``: the validator handles missing and null fields.
Every message names the field and the value (shortened), so a user can find and fix it.
"""

from __future__ import annotations

import datetime as dt
import difflib
import math
import re
import reprlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "INVALID",
    "Country",
    "Date",
    "Integer",
    "Nested",
    "NestedList",
    "Number",
    "OneOf",
    "Text",
    "TextList",
    "TimeText",
    "Url",
    "show",
    "suggest",
]

#: Returned by ``check`` when the value was refused (the problem is already reported).
INVALID: Any = type(
    "Invalid", (), {"__repr__": lambda self: "INVALID", "__bool__": lambda s: False}
)()

_SHOW = reprlib.Repr()
_SHOW.maxstring = 60
_SHOW.maxother = 60
_SHOW.maxlist = _SHOW.maxdict = 4


def show(value) -> str:
    """A short ``repr`` of a user value for a message (long text and lists are cut)."""
    if isinstance(value, dict):
        value = dict(value)  # the line-aware mapping subclass prints as a plain dict
    return _SHOW.repr(value)


def suggest(key, known: Iterable[str]) -> str:
    """A "did you mean" hint: a close spelling, or a known value that contains ``key``."""
    known = [str(k) for k in known]
    match = difflib.get_close_matches(str(key), known, n=1, cutoff=0.6)
    if not match:
        match = [k for k in known if str(key).casefold() in k.casefold()][:1]
    return f"; did you mean {match[0]!r}?" if match else ""


def _type_name(value) -> str:
    if isinstance(value, Mapping):
        return "mapping"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


@dataclass(frozen=True)
class Text:
    """Non-blank text; ``pattern`` (with ``form``, e.g. "ISO3-YYYY-NNNN, e.g. ROU-2023-0001")."""

    pattern: str | None = None
    form: str | None = None

    @property
    def doc(self) -> str:
        return f"text `{self.form.split(',')[0]}`" if self.form else "text"

    def check(self, key, value, ctx, m):
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            ctx.add(f"{key} {show(value)} is a {_type_name(value)}, expected text", key, m)
            return INVALID
        if isinstance(value, (int, float)):
            ctx.add(f"{key} {value!r} is a number, expected text (quote it)", key, m)
            return INVALID
        if not value.strip():
            ctx.add(f"{key} is blank; expected text", key, m)
            return INVALID
        if self.pattern and not re.match(self.pattern, value):
            ctx.add(f"{key} {show(value)} does not look like {self.form}", key, m)
            return INVALID
        return value


@dataclass(frozen=True)
class Url(Text):
    """An http(s) address."""

    @property
    def doc(self) -> str:
        return "http(s) URL"

    def check(self, key, value, ctx, m):
        value = super().check(key, value, ctx, m)
        if value is not INVALID and not re.match(r"^https?://", value):
            ctx.add(f"{key} {show(value)} is not an http(s) address", key, m)
            return INVALID
        return value


@dataclass(frozen=True)
class TimeText:
    """A time as the source gave it: text, or a YAML timestamp kept as ISO 8601 text."""

    doc = "time text (ISO 8601)"

    def check(self, key, value, ctx, m):
        if isinstance(value, (dt.date, dt.datetime)):
            return value.isoformat()
        if isinstance(value, str) and value.strip():
            return value
        ctx.add(f"{key} {show(value)} is not a time; quote it, e.g. '2023-09-04T02:30Z'", key, m)
        return INVALID


@dataclass(frozen=True)
class Integer:
    """A whole number within ``[lo, hi]`` (either bound optional); ``codes`` names each value."""

    lo: int | None = None
    hi: int | None = None
    codes: tuple[str, ...] = ()

    @property
    def doc(self) -> str:
        if self.codes:
            return ", ".join(f"{self.lo + i} {c}" for i, c in enumerate(self.codes))
        if self.hi is not None:
            return f"integer {self.lo}–{self.hi}"
        return "integer" if self.lo is None else f"integer ≥ {self.lo}"

    def check(self, key, value, ctx, m):
        if isinstance(value, bool) or not isinstance(value, int):
            ctx.add(f"{key} {show(value)} is not an integer", key, m)
            return INVALID
        if (self.lo is not None and value < self.lo) or (self.hi is not None and value > self.hi):
            rng = f"[{self.lo}, {self.hi}]" if self.hi is not None else f">= {self.lo}"
            ctx.add(f"{key} {value} is outside {rng}", key, m)
            return INVALID
        return value


@dataclass(frozen=True)
class Number:
    """A finite number; ``positive`` with its ``unit`` (e.g. metres) requires > 0."""

    unit: str = ""
    positive: bool = False

    @property
    def doc(self) -> str:
        return self.unit or "number"

    def check(self, key, value, ctx, m):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            ctx.add(f"{key} {show(value)} is not a number", key, m)
            return INVALID
        if not math.isfinite(value):
            ctx.add(f"{key} {value!r} is not a finite number", key, m)
            return INVALID
        if self.positive and value <= 0:
            ctx.add(f"{key} {float(value)} must be > 0 ({self.unit})", key, m)
            return INVALID
        return float(value)


@dataclass(frozen=True)
class Date:
    """A calendar day ``YYYY-MM-DD`` that is not after ``ctx.today``."""

    doc = "date"

    def check(self, key, value, ctx, m):
        if isinstance(value, dt.datetime):
            ctx.add(
                f"{key} {value.isoformat()} is a timestamp; expected a day YYYY-MM-DD "
                "(the time of day goes in notes)",
                key,
                m,
            )
            return INVALID
        if not isinstance(value, dt.date):
            if not isinstance(value, str):
                ctx.add(
                    f"{key} {show(value)} is a {_type_name(value)}, expected a date YYYY-MM-DD",
                    key,
                    m,
                )
                return INVALID
            text, why, day = value.strip(), "", None
            if re.match(r"^\d{4}-\d\d-\d\d$", text):
                try:
                    day = dt.date.fromisoformat(text)
                except ValueError as exc:  # 2023-02-30: the right form, no such day
                    why = f" ({exc})"
            if day is None:
                ctx.add(
                    f"{key} {show(value)} is not a date{why}; expected YYYY-MM-DD, e.g. 2023-09-04",
                    key,
                    m,
                )
                return INVALID
            value = day
        if value > ctx.today:
            ctx.add(
                f"{key} {value.isoformat()} is in the future (today is {ctx.today.isoformat()})",
                key,
                m,
            )
            return INVALID
        return value


@dataclass(frozen=True)
class OneOf:
    """One of a fixed vocabulary (the keys of a mapping, for ACLED's event types)."""

    values: tuple[str, ...]
    label: str | None = None  # the README's type column for long vocabularies

    @property
    def doc(self) -> str:
        return self.label or ", ".join(self.values)

    def check(self, key, value, ctx, m):
        value = Text().check(key, value, ctx, m)
        if value is INVALID:
            return INVALID
        if value not in self.values:
            ctx.add(
                f"{key} {show(value)} is not one of {', '.join(self.values)}"
                f"{suggest(value, self.values)}",
                key,
                m,
            )
            return INVALID
        return value


@dataclass(frozen=True)
class Country:
    """An ISO 3166-1 alpha-3 code."""

    doc = "ISO3"

    def check(self, key, value, ctx, m):
        value = Text().check(key, value, ctx, m)
        if value is not INVALID and not re.match(r"^[A-Z]{3}$", value):
            hint = " (use ISO 3166-1 alpha-3, e.g. ROU not RO)" if len(value) == 2 else ""
            ctx.add(f"{key} {show(value)} is not an ISO 3166-1 alpha-3 code{hint}", key, m)
            return INVALID
        return value


@dataclass(frozen=True)
class TextList:
    """A list of non-blank text items."""

    doc = "list of text"

    def check(self, key, value, ctx, m):
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            ctx.add(f"{key} must be a list of text items, got {show(value)}", key, m)
            return INVALID
        return tuple(value)


def _field_names(record_type) -> str:
    from incidentmap.geo.schema import field_names

    return "{" + ", ".join(field_names(record_type)) + "}"


@dataclass(frozen=True)
class Nested:
    """One nested record (a mapping), e.g. ``geocoding: {source, ref, note}``."""

    record_type: type

    @property
    def doc(self) -> str:
        return _field_names(self.record_type)

    def check(self, key, value, ctx, m):
        if not isinstance(value, Mapping):
            ctx.add(
                f"{key} must be a mapping of {_field_names(self.record_type)}, got {show(value)}",
                key,
                m,
            )
            return INVALID
        out = ctx.nested(self.record_type, value, key)
        return INVALID if out is None else out


@dataclass(frozen=True)
class NestedList:
    """A list of nested records; ``non_empty`` requires at least one."""

    record_type: type
    non_empty: bool = False

    @property
    def doc(self) -> str:
        return f"list of {_field_names(self.record_type)}"

    def check(self, key, value, ctx, m):
        if not isinstance(value, list) or (self.non_empty and not value):
            what = "a non-empty list" if self.non_empty else "a list"
            ctx.add(
                f"{key} must be {what} of {_field_names(self.record_type)}, got {show(value)}",
                key,
                m,
            )
            return INVALID
        out, ok = [], True
        item_lines = getattr(value, "item_lines", None) or []
        for i, item in enumerate(value, 1):
            where = f"{key} item {i}"
            if not isinstance(item, Mapping):
                line = item_lines[i - 1] if i <= len(item_lines) else None
                ctx.add(
                    f"{where} must be a mapping of {_field_names(self.record_type)}, "
                    f"got {show(item)}",
                    key,
                    m,
                    line=line,
                )
                ok = False
                continue
            rec = ctx.nested(self.record_type, item, where)
            ok = ok and rec is not None
            out.append(rec)
        return tuple(out) if ok else INVALID
