"""An ambiguous place told apart by where the article says it lies from another place.

"the village of Osiny, about 100 kilometers southeast of Warsaw": of the places called Osiny,
the one nearest the point 100 km southeast of Warsaw (geodesic), if it is within the offset's
own uncertainty (:data:`~incidentmap.news.offsets.DIRECTION_SPREAD` of the distance, or the
whole distance without a direction, plus :data:`SLACK_M`).
"""

from __future__ import annotations

import re
from dataclasses import replace

import pyproj

from incidentmap.geo.geocoding.names import fold
from incidentmap.news.offsets import DIRECTION_SPREAD, offset_after
from incidentmap.news.places import PlaceFound

__all__ = ["FAR_M", "NEAR_M", "SLACK_M", "located_by_offset", "located_near"]

SLACK_M = 10_000.0
_GEOD = pyproj.Geod(ellps="WGS84")


def _anchor(name: str, places: list[PlaceFound]) -> PlaceFound | None:
    key = fold(name)
    for place in places:
        if place.status == "resolved" and place.lon is not None:
            if key == fold(place.name) or key in (fold(w) for w in place.as_written):
                return place
    return None


def located_by_offset(place: PlaceFound, places: list[PlaceFound], text: str) -> PlaceFound:
    """``place`` resolved to one of its candidates by an offset from a resolved place, or
    ``place`` unchanged."""
    if place.status != "ambiguous" or not place.candidates:
        return place
    for occurrence in place.occurrences:
        found = offset_after(text, occurrence.end)
        if found is None:
            continue
        offset, name = found
        anchor = _anchor(name, places)
        if anchor is None:
            continue
        if offset.azimuth_deg is None:
            target, tolerance = (anchor.lon, anchor.lat), offset.distance_m + SLACK_M
            ranked = sorted(
                place.candidates,
                key=lambda c: abs(
                    _GEOD.inv(anchor.lon, anchor.lat, c.lon, c.lat)[2] - offset.distance_m
                ),
            )
            limit = DIRECTION_SPREAD * offset.distance_m + SLACK_M
            gaps = [
                abs(_GEOD.inv(*target, c.lon, c.lat)[2] - offset.distance_m) for c in ranked[:2]
            ]
            if gaps[0] > limit or (len(gaps) > 1 and gaps[1] <= limit):
                continue  # none fits, or two do (a ring of 100 km holds many villages)
        else:
            lon, lat, _ = _GEOD.fwd(anchor.lon, anchor.lat, offset.azimuth_deg, offset.distance_m)
            tolerance = DIRECTION_SPREAD * offset.distance_m + SLACK_M
            ranked = sorted(place.candidates, key=lambda c: _GEOD.inv(lon, lat, c.lon, c.lat)[2])
            if _GEOD.inv(lon, lat, ranked[0].lon, ranked[0].lat)[2] > tolerance:
                continue
            if (
                len(ranked) > 1
                and _GEOD.inv(lon, lat, ranked[1].lon, ranked[1].lat)[2] <= tolerance
            ):
                continue  # two candidates fit: still ambiguous
        best = ranked[0]
        return _resolved_as(place, best, f"the one {offset.text}")
    return place


#: A place told apart by a resolved place named with it lies within this distance of it, plus
#: the distance the article gives.
NEAR_M = 15_000.0
#: Beyond this distance from the place it is said to be near, a resolution is another place of
#: the same name ("the town of Zamość near Bydgoszcz" is not the Zamość 400 km away).
FAR_M = 100_000.0
_NEAR_AFTER = re.compile(
    r"^(?:\s+[a-z]+){0,3}\s*,?\s+(?:near|close to|outside|next to)\s+(?:the\s+)?"
    r"(?:(?:town|city|village|port) of\s+)?(?P<anchor>[A-Z][\w'-]+(?:\s[A-Z][\w'-]+)?)"
    r"|^(?:\s+[a-z]+){0,3}\s+in\s+the\s+(?P<area>[A-Z][\w'-]+)\s+(?:district|county|region|"
    r"municipality|commune)",
)


