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

from incidentmap.geo import nato
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


# --------------------------------------------------------------------------- claims


def _perpetrator_words(actor1: str | None) -> tuple[str, ...]:
    """Country words of the party whose weapon it was: "Military Forces of Russia (2000-)"
    → ("russia",). Their denials are denials of responsibility, not of the incident."""
    if not actor1:
        return ()
    found = re.search(r"\bof ([A-Z][\w' -]*?)\s*(?:\(|$)", actor1)
    return (found.group(1).strip().casefold(),) if found else ()


def claim_status(claims: Iterable, *, actor1: str | None = None) -> str:
    """The standing of an incident from its dated claims.

    Claims are taken in date order (same-day claims keep their recorded order). Stances
    that settle whether it happened are ``confirmed`` and ``denied`` (a ``retracted``
    claim counts as a denial). Denials by the party the record names in ``actor1``
    (e.g. Russia's defence ministry or its state media when ``actor1`` is "Military Forces
    of Russia") are left out: they deny responsibility, not the event.

    * ``"denied"`` if the latest settling stance is a denial;
    * else ``"confirmed"`` if any claim confirms;
    * else ``"attributed"`` if any claim attributes it to someone;
    * else ``"claimed"``.

    >>> from incidentmap.geo.incidents import Claim
    >>> d = dt.date
    >>> claim_status([Claim(d(2023, 9, 4), "Ukraine MFA", "claimed", "..."),
    ...               Claim(d(2023, 9, 4), "Romania MoD", "denied", "..."),
    ...               Claim(d(2023, 9, 6), "Romania MoD", "confirmed", "...")])
    'confirmed'
    >>> claim_status([Claim(d(2025, 9, 19), "Estonia MFA", "confirmed", "..."),
    ...               Claim(d(2025, 9, 19), "Russia Ministry of Defence", "denied", "...")],
    ...              actor1="Military Forces of Russia (2000-)")
    'confirmed'
    """
    ordered = sorted(
        enumerate(claims), key=lambda ic: (_claim_get(ic[1], "date") or dt.date.min, ic[0])
    )
    perpetrator = _perpetrator_words(actor1)
    settling = None
    stances = set()
    for _, claim in ordered:
        stance = _claim_get(claim, "stance")
        actor = str(_claim_get(claim, "actor") or "").casefold()
        stances.add(stance)
        if stance in ("denied", "retracted"):
            if any(word in actor for word in perpetrator):
                continue
            settling = "denied"
        elif stance == "confirmed":
            settling = "confirmed"
    if settling == "denied":
        return "denied"
    if "confirmed" in stances:
        return "confirmed"
    if "attributed" in stances:
        return "attributed"
    return "claimed"


def _claim_get(claim, key):
    return claim.get(key) if isinstance(claim, dict) else getattr(claim, key, None)


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


def _problem(inc: Incident, level: str, problem: str, reason: str, **extra) -> dict:
    return {
        "event_id_cnty": inc.event_id_cnty,
        "level": level,
        "problem": problem,
        "reason": reason,
        "file": inc.file,
        "line": inc.line,
        **extra,
    }


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
    for inc in incidents:
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
                    _problem(
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
                    _problem(
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

    table = pd.DataFrame(rows)
    answers = []
    for day, group in table.groupby("event_date", sort=True):
        ans = classify_many(group["lon"].to_numpy(), group["lat"].to_numpy(), on=day)
        ans.index = group.index
        answers.append(ans)
    ans = pd.concat(answers).loc[table.index]

    t = territory()
    sovereign_of = dict(zip(t.a3, t.sovereign, strict=True))
    bad = ans["error"].notna().to_numpy()
    keep = ~bad
    for i in np.flatnonzero(bad):
        row = table.iloc[i]
        inc_like = _RowRef(row)
        report.append(
            _problem(
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

    _country_warnings(out, report)
    _accession_warnings(out, report)

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


class _RowRef:
    """Just enough of an Incident for :func:`_problem`, from a frame row."""

    def __init__(self, row):
        self.event_id_cnty = str(row["event_id_cnty"])
        self.file = None if pd.isna(row["file"]) else str(row["file"])
        self.line = None if pd.isna(row["line"]) else int(row["line"])


def _country_warnings(out: pd.DataFrame, report: EnrichReport) -> None:
    """Warn about rows whose coordinates lie outside the country the record states."""
    from incidentmap.geo.territory import classify_many, distance_to_country_border

    stated = out["country"].to_numpy(dtype=object)
    found = out["found_country"].to_numpy(dtype=object)
    sov = out["found_sovereign"].to_numpy(dtype=object)
    mismatch = np.array(
        [s != f and s != v for s, f, v in zip(stated, found, sov, strict=True)], dtype=bool
    )
    idx = np.flatnonzero(mismatch)
    if not len(idx):
        return
    lon = out["longitude"].to_numpy(dtype=float)[idx]
    lat = out["latitude"].to_numpy(dtype=float)[idx]
    # Would the swapped pair (lon read as lat) land in the stated country?
    swapped = classify_many(lat, lon, distance=False)
    for k, i in enumerate(idx):
        row = out.iloc[i]
        where = (
            f"{row['found_country_name']} ({found[i]})"
            if found[i] is not None
            else "international waters"
        )
        try:
            d_km = distance_to_country_border(lon[k], lat[k], stated[i]).distance_km
            how_far = f", {abs(d_km):.1f} km outside {stated[i]}"
        except Exception as exc:  # unknown ISO3 in the border data
            logger.debug("no border distance for %s: %s", stated[i], exc)
            d_km, how_far = None, ""
        s_country = swapped["country"].iloc[k]
        hint = ""
        if isinstance(s_country, str) and stated[i] in (s_country, _sov(s_country)):
            hint = "; latitude and longitude look swapped"
        elif d_km is not None and abs(d_km) * 1000.0 <= float(row["precision_m"]):
            hint = "; within the record's precision radius of the border"
        elif row["geocoding_source"] != "seed":
            hint = "; wrong geocode? check the place name and admin1"
        report.append(
            _problem(
                _RowRef(row),
                "warning",
                "country_mismatch",
                f"stated country {stated[i]} but lat {lat[k]:.5f}, lon {lon[k]:.5f} "
                f"({row['geocoding_source']}) lies in {where}{how_far}{hint}",
                stated_country=stated[i],
                found_country=found[i],
            )
        )


def _sov(a3: str) -> str | None:
    from incidentmap.geo.territory import territory

    t = territory()
    hit = np.flatnonzero(t.a3 == a3)
    return t.sovereign[hit[0]] if len(hit) else None


def _accession_warnings(out: pd.DataFrame, report: EnrichReport) -> None:
    """Warn when the found country joined NATO inside [date_start, date_end]."""
    for _, row in out.iterrows():
        sov = row["found_sovereign"]
        if not sov or row["date_start"] == row["date_end"]:
            continue
        if nato.is_member(sov, on=row["date_start"]) != nato.is_member(sov, on=row["date_end"]):
            report.append(
                _problem(
                    _RowRef(row),
                    "warning",
                    "accession_in_date_range",
                    f"{sov} joined NATO on {nato.member_since(sov)}, between date_start "
                    f"{row['date_start']} and date_end {row['date_end']}; on_nato_soil is as "
                    f"of event_date {row['event_date']}",
                )
            )


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
