"""Which incidents a map draws and which it leaves out, and why (:class:`BuildReport`).

Every incident is either drawn or left out with a reason; nothing is dropped silently. The
loader's rejections and enrichment failures are listed too (:func:`load_enriched`).
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd

import shapely


@dataclass
class BuildReport:
    """Which incidents a map draws and which it leaves out, and why."""

    map: str
    title: str
    drawn: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    html: str | None = None
    html_bytes: int | None = None
    assets: str | None = None
    build_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line per map plus one line per reason, for stderr."""
        reasons: dict[str, int] = {}
        for item in self.left_out:
            key = item["reason"].split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        lines = [
            f"{self.map}: {len(self.drawn)} incidents drawn, {len(self.left_out)} left out"
            + (
                f" -> {self.html} ({self.html_bytes / 1e6:.1f} MB, assets {self.assets})"
                if self.html
                else ""
            )
        ]
        lines += [f"  left out ({n}): {reason}" for reason, n in sorted(reasons.items())]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON (dates as ISO strings)."""
        return json.dumps(asdict(self), indent=1, ensure_ascii=False, default=str)


def _day(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def select_incidents(enriched, spec) -> tuple[object, BuildReport]:
    """Split enriched incidents into the rows the map draws and a report of the rest.

    Reasons, checked in this order: no coordinates; kind not on this map; outside the date
    range (the incident's ``[date_start, date_end]`` does not meet the map's); outside the extent.
    """
    report = BuildReport(map=spec.name, title=spec.title)
    keep = np.zeros(len(enriched), dtype=bool)
    geoms = enriched.geometry.values if len(enriched) else []
    for i, row in enumerate(enriched.itertuples(index=False)):
        ident = getattr(row, "event_id_cnty", None) or f"row {i}"
        geom = geoms[i]
        start = _day(getattr(row, "date_start", None)) or _day(getattr(row, "event_date", None))
        end = _day(getattr(row, "date_end", None)) or start
        reason = None
        if geom is None or geom.is_empty or not np.all(np.isfinite(shapely.get_coordinates(geom))):
            reason = "no coordinates: the place could not be geocoded"
        elif row.kind not in spec.kinds:
            reason = f"kind not on this map: {row.kind}"
        elif start is None or end < spec.start or start > spec.end:
            reason = (
                f"outside the date range: {start} – {end} does not meet {spec.start} – {spec.end}"
            )
        elif not (spec.west <= geom.x <= spec.east and spec.south <= geom.y <= spec.north):
            reason = f"outside the extent: ({geom.x:.4f}, {geom.y:.4f}) not in {spec.bbox}"
        if reason:
            report.left_out.append({"id": ident, "reason": reason})
            continue
        keep[i] = True
        report.drawn.append(
            {
                "id": ident,
                "kind": row.kind,
                "date_start": str(start),
                "date_end": str(end),
                "lon": round(float(geom.x), 6),
                "lat": round(float(geom.y), 6),
                "on_nato_soil": getattr(row, "on_nato_soil", None),
                "claim_status": getattr(row, "claim_status", None),
            }
        )
    return enriched[keep], report


def load_enriched(seeds_dir=None):
    """Load, validate and enrich the seed incidents (:func:`geo.enrich.load_catalog`).

    Returns ``(enriched, left_out)``: ``left_out`` lists records that never reach a map
    (rejected by the seed loader or by enrichment), each with its reason, so that every build
    report accounts for them.
    """
    from incidentmap.geo.enrich import load_catalog
    from incidentmap.geo.geocoding import Geocoder
    from incidentmap.geo.paths import seeds_folder

    folder = seeds_folder(seeds_dir)
    geocoder = None if folder.shipped else Geocoder.default(places_yaml=folder.places)
    catalog = load_catalog(folder.incidents, geocoder=geocoder)
    left_out = [
        {
            "id": r.event_id or f"{r.file}:{r.line}",
            "reason": f"rejected by the seed loader: {r.reason} ({r.file}:{r.line})",
        }
        for r in catalog.rejected
    ]
    left_out.extend(_enrich_failures(catalog.report))
    return catalog.frame, left_out


def _enrich_failures(enrich_report) -> list[dict]:
    """Failures listed by :func:`geo.enrich.enrich_incidents`'s report, whatever its shape."""
    failures = getattr(enrich_report, "failures", None)
    if failures is None and isinstance(enrich_report, dict):
        failures = enrich_report.get("failures") or enrich_report.get("failed")
    out = []
    for f in failures or ():
        ident = f.get("event_id_cnty") if isinstance(f, dict) else getattr(f, "event_id", None)
        reason = f.get("reason") if isinstance(f, dict) else getattr(f, "reason", str(f))
        out.append({"id": ident, "reason": f"not enriched: {reason}"})
    return out
