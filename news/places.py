"""From kept gazetteer matches to the article's places: one entry per distinct place.

Each match is resolved (countries and demonyms by the country table, regions by the GeoNames
admin1 table, seas and rivers by name, towns and villages by the geocoder in the article's
context, see :mod:`incidentmap.news.resolve`), and matches of the same place are merged: "Romania",
"Romanian" and "Romanians" are one place, as are "GALATI" and "Galati".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from incidentmap.geo.errors import UnknownCountryError
from incidentmap.geo.geocoding import Geocoder, Place
from incidentmap.geo.geocoding.countries import country_name
from incidentmap.geo.geocoding.names import fold
from incidentmap.news.matcher import Candidate
from incidentmap.news.resolve import ArticleContext, Resolution, resolve_candidate
from incidentmap.news.sites import SiteCall
from incidentmap.news.tokens import Token

__all__ = ["Occurrence", "PlaceFound", "place_key_and_resolution", "collect_places"]

logger = logging.getLogger(__name__)

#: A place the text calls a village is not believed to be a gazetteer town larger than this.
VILLAGE_MAX_POPULATION = 20_000

_HINT_GAP = frozenset("in the of southern northern eastern western central s".split())


@dataclass
class Occurrence:
    """One mention of a place in the text."""

    text: str
    start: int
    end: int
    sentence: int
    site: bool
    reason: str
    cue: str | None


@dataclass
class PlaceFound:
    """A distinct place of the article, resolved or not, with every mention of it."""

    key: str
    name: str
    type: str
    status: str  # resolved | ambiguous | unresolved
    country: str | None = None
    admin1: str | None = None
    lon: float | None = None
    lat: float | None = None
    precision_m: float | None = None
    confidence: float = 0.0
    source: str = ""
    ref: str | None = None
    note: str = ""
    candidates: list[Place] = field(default_factory=list)
    occurrences: list[Occurrence] = field(default_factory=list)

    @property
    def incident_site(self) -> bool:
        return any(o.site for o in self.occurrences)

    @property
    def as_written(self) -> list[str]:
        return list(dict.fromkeys(" ".join(o.text.split()) for o in self.occurrences))

    def as_dict(self) -> dict:
        """A YAML/JSON-ready mapping (``None`` values left out)."""
        out = {
            "name": self.name,
            "type": self.type,
            "status": self.status,
            "country": self.country,
            "admin1": self.admin1,
            "lon": None if self.lon is None else round(self.lon, 5),
            "lat": None if self.lat is None else round(self.lat, 5),
            "precision_m": self.precision_m,
            "confidence": round(self.confidence, 3),
            "source": self.source,
            "ref": self.ref,
            "incident_site": self.incident_site,
            "site_evidence": sorted({o.reason for o in self.occurrences if o.site}) or None,
            "as_written": self.as_written,
            "mentions": len(self.occurrences),
            "note": self.note or None,
        }
        if self.candidates:
            out["candidates"] = [
                {
                    "name": p.name,
                    "country": p.country,
                    "admin1": p.admin1,
                    "lon": round(p.lon, 5),
                    "lat": round(p.lat, 5),
                    "population": p.population,
                    "source": p.source,
                }
                for p in self.candidates[:8]
            ]
        return {k: v for k, v in out.items() if v is not None}


def _country(iso3: str) -> str:
    try:
        return country_name(iso3)
    except (KeyError, UnknownCountryError):
        return iso3


def _place_type(place: Place) -> str:
    if place.source == "curated" and place.feature:
        return place.feature
    population = place.population or 0
    if population >= 100_000:
        return "city"
    if population >= 10_000:
        return "town"
    return "village"


def _hint(c: Candidate, kept: list[Candidate], tokens: list[Token]):
    """(ISO3, region name) of a region or country named right after a town ("X in Y region")."""
    end = c.tokens[1]
    for other in kept:
        if other.sentence != c.sentence or other.tokens[0] < end:
            continue
        if other.tokens[0] - end > 4:
            break
        between = tokens[end : other.tokens[0]]
        if not all(t.lower in _HINT_GAP or t.possessive for t in between):
            continue
        if tokens[end - 1].joiner.strip() not in ("", ",", "(") and not between:
            continue
        if other.kind == "region" and other.ref[0]:
            return other.ref[0], other.ref[2]
        if other.kind in ("country", "demonym"):
            return other.ref, None
    return None, None


def place_key_and_resolution(
    c: Candidate,
    kept: list[Candidate],
    tokens: list[Token],
    context: ArticleContext,
    geocoder: Geocoder,
    cache: dict,
    *,
    locative: bool,
    called_village: bool = False,
) -> PlaceFound | None:
    """The :class:`PlaceFound` (without occurrences) a match stands for, or ``None``.

    A name the text calls a village ("the village of Zamość") that resolves to a town of more
    than :data:`VILLAGE_MAX_POPULATION` is not believed: it is reported as ambiguous, with the
    town as its candidate (the village is likely missing from the gazetteer).
    """
    if c.kind in ("country", "demonym"):
        return PlaceFound(
            f"country:{c.ref}",
            _country(c.ref),
            "country",
            "resolved",
            country=c.ref,
            confidence=0.95 if c.kind == "country" else 0.9,
            source="countries",
            ref=c.ref,
        )
    if c.kind == "water":
        name, feature = c.ref
        return PlaceFound(
            f"water:{name}", name, feature, "resolved", confidence=0.95, source="waters", ref=name
        )
    if c.kind == "region":
        iso3, code, name = c.ref
        if iso3 is not None:
            return PlaceFound(
                f"region:{iso3}:{code}",
                f"{name}",
                "region",
                "resolved",
                country=iso3,
                admin1=name,
                confidence=0.9,
                source="geonames-admin1",
                ref=f"{iso3}.{code}",
            )
        # A district named after its seat town ("Włodawa County", "Izmail raion").
        resolution = _resolve_cached(name, None, None, context, geocoder, cache, locative=True)
        if resolution is not None and resolution.place is not None:
            place = resolution.place
            return PlaceFound(
                f"region:{place.country}:{fold(name)}",
                f"{name} ({c.text.split()[-1].lower()})",
                "region",
                "resolved",
                country=place.country,
                admin1=place.admin1,
                lon=place.lon,
                lat=place.lat,
                precision_m=25_000.0,
                confidence=round(place.confidence * 0.6, 3),
                source=place.source,
                ref=place.ref,
                note=f"district taken as the area around its seat {place.name}",
            )
        return PlaceFound(f"region:?:{fold(name)}", c.text, "region", "unresolved",
                          note="region not in the admin1 table; its seat is unknown")  # fmt: skip
    hint_country, hint_admin = _hint(c, kept, tokens)
    resolution = _resolve_cached(
        c.text, hint_country, hint_admin, context, geocoder, cache, locative=locative
    )
    if resolution is None:
        return None
    if (
        called_village
        and resolution.place is not None
        and (resolution.place.population or 0) > VILLAGE_MAX_POPULATION
    ):
        town = resolution.place
        return PlaceFound(
            f"name:{c.key}",
            c.text,
            "village",
            "ambiguous",
            country=_shared_country([town, *resolution.candidates]),
            note=(
                f"the text calls it a village, but the gazetteer's {town.name} ({town.country}) "
                f"is a town of {town.population:,}; the village is probably not in the gazetteer"
            ),
            candidates=[town, *resolution.candidates],
        )
    if resolution.place is not None:
        place = resolution.place
        return PlaceFound(
            f"place:{place.ref or fold(place.name)}",
            place.name,
            _place_type(place),
            resolution.status,
            country=place.country,
            admin1=place.admin1,
            lon=place.lon,
            lat=place.lat,
            precision_m=place.precision_m,
            confidence=place.confidence,
            source=place.source,
            ref=place.ref,
            note=resolution.note,
            candidates=[p for p in resolution.candidates if p.ref != place.ref],
        )
    return PlaceFound(
        f"name:{c.key}",
        c.text if not c.text.isupper() else c.text.title(),
        "place",
        resolution.status,
        country=_shared_country(resolution.candidates)
        if resolution.status == "ambiguous"
        else None,
        note=resolution.note,
        candidates=resolution.candidates,
    )


def _shared_country(candidates: list[Place]) -> str | None:
    """The country of an ambiguous place when all its candidates are in that one country (its
    draft record then has a country, though no coordinates)."""
    countries = {p.country for p in candidates}
    return countries.pop() if len(countries) == 1 else None


def _resolve_cached(name, hint_country, hint_admin, context, geocoder, cache, *, locative):
    key = (fold(name), hint_country, hint_admin, locative)
    if key not in cache:
        cache[key] = resolve_candidate(
            name,
            context,
            geocoder,
            hint_country=hint_country,
            hint_admin=hint_admin,
            locative=locative,
        )
    resolution: Resolution | None = cache[key]
    return resolution


def collect_places(
    kept: list[Candidate], found: list[PlaceFound | None], calls: list[SiteCall]
) -> list[PlaceFound]:
    """Merge the per-match results into one :class:`PlaceFound` per place, in text order."""
    places: dict[str, PlaceFound] = {}
    for c, place, call in zip(kept, found, calls, strict=True):
        if place is None:
            continue
        entry = places.setdefault(place.key, place)
        entry.occurrences.append(
            Occurrence(c.text, c.start, c.end, c.sentence, call.site, call.reason, call.cue)
        )
    return list(places.values())
