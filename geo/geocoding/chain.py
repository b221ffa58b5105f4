"""The geocoder: a chain of sources and one rule for choosing among candidates.

The offline sources (curated places, installed gazetteers, then GeoNames cities500) are asked
together and their candidates pooled; an optional online service is asked when they find
nothing (or only a weak answer).

Choosing among candidates (the documented rule)
-----------------------------------------------
1. **Context narrows.** A country (ISO3, ISO2 or name) filters at the source. Each admin
   context ("Tulcea county", "Odes'ka oblast", "Włodawa County") is stripped of generic words
   and must match one of a candidate's admin names (exactly or by a shared stem). If it
   matches none of the candidates, it is taken as a district named after its seat town
   (powiat włodawski ← Włodawa, Izmail raion ← Izmail): the seat is looked up in the same
   country and candidates within ``seat_radius_km`` of it are kept.
2. **Duplicates merge.** Candidates within ``duplicate_km`` of each other (or within the
   smaller one's ``precision_m``: a city in two sources) are one place: the
   earlier source wins (curated, installed gazetteers, cities500), then the better name match,
   then the larger population; the kept place gains the duplicates' admin names.
   Exact matches (own or alternate names) outrank article variants, which outrank loose keys.
3. **Ranking** (:mod:`geo.geocoding.ranking`): own names outrank much smaller alias matches;
   the most important candidate (population, capitals weighted) is the answer when it
   outweighs the next one ``dominance_ratio`` times, in one country or across countries;
   otherwise :class:`~geo.errors.AmbiguousPlaceError` lists the candidates.
4. **Loose transliteration matches** (y/i/j, doubled letters) count only with a country;
   without one they become spelling suggestions of the not-found error.
"""

from __future__ import annotations

import difflib
import functools
import logging
import os
import re
from collections.abc import Iterable, Sequence

import pyproj

from incidentmap.geo.coords import parse_lat_lon
from incidentmap.geo.errors import (
    AmbiguousPlaceError,
    GeocoderServiceError,
    PlaceNotFoundError,
)
from incidentmap.geo.geocoding.base import MATCH_CONFIDENCE, Match, Place, PlaceSource
from incidentmap.geo.geocoding.countries import admin1_aliases, country_iso3, is_country
from incidentmap.geo.geocoding.curated import CuratedPlaces
from incidentmap.geo.geocoding.gazetteer_index import InstalledGazetteer
from incidentmap.geo.geocoding.geonames import GeoNamesIndex
from incidentmap.geo.geocoding.names import (
    SUGGESTION_CUTOFF,
    admin_names_match,
    fold,
    split_query,
    strip_admin_words,
)
from incidentmap.geo.geocoding.online import OnlineGeocoder
from incidentmap.geo.geocoding.ranking import DOMINANCE_RATIO, choose
from incidentmap.geo.geocoding.world import CountriesAndContinents

__all__ = ["Geocoder", "geocode", "default_geocoder", "resolve_place_or_coords"]

logger = logging.getLogger(__name__)

_GEOD = pyproj.Geod(ellps="WGS84")
_HOW_RANK = {how: rank for rank, how in enumerate(MATCH_CONFIDENCE)}
# A commune (WOF localadmin: gmina, comună) and the town or village it is named after are one
# place when this close: a commune's label point lies within its territory, ~10-20 km across.
COMMUNE_DUPLICATE_KM = 15.0
_COMMUNE = "localadmin"
# Exact matches (own or alternate name) outrank article variants, which outrank loose keys;
# qualified names (Chilia Veche for "Chilia") are offered beside the best tier.
_TIER = {"name": 0, "alternate": 0, "variant": 1, "loose": 2, "qualified": 3}
_QUALIFIED = "qualified"


def _distance_m(a: Place, b: Place) -> float:
    return float(_GEOD.inv(a.lon, a.lat, b.lon, b.lat)[2])


def _population(place: Place) -> int:
    # GeoNames writes 0 for "unknown"; count it as the smallest place cities500 holds.
    return max(int(place.population or 0), 500)


