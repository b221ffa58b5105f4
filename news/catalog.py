"""Drafts against the incident catalog: a new incident, or one already there (add a source).

A draft matches a seed incident of the same country whose day range overlaps its own (widened
by :data:`~incidentmap.news.drafts.DATE_SLACK_DAYS`) and whose position is within the larger of
their precisions, or, when either has no position, whose location or admin area is the draft's.
Seeds without coordinates are placed with the same geocoder the extraction uses (curated places
first), as the catalog itself does.
"""

from __future__ import annotations

import datetime as dt
import logging

import pyproj

from incidentmap.geo.errors import GeocodingError
from incidentmap.geo.geocoding import Geocoder, default_geocoder
from incidentmap.geo.geocoding.names import admin_names_match, fold
from incidentmap.geo.incidents import Incident, load_incidents
from incidentmap.geo.paths import seeds_folder
from incidentmap.news.drafts import DATE_SLACK_DAYS, Draft

__all__ = ["mark_against_catalog"]

logger = logging.getLogger(__name__)

_GEOD = pyproj.Geod(ellps="WGS84")


def _position(inc: Incident, geocoder: Geocoder) -> tuple[float, float, float] | None:
    if inc.latitude is not None and inc.longitude is not None:
        return inc.longitude, inc.latitude, float(inc.precision_m)
    try:
        place = geocoder.geocode(inc.location, country=inc.country, admin=inc.admin1)
    except GeocodingError:
        return None
    return place.lon, place.lat, max(float(inc.precision_m), place.precision_m or 0.0)


def _matches(record: dict, inc: Incident, position) -> bool:
    if record.get("country") != inc.country:
        return False
    start, end = record.get("date_start"), record.get("date_end")
    if start is not None:
        slack = dt.timedelta(days=DATE_SLACK_DAYS)
        if not (inc.date_start - slack <= end and start - slack <= inc.date_end):
            return False
    if record.get("latitude") is not None and position is not None:
        distance_m = _GEOD.inv(position[0], position[1], record["longitude"], record["latitude"])[2]
        return distance_m <= max(position[2], record.get("precision_m") or 0.0)
    names = {fold(record.get("location", "")), fold(record.get("location_as_reported", ""))}
    if fold(inc.location) in names:
        return True
    return (
        bool(record.get("admin1") and inc.admin1)
        and admin_names_match(record["admin1"], inc.admin1)
        and record.get("precision_m", 0) >= 50_000
    )


def _rank(record: dict, inc: Incident, position) -> tuple:
    """Best match first: the same location name, then the nearest, then the finest seed."""
    names = {fold(record.get("location", "")), fold(record.get("location_as_reported", ""))}
    distance_m = 0.0
    if position is not None and record.get("latitude") is not None:
        distance_m = _GEOD.inv(position[0], position[1], record["longitude"], record["latitude"])[2]
    return (fold(inc.location) not in names, distance_m, float(inc.precision_m))


def mark_against_catalog(
    drafts: list[Draft], seeds=None, *, geocoder: Geocoder | None = None
) -> list[Draft]:
    """Set each draft's ``status`` to ``in catalog`` (with the seed's ``event_id_cnty``) or
    ``new``. ``seeds``: a seeds folder or file, resolved by :func:`geo.paths.seeds_folder`
    (default: the shipped seeds).

    Raises
    ------
    DataFileError
        If ``seeds`` does not exist or holds no incident files.
    """
    geocoder = geocoder or default_geocoder()
    loaded = load_incidents(seeds_folder(seeds).incidents)
    catalog = [(inc, _position(inc, geocoder)) for inc in loaded.incidents]
    for draft in drafts:
        hits = [(inc, pos) for inc, pos in catalog if _matches(draft.record, inc, pos)]
        hits = [inc for inc, _ in sorted(hits, key=lambda hit: _rank(draft.record, *hit))]
        if hits:
            draft.status, draft.catalog_id = "in catalog", hits[0].event_id_cnty
        else:
            draft.status, draft.catalog_id = "new", None
    logger.info(
        "%d drafts: %d in the catalog, %d new",
        len(drafts),
        sum(d.status == "in catalog" for d in drafts),
        sum(d.status == "new" for d in drafts),
    )
    return drafts
