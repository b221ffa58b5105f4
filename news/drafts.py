"""Many articles, one incident: draft records grouped across the articles that report them.

The same crash is reported by five outlets over three days. Each article's draft records are
grouped with those of other articles when they tell of the same event:

* **same site**: the geodesic distance between their positions is within the larger of their
  precisions (``precision_m``), or, for a record placed only at a country or region, the other
  group is the only one in that country (and admin area) that fits;
* **overlapping dates**: their day ranges, widened by :data:`DATE_SLACK_DAYS` (a find on Friday
  of a drone that crossed on Monday is dated differently by different outlets), overlap; an
  undated record fits a group whose dates come within the slack of its publication date;
* **compatible kind**: an attack on a place outside NATO is never the same event as a drone
  coming down on NATO territory.

A group becomes one :class:`Draft`: the record with the finest position, with every source, and
a claims timeline (every claim of every article, dated and with the source it came from).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

import pyproj

from incidentmap.geo.geocoding import Geocoder, default_geocoder
from incidentmap.news.article import extract_article
from incidentmap.news.inputs import SourcedArticle
from incidentmap.news.matcher import gazetteer_for

__all__ = ["DATE_SLACK_DAYS", "Draft", "extract_many", "group_records"]

logger = logging.getLogger(__name__)

_GEOD = pyproj.Geod(ellps="WGS84")
#: Days by which two reports' date ranges may miss each other and still be one event.
DATE_SLACK_DAYS = 1
#: Kinds that are never the same event as the other kinds.
_APART = {"attack_near_border"}


@dataclass
class Draft:
    """One incident as reported by one or more articles."""

    record: dict
    articles: list[str] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    #: ``new``, or ``in catalog`` (with ``catalog_id``) after :func:`mark_against_catalog`.
    status: str | None = None
    catalog_id: str | None = None

    def as_dict(self) -> dict:
        out = {"articles": self.articles, "reports": len(self.members)}
        if self.status:
            out["catalog"] = {"status": self.status, "event_id_cnty": self.catalog_id}
        out["claims_timeline"] = claims_timeline(self.members)
        out["record"] = self.record
        return out


def _span(record: dict, published: dt.date | None) -> tuple[dt.date, dt.date] | None:
    start, end = record.get("date_start"), record.get("date_end")
    if start is None:
        return (published, published) if published else None
    return start, end or start


def _dates_fit(a: tuple | None, b: tuple | None) -> bool:
    if a is None or b is None:
        return True
    slack = dt.timedelta(days=DATE_SLACK_DAYS)
    return a[0] - slack <= b[1] and b[0] - slack <= a[1]


def _has_point(record: dict) -> bool:
    return record.get("latitude") is not None and record.get("longitude") is not None


def _same_site(a: dict, b: dict) -> bool:
    if a.get("country") != b.get("country"):
        return False
    distance_m = _GEOD.inv(a["longitude"], a["latitude"], b["longitude"], b["latitude"])[2]
    return distance_m <= max(a.get("precision_m") or 0.0, b.get("precision_m") or 0.0)


def _contains(area: dict, point: dict) -> bool:
    if area.get("country") != point.get("country"):
        return False
    return not area.get("admin1") or area.get("admin1") == point.get("admin1")


def _kinds_fit(a: dict, b: dict) -> bool:
    return (a.get("kind") in _APART) == (b.get("kind") in _APART)


def group_records(reports: list[tuple[dict, dt.date | None, str]]) -> list[list[int]]:
    """Indices of ``reports`` ((record, published, article ref) tuples) grouped by event."""
    groups: list[list[int]] = []
    spans = [_span(r, published) for r, published, _ in reports]
    order = sorted(range(len(reports)), key=lambda n: (not _has_point(reports[n][0]), n))
    for n in order:
        record = reports[n][0]
        fitting = []
        for g, members in enumerate(groups):
            if not all(_dates_fit(spans[n], spans[m]) and _kinds_fit(record, reports[m][0])
                       for m in members):  # fmt: skip
                continue
            pointed = [m for m in members if _has_point(reports[m][0])]
            if _has_point(record):
                if pointed and any(_same_site(record, reports[m][0]) for m in pointed):
                    fitting.append(g)
            elif pointed and all(_contains(record, reports[m][0]) for m in pointed):
                fitting.append(g)
            elif not pointed and all(
                reports[m][0].get("country") == record.get("country")
                and reports[m][0].get("admin1") == record.get("admin1")
                for m in members
            ):
                fitting.append(g)
        if len(fitting) == 1 or (fitting and _has_point(record)):
            groups[fitting[0]].append(n)
        else:
            groups.append([n])
    return [sorted(g) for g in sorted(groups, key=min)]


def claims_timeline(members: list[dict]) -> list[dict]:
    """Every claim of every report, with its source, oldest first (undated last)."""
    out = []
    for report in members:
        ref = (report.get("sources") or [{}])[0]
        for claim in report.get("claims") or ():
            out.append({**claim, "source": ref.get("url") or ref.get("ref")})
    return sorted(out, key=lambda c: (c.get("date") or dt.date.max, c["actor"]))


def _merged(members: list[dict]) -> dict:
    base = min(members, key=lambda r: (not _has_point(r), r.get("precision_m") or 1e12))
    record = dict(base)
    sources, seen = [], set()
    for report in members:
        for source in report.get("sources") or ():
            key = source.get("url") or source.get("ref") or source.get("title")
            if key not in seen:
                seen.add(key)
                sources.append(source)
    record["sources"] = sources
    claims, keys = [], set()
    for claim in claims_timeline(members):
        key = (claim["actor"], claim["stance"])
        if key not in keys:
            keys.add(key)
            claims.append({k: v for k, v in claim.items() if k != "source"})
    record["claims"] = claims
    dated = [r for r in members if r.get("date_start")]
    if dated:
        start = max(r["date_start"] for r in dated)
        end = min(r["date_end"] for r in dated)
        if start <= end and not base.get("date_start"):
            record["date_start"], record["date_end"], record["event_date"] = start, end, end
        elif not base.get("date_start"):
            first = min(dated, key=lambda r: r.get("precision_m") or 1e12)
            for key in ("date_start", "date_end", "event_date", "time_precision"):
                if key in first:
                    record[key] = first[key]
    if len(members) > 1:
        record["notes"] = f"{base['notes']} Reported by {len(sources)} sources."
    return record


def extract_many(
    articles: list[SourcedArticle], *, geocoder: Geocoder | None = None
) -> list[Draft]:
    """Extract every article and group their records into drafts (see the module docstring)."""
    geocoder = geocoder or default_geocoder()
    gazetteer = gazetteer_for(geocoder)
    reports: list[tuple[dict, dt.date | None, str]] = []
    for article in articles:
        result = extract_article(
            article.text,
            published=article.published,
            path=article.ref,
            geocoder=geocoder,
            gazetteer=gazetteer,
            title=article.title,
            publisher=article.publisher,
        )
        for record in result.records:
            if article.url:
                record["sources"] = [{**s, "url": article.url} for s in record["sources"]]
            reports.append((record, article.published, article.ref))
    drafts = []
    for number, members in enumerate(group_records(reports), 1):
        records = [reports[m][0] for m in members]
        draft = Draft(
            _merged(records), list(dict.fromkeys(reports[m][2] for m in members)), records
        )
        draft.record["event_id_cnty"] = draft.record["event_id_cnty"].rsplit("-", 1)[0] + (
            f"-{9000 + number:04d}"
        )
        drafts.append(draft)
    logger.info("%d articles, %d reports, %d drafts", len(articles), len(reports), len(drafts))
    return drafts
