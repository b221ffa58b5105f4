"""Choosing among candidates the way an analyst reads a name: importance, dominance, ambiguity.

Context (country, admin areas, a district's seat) has already narrowed the candidates in
:mod:`geo.geocoding.chain`; this module ranks what is left.

- **Importance** of a place is its population, times :data:`CAPITAL_WEIGHT` for a country's
  capital; an unknown population counts as :data:`UNKNOWN_POPULATION`.
- **Own names outrank aliases**: a candidate that carries the queried name only as an
  alternate is set aside when an own-name candidate (exact, transliterated or qualified)
  outweighs it :data:`ALIAS_SET_ASIDE_RATIO` times ("Galati" is Galați, not Galati Mamertino
  whose alias it is; "Chilia" in Romania is Chilia Veche, not Ivănești); comparable alias
  matches stay (the many Aleksandrovkas of Russia for "Alexandrovka").
- **Qualified names** (Chilia Veche, Nowy Sącz for "Chilia", "Sącz") are candidates of lower
  confidence, kept beside places of the exact name only when larger than all of them; they
  dominate those places by the same margins as any candidate, and keep a qualified match's
  confidence (at most 0.6 times the dominance factor).
- **Dominance**: the most important candidate is the answer when it outweighs every namesake
  in its country :data:`DOMINANCE_RATIO` times and every namesake abroad
  :data:`FOREIGN_DOMINANCE_RATIO` times (Odesa for "Odessa", Moscow, Paris); the others are
  listed as alternatives. Abroad, a place GeoNames knows by more names (in other languages
  and scripts) needs up to :data:`MAX_RENOWN_FACTOR` times less margin (Vancouver BC over
  Vancouver WA). A namesake of unknown size counts as up to
  :data:`UNKNOWN_POPULATION_BOUND`; as large as the largest of its peers (the other places of
  the name in that country) when at least :data:`MIN_KNOWN_PEERS` of them have a known
  population (hamlets called Chilia against Chilia Veche); and only
  :data:`UNKNOWN_NON_SEAT_BOUND` against a seat its area is named after when the source shows
  the namesake heads no area (Krynki of gmina Krynki over the villages Krynki of other
  gminas). Otherwise the name is **ambiguous** and :class:`~geo.errors.AmbiguousPlaceError`
  lists the candidates: own names (exact, transliterated, qualified) before aliases and
  variants, each by importance.
- **Codes never match with high confidence**: a query that looks like an IATA/ICAO/ISO or
  postal code has its confidence capped at :data:`CODE_QUERY_MAX_CONFIDENCE`.
"""

from __future__ import annotations

import functools
import logging
import math

from incidentmap.geo.errors import AmbiguousPlaceError
from incidentmap.geo.geocoding.base import MATCH_CONFIDENCE, Match, Place
from incidentmap.geo.geocoding.countries import _countries
from incidentmap.geo.geocoding.names import admin_names_match, fold, is_code_like, loose_key

__all__ = ["importance", "is_capital", "seat_level", "choose"]

logger = logging.getLogger(__name__)

