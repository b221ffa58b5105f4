"""Incidents of one article: every incident site starts one, containers fold into it.

An incident at a country or region is folded into one at a town of that country or region, when
there is one ("a strike in Romania" and "the roof of a building in Galati" are one incident at
Galați); a site the gazetteers lack joins the event whose site mention is nearest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from incidentmap.geo.geocoding.names import admin_names_match
from incidentmap.news.places import PlaceFound
from incidentmap.news.sites import INCIDENT_CUE

__all__ = ["Event", "TYPE_RANK", "group_events", "tells_of_incident"]

# 0: a point place; 1: a region; 2: a river, sea, lake or canal; 3: a country.
TYPE_RANK = {
    "region": 1, "county": 1, "river": 2, "sea": 2, "lake": 2, "canal": 2, "country": 3,
}  # fmt: skip


@dataclass
class Event:
    """An incident site and the sentences that tell of it."""

    place: PlaceFound
    sentences: set[int] = field(default_factory=set)
    merged: list[PlaceFound] = field(default_factory=list)
    #: Sites the gazetteers lack, placed at this event's place ("near the village of Periprava,
    #: in C.A. Rosetti commune": Periprava is unknown, the record goes to C. A. Rosetti).
    unresolved: list[PlaceFound] = field(default_factory=list)


def _contains(container: PlaceFound, place: PlaceFound) -> bool:
    if container.type == "country":
        return place.country == container.country
    if container.type == "region" and container.admin1 and place.admin1:
        return place.country == container.country and admin_names_match(
            container.admin1, place.admin1
        )
    return False


def _close(a: set[int], b: set[int], *, sentences: int = 2) -> bool:
    return any(abs(x - y) <= sentences for x in a for y in b)


def _is_water(place: PlaceFound) -> bool:
    return place.key.startswith("water:")


def _dated_apart(a: set[int], b: set[int], dated: dict[int, set[tuple]] | None) -> bool:
    """Whether the sentences ``a`` and ``b`` are dated, and by day ranges that do not overlap
    (two incidents: "overnight on Sept. 4 ... Romanian soil" and "On Sept. 9 ... at Plauru")."""
    if not dated:
        return False

    def days(sentences):  # day-exact ranges only: "this month" keeps nothing apart
        return [r for s in sentences for r in dated.get(s, ()) if (r[1] - r[0]).days <= 2]

    ra, rb = days(a - b), days(b)
    if not ra or not rb:
        return False
    return not any(x[0] <= y[1] and y[0] <= x[1] for x in ra for y in rb)


def group_events(
    places: list[PlaceFound], dated: dict[int, set[tuple]] | None = None
) -> list[Event]:
    """One :class:`Event` per incident site, containers folded into the places they contain.

    A region is folded into the first site in it whose site mentions are at most two sentences
    away, a country into the first at most four sentences away (farther, it is likely another
    incident).
    A site the gazetteers lack (unresolved) joins the event with the nearest site mention in the
    same sentence ("near the village of Periprava, in C.A. Rosetti commune"), else in the next
    or previous sentence: its sentences then tell of that event, and the record says where it
    was reported. ``dated`` (the event day ranges of each sentence) keeps apart a container and
    a site whose passages are dated differently.
    """
    # A river or sea is a site in the places list but starts no record (it has no country).
    sites = [p for p in places if p.incident_site and p.status != "unresolved" and not _is_water(p)]
    events: list[Event] = []
    ranked = sorted(sites, key=lambda p: TYPE_RANK.get(p.type, 0))
    for place in ranked:
        target = None
        sentences = {o.sentence for o in place.occurrences if o.site}
        if place.type == "region":
            # folded into a site in it that the same passage tells of; a site in it several
            # sentences away is likely another incident ("On September 9, fragments ... were
            # found in the area of Plauru in Tulcea County" after the find in Tulcea County)
            target = next(
                (
                    e
                    for e in events
                    if _contains(place, e.place)
                    and _close(sentences, e.sentences, sentences=2)
                    and not _dated_apart(sentences, e.sentences, dated)
                ),
                None,
            )
        elif place.type == "country":
            target = next(
                (
                    e
                    for e in events
                    if _contains(place, e.place)
                    and _close(sentences, e.sentences, sentences=4)
                    and not _dated_apart(sentences, e.sentences, dated)
                ),
                None,
            )
        if target is not None:
            target.sentences |= sentences
            target.merged.append(place)
        else:
            events.append(Event(place, sentences))
    for place in places:
        if place.incident_site and place.status == "unresolved" and not _is_water(place):
            target = _host_event(place, events)
            if target is not None:
                target.sentences |= {o.sentence for o in place.occurrences if o.site}
                target.unresolved.append(place)
    first = {id(p): min(o.start for o in p.occurrences) for p in places}
    return sorted(events, key=lambda e: first[id(e.place)])


def _host_event(place: PlaceFound, events: list[Event]) -> Event | None:
    """The event an unresolved site belongs to (see :func:`group_events`), or None."""
    best = None
    for occurrence in (o for o in place.occurrences if o.site):
        for event in events:
            starts = [
                o.start
                for p in (event.place, *event.merged)
                for o in p.occurrences
                if o.site and abs(o.sentence - occurrence.sentence) <= 1
            ]
            if not starts:
                continue
            gap = min(abs(s - occurrence.start) for s in starts)
            same_sentence = any(
                o.sentence == occurrence.sentence
                for p in (event.place, *event.merged)
                for o in p.occurrences
                if o.site
            )
            rank = (not same_sentence, gap, TYPE_RANK.get(event.place.type, 0))
            if best is None or rank < best[0]:
                best = (rank, event)
    return best[1] if best else None


_OCCURRED = re.compile(r"\b(?:incident|occurred|happened|took place)\b", re.I)


def tells_of_incident(sentence: str) -> bool:
    """Whether a sentence tells of an incident: an incident word, or "the incident occurred"."""
    return bool(_OCCURRED.search(sentence)) or any(
        INCIDENT_CUE.match(w) for w in re.findall(r"\w+", sentence.lower())
    )
