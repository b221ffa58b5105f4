"""Enrich validated incident records: coordinates, then the territory answers on their date.

For every :class:`~geo.incidents.Incident`:

1. **Coordinates.** The record's own ``latitude``/``longitude`` (``geocoding_source`` =
   ``"seed"``), else the place geocoded from ``location`` with the record's ``country`` and
   ``admin1`` as context (falling back to ``geocoding.ref`` when that names another place,
   e.g. ``"Grindu (Tulcea)"``). A geocoded record gets the geocoder's source ("curated",
   "geonames", ...) and ``precision_m = max(record precision_m, place precision_m)``.
2. **Territory.** :func:`geo.territory.classify_many`, one vectorised call per distinct
   ``event_date`` (membership changes with the date): found country, zone, NATO member,
   Article 6 area, status note, signed geodesic distance to the NATO border.
3. **On NATO soil, as of the day it happened** (``event_date``, ACLED's "day of the event";
   for a range it is the first day the record commits to). ``"uncertain"`` when the precision
   circle reaches across the NATO border, i.e. ``abs(distance_to_nato_border_km) * 1000 <
   precision_m``; otherwise ``"yes"`` / ``"no"`` from membership on that date. When the
   found country joined NATO between ``date_start`` and ``date_end`` a warning says so.
4. **Claim status**, see :func:`claim_status`.

Nothing is lost: each incident is either a row of the frame or an ``"error"`` item of the
report (place unknown, ambiguous with its candidates, unusable coordinates). Rows whose
coordinates fall in another country than the one the record states get a ``"warning"``
(swapped latitude/longitude and wrong geocodes show up there), but stay in the frame.
Territory rows count for their sovereign (Åland → FIN, Greenland → DNK).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

import geopandas as gpd

from incidentmap.geo import nato, progress
from incidentmap.geo.claims import claim_status
from incidentmap.geo.enrich_warnings import (
    RowRef,
    accession_warnings,
    country_warnings,
    problem_item,
)
from incidentmap.geo.errors import AmbiguousPlaceError, GeocodingError
from incidentmap.geo.incidents import load_incidents
from incidentmap.geo.paths import seeds_folder
from incidentmap.geo.schema import CLAIM_STATUSES, SEED_COLUMNS, Incident
from incidentmap.geo.validation import Rejection

logger = logging.getLogger(__name__)

__all__ = [
    "CLAIM_STATUSES",
    "ENRICHED_COLUMNS",
    "CatalogResult",
    "EnrichReport",
    "EnrichResult",
    "claim_status",
    "default_seeds_dir",
    "enrich_incidents",
    "load_catalog",
]

#: Columns the enrichment adds to the seed fields, in frame order.
ENRICHED_COLUMNS = (
    "found_country",
    "found_country_name",
    "found_sovereign",
    "zone",
    "on_nato_soil",
    "nato_member",
    "nato_since",
    "article_6_area",
    "distance_to_nato_border_km",
    "across",
    "status_note",
    "claim_status",
    "geocoding_source",
    "geocoding_ref",
    "geocoding_confidence",
    "border_accuracy_m",
    "nato_member_today",
)


class EnrichReport(list):
    """The report of :func:`enrich_incidents`: a list of dicts, one per problem.

    Each item has ``event_id_cnty``, ``level`` (``"error"``: the incident is not in the
    frame; ``"warning"``: it is, but look at it), ``problem`` (a short code such as
    ``place_not_found``, ``ambiguous_place``, ``bad_coordinates``, ``country_mismatch``,
    ``accession_in_date_range``), ``reason`` (a sentence), ``file`` and ``line``; ambiguous
    places also carry ``candidates`` (dicts of name, admin1, admin2, country, population,
    lon, lat).
    """

    @property
    def failures(self) -> list[dict]:
        """Items of incidents that are not in the frame."""
        return [item for item in self if item["level"] == "error"]

    @property
    def warnings(self) -> list[dict]:
        """Items of incidents that are in the frame but deserve a look."""
        return [item for item in self if item["level"] == "warning"]


class EnrichResult(NamedTuple):
    """``(frame, report)``; unpacks like a tuple."""

    frame: gpd.GeoDataFrame
    report: EnrichReport


class CatalogResult(NamedTuple):
    """The loaded and enriched catalog: ``(frame, rejected, report)``."""

    frame: gpd.GeoDataFrame
    rejected: tuple[Rejection, ...]
    report: EnrichReport


def default_seeds_dir() -> Path:
    """The shipped incident seeds (the ``incidents`` folder of :func:`geo.paths.seeds_folder`)."""
    return seeds_folder().incidents


# --------------------------------------------------------------------------- geocoding


def _place_candidates(exc: AmbiguousPlaceError) -> list[dict]:
    out = []
    for p in getattr(exc, "candidates", None) or ():
        out.append(
            {
                "name": p.name,
                "admin1": p.admin1,
                "admin2": p.admin2,
                "country": p.country,
                "population": None if p.population is None else int(p.population),
                "lon": float(p.lon),
                "lat": float(p.lat),
                "source": p.source,
            }
        )
    return out


def _ref_query(ref: str) -> str:
    """Turn "Grindu (Tulcea)" into "Grindu, Tulcea" (the geocoder reads context after commas)."""
    return re.sub(r"\s*\(([^)]*)\)\s*$", r", \1", ref.strip())


def _geocode_incident(inc: Incident, geocoder):
    """The geocoded Place for ``inc``, or raise the last GeocodingError."""
    queries = [inc.location]
    ref = inc.geocoding.ref if inc.geocoding is not None else None
    if ref and _ref_query(ref) != inc.location:
        queries.append(_ref_query(ref))
    first_error: GeocodingError | None = None
    for query in queries:
        try:
            place = geocoder.geocode(query, country=inc.country, admin=inc.admin1)
        except GeocodingError as exc:
            first_error = first_error or exc
            continue
        if query != inc.location:
            logger.info(
                "%s: %r not found, used geocoding.ref %r", inc.event_id_cnty, inc.location, ref
            )
        return place, query
    raise first_error


# --------------------------------------------------------------------------- records → rows


def _plain(value):
    """Dataclass records to dicts (nested), tuples to lists."""
    if dataclasses.is_dataclass(value):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _seed_row(inc: Incident) -> dict[str, Any]:
    return {col: _plain(getattr(inc, col)) for col in SEED_COLUMNS}


def same_answers_day(days) -> dict:
    """Each day mapped to the first of the days whose territory answers are the same: the
    answers depend on the date only through :meth:`geo.territory.Territory.answers_key` (the
    member territories and the status areas in force), so one vectorised call answers every
    day of such a period (1,300 days of a big import: a handful of calls, not 1,300)."""
    from incidentmap.geo.territory import territory

    t = territory()
    first: dict[bytes, dt.date] = {}
    out = {}
    for day in sorted(days):
        out[day] = first.setdefault(t.answers_key(day), day)
    return out


def enrich_incidents(
    incidents: Iterable[Incident], *, geocoder=None, today: dt.date | None = None
) -> EnrichResult:
    """Locate incidents and answer, for each, where it is and whether that was NATO soil.

    Parameters
    ----------
    incidents
        Validated records, e.g. ``load_incidents(...).incidents``.
    geocoder
        A :class:`~geo.geocoding.Geocoder` for records without coordinates; default
        :func:`geo.geocoding.default_geocoder` (built only if some record needs it).
    today
        The date of the ``nato_member_today`` column (default ``date.today()``).

    Returns
    -------
    EnrichResult
        ``frame``: a GeoDataFrame (EPSG:4326, geometry ``Point(lon, lat)``), one row per
        located incident in input order, with the seed fields (``latitude``/``longitude``
        filled in when geocoded; ``claims``, ``sources``, ``tags`` as lists of dicts/strings)
        and :data:`ENRICHED_COLUMNS`. ``report``: an :class:`EnrichReport` (list of dicts)
        with one ``"error"`` item per incident left out and ``"warning"`` items for rows
        to check.
    """
    from incidentmap.geo.territory import classify_many, territory

    today = today or dt.date.today()
    incidents = list(incidents)
    report = EnrichReport()
    rows: list[dict] = []
    total = len(incidents)
    for done, inc in enumerate(incidents, 1):
        if done % progress.every == 0:
            progress.step("enriching: records", done, total)
        row = _seed_row(inc)
        if inc.has_coordinates:
            row.update(
                lon=float(inc.longitude),
                lat=float(inc.latitude),
                geocoding_source="seed",
                geocoding_ref=None,
                geocoding_confidence=1.0,
            )
        else:
            if geocoder is None:
                from incidentmap.geo.geocoding import default_geocoder

                geocoder = default_geocoder()
            try:
                place, query = _geocode_incident(inc, geocoder)
            except AmbiguousPlaceError as exc:
                report.append(
                    problem_item(
                        inc,
                        "error",
                        "ambiguous_place",
                        f"place {inc.location!r} ({inc.country}, {inc.admin1}) is ambiguous: {exc}",
                        candidates=_place_candidates(exc),
                    )
                )
                continue
            except GeocodingError as exc:
                report.append(
                    problem_item(
                        inc,
                        "error",
                        "place_not_found",
                        f"place {inc.location!r} ({inc.country}, {inc.admin1}) could not be "
                        f"geocoded: {exc}; add it to seeds/places.yaml or give "
                        "latitude/longitude",
                    )
                )
                continue
            row.update(
                lon=float(place.lon),
                lat=float(place.lat),
                latitude=float(place.lat),
                longitude=float(place.lon),
                precision_m=max(float(inc.precision_m), float(place.precision_m)),
                geocoding_source=place.source,
                geocoding_ref=place.ref or query,
                geocoding_confidence=float(place.confidence),
            )
        rows.append(row)

    if not rows:
        return EnrichResult(_empty_frame(), report)

    progress.step("enriching: records", total, total)
    table = pd.DataFrame(rows)
    answers = []
    same_day = same_answers_day(table["event_date"].unique())
    groups = table.groupby(table["event_date"].map(same_day), sort=True)
    for done, (day, group) in enumerate(groups, 1):
        ans = classify_many(group["lon"].to_numpy(), group["lat"].to_numpy(), on=day)
        ans.index = group.index
        answers.append(ans)
        progress.step("enriching: territory answers", done, groups.ngroups)
    ans = pd.concat(answers).loc[table.index]

    t = territory()
    sovereign_of = dict(zip(t.a3, t.sovereign, strict=True))
    bad = ans["error"].notna().to_numpy()
    keep = ~bad
    for i in np.flatnonzero(bad):
        row = table.iloc[i]
        inc_like = RowRef(row)
        report.append(
            problem_item(
                inc_like,
                "error",
                "bad_coordinates",
                f"coordinates lat {row['lat']}, lon {row['lon']} unusable: {ans['error'].iloc[i]}",
            )
        )
    table, ans = table[keep].reset_index(drop=True), ans[keep].reset_index(drop=True)

    found = ans["country"].astype(object).where(ans["country"].notna(), None)
    sovereign = [sovereign_of.get(c) if c is not None else None for c in found]
    distance = ans["distance_to_nato_border_km"].astype(float).to_numpy()
    member = ans["nato_member"].astype(bool).to_numpy()
    straddles = np.abs(distance) * 1000.0 < table["precision_m"].astype(float).to_numpy()
    straddles &= np.isfinite(distance)
    on_soil = np.where(straddles, "uncertain", np.where(member, "yes", "no"))

    out = table.drop(columns=["lon", "lat"])
    for col in ("count", "injuries", "fatalities", "line"):
        out[col] = out[col].astype("Int64")
    out["found_country"] = list(found)
    out["found_country_name"] = list(ans["country_name"].astype(object))
    out["found_sovereign"] = sovereign
    out["zone"] = list(ans["zone"])
    out["on_nato_soil"] = on_soil
    out["nato_member"] = member
    out["nato_since"] = list(ans["nato_since"].astype(object))
    out["article_6_area"] = ans["article_6_area"].astype(bool).to_numpy()
    out["distance_to_nato_border_km"] = np.round(distance, 4)
    out["across"] = list(ans["across"].astype(object))
    out["status_note"] = list(ans["status_note"].astype(object))
    out["claim_status"] = [
        claim_status(c, actor1=a) for c, a in zip(out["claims"], out["actor1"], strict=True)
    ]
    out["border_accuracy_m"] = list(ans["accuracy_m"])
    out["nato_member_today"] = [nato.is_member(s, on=today) if s else False for s in sovereign]
    for col in ENRICHED_COLUMNS:
        if col not in out:
            out[col] = None

    country_warnings(out, report)
    accession_warnings(out, report)

    ordered = [c for c in SEED_COLUMNS if c in out] + list(ENRICHED_COLUMNS)
    frame = gpd.GeoDataFrame(
        out[ordered],
        geometry=gpd.points_from_xy(out["longitude"], out["latitude"]),
        crs="EPSG:4326",
    )
    logger.info(
        "enriched %d of %d incidents (%d errors, %d warnings)",
        len(frame),
        len(incidents),
        len(report.failures),
        len(report.warnings),
    )
    return EnrichResult(frame, report)


def _empty_frame() -> gpd.GeoDataFrame:
    cols = list(SEED_COLUMNS) + list(ENRICHED_COLUMNS)
    return gpd.GeoDataFrame(
        pd.DataFrame({c: pd.Series(dtype=object) for c in cols}),
        geometry=gpd.GeoSeries([], crs="EPSG:4326"),
        crs="EPSG:4326",
    )


def load_catalog(path=None, *, geocoder=None, today: dt.date | None = None) -> CatalogResult:
    """Load, validate and enrich the incident seeds.

    Parameters
    ----------
    path
        A YAML file, a directory of them, or a list; default :func:`default_seeds_dir`.
    geocoder, today
        As for :func:`enrich_incidents` (``today`` also bounds "dates in the future").

    Returns
    -------
    CatalogResult
        ``frame`` (enriched incidents), ``rejected`` (records the validator refused, with
        file and line) and ``report`` (enrichment errors and warnings). Every record of the
        files is in exactly one of ``frame`` and ``rejected``/``report.failures``, except
        that one record can have several rejections.
    """
    loaded = load_incidents(path if path is not None else default_seeds_dir(), today=today)
    frame, report = enrich_incidents(loaded.incidents, geocoder=geocoder, today=today)
    return CatalogResult(frame, loaded.rejected, report)
