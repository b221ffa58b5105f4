"""Benchmark of the offline geocoder: index build and load times, lookups per second.

    python bench/geocoding.py           # readable report
    python bench/geocoding.py --json    # one JSON object

Builds the GeoNames index into a fresh temporary cache directory (first load), loads it again
(second load: what every later process pays), then times found, ambiguous and not-found
queries on the default chain (curated seeds + GeoNames).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time

from incidentmap.geo.errors import GeocodingError
from incidentmap.geo.geocoding import CuratedPlaces, Geocoder, GeoNamesIndex

FOUND = ["Izmail", "Galați", "Galati", "Tulcea", "Hrubieszów", "Chișinău", "Kyiv", "Plauru"]
AMBIGUOUS = ["Victoria", "Orlivka", "Oleśno"]
NOT_FOUND = ["Hrubiezsow", "Xyzzyville"]


def per_call_ms(geocoder: Geocoder, queries: list[str], repeat: int) -> float:
    started = time.perf_counter()
    for _ in range(repeat):
        for query in queries:
            try:
                geocoder.geocode(query)
            except GeocodingError:
                pass
    return (time.perf_counter() - started) / (repeat * len(queries)) * 1000.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as cache_dir:
        started = time.perf_counter()
        index = GeoNamesIndex.load(cache_dir=cache_dir)
        first_s = time.perf_counter() - started
        started = time.perf_counter()
        index = GeoNamesIndex.load(cache_dir=cache_dir)
        second_s = time.perf_counter() - started
        geocoder = Geocoder([CuratedPlaces.from_yaml(), index])
        report = {
            "places": len(index),
            "name_keys": int(len(index.key_hash)),
            "first_load_build_s": round(first_s, 2),
            "second_load_s": round(second_s, 3),
            "found_ms_per_query": round(per_call_ms(geocoder, FOUND, 200), 3),
            "ambiguous_ms_per_query": round(per_call_ms(geocoder, AMBIGUOUS, 50), 3),
            "not_found_with_suggestions_ms": round(per_call_ms(geocoder, NOT_FOUND, 2), 1),
        }
    if args.json:
        json.dump(report, sys.stdout)
        sys.stdout.write("\n")
    else:
        for key, value in report.items():
            print(f"{key:32s} {value}")


if __name__ == "__main__":
    main()