# A capital outweighs namesakes of 3x its population (Paris, France vs Paris, Texas is 80x anyway;
# this decides Ottawa, Damascus, Valletta-sized capitals against US towns).
CAPITAL_WEIGHT = 3.0
# A capital is a place of the capital's name in that country with at least this population
# (keeps a hamlet sharing the capital's name from the bonus).
CAPITAL_MIN_POPULATION = 10_000
# Villages of unknown population rank below any cities500 place (500) ...
UNKNOWN_POPULATION = 200
# ... but may be as large as this when judging whether a place dominates them (WOF and postal
# villages often lack a population: Orlivka, 3,047, does not dominate the other Orlivkas).
UNKNOWN_POPULATION_BOUND = 5_000
# ... except against a seat its area is named after (Krynki of gmina Krynki, pop. 2,700), when
# the source names the area of the namesake and it is another one: a village of that commune.
UNKNOWN_NON_SEAT_BOUND = 200
# Namesakes of unknown size are judged by their peers (see _peer_bound) when at least this many
# places of the name in that country have a known population.
MIN_KNOWN_PEERS = 2
# A better known place (more names in other languages, GeoNames) needs up to this many times
# less population margin (tuned on the dev half of the GeoVirus labels: Vancouver resolves,
# Victoria, Midland and Warwick stay ambiguous).
MAX_RENOWN_FACTOR = 2.0
# An own-name candidate sets aside alias-only candidates it outweighs this many times
# (1: any smaller alias match; Rome, not Lomé whose alias it is; Galați, not Galati Mamertino).
ALIAS_SET_ASIDE_RATIO = 1.0
# The top candidate is the answer when it outweighs every namesake in its own country this
# many times (Oleśno 10,236 vs Oleśno 1,708 = 6.0 stays ambiguous) ...
DOMINANCE_RATIO = 8.0
# ... and every namesake abroad this many times (Odesa 1.0 M vs Odessa TX 0.1 M = 10.2;
# Maitland NSW vs Maitland FL = 5.1; Victoria BC vs Victoria TX = 4.5 stays ambiguous).
# Tuned on the dev half of the GeoVirus labels.
FOREIGN_DOMINANCE_RATIO = 5.0
# Confidence factor of a dominant answer: 1 - DOMINANCE_DOUBT / ratio, within these bounds
# (a 10x lead gives 0.8 of the match confidence; never above 0.85: namesakes exist).
DOMINANCE_DOUBT = 2.0
DOMINANT_MIN_FACTOR = 0.5
DOMINANT_MAX_FACTOR = 0.85
# ... and never above 0.75 over namesakes of unknown size.
DOMINANT_OVER_UNKNOWN_MAX_FACTOR = 0.75
# An online service's own first answer among several, trusted with this factor.
RANKED_SOURCE_FACTOR = 0.6
# A query that looks like a code (HEL, EPWA, RO, 827050) is at most this sure.
CODE_QUERY_MAX_CONFIDENCE = 0.5


@functools.cache
def _capitals() -> dict[str, str]:
    """ISO3 -> folded capital name."""
    return {
        record["iso3"]: fold(record["capital"])
        for record in _countries().values()
        if record.get("capital")
    }


def is_capital(place: Place) -> bool:
    """Whether ``place`` is its country's capital (by name, and large enough).

    >>> is_capital(Place("Paris", 2.35, 48.85, "FRA", population=2_138_551))
    True
    >>> is_capital(Place("Paris", -95.55, 33.66, "USA", population=25_171))
    False
    """
    capital = _capitals().get(place.country or "")
    return (
        capital is not None
        and fold(place.name) == capital
        and (place.population or 0) >= CAPITAL_MIN_POPULATION
    )


def importance(place: Place) -> float:
    """Population, weighted for capitals; unknown populations count as small villages."""
    population = float(place.population or 0) or UNKNOWN_POPULATION
    return population * (CAPITAL_WEIGHT if is_capital(place) else 1.0)


_HOW_RANK = {how: rank for rank, how in enumerate(MATCH_CONFIDENCE)}
# Matches that carry the queried name only as an alias, a variant or a qualified form.
_NOT_OWN = ("alternate", "variant", "loose", "qualified")


def _own_name(match: Match, name: str) -> bool:
    """Whether the query is the place's own name: exactly, transliterated or spelt loosely
    (Alexandrovka ~ Aleksandrovka), or its first word(s) before a qualifier (Chilia Veche)."""
    if match.how in ("name", "qualified"):
        return True
    return match.how == "loose" and loose_key(match.place.name) == loose_key(name)


def _admin_levels(place: Place) -> tuple[str | None, str | None, str | None]:
    """(region, county/district, commune) names of a place, as its source gives them."""
    admin3 = place.raw.get("admin3") if isinstance(place.raw, dict) else None
    admin2 = place.admin2 if place.admin2 != admin3 else None
    return place.admin1, admin2, admin3