class Geocoder:
    """Geocode place names with a chain of sources (see the module docstring for the rule).

    The constructor does no I/O: pass ready sources, or use :meth:`default`.

    Parameters
    ----------
    sources
        Offline sources in order, each with ``candidates(name, *, country)``.
    online
        An optional online source (:class:`~geo.geocoding.online.OnlineGeocoder`), asked when
        the offline sources find nothing or only a low-confidence answer (below
        ``online_below``), or first if ``online_first``. When it fails, the offline answer
        stands and a warning is logged.
    dominance_ratio, seat_radius_km, duplicate_km
        Parameters of the choice rule.
    """

    def __init__(
        self,
        sources: Sequence[PlaceSource],
        *,
        online: OnlineGeocoder | None = None,
        online_first: bool = False,
        online_below: float = 0.6,
        dominance_ratio: float = DOMINANCE_RATIO,
        seat_radius_km: float = 50.0,
        duplicate_km: float = 5.0,
    ):
        self.sources = list(sources)
        self.online = online
        self.online_first = online_first
        self.online_below = online_below
        self.dominance_ratio = dominance_ratio
        self.seat_radius_km = seat_radius_km
        self.duplicate_km = duplicate_km

    @classmethod
    def default(
        cls,
        *,
        places_yaml: str | os.PathLike | None = None,
        cache_dir: str | os.PathLike | None = None,
        online: OnlineGeocoder | None = None,
        **options,
    ) -> Geocoder:
        """Curated places (``places_yaml``, default ``seeds/places.yaml``), then the installed
        gazetteers (``incidentmap gazetteer install``; skipped if none), then countries and
        continents, then GeoNames cities500.

        Loads the indexes from ``cache_dir`` (cities500's is built there on first use, ~10 s).
        """
        curated = CuratedPlaces.from_yaml(places_yaml)
        installed = InstalledGazetteer.open(cache_dir)
        index = GeoNamesIndex.load(cache_dir=cache_dir)
        world = CountriesAndContinents()
        sources = [curated, *([installed] if installed is not None else []), world, index]
        return cls(sources, online=online, **options)

    # -- the contract ----------------------------------------------------------------------
    def geocode(
        self,
        query: str,
        *,
        country: str | None = None,
        admin: str | Iterable[str] | None = None,
        exactly_one: bool = True,
    ) -> Place | list[Place]:
        """Geocode a place name such as ``"Plauru"`` or ``"Plauru, Tulcea, Romania"``.

        Parameters
        ----------
        query
            The name, optionally followed by comma-separated admin areas and a country.
        country
            ISO3, ISO2 or English name of the country the place is in.
        admin
            Admin area(s) containing the place (county, oblast, voivodeship, powiat, raion).
        exactly_one
            Return the one chosen :class:`Place`, or raise; with ``False``, every candidate
            left after narrowing by context, best first (no ambiguity error).

        Raises
        ------
        PlaceNotFoundError
            No source knows the name (in that context); the message suggests near spellings.
        AmbiguousPlaceError
            Several candidates remain and the rule does not decide; ``.candidates`` lists them.
        """
        name, country_iso3_, admins = self._parse(query, country, admin)
        if self.online is not None and self.online_first:
            try:
                return self._decide_from(self.online, name, country_iso3_, admins, exactly_one)
            except GeocoderServiceError as exc:
                logger.warning("online geocoder failed (%s); using the offline sources", exc)
            except PlaceNotFoundError:
                pass
        try:
            result = self._offline(name, country_iso3_, admins, exactly_one, query)
        except PlaceNotFoundError:
            if self.online is None or self.online_first:
                raise
            try:
                return self._decide_from(self.online, name, country_iso3_, admins, exactly_one)
            except GeocoderServiceError as exc:
                logger.warning(
                    "online geocoder failed (%s); the offline sources found nothing", exc
                )
                raise PlaceNotFoundError(
                    f"no place named {name!r} offline, and the online geocoder failed: {exc}"
                ) from exc
        if (
            exactly_one
            and self.online is not None
            and not self.online_first
            and result.confidence < self.online_below
        ):
            try:
                return self._decide_from(self.online, name, country_iso3_, admins, True)
            except GeocoderServiceError as exc:
                logger.warning("online geocoder failed (%s); keeping the offline result", exc)
            except (PlaceNotFoundError, AmbiguousPlaceError):
                pass
        return result

    __call__ = geocode

    # -- steps -------------------------------------------------------------------------------
    @staticmethod
    def _parse(query, country, admin) -> tuple[str, str | None, list[str]]:
        name, parts = split_query(query)
        if not name:
            raise PlaceNotFoundError(f"empty place name in query {query!r}")
        admins = [admin] if isinstance(admin, str) else list(admin or ())
        for part in parts:
            if is_country(part):
                if country is None:
                    country = part
                elif country_iso3(part) != country_iso3(country):
                    logger.warning(
                        "query %r names %s but country=%s was given; using %s",
                        query,
                        part,
                        country,
                        country,
                    )
            else:
                admins.append(part)
        admins = [a for a in admins if a and strip_admin_words(a)]
        return name, (country_iso3(country) if country else None), admins

    def _offline(self, name, country, admins, exactly_one, query) -> Place | list[Place]:
        found: list[Match] = []
        loose_only: list[Place] = []
        for source in self.sources:
            matches = source.candidates(name, country=country)
            if country is None and matches and all(m.how == "loose" for m in matches):
                loose_only += [m.place for m in matches]
                continue
            found += matches
        where = f" in {country}" if country else ""
        if found:
            best_tier = min(_TIER[m.how] for m in found)
            alias_only = best_tier == 0 and not any(m.how == "name" for m in found)
            found = self._dedupe(
                [
                    m
                    for m in found
                    if _TIER[m.how] == best_tier
                    or m.how == _QUALIFIED
                    # alias-only matches compete with loose namesakes, given a country
                    or (alias_only and country is not None and m.how == "loose")
                ]
            )
            narrowed = self._narrow(found, admins, country)
            if narrowed:
                return self._choose(narrowed, name, exactly_one)
            context = "; ".join(admins)
            listing = "; ".join(m.place.describe() for m in found[:8])
            raise PlaceNotFoundError(
                f"no place named {name!r}{where} lies in {context!r}; places of that name: "
                f"{listing}. Is the admin area right?"
            )
        suggestions = self.suggest(name, country=country) + [
            f"{p.name} ({p.country})" for p in loose_only
        ]
        hint = f"; did you mean: {', '.join(dict.fromkeys(suggestions))}?" if suggestions else ""
        raise PlaceNotFoundError(f"no place named {name!r}{where} in the gazetteers{hint}")

    def _decide_from(self, source, name, country, admins, exactly_one):
        """Ask the online source; its answers are already ranked and filtered by the query."""
        matches = source.search(name, country=country, admin=admins)
        narrowed = (self._narrow(matches, admins, country) or matches) if matches else []
        if not narrowed:
            where = f" in {country}" if country else ""
            raise PlaceNotFoundError(f"{source.name} knows no place named {name!r}{where}")
        return self._choose(self._dedupe(narrowed, ranked=True), name, exactly_one, ranked=True)

    def _narrow(self, matches: list[Match], admins: list[str], country: str | None) -> list[Match]:
        for context in admins:
            fitting = [
                m
                for m in matches
                if any(
                    admin_names_match(context, a)
                    for a in admin1_aliases(m.place.country, m.admin_names)
                )
            ]
            if not fitting:
                fitting = self._near_seat(matches, context, country)
            matches = fitting
            if not matches:
                break
        return matches

    def _near_seat(self, matches: list[Match], context: str, country: str | None) -> list[Match]:
        """Candidates near the seat town a district is named after (powiat włodawski ← Włodawa)."""
        full = strip_admin_words(context)
        stem = re.sub(r"(ski|ska|skie|skyi|skyy|skiy|skij)$", "", full)
        names = [full] if stem == full else [full, stem, stem + "a"]
        seats: list[Match] = []
        for seat_name in names:
            for source in self.sources:
                seats += [
                    m
                    for m in source.candidates(seat_name, country=country)
                    if m.how in ("name", "alternate")
                ]
            if seats:
                break
        if not seats:
            return []
        seat = max(seats, key=lambda m: _population(m.place)).place
        radius_m = self.seat_radius_km * 1000.0
        near = [m for m in matches if _distance_m(m.place, seat) <= radius_m]
        if near:
            logger.info(
                "admin context %r taken as the district around %s", context, seat.describe()
            )
        return near

    def _dedupe(self, matches: list[Match], *, ranked: bool = False) -> list[Match]:
        """Merge candidates within ``duplicate_km`` of each other: one place, listed twice
        (by two sources, or by GeoNames as a town and its centre). The earlier source wins
        (curated before GeoNames), then the better name match, then the larger population;
        a kept place without a population takes its duplicate's."""
        if ranked:
            ordered = list(matches)
        else:
            order = {source.name: i for i, source in enumerate(self.sources)}
            ordered = sorted(
                matches,
                key=lambda m: (
                    order.get(m.place.source.partition(":")[0], len(order)),
                    m.place.feature == _COMMUNE,  # a town before the commune named after it
                    _HOW_RANK[m.how],
                    -_population(m.place),
                ),
            )
        kept: list[Match] = []
        radius_m = self.duplicate_km * 1000.0
        commune_radius_m = COMMUNE_DUPLICATE_KM * 1000.0

        def same_place(k: Match, m: Match) -> bool:
            if (k.how == _QUALIFIED) != (m.how == _QUALIFIED):
                return False  # Brzozów Stary is not Brzozów, however close
            either_commune = _COMMUNE in (k.place.feature, m.place.feature)
            limit = commune_radius_m if either_commune else radius_m
            # a city's points in two sources may lie farther apart than a village's: within
            # the city's own extent (Kyiv in WOF and GeoNames, 7 km apart) it is one place
            extent = min(k.place.precision_m, m.place.precision_m)
            return _distance_m(k.place, m.place) <= max(limit, extent)

        for match in ordered:
            same = next((i for i, k in enumerate(kept) if same_place(k, match)), None)
            if same is None:
                kept.append(match)
                continue
            # the kept place takes the admin names (Lubelskie for a curated "Lublin
            # Voivodeship") and the population the duplicate knows
            merged = kept[same]
            names = tuple(dict.fromkeys((*merged.admin_names, *match.admin_names)))
            merged = merged._replace(admin_names=names)
            if (
                merged.place.population is None
                and match.place.population
                and match.place.feature != _COMMUNE
            ):
                merged = merged._replace(
                    place=merged.place._replace(population=match.place.population)
                )
            kept[same] = merged
        return kept

    def _choose(
        self, matches: list[Match], name: str, exactly_one: bool, *, ranked: bool = False
    ) -> Place | list[Place]:
        return choose(
            matches,
            name,
            exactly_one=exactly_one,
            ranked=ranked,
            dominance_ratio=self.dominance_ratio,
        )

    def suggest(self, name: str, *, country: str | None = None, n: int = 5) -> list[str]:
        """Near spellings of ``name`` known to the offline sources (difflib ratio ≥ 0.75)."""
        key = fold(name)
        if not key:
            return []
        pool: dict[str, list[str]] = {}
        for source in self.sources:
            for folded, shown in source.suggestion_pool(key, country=country):
                if folded[:1] == key[:1] and abs(len(folded) - len(key)) <= 3:
                    pool.setdefault(folded, []).append(shown)
        close = difflib.get_close_matches(key, sorted(pool), n=n, cutoff=SUGGESTION_CUTOFF)
        return list(dict.fromkeys(shown for folded in close for shown in pool[folded][:3]))


