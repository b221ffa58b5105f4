"""An ambiguous place told apart by where the article says it lies from another place.

"the village of Osiny, about 100 kilometers southeast of Warsaw": of the places called Osiny,
the one nearest the point 100 km southeast of Warsaw (geodesic), if it is within the offset's
own uncertainty (:data:`~incidentmap.news.offsets.DIRECTION_SPREAD` of the distance, or the
whole distance without a direction, plus :data:`SLACK_M`).
"""

from __future__ import annotations

from dataclasses import replace

import pyproj

from incidentmap.geo.geocoding.names import fold
from incidentmap.news.offsets import DIRECTION_SPREAD, offset_after
from incidentmap.news.places import PlaceFound

__all__ = ["SLACK_M", "located_by_offset"]

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
            note=f"one of {len(place.candidates)} places of that name; the one {offset.text}",
            candidates=[c for c in place.candidates if c is not best],
        )
    return place
