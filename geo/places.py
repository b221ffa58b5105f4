"""Loading curated places (``seeds/places.yaml``): the one loader, with the incidents' rules.

Places the offline gazetteer lacks or gets wrong, each with a sourced position; the record is
:class:`~geo.schema.CuratedPlace`. Problems are :class:`~geo.validation.Rejection` items with
file, line, field and value, exactly as for incidents; the geocoder
(:class:`geo.geocoding.curated.CuratedPlaces`) reads places through :func:`load_places` too.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.fieldtypes import show
from incidentmap.geo.schema import CuratedPlace
from incidentmap.geo.seed_yaml import read_yaml
from incidentmap.geo.validation import Problems, Rejection, Rejections, validate_record

__all__ = ["CuratedPlace", "PlacesResult", "load_places"]


@dataclass(frozen=True)
class PlacesResult(Rejections):
    """Curated places that passed validation and the rejections of the others."""

    places: tuple[CuratedPlace, ...]
    rejected: tuple[Rejection, ...]
    _what = "place"


def _place(rec: Any, file: str, index: int, line: int | None, today: dt.date):
    if not isinstance(rec, dict):
        reason = f"item {index} is {show(rec)} ({type(rec).__name__}), expected a mapping"
        return None, [Rejection(file, line, None, reason, value=show(rec))]
    name = rec.get("name") if isinstance(rec.get("name"), str) else None
    probs = Problems(file, rec, name, today)
    return validate_record(CuratedPlace, rec, probs, "place", file=file, line=rec.line), probs.items


def load_places(path, *, today: dt.date | None = None) -> PlacesResult:
    """Load and validate a curated places file (same rules and reporting as incidents).

    Two places with the same (name, country, admin1) are a duplicate: the second is rejected,
    naming the first one's line.

    Raises
    ------
    DataFileError
        If ``path`` does not exist.
    """
    today = today or dt.date.today()
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"places file {str(path)!r} does not exist")
    data, line, reason = read_yaml(path)
    if reason is not None:
        return PlacesResult((), (Rejection(str(path), line, None, reason),))
    if data is None:
        return PlacesResult((), ())
    if not isinstance(data, list):
        where = getattr(data, "line", 1)
        return PlacesResult(
            (), (Rejection(str(path), where, None, "top level must be a list of places"),)
        )
    places: list[CuratedPlace] = []
    rejected: list[Rejection] = []
    seen: dict[tuple, CuratedPlace] = {}
    for i, (rec, rec_line) in enumerate(zip(data, data.item_lines, strict=True), 1):
        place, probs = _place(rec, str(path), i, rec_line, today)
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
                    "name",
                    repr(place.name),
                )
            )
            continue
        seen[key] = place
        places.append(place)
    return PlacesResult(tuple(places), tuple(rejected))