def _anchors_in_sentence(place: PlaceFound, places: list[PlaceFound]) -> list[PlaceFound]:
    sentences = {o.sentence for o in place.occurrences}
    return [
        p
        for p in places
        if p is not place
        and p.status == "resolved"
        and p.lon is not None
        and p.type != "country"
        and any(o.sentence in sentences for o in p.occurrences)
    ]


def _named_near(place: PlaceFound, places: list[PlaceFound], text: str):
    """(anchor, distance_m) of a place written right after it as the one it is near ("Zamość
    near Bydgoszcz", "Zamost, about 15 kilometers from Bydgoszcz", "the Gaižiūnai training
    ground in the Jonava district"), or None."""
    for occurrence in place.occurrences:
        found = offset_after(text, occurrence.end)
        if found is not None:
            anchor = _anchor(found[1], places)
            if anchor is not None and found[0].azimuth_deg is None:
                return anchor, found[0].distance_m
        near = _NEAR_AFTER.search(text[occurrence.end : occurrence.end + 80])
        if near is not None:
            anchor = _anchor(near["anchor"] or near["area"], places)
            if anchor is None and near["area"]:
                key = fold(near["area"])
                anchor = next(
                    (p for p in places if p.status == "resolved" and p.lon is not None
                     and fold(p.name).startswith(key)),
                    None,
                )  # fmt: skip
            if anchor is not None:
                return anchor, 0.0
    return None


def _distance_m(a_lon, a_lat, b_lon, b_lat) -> float:
    return _GEOD.inv(a_lon, a_lat, b_lon, b_lat)[2]


def located_near(place: PlaceFound, places: list[PlaceFound], text: str) -> PlaceFound:
    """An ambiguous place resolved to the only one of its candidates near a resolved place of
    the same sentence ("the Gaižiūnai training grounds, near the town of Rukla"); a resolved
    place far from the place the article says it is near made unresolved, so that the record
    goes to that place ("the town of Zamość near Bydgoszcz", which the gazetteers lack)."""
    named = _named_near(place, places, text) if place.status != "unresolved" else None
    anchors = [named[0]] if named else _anchors_in_sentence(place, places)
    if place.status == "ambiguous" and place.candidates and anchors:
        fits = []
        for c in place.candidates:
            for anchor in anchors:
                radius = NEAR_M + (named[1] if named else 0.0)
                if _distance_m(anchor.lon, anchor.lat, c.lon, c.lat) <= radius:
                    fits.append((c, anchor))
                    break
        distinct = []
        for c, anchor in fits:
            if all(_distance_m(c.lon, c.lat, d.lon, d.lat) > 5_000.0 for d, _ in distinct):
                distinct.append((c, anchor))
        if len(distinct) == 1:
            best, anchor = distinct[0]
            return _resolved_as(place, best, f"the one near {anchor.name}")
        if named and not distinct:
            return replace(
                place,
                status="unresolved",
                note=f"said to be near {named[0].name}, but none of the {len(place.candidates)} "
                "places of that name in the gazetteers is: another one, not in them",
            )
        return place
    if named and place.status == "resolved" and place.lon is not None:
        anchor, distance = named
        gap = _distance_m(anchor.lon, anchor.lat, place.lon, place.lat)
        if gap > max(FAR_M, 3 * distance):
            return replace(
                place,
                status="unresolved",
                lon=None,
                lat=None,
                note=f"said to be near {anchor.name}, but the gazetteers' {place.name} is "
                f"{gap / 1000:.0f} km from it: another place of that name, not in the "
                "gazetteers",
            )
    return place


def _resolved_as(place, best, which: str):
    """``place`` resolved as its candidate ``best`` (told apart by ``which``), at a lower
    confidence than a plain match; the other candidates stay listed."""
    return replace(
        place,
        key=f"place:{best.ref or fold(best.name)}",
        name=best.name,
        status="resolved",
        type="village" if (best.population or 0) < 20_000 else "town",
        country=best.country,
        admin1=best.admin1,
        lon=best.lon,
        lat=best.lat,
        precision_m=best.precision_m,
        confidence=round(min(best.confidence, 0.9) * 0.8, 3),
        source=best.source,
        ref=best.ref,
        note=f"one of {len(place.candidates)} places of that name; {which}",
        candidates=[c for c in place.candidates if c is not best],
    )
