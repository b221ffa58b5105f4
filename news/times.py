"""Time of day of an incident, as the article gives it: "18:05", "11:30 a.m.", "around 2 am",
"from 11 PM ... until 6:30 AM".

:func:`clock_time` reads the first clock time of an incident's sentences as local "HH:MM"
(24 h) and, for a range ("from 23:00 until 06:30", "between 22:00 and 23:30"), its end. A time
given only in GMT/UTC ("(18:26 GMT)") is skipped, since the record's time is local at the place;
vague times ("overnight", "in the early hours") give no clock time (the record's notes keep
them).

>>> clock_time("The airport was closed at 20:26 local time (18:26 GMT).")
('20:26', None)
>>> clock_time("a shutdown from 11 PM local time on Tuesday until 6:30 AM on Wednesday")
('23:00', '06:30')
>>> clock_time("Police received reports of the crash around 2 a.m.")
('02:00', None)
>>> clock_time("It happened overnight.") is None
True
"""

from __future__ import annotations

import re

__all__ = ["clock_time"]

_CLOCK = re.compile(
    r"(?<![\d:.])(?P<h>2[0-3]|[01]?\d)(?!\d)(?:[:.](?P<m>[0-5]\d)(?!\d))?"
    r"(?:\s*(?P<ap>[ap])\.?\s?m\b\.?)?"
    r"(?P<zone>\s*(?:local time|\(?\s*(?:GMT|UTC|CET|CEST|EET|EEST)\b))?",
    re.I,
)
_RANGE_WORDS = re.compile(r"^[^.!?;]*\b(?:until|till|to|and)\s*$|^\s*[-–]\s*$", re.I)
_RANGE_START = re.compile(
    r"\b(?:from|between)\s+(?:(?:about|around|roughly|approximately)\s+)?$", re.I
)
# A clock time needs a cue: a colon time, am/pm, or "at/around/about/from/until N".
_CUE_BEFORE = re.compile(r"\b(?:at|around|about|from|until|till|after|before|since)\s+$", re.I)
_NOT_TIME_AFTER = re.compile(
    r"^\s*(?:km|kilomet|kilometr|metres|meters|m\b|miles|%|percent|per cent|people|drones?|"
    r"missiles?|flights?|passengers?|years?|days?|hours?|minutes?|times|of\b|\w+s\b)",
    re.I,
)


def _parse(match: re.Match, text: str) -> str | None:
    hour = int(match["h"])
    minute = int(match["m"]) if match["m"] else 0
    ap = (match["ap"] or "").lower()
    if not match["m"] and not ap:
        before = text[max(0, match.start() - 12) : match.start()]
        if not _CUE_BEFORE.search(before) or not (match["zone"] or "").strip():
            return None  # a bare number is not a time unless "at 14 local time"
    if match["m"] and "." in match.group()[: match.end("m") - match.start()] and not ap:
        return None  # "3.5 metres", "4.12%": a decimal, not a time
    if ap:
        if hour > 12 or hour == 0:
            return None
        hour = hour % 12 + (12 if ap == "p" else 0)
    elif not match["m"]:
        return None
    after = text[match.end() : match.end() + 14]
    if not ap and _NOT_TIME_AFTER.match(after):
        return None
    return f"{hour:02d}:{minute:02d}"


def _times(text: str):
    for match in _CLOCK.finditer(text):
        zone = (match["zone"] or "").strip().lower()
        if zone and "local" not in zone:
            continue  # "(18:26 GMT)": not the local time
        value = _parse(match, text)
        if value is not None:
            yield match, value


def clock_time(body: str) -> tuple[str, str | None] | None:
    """(start "HH:MM", end "HH:MM" or None) of the first clock time in ``body``, or None."""
    found = list(_times(body))
    if not found:
        return None
    first, start = found[0]
    end = None
    if len(found) > 1:
        second, value = found[1]
        between = body[first.end() : second.start()]
        opened = _RANGE_START.search(body[max(0, first.start() - 20) : first.start()])
        if opened and _RANGE_WORDS.match(between) and len(between) < 60:
            end = value
        elif re.fullmatch(r"\s*(?:-|–|to|until)\s*", between):
            end = value
    return start, end
