"""Accuracy of the offline geocoder on labelled places, and its warm latency.

    python bench/geocode_eval.py bench/labels/geocode_eastern_flank.csv
    python bench/geocode_eval.py LABELS.csv --split dev --json

The CSV has columns name, country, admin, lat, lon, tolerance_km (and optionally split,
source_url; the GeoVirus labels are split by name: ``dev`` when the first 8 hex digits of
sha256(name) / 2**32 < 0.6, else ``test``). Each name is geocoded with its country and
admin context (``--no-context`` drops both) by the default chain (curated places, installed
gazetteers, countries and continents, cities500), and
the report gives, per split: the share answered within tolerance, the share answered wrongly
with confidence >= 0.8, the shares ambiguous and not found; then warm latency per name
(the second pass over all names, indexes loaded) against the first pass in the same process.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
import time
from collections import defaultdict

import pyproj

from incidentmap.geo.errors import AmbiguousPlaceError, GeocodingError
from incidentmap.geo.geocoding import Geocoder

SURE = 0.8  # a wrong answer at or above this confidence is the error that must not happen
_GEOD = pyproj.Geod(ellps="WGS84")


def evaluate(geocoder: Geocoder, rows: list[dict], *, context: bool = True) -> list[dict]:
    out = []
    for row in rows:
        country = (row.get("country") or None) if context else None
        admin = (row.get("admin") or None) if context else None
        outcome = {"name": row["name"], "split": row.get("split") or "all"}
        try:
            place = geocoder.geocode(row["name"], country=country, admin=admin)
        except AmbiguousPlaceError as exc:
            outcome.update(status="ambiguous", candidates=len(exc.candidates))
        except GeocodingError as exc:
            outcome.update(status="not found", error=str(exc).splitlines()[0][:120])
        else:
            distance_km = (
                _GEOD.inv(place.lon, place.lat, float(row["lon"]), float(row["lat"]))[2] / 1000
            )
            within = distance_km <= float(row["tolerance_km"])
            outcome.update(
                status="right" if within else "wrong",
                distance_km=round(distance_km, 2),
                confidence=place.confidence,
                source=place.source,
                answer=f"{place.name} ({place.country})",
            )
        out.append(outcome)
    return out


def summarise(outcomes: list[dict]) -> dict:
    n = len(outcomes)
    count = defaultdict(int)
    for o in outcomes:
        count[o["status"]] += 1
    sure_wrong = [o for o in outcomes if o["status"] == "wrong" and o["confidence"] >= SURE]
    return {
        "n": n,
        "within_tolerance": round(count["right"] / n, 3) if n else None,
        "wrong_confident": round(len(sure_wrong) / n, 3) if n else None,
        "wrong": count["wrong"],
        "ambiguous": round(count["ambiguous"] / n, 3) if n else None,
        "not_found": count["not found"],
        "misses": [o for o in outcomes if o["status"] != "right"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("labels", help="CSV of name,country,admin,lat,lon,tolerance_km[,split]")
    parser.add_argument("--split", help="only rows of this split (dev or test)")
    parser.add_argument("--no-context", action="store_true", help="ignore country and admin")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--cache-dir", help="cache folder with the installed gazetteers")
    args = parser.parse_args()
    with open(args.labels, encoding="utf-8", newline="") as handle:
        rows = [r for r in csv.DictReader(handle) if not args.split or r.get("split") == args.split]
    started = time.perf_counter()
    geocoder = Geocoder.default(cache_dir=args.cache_dir)
    load_s = time.perf_counter() - started
    started = time.perf_counter()
    outcomes = evaluate(geocoder, rows, context=not args.no_context)
    first_ms = (time.perf_counter() - started) / max(1, len(rows)) * 1000
    started = time.perf_counter()
    evaluate(geocoder, rows, context=not args.no_context)
    warm_ms = (time.perf_counter() - started) / max(1, len(rows)) * 1000
    by_split = defaultdict(list)
    for o in outcomes:
        by_split[o["split"]].append(o)
    report = {
        "labels": args.labels,
        "context": not args.no_context,
        "sources": [s.name for s in geocoder.sources],
        "load_s": round(load_s, 2),
        "first_pass_ms_per_name": round(first_ms, 2),
        "warm_ms_per_name": round(warm_ms, 2),
        "warm_vs_first": round(warm_ms / first_ms, 2) if first_ms else None,
        "splits": {split: summarise(items) for split, items in sorted(by_split.items())},
    }
    if args.json:
        json.dump(report, sys.stdout, ensure_ascii=False, indent=1)
        return
    print(f"{args.labels}: sources {', '.join(report['sources'])}; context {report['context']}")
    for split, s in report["splits"].items():
        print(
            f"  {split:>5}: n={s['n']}  within tolerance {s['within_tolerance']:.1%}  "
            f"wrong with confidence>={SURE} {s['wrong_confident']:.1%}  "
            f"ambiguous {s['ambiguous']:.1%}  not found {s['not_found']}"
        )
        for miss in s["misses"]:
            detail = (
                miss.get("answer") or miss.get("error") or f"{miss.get('candidates')} candidates"
            )
            distance = miss.get("distance_km", "")
            print(f"         {miss['status']:<9} {miss['name']}: {detail} {distance}")
    print(
        f"  load {report['load_s']} s; {report['first_pass_ms_per_name']} ms/name first pass, "
        f"{report['warm_ms_per_name']} ms/name warm ({report['warm_vs_first']}x)"
    )


if __name__ == "__main__":
    main()
