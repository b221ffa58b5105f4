"""Resolving the names found in an article with the geocoder, in the article's own context.

The context is what the article itself says: the countries it names (by name or demonym,
most-mentioned first) and the regions it names ("Odesa region", "Tulcea county"). A town is
looked up in a region that follows it ("Izmail in Ukraine's Odesa region", "Plauru, Tulcea
county"), then in the regions the article names, then in each country of the article (a small
place found there outside every region the article names for that country keeps only half its
confidence, with a note), and only then anywhere; a small place found only outside the
article's countries is not believed (it is most likely a word that happens to be a place name
somewhere), unless a locative word introduced it, in which case it is reported as unresolved
with its candidates.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field

import pyproj

from incidentmap.geo.errors import AmbiguousPlaceError, PlaceNotFoundError, UnknownCountryError
from incidentmap.geo.geocoding import Geocoder, Place
from incidentmap.geo.geocoding.countries import country_name
from incidentmap.geo.geocoding.names import admin_names_match, fold
from incidentmap.news.matcher import Candidate

__all__ = ["ArticleContext", "Resolution", "article_context", "resolve_candidate", "WELL_KNOWN"]

logger = logging.getLogger(__name__)

#: A place this populous is believed anywhere in the world, even if the article does not name
#: its country ("Washington", "Moscow").
WELL_KNOWN = 100_000
#: ... and must be this many times more populous than the next place of the same name.
DOMINANCE = 10.0
#: Confidence factor of a small place found in an article's country but outside every admin
#: area the article names for that country.
OUTSIDE_AREA = 0.5


@dataclass
class ArticleContext:
    """Countries (ISO3, most-mentioned first) and regions the article names."""

    countries: list[str] = field(default_factory=list)
    regions: dict[str, list[str]] = field(default_factory=dict)  # ISO3 -> region names


@dataclass
class Resolution:
    """The outcome of resolving one name: a place, or why not, with the candidates."""

    status: str  # "resolved" | "ambiguous" | "unresolved"
    place: Place | None = None
    candidates: list[Place] = field(default_factory=list)
    note: str = ""

    @property
    def confidence(self) -> float:
        return self.place.confidence if self.place is not None else 0.0


def article_context(candidates: list[Candidate]) -> ArticleContext:
    """Countries and regions named in the article, from the kept matches."""
    counts: Counter[str] = Counter()
    regions: dict[str, list[str]] = {}
    for c in candidates:
        if c.kind in ("country", "demonym"):
            counts[c.ref] += 1
        elif c.kind == "region" and c.ref[0]:
            counts[c.ref[0]] += 1
            regions.setdefault(c.ref[0], [])
            if c.ref[2] not in regions[c.ref[0]]:
                regions[c.ref[0]].append(c.ref[2])
    return ArticleContext([iso3 for iso3, _ in counts.most_common()], regions)


def _population(place: Place) -> int:
    return int(place.population or 0)


def _known(geocoder: Geocoder, name: str, country: str | None) -> bool:
    """Whether any offline source has the name (cheap; spares the geocoder's spelling
    suggestions, which scan the whole gazetteer, for names that are certainly missing)."""
    for source in geocoder.sources:
        try:
            if source.candidates(name, country=country):
                return True
        except (UnknownCountryError, KeyError):
            continue
    return geocoder.online is not None


def _try(geocoder: Geocoder, name: str, country: str | None, admins: list[str]):
    """geocode() that returns (place or None, candidates, error kind)."""
    if not admins and not _known(geocoder, name, country):
        return None, [], "missing"
    try:
        return geocoder.geocode(name, country=country, admin=admins or None), [], None
    except AmbiguousPlaceError as exc:
        return None, list(exc.candidates), "ambiguous"
    except (PlaceNotFoundError, UnknownCountryError):
        return None, [], "missing"


def resolve_candidate(
    name: str,
    context: ArticleContext,
    geocoder: Geocoder,
    *,
    hint_country: str | None = None,
    hint_admin: str | None = None,
    locative: bool = False,
) -> Resolution | None:
    """Resolve a town or village name in the article's context (see the module docstring).

    Returns ``None`` when the name is not believed to be a place at all here.
    """
    countries = list(dict.fromkeys([c for c in [hint_country, *context.countries] if c]))
    respelled = None
    for iso3 in countries:
        found = _in_country(name, iso3, context, geocoder, hint_country, hint_admin)
        if found is None:
            continue
        if found.status == "resolved" and _respelled(name, found.place):
            # "Reni" found in Romania only as "Rieni": an exact match in another country the
            # article names (Reni, Ukraine) comes first
            respelled = respelled or found
            continue
        return found
    if respelled is not None:
        return respelled
    place, candidates, error = _try(geocoder, name, None, [])
    if not context.countries or locative:
        # no country named, or a locative word before a name found only outside the named
        # countries ("crashed near Przewodów" in an article that names only Russia)
        focused = _in_focus([place] if place is not None else candidates)
        if focused is not None and (focused.status == "resolved" or not context.countries):
            return focused
    if place is not None:
        if _population(place) >= WELL_KNOWN:
            place = place._replace(confidence=round(place.confidence * 0.8, 3))
            return Resolution("resolved", place, [], "well-known place")
        if locative:
            return Resolution(
                "unresolved",
                None,
                [place],
                "only a place outside the countries the article names: "
                f"{place.name} ({_country(place.country)})",
            )
        return None
    if error == "ambiguous":
        choice = _dominant(candidates)
        if choice is not None and _population(choice) >= WELL_KNOWN:
            return Resolution("resolved", choice, candidates, "by far the largest of its name")
        if locative:
            return Resolution("unresolved", None, candidates, "several places, none in context")
        return None
    if locative:
        near = []
        for iso3 in countries[:2]:
            near += [(s, iso3) for s in geocoder.suggest(name, country=iso3, n=3)]
        respelt = _one_letter_off(name, near, geocoder)
        if respelt is not None:
            return respelt
        hint = f"; near spellings: {', '.join(s for s, _ in near)}" if near else ""
        return Resolution("unresolved", None, [], f"not in the gazetteers{hint}")
    return None


#: Confidence factor of a place found under a spelling one letter off the article's.
RESPELT = 0.6


def _one_letter(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with one letter changed, added or dropped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long_ = sorted((a, b), key=len)
    return any(long_[:i] + long_[i + 1 :] == short for i in range(len(long_)))


def _one_letter_off(name: str, near: list[tuple[str, str]], geocoder) -> Resolution | None:
    """The place whose name is one letter off ``name`` ("Plaura" -> Plauru), when it is the
    only such near spelling in the article's countries, and a name of four letters or more."""
    key = fold(name)
    if len(key) < 5:
        return None
    fits = []
    for suggestion, iso3 in near:
        spelled = suggestion.rsplit(" (", 1)[0]
        if _one_letter(key, fold(spelled)) and (spelled, iso3) not in fits:
            fits.append((spelled, iso3))
    if len(fits) != 1:
        return None
    spelled, iso3 = fits[0]
    place, _candidates, _error = _try(geocoder, spelled, iso3, [])
    if place is None:
        return None
    place = place._replace(confidence=round(place.confidence * RESPELT, 3))
    return Resolution(
        "resolved", place, [], f"written '{name}' in the article, one letter off {place.name}"
    )


