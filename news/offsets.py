"""Distances and directions from a named place: "3 km west of Tulcea", "20 km from the border".

An offset before a place ("about 20 km southwest of Chilia Veche") moves the incident from the
place along the geodesic at the direction's azimuth (:func:`geo.geodesic.geodesic_destination`),
and widens its precision by :data:`DIRECTION_SPREAD` of the distance (a compass word is good to
about ±22.5°, which at distance d is a sideways error of 0.41·d). Without a direction ("15 km
from Bydgoszcz") the place stays where it is and the precision grows to the distance (the site
is somewhere on that circle). A distance from a border names no place: it is kept as a note.

>>> found = offset_before("Debris was found 3 km west of ", len("Debris was found 3 km west of "))
>>> found.distance_m, found.azimuth_deg
(3000.0, 270.0)
>>> lon, lat, precision_m = apply_offset(28.805, 45.179, 7700.0, found)
>>> round(lon, 3), round(lat, 3), precision_m
(28.767, 45.179, 8900.0)
"""

from __future__ import annotations

import re
from typing import NamedTuple

from incidentmap.geo.geodesic import geodesic_destination

__all__ = [
    "DIRECTION_SPREAD",
    "Offset",
    "apply_offset",
    "border_offsets",
    "offset_after",
    "offset_before",
]

#: Sideways uncertainty of a compass direction, as a share of the distance (tan 22.5°).
DIRECTION_SPREAD = 0.4

_AZIMUTH = {
    "north": 0.0, "northeast": 45.0, "east": 90.0, "southeast": 135.0, "south": 180.0,
    "southwest": 225.0, "west": 270.0, "northwest": 315.0,
}  # fmt: skip
_UNIT_M = {"km": 1000.0, "kilometre": 1000.0, "kilometer": 1000.0, "mile": 1609.344, "m": 1.0}
_NUMBER = r"(?P<n>\d+(?:[.,]\d+)?)(?:\s*(?:-|–|to)\s*(?P<n2>\d+(?:[.,]\d+)?))?"
_UNIT = r"(?P<unit>km|kilomet(?:er|re)s?|miles?|m|metres|meters)"
_DIRECTION = r"(?P<dir>(?:north|south)[\s-]?(?:east|west)|north|south|east|west)"
_OFFSET = re.compile(
    r"(?P<pre>,\s*)?(?:(?:some|about|around|roughly|approximately|nearly|only|just)\s+)?"
    rf"{_NUMBER}\s*{_UNIT}\b(?:\s*\([^)]{{0,20}}\))?\s+(?:to the\s+)?(?:{_DIRECTION}\s+)?"
    r"(?P<rel>of|from)\s+(?:the\s+)?(?:(?:village|town|city|commune|locality) of\s+)?$",
    re.I,
)
_BORDER = re.compile(
    rf"{_NUMBER}\s*{_UNIT}\b(?:\s*\([^)]{{0,20}}\))?\s+(?:{_DIRECTION}\s+)?(?:of|from)\s+"
    r"(?:the\s+)?(?:[A-Z][\w-]+\s+){0,2}border",
    re.I,
)


_AFTER = re.compile(
    r"^[^.;\n]{0,40}?\b(?:(?:some|about|around|roughly|approximately|nearly|only|just)\s+)?"
    rf"{_NUMBER}\s*{_UNIT}\b(?:\s*\([^)]{{0,20}}\))?\s+(?:{_DIRECTION}\s+)?(?:of|from)\s+"
    r"(?:the\s+)?(?P<anchor>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)",
)


class Offset(NamedTuple):
    """A distance (metres, the middle of a range) and a direction (None if not given)."""

    distance_m: float
    azimuth_deg: float | None
    text: str


def _metres(found: re.Match) -> float:
    first = float(found["n"].replace(",", "."))
    second = float(found["n2"].replace(",", ".")) if found["n2"] else first
    unit = found["unit"].lower().rstrip("s")
    factor = _UNIT_M.get(unit, 1.0 if unit in ("metre", "meter") else 1000.0)
    return (first + second) / 2 * factor


def offset_before(text: str, start: int) -> Offset | None:
    """The offset written right before ``text[start:]`` (a place name), if any."""
    found = _OFFSET.search(text[max(0, start - 80) : start])
    if found is None or found["pre"]:
        return None  # ", some 35 km north of X" places the noun before it, not the incident
    direction = found["dir"]
    azimuth = None
    if direction:
        azimuth = _AZIMUTH[re.sub(r"[\s-]", "", direction.lower())]
    return Offset(_metres(found), azimuth, " ".join(found.group().split()))


def offset_after(text: str, end: int) -> tuple[Offset, str] | None:
    """The offset and the anchor's name written right after a place ("Osiny, about 100 km
    southeast of Warsaw"): where the place lies from the anchor.

    >>> found, anchor = offset_after("Osiny, about 100 km southeast of Warsaw.", 5)
    >>> found.distance_m, found.azimuth_deg, anchor
    (100000.0, 135.0, 'Warsaw')
    """
    found = _AFTER.search(text[end : end + 160])
    if found is None:
        return None
    azimuth = None
    if found["dir"]:
        azimuth = _AZIMUTH[re.sub(r"[\s-]", "", found["dir"].lower())]
    words = " ".join(found.group().split()).lstrip(", ")
    return Offset(_metres(found), azimuth, words), found["anchor"]


def border_offsets(sentence: str) -> list[Offset]:
    """Distances from a border in a sentence ("about 20 km from the border")."""
    return [
        Offset(_metres(m), None, " ".join(m.group().split())) for m in _BORDER.finditer(sentence)
    ]


def apply_offset(
    lon: float, lat: float, precision_m: float, offset: Offset
) -> tuple[float, float, float]:
    """(lon, lat, precision_m) of a site ``offset`` away from (lon, lat)."""
    if offset.azimuth_deg is None:
        return lon, lat, max(precision_m, offset.distance_m)
    new_lon, new_lat = geodesic_destination(lon, lat, offset.azimuth_deg, offset.distance_m)
    return float(new_lon), float(new_lat), precision_m + DIRECTION_SPREAD * offset.distance_m
