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
    from incidentmap.geo.territory import classify_many

    stated = out["country"].to_numpy(dtype=object)
    found = np.array(  # at sea the frame holds NaN: no country, "international waters"
        [f if isinstance(f, str) else None for f in out["found_country"]], dtype=object
    )
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
    swapped = classify_many(lat, lon, distance=False)["country"].to_numpy(dtype=object)
    d_km = _outside_km(lon, lat, stated[idx])
    cols = {
        c: out[c].to_numpy(dtype=object)
        for c in ("found_country_name", "precision_m", "geocoding_source", "event_id_cnty")
    }
    files, lines = out["file"].to_numpy(dtype=object), out["line"].to_numpy(dtype=object)
    for k, i in enumerate(idx):
        where = (
            f"{cols['found_country_name'][i]} ({found[i]})"
            if found[i] is not None
            else "international waters"
        )
        how_far = "" if d_km[k] is None else f", {abs(d_km[k]):.1f} km outside {stated[i]}"
        s_country = swapped[k]
        source = cols["geocoding_source"][i]
        hint = ""
        if isinstance(s_country, str) and stated[i] in (s_country, _sov(s_country)):
            hint = "; latitude and longitude look swapped"
        elif d_km[k] is not None and abs(d_km[k]) * 1000.0 <= float(cols["precision_m"][i]):
            hint = "; within the record's precision radius of the border"
        elif source != "seed":
            hint = "; wrong geocode? check the place name and admin1"
        report.append(
            problem_item(
                _Ref(str(cols["event_id_cnty"][i]), files[i], lines[i]),
                "warning",
                "country_mismatch",
                f"stated country {stated[i]} but lat {lat[k]:.5f}, lon {lon[k]:.5f} "
                f"({source}) lies in {where}{how_far}{hint}",
                stated_country=stated[i],
                found_country=found[i],
            )
        )


class _Ref:
    """:class:`RowRef` from the column values of one row."""

    def __init__(self, event_id: str, file, line):
        self.event_id_cnty = event_id
        self.file = None if file is None or pd.isna(file) else str(file)
        self.line = None if line is None or pd.isna(line) else int(line)


def _outside_km(lon, lat, iso3s) -> list:
    """Signed distance (km, positive inside) of each point to the border of its ``iso3s``
    state, as :func:`geo.territory.distance_to_country_border` gives it (rounded to 0.1 m),
    one vectorised search per state; None where the state is not in the border data."""
    from incidentmap.geo.territory import territory

    t = territory()
    out: list = [None] * len(lon)
    located = t.locate(np.ascontiguousarray(lon), np.ascontiguousarray(lat))
    for iso3 in dict.fromkeys(iso3s):
        sel = np.flatnonzero(iso3s == iso3)
        try:
            rows = tuple(int(r) for r in t.country_rows(iso3))
            res = t.country_index(rows).nearest(
                np.ascontiguousarray(lon[sel]), np.ascontiguousarray(lat[sel])
            )
        except Exception as exc:  # unknown ISO3 in the border data
            logger.debug("no border distance for %s: %s", iso3, exc)
            continue
        dist = np.asarray(res.distance_m, dtype=float) / 1000.0
        inside = np.isin(located[sel], rows)
        for j, d, ins in zip(sel, dist, inside, strict=True):
            out[j] = round(float(d) if ins else -float(d), 4)
    return out


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
