"""Warnings and error items of the enrichment report: rows to look at, records left out.

* ``country_mismatch``: the coordinates lie outside the country the record states (with a
  hint: swapped latitude/longitude, within the precision radius of the border, wrong geocode);
* ``accession_in_date_range``: the found country joined NATO between ``date_start`` and
  ``date_end``, so the answer depends on the day chosen (``event_date``).
"""

from __future__ import annotations

import logging

import numpy as np
import pandas as pd

from incidentmap.geo import nato

logger = logging.getLogger(__name__)

__all__ = ["RowRef", "accession_warnings", "country_warnings", "problem_item"]


def problem_item(inc, level: str, problem: str, reason: str, **extra) -> dict:
    """One report item (see :class:`geo.enrich.EnrichReport`) about record or row ``inc``."""
    return {
        "event_id_cnty": inc.event_id_cnty,
        "level": level,
        "problem": problem,
        "reason": reason,
        "file": inc.file,
        "line": inc.line,
        **extra,
    }


class RowRef:
    """Just enough of an Incident for :func:`problem_item`, from a frame row."""

    def __init__(self, row):
        self.event_id_cnty = str(row["event_id_cnty"])
        self.file = None if pd.isna(row["file"]) else str(row["file"])
        self.line = None if pd.isna(row["line"]) else int(row["line"])


def country_warnings(out: pd.DataFrame, report: list) -> None:
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
            problem_item(
                RowRef(row),
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


def accession_warnings(out: pd.DataFrame, report: list) -> None:
    """Warn when the found country joined NATO inside [date_start, date_end]."""
    for _, row in out.iterrows():
        sov = row["found_sovereign"]
        if not sov or row["date_start"] == row["date_end"]:
            continue
        if nato.is_member(sov, on=row["date_start"]) != nato.is_member(sov, on=row["date_end"]):
            report.append(
                problem_item(
                    RowRef(row),
                    "warning",
                    "accession_in_date_range",
                    f"{sov} joined NATO on {nato.member_since(sov)}, between date_start "
                    f"{row['date_start']} and date_end {row['date_end']}; on_nato_soil is as "
                    f"of event_date {row['event_date']}",
                )
            )
