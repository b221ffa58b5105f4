"""Choosing among candidates the way an analyst reads a name: importance, dominance, ambiguity.

Context (country, admin areas, a district's seat) has already narrowed the candidates in
:mod:`geo.geocoding.chain`; this module ranks what is left.

- **Importance** of a place is its population, times :data:`CAPITAL_WEIGHT` for a country's
  capital; an unknown population counts as :data:`UNKNOWN_POPULATION`.
- **Own names outrank aliases**: a candidate that carries the queried name only as an
  alternate is set aside when an own-name candidate outweighs it :data:`ALIAS_SET_ASIDE_RATIO`
  times ("Galati" is Galați, not Galati Mamertino whose alias it is); comparable alias
  matches stay (the many Aleksandrovkas of Russia for "Alexandrovka").
- **Dominance**: the most important candidate is the answer when it outweighs the next one
  :data:`DOMINANCE_RATIO` times, in one country or across countries (Odesa for "Odessa",
  Moscow, Paris); the others are listed as alternatives. Otherwise the name is **ambiguous**
  and :class:`~geo.errors.AmbiguousPlaceError` lists the candidates.
- **Codes never match with high confidence**: a query that looks like an IATA/ICAO/ISO or
  postal code has its confidence capped at :data:`CODE_QUERY_MAX_CONFIDENCE`.
"""

from __future__ import annotations

import functools
import logging

from incidentmap.geo.errors import AmbiguousPlaceError
from incidentmap.geo.geocoding.base import MATCH_CONFIDENCE, Match, Place
from incidentmap.geo.geocoding.countries import _countries
from incidentmap.geo.geocoding.names import fold, is_code_like

__all__ = ["importance", "is_capital", "choose"]

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
# An own-name candidate sets aside alias-only candidates it outweighs this many times
# (1: any smaller alias match; Rome, not Lomé whose alias it is; Galați, not Galati Mamertino).
ALIAS_SET_ASIDE_RATIO = 1.0
# The top candidate is the answer when it outweighs the runner-up this many times
# (Odesa 1.0 M vs Odessa TX 0.1 M = 10.2; Victoria BC vs Victoria TX = 4.5 stays ambiguous).
DOMINANCE_RATIO = 8.0
# Confidence factor of a dominant answer: 1 - DOMINANCE_DOUBT / ratio, within these bounds
# (a 10x lead gives 0.8 of the match confidence; never above 0.85: namesakes exist).
DOMINANCE_DOUBT = 2.0
DOMINANT_MIN_FACTOR = 0.5
DOMINANT_MAX_FACTOR = 0.85
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

    With ``exactly_one=False``, every candidate, best first. ``ranked`` says the candidates
    come from an online service in its own order.
    """
    cap = CODE_QUERY_MAX_CONFIDENCE if is_code_like(name) else 1.0
    if not ranked:
        own = [m for m in matches if m.how == "name"]
        if own:
            largest = max(importance(m.place) for m in own)
            matches = [
                m
                for m in matches
                if m.how == "name" or importance(m.place) * ALIAS_SET_ASIDE_RATIO >= largest
            ]
        matches = sorted(matches, key=lambda m: (-importance(m.place), _HOW_RANK[m.how]))
    if not exactly_one:
        share = 1.0 if len(matches) == 1 else 1.0 / len(matches)
        return [_with_confidence(m, share, cap) for m in matches]
    best = matches[0]
    if len(matches) == 1:
        return _with_confidence(best, 1.0, cap)
    if ranked:
        return _with_confidence(best, RANKED_SOURCE_FACTOR, cap)
    runner_up = matches[1]
    bound = 0.0 if runner_up.place.population else UNKNOWN_POPULATION_BOUND
    ratio = importance(best.place) / max(importance(runner_up.place), bound)
    # a loose spelling match, or a place of unknown size, never dominates
    known = best.how != "loose" and (best.place.population or is_capital(best.place))
    if known and ratio >= dominance_ratio:
        factor = min(DOMINANT_MAX_FACTOR, max(DOMINANT_MIN_FACTOR, 1.0 - DOMINANCE_DOUBT / ratio))
        logger.info("%r: taking %s, %.0fx the next candidate", name, best.place.describe(), ratio)
        return _with_confidence(best, factor, cap)
    share = 1.0 / len(matches)
    candidates = [_with_confidence(m, share, cap) for m in matches]
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
