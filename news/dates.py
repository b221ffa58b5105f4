"""Date expressions in news text, resolved against the publication date to day ranges.

Every expression becomes a :class:`DateMention` with the first and last day it can mean:
"the night of September 3 to 4" → 3–4 September; "overnight" → the day before publication and
the day of it; "on Saturday" → the last Saturday on or before publication; "last November" →
the whole of the last November before the publication month (across a year boundary if need be);
"Aug. 4" without a year → the last 4 August on or shortly before publication; "last week" → the
Monday-to-Sunday week before; "mid-July" → 11–20 July. Without a publication date only
expressions that carry a year resolve.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import NamedTuple

__all__ = ["DateMention", "find_dates", "resolve_month_day"]

_MONTH_NAMES = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9,
    "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12,
    "december": 12,
}  # fmt: skip
_WEEKDAYS = {
    name: i
    for i, name in enumerate("monday tuesday wednesday thursday friday saturday sunday".split())
}
_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

M = (
    r"(?P<{0}>January|February|March|April|May|June|July|August|September|October|November|"
    r"December|Jan\.?|Feb\.?|Mar\.?|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept?\.?|Oct\.?|Nov\.?|Dec\.?)"
)
W = r"(?P<{0}>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
D = r"(?P<{0}>[0-3]?\d)(?:st|nd|rd|th)?"
Y = r"(?P<{0}>(?:19|20)\d\d)"
TO = r"\s*(?:to|-|–|and|into)\s*"

_PATTERNS: list[tuple[str, re.Pattern]] = [
    (
        "night-across-months",
        re.compile(
            rf"\bnight of (?:the )?(?:{D.format('d1')}\s+{M.format('m1')}{TO}{D.format('d2')}\s+"
            rf"{M.format('m2')}|{M.format('m3')}\s+{D.format('d3')}{TO}{M.format('m4')}\s+"
            rf"{D.format('d4')})(?:,?\s+{Y.format('y')})?",
            re.IGNORECASE,
        ),
    ),
    (
        "night-range",
        re.compile(
            rf"\bnight of (?:the )?(?:{D.format('d1')}{TO}{D.format('d2')}\s+{M.format('m1')}"
            rf"|{M.format('m2')}\s+{D.format('d3')}{TO}{D.format('d4')})(?:,?\s+{Y.format('y')})?",
            re.IGNORECASE,
        ),
    ),
    (
        # "the night of September 10": the night that ends on that day
        "night-of-day",
        re.compile(
            rf"\bnight of (?:the )?(?:{M.format('m')}\s+{D.format('d')}\b|{D.format('d2')}\s+"
            rf"{M.format('m2')})(?:,?\s+{Y.format('y')})?",
            re.IGNORECASE,
        ),
    ),
    (
        "month-last-year",
        re.compile(rf"\b(?:in\s+)?{M.format('m')}\s+(?P<last>last|this)\s+year\b", re.I),
    ),
    ("iso", re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    (
        "month-day",
        re.compile(
            rf"\b{M.format('m')}\s+{D.format('d')}\b(?:,?\s+{Y.format('y')})?"
            rf"|\b{D.format('d2')}\s+{M.format('m2')}(?:,?\s+{Y.format('y2')})?"
        ),
    ),
    (
        "part-of-month",
        re.compile(
            rf"\b(?P<part>early|mid|late|end of|beginning of|start of)[\s-]+{M.format('m')}"
            rf"(?:\s+{Y.format('y')})?",
            re.IGNORECASE,
        ),
    ),
    ("month-year", re.compile(rf"\b(?:in\s+)?{M.format('m')}\s+{Y.format('y')}\b")),
    ("last-month-name", re.compile(rf"\b(?P<last>last|in|this|next)\s+{M.format('m')}\b")),
    (
        "weekday",
        re.compile(
            rf"\b(?P<over>overnight\s+(?:on|into)\s+|(?:late|early)\s+on\s+|on\s+|last\s+|"
            rf"this\s+|next\s+)?{W.format('w')}(?P<part>\s+(?:night|morning|evening|afternoon))?",
            re.IGNORECASE,
        ),
    ),
    (
        "relative",
        re.compile(
            r"\b(?P<rel>overnight|last night|tonight|today|yesterday|this morning|this evening|"
            r"last weekend|this weekend|last week|this week|last month|this month|last year|"
            r"this year|"
            r"(?P<n>\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)"
            r"\s+(?P<unit>days?|weeks?|months?)\s+ago)\b",
            re.IGNORECASE,
        ),
    ),
]


class DateMention(NamedTuple):
    """A date expression and the day range it denotes (None if it cannot be resolved)."""

    text: str
    start: int
    end: int
    date_start: dt.date | None
    date_end: dt.date | None
    precision: str  # "day", "week", "month", "year"
    rule: str


def _month(name: str) -> int:
    return _MONTH_NAMES[name.lower().rstrip(".")]


def _month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def resolve_month_day(month: int, day: int, published: dt.date) -> dt.date | None:
    """The last ``month``/``day`` on or before publication (up to 7 days after it is allowed,
    for reports that announce an imminent date).

    >>> resolve_month_day(12, 30, dt.date(2024, 1, 2))
    datetime.date(2023, 12, 30)
    >>> resolve_month_day(8, 4, dt.date(2024, 8, 5))
    datetime.date(2024, 8, 4)
    """
    this_year = _safe_date(published.year, month, day)
    if this_year is not None and this_year <= published + dt.timedelta(days=7):
        return this_year
    return _safe_date(published.year - 1, month, day)


def _last_weekday(weekday: int, published: dt.date, *, strictly_before: bool) -> dt.date:
    delta = (published.weekday() - weekday) % 7
    if delta == 0 and strictly_before:
        delta = 7
    return published - dt.timedelta(days=delta)


def find_dates(text: str, published: dt.date | None) -> list[DateMention]:
    """Every date expression in ``text``, in text order, resolved against ``published``."""
    taken: list[tuple[int, int]] = []
    out: list[DateMention] = []
    for rule, pattern in _PATTERNS:
        for found in pattern.finditer(text):
            a, b = found.span()
            if any(s < b and a < e for s, e in taken):
                continue
            resolved = _resolve(rule, found, published)
            if resolved is None:
                continue
            start, end, precision = resolved
            taken.append((a, b))
            words = " ".join(found.group().split())
            out.append(DateMention(words, a, b, start, end, precision, rule))
    return _anchor_overnight(text, sorted(out, key=lambda m: m.start))


def _anchor_overnight(text: str, mentions: list[DateMention]) -> list[DateMention]:
    """ "crashed overnight ..., officials confirmed Wednesday": a bare "overnight" in a sentence
    that names one day is the night that ends on that day, not the night before publication."""
    out = list(mentions)
    for n, mention in enumerate(mentions):
        if mention.rule != "relative" or mention.text.lower() != "overnight":
            continue
        a = max(text.rfind(".", 0, mention.start), text.rfind("\n", 0, mention.start)) + 1
        b = min((i for i in (text.find(".", mention.end), text.find("\n", mention.end)) if i >= 0),
                default=len(text))  # fmt: skip
        days = [
            m
            for m in mentions
            if m is not mention
            and a <= m.start < b
            and m.precision == "day"
            and m.date_start
            and m.date_start == m.date_end
        ]
        if len({m.date_start for m in days}) == 1:
            day = days[0].date_start
            out[n] = mention._replace(date_start=day - dt.timedelta(days=1), date_end=day)
    return out


def _resolve(rule: str, m: re.Match, published: dt.date | None):
    g = m.groupdict()
    year = None
    if rule == "night-across-months":
        month = _month(g["m1"] or g["m3"])
        day = int(g["d1"] or g["d3"])
        if g.get("y"):
            start = _safe_date(int(g["y"]) - (month == 12 and _month(g["m2"] or g["m4"]) == 1),
                               month, day)  # fmt: skip
        elif published is not None:
            start = resolve_month_day(month, day, published)
        else:
            return (None, None, "day")
        return (start, start + dt.timedelta(days=1), "day") if start else None
    if rule == "night-range":
        month = _month(g["m1"] or g["m2"])
        d1 = int(g["d1"] or g["d3"])
        d2 = int(g["d2"] or g["d4"])
        year = int(g["y"]) if g.get("y") else None
        if year is None:
            if published is None:
                return (None, None, "day")
            first = resolve_month_day(month, d1, published)
            if first is None:
                return None
            year = first.year
        start = _safe_date(year, month, d1)
        end = _safe_date(year, month, d2) if d2 > d1 else None
        if start is None:
            return None
        if end is None:  # "the night of 31 August to 1 September"
            end = start + dt.timedelta(days=1)
        return (start, end, "day")
    if rule == "iso":
        day = _safe_date(int(g["y"]), int(g["m"]), int(g["d"]))
        return (day, day, "day") if day else None
    if rule == "month-day":
        month = _month(g["m"] or g["m2"])
        day_number = int(g["d"] or g["d2"])
        year_text = g.get("y") or g.get("y2")
        if not 1 <= day_number <= 31:
            return None
        if year_text:
            day = _safe_date(int(year_text), month, day_number)
        elif published is not None:
            day = resolve_month_day(month, day_number, published)
        else:
            return (None, None, "day")
        return (day, day, "day") if day else None
    if rule == "night-of-day":
        month = _month(g["m"] or g["m2"])
        number = int(g["d"] or g["d2"])
        if g.get("y"):
            day = _safe_date(int(g["y"]), month, number)
        elif published is not None:
            day = resolve_month_day(month, number, published)
        else:
            return (None, None, "day")
        return (day - dt.timedelta(days=1), day, "day") if day else None
    if rule == "month-last-year":
        if published is None:
            return (None, None, "month")
        year = published.year - (g["last"].lower() == "last")
        first, last = _month_range(year, _month(g["m"]))
        return (first, last, "month")
    if rule in ("part-of-month", "month-year", "last-month-name"):
        month = _month(g["m"])
        if g.get("y"):
            year = int(g["y"])
        elif published is None:
            return (None, None, "month")
        elif g.get("last", "").lower() == "last":
            year = published.year if month < published.month else published.year - 1
        elif g.get("last", "").lower() == "next":
            year = published.year if month > published.month else published.year + 1
        else:
            year = published.year if month <= published.month else published.year - 1
        first, last = _month_range(year, month)
        part = (g.get("part") or "").lower()
        if part == "early" or part.endswith("beginning of") or part == "start of":
            return (first, first.replace(day=10), "week")
        if part == "mid":
            return (first.replace(day=11), first.replace(day=20), "week")
        if part in ("late", "end of"):
            return (first.replace(day=21), last, "week")
        return (first, last, "month")
    if published is None:
        return (None, None, "day")
    if rule == "weekday":
        weekday = _WEEKDAYS[g["w"].lower()]
        over = (g.get("over") or "").lower().strip()
        if over.startswith("next"):
            day = published + dt.timedelta(days=(weekday - published.weekday()) % 7 or 7)
        else:
            day = _last_weekday(weekday, published, strictly_before=over.startswith("last"))
        part = (g.get("part") or "").strip().lower()
        if over.startswith("overnight"):
            return (day - dt.timedelta(days=1), day, "day")
        if part == "night":
            if day >= published:  # "on Wednesday night" in Wednesday's paper: the night before
                return (day - dt.timedelta(days=1), day, "day")
            return (day, day + dt.timedelta(days=1), "day")
        return (day, day, "day")
    rel = g["rel"].lower()
    one = dt.timedelta(days=1)
    if rel in ("overnight", "last night"):
        return (published - one, published, "day")
    if rel in ("today", "this morning", "this evening"):
        return (published, published, "day")
    if rel == "tonight":
        return (published, published + one, "day")
    if rel == "yesterday":
        return (published - one, published - one, "day")
    if rel in ("last weekend", "this weekend"):
        monday = published - dt.timedelta(days=published.weekday())
        saturday = monday + dt.timedelta(days=-2 if rel == "last weekend" else 5)
        return (saturday, saturday + one, "day")
    if rel in ("last week", "this week"):
        monday = published - dt.timedelta(days=published.weekday())
        if rel == "last week":
            monday -= dt.timedelta(days=7)
        return (monday, monday + dt.timedelta(days=6), "week")
    if rel in ("last month", "this month"):
        year, month = published.year, published.month
        if rel == "last month":
            year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        first, last = _month_range(year, month)
        return (first, last, "month")
    if rel in ("last year", "this year"):
        year = published.year - (rel == "last year")
        return (dt.date(year, 1, 1), dt.date(year, 12, 31), "year")
    n_text = g["n"].lower()
    n = int(n_text) if n_text.isdigit() else _NUMBERS[n_text]
    unit = g["unit"].lower().rstrip("s")
    if unit == "day":
        day = published - dt.timedelta(days=n)
        return (day, day, "day")
    if unit == "week":
        day = published - dt.timedelta(days=7 * n)
        return (day, day, "week")
    year, month = published.year, published.month - n
    while month < 1:
        year, month = year - 1, month + 12
    first, last = _month_range(year, month)
    return (first, last, "month")