def seat_level(place: Place) -> int | None:
    """The highest admin level (1 region, 2 district, 3 commune) whose area is named after
    the place, i.e. the place is the seat its area is named after (Krynki in gmina Krynki,
    Briceni in Briceni district); ``None`` if no admin area bears its name.

    >>> seat_level(Place("Krynki", 23.78, 53.26, "POL", "podlaskie", "Gmina Krynki",
    ...                  raw={"admin3": "Gmina Krynki"}))
    3
    >>> seat_level(Place("Krynki", 22.67, 52.62, "POL", "podlaskie", "Grodzisk",
    ...                  raw={"admin3": "Grodzisk"})) is None
    True
    """
    for level, area in enumerate(_admin_levels(place), start=1):
        if area and admin_names_match(area, place.name):
            return level
    return None


def _known_non_seat(place: Place, level: int) -> bool:
    """Whether the source names the place's area at ``level`` and it is not named after it
    (and the place heads no other area): a village, not a town that gives an area its name."""
    area = _admin_levels(place)[level - 1]
    return bool(area) and seat_level(place) is None


def _size_bound(best: Place, other: Place, peers: float | None = None) -> float:
    """How large ``other`` may be when judging whether ``best`` dominates it (``peers``: the
    bound :func:`_peer_bound` gives namesakes of unknown size in ``best``'s country)."""
    if other.population:
        return importance(other)
    level = seat_level(best)
    if level is not None and _known_non_seat(other, level):
        return UNKNOWN_NON_SEAT_BOUND
    if peers is not None and other.country == best.country:
        return peers
    return UNKNOWN_POPULATION_BOUND


def _peer_bound(best: Match, others: list[Match]) -> float | None:
    """The size of namesakes of unknown population, judged by their peers: when at least
    :data:`MIN_KNOWN_PEERS` other places of the exact name in ``best``'s country have a known
    population, one of unknown size counts as large as the largest of them (the hamlets called
    Chilia of 313-349 people, and the ones whose count no source gives, against Chilia Veche
    of 3,599); never below :data:`UNKNOWN_POPULATION` nor above
    :data:`UNKNOWN_POPULATION_BOUND`. ``None`` when too few are known (Orlivka)."""
    known = [
        importance(o.place)
        for o in others
        if o.how == "name" and o.place.population and o.place.country == best.place.country
    ]
    if len(known) < MIN_KNOWN_PEERS:
        return None
    return min(UNKNOWN_POPULATION_BOUND, max(UNKNOWN_POPULATION, max(known)))


def _renown_factor(best: Place, other: Place) -> float:
    """How much less population margin ``best`` needs over a namesake abroad for being the
    better known: the ratio of the names (in other languages and scripts) GeoNames records for
    each, when both have a count, within 1 and :data:`MAX_RENOWN_FACTOR` (Vancouver BC, 50
    names and 3.4x the people, over Vancouver WA, 29 names). Only across countries, where a
    reader without context means the internationally known place; at home size decides
    (Oleśno of 10,236 and 7 names stays comparable with Oleśno of 1,708 and 1). Never more
    margin: a little-known large place keeps the population rule."""
    a = best.raw.get("names") if isinstance(best.raw, dict) else None
    b = other.raw.get("names") if isinstance(other.raw, dict) else None
    if not a or not b:
        return 1.0
    return min(MAX_RENOWN_FACTOR, max(1.0, a / b))


def _nested(a: Place, b: Place) -> bool:
    """Whether one is a country and the other lies in it: not rivals (Singapore the country
    and the city, Luxembourg, Kuwait and Kuwait City)."""
    return (a.feature == "country" or b.feature == "country") and a.country == b.country


def _with_confidence(match: Match, factor: float, cap: float) -> Place:
    return match.place._replace(confidence=round(min(cap, MATCH_CONFIDENCE[match.how] * factor), 3))