@functools.cache
def default_geocoder() -> Geocoder:
    """The process-wide offline geocoder (curated places + GeoNames), built on first use."""
    return Geocoder.default()


def geocode(
    query: str,
    *,
    country: str | None = None,
    admin: str | Iterable[str] | None = None,
    exactly_one: bool = True,
    geocoder: Geocoder | None = None,
) -> Place | list[Place]:
    """Geocode with :func:`default_geocoder` (or ``geocoder``); see :meth:`Geocoder.geocode`."""
    return (geocoder or default_geocoder()).geocode(
        query, country=country, admin=admin, exactly_one=exactly_one
    )


def resolve_place_or_coords(
    text: str,
    *,
    order: str = "latlon",
    country: str | None = None,
    geocoder: Geocoder | None = None,
) -> tuple[float, float, Place | None]:
    """Read ``"45.43 28.05"``, ``"45.43,28.05"`` or a place name; return ``(lon, lat, place)``.

    Two numbers are read as latitude then longitude (as people write them) unless
    ``order="lonlat"``; ``place`` is ``None`` for coordinates. Anything else is geocoded.

    >>> resolve_place_or_coords("45.4353, 28.0080")
    (28.008, 45.4353, None)
    >>> resolve_place_or_coords("28.008 45.4353", order="lonlat")
    (28.008, 45.4353, None)
    """
    found = parse_lat_lon(text, order=order)  # the one coordinate parser (geo.coords)
    if found:
        point, _ = found
        return point.lon, point.lat, None
    place = geocode(text, country=country, geocoder=geocoder)
    return place.lon, place.lat, place