#: A geocoder answer below this confidence matched a different spelling ("Reni" -> "Rieni").
SPELLING_MATCH = 0.8


def _respelled(name: str, place: Place | None) -> bool:
    """Whether ``place`` matched ``name`` only as a different spelling (not the same letters,
    nor the name with an inflection: "Nufărul" is Nufăru with the Romanian article)."""
    if place is None or place.confidence >= SPELLING_MATCH:
        return False
    a, b = fold(name), fold(place.name)
    return not (a == b or (a.startswith(b) and len(a) - len(b) <= 2) or b.startswith(a))


def _in_country(name, iso3, context, geocoder, hint_country, hint_admin) -> Resolution | None:
    """The name in one of the article's countries: in a hinted or named region first."""
    admin_tries = []
    if hint_admin and iso3 == hint_country:
        admin_tries.append([hint_admin])
    admin_tries += [[region] for region in context.regions.get(iso3, [])]
    admin_tries.append([])
    for admins in admin_tries:
        place, candidates, error = _try(geocoder, name, iso3, admins)
        if place is not None:
            if admins:
                return Resolution("resolved", place, [], f"in {', '.join(admins)}")
            named = context.regions.get(iso3, [])
            if named and not _in_any(place, named) and _population(place) < WELL_KNOWN:
                # "C.A. Rosetti commune, Tulcea county" is not the Roseţi of Călăraşi
                place = place._replace(confidence=round(place.confidence * OUTSIDE_AREA, 3))
                return Resolution(
                    "resolved",
                    place,
                    [],
                    f"in {iso3}, but in {place.admin1 or '?'}, outside the area the "
                    f"article names ({', '.join(named)}); check it",
                )
            return Resolution("resolved", place, [], f"in {iso3}, named in the article")
        if error == "ambiguous":
            choice = _dominant(candidates)
            if choice is not None:
                return Resolution("resolved", choice, candidates, "largest of its name in " + iso3)
            return Resolution("ambiguous", None, candidates, f"several places in {iso3}")
    return None