def choose(
    matches: list[Match],
    name: str,
    *,
    exactly_one: bool = True,
    ranked: bool = False,
    dominance_ratio: float = DOMINANCE_RATIO,
) -> Place | list[Place]:
    """The answer among deduplicated, context-narrowed candidates (see the module docstring).

    With ``exactly_one=False``, every candidate, best first: the dominant place if there is
    one, then own names before aliases, variants and loose spellings, each by importance.
    ``ranked`` says the candidates come from an online service in its own order.
    """
    cap = CODE_QUERY_MAX_CONFIDENCE if is_code_like(name) else 1.0
    if ranked:
        if len(matches) == 1:
            return (
                _with_confidence(matches[0], 1.0, cap)
                if exactly_one
                else [_with_confidence(matches[0], 1.0, cap)]
            )
        if exactly_one:
            return _with_confidence(matches[0], RANKED_SOURCE_FACTOR, cap)
        share = 1.0 / len(matches)
        return [_with_confidence(m, share, cap) for m in matches]
    exact = [m for m in matches if m.how == "name"]
    if exact:
        # qualified names stay only when larger than every place of the exact name
        largest = max(importance(m.place) for m in exact)
        matches = [m for m in matches if m.how != "qualified" or importance(m.place) > largest]
    own = [importance(m.place) for m in matches if _own_name(m, name)]
    if own:
        # own names (qualified ones too) set aside smaller alias matches (Chilia Veche, not
        # Ivănești of the alias "Chilia", for "Chilia" in Romania)
        largest = max(own)
        matches = [
            m
            for m in matches
            if m.how not in _NOT_OWN
            or m.how == "qualified"
            or importance(m.place) * ALIAS_SET_ASIDE_RATIO >= largest
        ]
    by_importance = sorted(matches, key=lambda m: (-importance(m.place), _HOW_RANK[m.how]))
    listed = sorted(
        matches,
        key=lambda m: (not _own_name(m, name), -importance(m.place), _HOW_RANK[m.how]),
    )
    best = by_importance[0]
    if len(matches) == 1:
        chosen = _with_confidence(best, 1.0, cap)
        return chosen if exactly_one else [chosen]
    factor = _dominance_factor(best, by_importance[1:], name, dominance_ratio, bool(exact))
    if factor is not None:
        chosen = _with_confidence(best, factor, cap)
        if exactly_one:
            return chosen
        share = 1.0 / len(matches)
        return [chosen] + [_with_confidence(m, share, cap) for m in listed if m is not best]
    share = 1.0 / len(matches)
    candidates = [_with_confidence(m, share, cap) for m in listed]
    if not exactly_one:
        return candidates
    countries = {p.country for p in candidates}
    listing = "\n".join(f"  - {p.describe()}" for p in candidates)
    scope = (
        "countries " + ", ".join(sorted(c or "?" for c in countries))
        if len(countries) > 1
        else f"{candidates[0].country}"
    )
    raise AmbiguousPlaceError(
        f"{name!r} matches {len(candidates)} places of similar standing in {scope}; add the "
        f"country or the admin area (county, oblast, voivodeship) to choose:\n{listing}",
        candidates,
    )


def _dominance_factor(
    best: Match, others: list[Match], name: str, dominance_ratio: float, exact: bool
) -> float | None:
    """The confidence factor of ``best`` if it dominates every other candidate, else None."""
    # a loose spelling match or a place of unknown size never dominates
    if best.how == "loose" or not (best.place.population or is_capital(best.place)):
        return None
    # a qualified name (Chilia Veche) over the exact name's places (hamlets called Chilia)
    # dominates them only by the same margins, and its confidence stays that of a qualified
    # match (at most 0.6 x the dominance factor)
    # a namesake abroad needs to be outweighed less than one at home (see the ratios)
    foreign = dominance_ratio * FOREIGN_DOMINANCE_RATIO / DOMINANCE_RATIO
    peers = _peer_bound(best, others)
    margins = [
        importance(best.place)
        / _size_bound(best.place, o.place, peers)
        / (
            1.0
            if o.place.country == best.place.country
            else foreign / dominance_ratio / _renown_factor(best.place, o.place)
        )
        for o in others
        if not _nested(best.place, o.place)
    ]
    ratio = min(margins, default=math.inf)
    if ratio < dominance_ratio:
        return None
    logger.info("%r: taking %s, %.0fx the next candidate", name, best.place.describe(), ratio)
    high = DOMINANT_MAX_FACTOR
    if any(not o.place.population for o in others):
        high = DOMINANT_OVER_UNKNOWN_MAX_FACTOR  # their size is a guess
    return min(high, max(DOMINANT_MIN_FACTOR, 1.0 - DOMINANCE_DOUBT / ratio))
