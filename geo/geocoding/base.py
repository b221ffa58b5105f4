"""The geocoder contract: the :class:`Place` record and what a source must provide.

As in geopy, every source is a small adapter with one method; here it is
``candidates(name, *, country=None) -> list[Match]``: every place the source knows under
that name (optionally in one country), with how well the name matched. Narrowing by admin
context, ranking and the ambiguity rule live in one place, :mod:`geo.geocoding.chain`.
"""

from __future__ import annotations

import math
from typing import Any, NamedTuple, Protocol

__all__ = ["Place", "Match", "PlaceSource", "MATCH_CONFIDENCE", "populated_place_precision_m"]


class Place(NamedTuple):
    """A geocoded place. Coordinates are (lon, lat) in degrees, WGS84.

    ``source`` says where the coordinates come from ("curated", "geonames", "nominatim",
    "photon"), ``precision_m`` the radius in metres within which the place lies, and
    ``confidence`` (0..1) how sure the match is (name match quality and ambiguity).
    """

    name: str
    lon: float
    lat: float
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None = None
    admin2: str | None = None
    feature: str | None = None
    population: int | None = None
    source: str = ""
    precision_m: float = 5000.0
    confidence: float = 0.0
    ref: str | None = None
    raw: Any = None

    def describe(self) -> str:
        """One line for people: name, admin areas, country, coordinates and provenance."""
        kind = self.feature if self.feature in ("country", "continent") else None
        pop = f"pop. {self.population:,}" if self.population else None
        where = ", ".join(p for p in (kind, self.admin2, self.admin1, self.country, pop) if p)
        return (
            f"{self.name} ({where}) lon {self.lon:.5f} lat {self.lat:.5f} "
            f"[{self.source}, ±{self.precision_m:,.0f} m, confidence {self.confidence:.2f}]"
        )

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready mapping (``raw`` left out)."""
        out = self._asdict()
        out.pop("raw")
        return out


# How a name matched, and the confidence that match type carries on its own.
MATCH_CONFIDENCE = {
    "name": 0.95,  # the place's own name, folded
    "alternate": 0.9,  # one of its alternate names or transliterations
    "variant": 0.75,  # after removing/adding a Romanian article (Nufărul -> Nufăru)
    "loose": 0.65,  # transliteration-forgiving key (Izmayil ~ Izmajil)
    "qualified": 0.6,  # the first word(s) of a name before a qualifier (Chilia ~ Chilia Veche)
}


class Match(NamedTuple):
    """A candidate place, how its name matched the query (a key of MATCH_CONFIDENCE), and
    every name of its admin areas that an admin context may match."""

    place: Place
    how: str
    admin_names: tuple[str, ...] = ()


class PlaceSource(Protocol):
    """What the chain needs from a source."""

    name: str

    def candidates(self, name: str, *, country: str | None = None) -> list[Match]:
        """Every place known under ``name`` (in ISO3 ``country`` if given)."""


def populated_place_precision_m(population: int | None) -> float:
    """Radius (m) within which a GeoNames populated place lies, from its population.

    A point for a town stands for the whole built-up area: about 30 m × √population,
    at least 2 km, at most 20 km; unknown population (0) gives 5 km.

    >>> populated_place_precision_m(600), populated_place_precision_m(65_624)
    (2000.0, 7700.0)
    >>> populated_place_precision_m(0), populated_place_precision_m(3_000_000)
    (5000.0, 20000.0)
    """
    if not population or population <= 0:
        return 5000.0
    radius = 30.0 * math.sqrt(population)
    return float(min(20000.0, max(2000.0, round(radius, -2))))