#: The countries this tool is about (NATO's eastern and northern flank and their neighbours):
#: when an article names no country at all ("Drone fragments were found at Grindu."), a town
#: found in exactly one of them, or far larger there than elsewhere in them, is believed.
FOCUS_COUNTRIES = frozenset(
    "ROU MDA UKR POL LTU LVA EST FIN BLR RUS DNK DEU NOR SWE SVK HUN BGR TUR GEO CZE".split()
)


def _in_focus(candidates: list[Place]) -> Resolution | None:
    inside = [p for p in candidates if p.country in FOCUS_COUNTRIES]
    if not inside:
        return None
    choice = inside[0] if len(inside) == 1 else _dominant(inside)
    if choice is None:
        return Resolution("ambiguous", None, inside, "several places in the focus countries")
    choice = choice._replace(confidence=round(min(choice.confidence, 0.9) * 0.8, 3))
    return Resolution(
        "resolved",
        choice,
        candidates,
        f"not in a country the article names; the only {choice.name} of its size in the "
        f"countries this tool covers ({_country(choice.country)})",
    )


def _in_any(place: Place, regions: list[str]) -> bool:
    return any(admin_names_match(region, place.admin1 or "") for region in regions)


#: Records of one name this close to each other are one place seen by several gazetteers (a
#: locality, its commune's centroid, a postal code): "Rovaniemi" the town and the municipality.
SAME_PLACE_M = 25_000.0
_GEOD = pyproj.Geod(ellps="WGS84")
_SETTLEMENT_RANK = {"locality": 0, "populated place": 0, "town": 0, "city": 0, "village": 0}


def _collapsed(candidates: list[Place]) -> list[Place]:
    """One candidate per cluster of records within :data:`SAME_PLACE_M` of each other (the
    settlement record first, then the most populous), most populous cluster first."""
    ranked = sorted(candidates, key=_population, reverse=True)
    clusters: list[list[Place]] = []
    for place in ranked:
        for cluster in clusters:
            head = cluster[0]
            if place.country == head.country and (
                _GEOD.inv(head.lon, head.lat, place.lon, place.lat)[2] <= SAME_PLACE_M
            ):
                cluster.append(place)
                break
        else:
            clusters.append([place])
    out = []
    for cluster in clusters:
        best = min(
            cluster, key=lambda p: (_SETTLEMENT_RANK.get(p.feature or "", 1), -_population(p))
        )
        out.append(best._replace(population=max(_population(p) for p in cluster) or None))
    return out


def _dominant(candidates: list[Place]) -> Place | None:
    candidates = _collapsed(candidates)
    if len(candidates) == 1:
        return candidates[0]._replace(confidence=min(candidates[0].confidence, 0.8))
    ranked = sorted(candidates, key=_population, reverse=True)
    if not ranked or not ranked[0].population:
        return None
    runner_up = _population(ranked[1]) if len(ranked) > 1 else 0
    if _population(ranked[0]) >= DOMINANCE * max(runner_up, 500):
        return ranked[0]._replace(confidence=0.6)
    return None


def _country(iso3: str | None) -> str:
    try:
        return country_name(iso3) if iso3 else "?"
    except (KeyError, UnknownCountryError):
        return iso3 or "?"


def folded(text: str) -> str:
    return fold(text)
