"""Words of an incident popup, from any record shape (pure; no folium).

A row may be a dict, a pandas row or a record object; missing values (None, NaN, NaT, pandas NA)
become empty text. :func:`layers.incidents.popup_record` puts these pieces together.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping

import numpy as np
import pandas as pd


def _get(obj, name, default=None):
    """A field of a dict, a pandas row (Series: never its methods, e.g. ``count``) or a record."""
    if type(obj) is dict:  # the common case (records of a frame), without the ABC checks
        return obj.get(name, default)
    if isinstance(obj, Mapping | pd.Series):
        return obj[name] if name in obj else default
    return getattr(obj, name, default)


def _missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, str):  # the common case, without pandas' isna
        return False
    if isinstance(value, float) and math.isnan(value):
        return True
    if isinstance(value, list | tuple | dict | np.ndarray):
        return False
    try:
        return bool(pd.isna(value))  # pandas NA / NaT / numpy NaN
    except (TypeError, ValueError):
        return False


def _text(value) -> str:
    return "" if _missing(value) else str(value)


def _day(value) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):  # pandas Timestamp
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def date_text(start, end) -> str:
    """``2023-09-04`` for one day, ``2023-09-03 – 2023-09-04`` for a range.

    >>> date_text(dt.date(2025, 9, 9), dt.date(2025, 9, 10))
    '2025-09-09 – 2025-09-10'
    """
    first, last = _day(start), _day(end)
    if first is None:
        return ""
    if last is None or last == first:
        return first.isoformat()
    return f"{first.isoformat()} – {last.isoformat()}"


def _nato_parts(row) -> tuple[str, dt.date | None, str]:
    """(answer, day, context) of the on-NATO-soil text; see :func:`nato_soil_text`."""
    answer = _text(_get(row, "on_nato_soil")) or "unknown"
    day = _day(_get(row, "event_date")) or _day(_get(row, "date_start"))
    where = ", ".join(
        x
        for x in (
            _text(_get(row, "found_country_name")),
            _text(_get(row, "zone")).replace("_", " "),
        )
        if x
    )
    context = f" ({where})" if where else ""
    note = _text(_get(row, "status_note"))
    if note:
        context += f"; {note}"
    return answer, day, context


def nato_soil_text(row) -> str:
    """The on-NATO-soil answer as of the incident's date, with the country and why.

    >>> nato_soil_text({"on_nato_soil": "yes", "found_country_name": "Romania",
    ...                 "event_date": dt.date(2023, 9, 4), "zone": "land"})
    'yes, as of 2023-09-04 (Romania, land)'
    """
    answer, day, context = _nato_parts(row)
    return (f"{answer}, as of {day.isoformat()}" if day else answer) + context


def distance_text(distance_km) -> str:
    """Signed distance to NATO's border in words (positive = inside NATO territory).

    >>> distance_text(3.24), distance_text(-12.0)
    ('3.2 km inside NATO territory', '12.0 km outside NATO territory')
    """
    if _missing(distance_km):
        return ""
    km = float(distance_km)
    side = "inside" if km >= 0 else "outside"
    return f"{abs(km):.1f} km {side} NATO territory"


def precision_text(row) -> str:
    """How exactly the incident is placed: radius and where the coordinates come from.

    >>> precision_text({"precision_m": 1500.0, "geocoding_source": "curated"})
    'within 1.5 km (curated)'
    """
    radius = _get(row, "precision_m")
    source = _text(_get(row, "geocoding_source"))
    if _missing(radius):
        return source
    radius = float(radius)
    text = f"within {radius / 1000:.1f} km" if radius >= 1000 else f"within {radius:.0f} m"
    return f"{text} ({source})" if source else text


def _missing_list(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return False
