"""Draft incident records in the seeds schema, from the article's incident sites.

Every place with a site mention starts an incident; an incident at a country or region is folded
into one at a town of that country or region, when there is one ("a strike in Romania" and "the
roof of a building in Galati" are one incident at Galați). The record's sentences are those of its
site mentions (plus, when none of them dates it, up to two following sentences that tell of the
incident without naming another site: "One drone was destroyed late on Friday ..."), and its
date, kind, weapon, count, injuries and claims come from those sentences.

Everything is a draft: ids are numbered from 9001, the publisher is left for the curator, and
the notes say so.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections import Counter
from dataclasses import dataclass, field

from incidentmap.geo.geocoding.names import admin_names_match
from incidentmap.geo.nato import member_table
from incidentmap.news.claims import Statement
from incidentmap.news.dates import DateMention
from incidentmap.news.details import (
    casualties,
    count_of_objects,
    incident_kind,
    shot_down_count,
    weapon_for,
)
from incidentmap.news.places import PlaceFound
from incidentmap.news.sites import INCIDENT_CUE

__all__ = ["Event", "group_events", "build_record", "statement_dates"]

logger = logging.getLogger(__name__)

_KIND_PHRASE = {
    "impact": "a drone or missile coming down",
    "debris_found": "debris found",
    "strike_on_building": "a strike on a building",
    "airspace_violation": "an airspace violation",
    "shoot_down": "a shoot-down",
    "attack_near_border": "an attack",
    None: "an incident",
}
_STANCE_VERB = {
    "claimed": "reported",
    "denied": "denied",
    "confirmed": "confirmed",
    "attributed": "attributed",
    "retracted": "retracted",
}
_SPEECH_BEFORE_DATE = re.compile(
    r"\b(?:said|says|told|stated|announced|issued|wrote|reported|statement|added|warned|"
    r"confirmed|confirms|denied|denies|claimed|claims|rejected|refuted)"
    r"\W+(?:\w+\W+){0,3}$",
    re.I,
)
# 0: a point place; 1: a region; 2: a river, sea, lake or canal; 3: a country.
_TYPE_RANK = {
    "region": 1, "county": 1, "river": 2, "sea": 2, "lake": 2, "canal": 2, "country": 3,
}  # fmt: skip


# Words that make a statement naming the place relevant to the incident.
_INCIDENT_NOUNS = frozenset(
    "drone drones missile missiles uav uavs airspace debris fragments wreckage incursion".split()
)


@dataclass
class Event:
    """An incident site and the sentences that tell of it."""

    place: PlaceFound
    sentences: set[int] = field(default_factory=set)
    merged: list[PlaceFound] = field(default_factory=list)
    #: Sites the gazetteers lack, placed at this event's place ("near the village of Periprava,
    #: in C.A. Rosetti commune": Periprava is unknown, the record goes to C. A. Rosetti).
    unresolved: list[PlaceFound] = field(default_factory=list)


def statement_dates(text: str, dates: list[DateMention]) -> set[int]:
    """Indices of date mentions that date a statement ("said on Monday"), not an event."""
    out = set()
    for n, mention in enumerate(dates):
        before = re.split(r"[.!?\n]", text[max(0, mention.start - 40) : mention.start])[-1]
        if _SPEECH_BEFORE_DATE.search(before):
            out.add(n)
    return out


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


def group_events(places: list[PlaceFound]) -> list[Event]:
    """One :class:`Event` per incident site, containers folded into the places they contain.

    A region is folded into the first site in it; a country into the first site in it whose
    site mentions are at most four sentences away (farther, it is likely another incident).
    A site the gazetteers lack (unresolved) joins the event with the nearest site mention in the
    same sentence ("near the village of Periprava, in C.A. Rosetti commune"), else in the next
    or previous sentence: its sentences then tell of that event, and the record says where it
    was reported.
    """
    # A river or sea is a site in the places list but starts no record (it has no country).
    sites = [p for p in places if p.incident_site and p.status != "unresolved" and not _is_water(p)]
    events: list[Event] = []
    ranked = sorted(sites, key=lambda p: _TYPE_RANK.get(p.type, 0))
    for place in ranked:
        target = None
        sentences = {o.sentence for o in place.occurrences if o.site}
        if place.type == "region":
            target = next((e for e in events if _contains(place, e.place)), None)
        elif place.type == "country":
            target = next(
                (
                    e
                    for e in events
                    if _contains(place, e.place) and _close(sentences, e.sentences, sentences=4)
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
            rank = (not same_sentence, gap, _TYPE_RANK.get(event.place.type, 0))
            if best is None or rank < best[0]:
                best = (rank, event)
    return best[1] if best else None


def _tells_of_incident(sentence: str) -> bool:
    return any(INCIDENT_CUE.match(w) for w in re.findall(r"\w+", sentence.lower()))


def _event_dates(
    event, dates, statement_only, sentence_of_date, sentence_text, site_sentences, dateline_span
):
    """(date_start, date_end, precision, phrase or None) of an event, or None.

    From the date phrases of the event's sentences (the most frequent range); else of the next
    two sentences that tell of an incident; else the article's incident date phrase (the first
    date, not of a statement nor of the date line, in a sentence that tells of an incident),
    whose text is returned as the fourth item so that the record can say so.
    """
    ranges = Counter()
    for n, mention in enumerate(dates):
        if n in statement_only or mention.date_start is None:
            continue
        if sentence_of_date[n] in event.sentences:
            ranges[(mention.date_start, mention.date_end, mention.precision)] += 1
    if ranges:
        best = max(ranges.items(), key=lambda kv: (kv[1], -(kv[0][1] - kv[0][0]).days))
        return (*best[0], None)
    # The incident may be dated in the next sentences: "One drone was destroyed late on Friday".
    follow = []
    for s in sorted(event.sentences):
        for nxt in (s + 1, s + 2):
            if nxt in site_sentences or nxt >= len(sentence_text):
                break
            if _tells_of_incident(sentence_text[nxt]):
                follow.append(nxt)
    picked = [
        dates[n]
        for n in range(len(dates))
        if sentence_of_date[n] in follow and n not in statement_only and dates[n].date_start
    ]
    if picked:
        start = min(m.date_start for m in picked)
        end = max(m.date_end for m in picked)
        return start, end, "day" if (end - start).days <= 2 else "week", None
    for n, mention in enumerate(dates):
        if n in statement_only or mention.date_start is None:
            continue
        if dateline_span and mention.start < dateline_span[1] and dateline_span[0] < mention.end:
            continue
        if _tells_of_incident(sentence_text[sentence_of_date[n]]):
            return mention.date_start, mention.date_end, mention.precision, mention.text
    return None


def _time_precision(start: dt.date, end: dt.date, precision: str) -> int:
    days = (end - start).days
    if precision == "day" and days <= 2:
        return 1
    if days <= 10:
        return 2
    return 3


def _nato_member(iso3: str | None, on: dt.date | None) -> bool:
    member = member_table().get(iso3 or "")
    return member is not None and (on is None or member.member_since <= on)


def _actor1(text: str) -> str:
    ukrainian = len(re.findall(r"\bUkrain(?:e|ian)\s+(?:used|launched|fired|sent)\b", text))
    ukrainian += len(re.findall(r"\bUkrainian\s+(?:[\w-]+\s+){0,2}(?:drones?|missiles?)\b", text))
    russian = len(re.findall(r"\bRussia(?:n)?\b", text))
    if ukrainian and ukrainian >= russian:
        return "Military Forces of Ukraine (2019-)"
    return "Military Forces of Russia (2000-)"


def build_record(
    event: Event,
    number: int,
    *,
    text: str,
    sentence_spans: list[tuple[int, int]],
    dates: list[DateMention],
    statements: list[Statement],
    places: list[PlaceFound],
    published: dt.date | None,
    source: dict,
    dateline_span: tuple[int, int] | None = None,
) -> dict:
    """One draft record in the seeds schema (a plain dict, ready for YAML).

    ``dateline_span`` is where the article's date line is (its date is the publication's, not
    the incident's).
    """
    sentence_text = [text[a:b] for a, b in sentence_spans]
    site_sentences = {o.sentence for p in places for o in p.occurrences if o.site}
    sentence_of_date = [_sentence_index(sentence_spans, m.start) for m in dates]
    statement_only = statement_dates(text, dates)
    when = _event_dates(
        event,
        dates,
        statement_only,
        sentence_of_date,
        sentence_text,
        site_sentences,
        dateline_span,
    )
    body = " ".join(sentence_text[s] for s in sorted(event.sentences))
    place = event.place
    country = place.country
    if when is not None:
        date_start, date_end, precision, article_phrase = when
    else:
        date_start = date_end = article_phrase = None
        precision = "day"
    nato = _nato_member(country, date_start)
    kind = incident_kind(body, nato_territory=nato) or (
        "attack_near_border" if not nato else "airspace_violation"
    )
    count = count_of_objects(body)
    downed = shot_down_count(body)
    following = [
        sentence_text[n]
        for s in sorted(event.sentences)
        for n in (s + 1, s + 2)
        if n < len(sentence_text) and n not in site_sentences and n not in event.sentences
    ]
    weapon, is_drone = weapon_for(body, " ".join(dict.fromkeys(following)), text)
    later = _later_sentences(event, sentence_text, site_sentences, 3)
    injuries, fatalities = casualties(body + " " + " ".join(later))
    exploded = re.search(r"detonat|explo|struck|strike|hit\b|impact|damag", body, re.I)
    if kind in ("impact", "strike_on_building", "attack_near_border") and exploded:
        event_type = "Explosions/Remote violence"
        sub = "Air/drone strike" if is_drone is not False else "Shelling/artillery/missile attack"
    elif kind == "shoot_down":
        event_type, sub = "Strategic developments", "Disrupted weapons use"
    else:
        event_type, sub = "Strategic developments", "Other"
    location = place.name
    where = f"in {location}" if place.type in ("country", "region") else f"at {location}"
    claims = _claims(event, statements, places, kind, where, dates, sentence_spans, published, text)
    year = (date_start or published).year if (date_start or published) else 0
    record = {
        "event_id_cnty": f"{country or 'XXX'}-{year:04d}-{9000 + number:04d}",
        "event_date": date_end if date_start and (date_end - date_start).days == 1 else date_start,
        "date_start": date_start,
        "date_end": date_end,
        "time_precision": (
            min(3, _time_precision(date_start, date_end, precision) + bool(article_phrase))
            if when
            else 3
        ),
        "event_type": event_type,
        "sub_event_type": sub,
        "kind": kind,
        "weapon": weapon,
        "count": count,
        "actor1": _actor1(body),
        "country": country,
        "admin1": place.admin1 if place.type != "country" else None,
        "location": location,
        "location_as_reported": (
            event.unresolved[0].as_written[0]
            if event.unresolved
            else place.as_written[0]
            if place.as_written
            else location
        ),
        "latitude": None if place.lat is None else round(place.lat, 5),
        "longitude": None if place.lon is None else round(place.lon, 5),
        # 2 ("near") at least when the reported site is not in the gazetteers
        "geo_precision": max(
            (1, 2, 3, 3)[_TYPE_RANK.get(place.type, 0)], 1 + bool(event.unresolved)
        ),
        "precision_m": _precision_m(place, event),
        "geocoding": {
            "source": place.source or "none",
            "ref": place.ref,
            "note": _geocoding_note(place, event) or None,
        },
        "claims": claims,
        "evidence_strength": _evidence(claims, body),
        "injuries": injuries,
        "fatalities": fatalities,
        "sources": [source],
        "notes": _notes(kind, where, weapon, count, downed, event, published, article_phrase),
        "tags": ["draft", "extracted"],
    }
    if event_type == "Explosions/Remote violence" and record["event_date"] is None:
        record["event_date"] = date_start
    if record["geocoding"]["note"] is None:
        del record["geocoding"]["note"]
    return {k: v for k, v in record.items() if v is not None}


#: Radius of the area around a town or commune in which a site it locates but the gazetteers
#: lack may lie ("the village of Periprava, in C.A. Rosetti commune": 14 km from its seat).
UNRESOLVED_SITE_RADIUS_M = 15_000.0


def _precision_m(place: PlaceFound, event: Event) -> float:
    default = 50_000.0 if place.type == "region" else 200_000.0
    precision = place.precision_m or default
    if event.unresolved:
        precision = max(precision, UNRESOLVED_SITE_RADIUS_M)
    return precision


def _later_sentences(event: Event, sentence_text, site_sentences, n: int) -> list[str]:
    """Up to ``n`` sentences after each of the event's, stopping at another event's site
    ("Nobody was hurt." three sentences after the crash)."""
    out: list[int] = []
    for s in sorted(event.sentences):
        for k in range(s + 1, min(s + 1 + n, len(sentence_text))):
            if k in event.sentences:
                continue
            if k in site_sentences:
                break
            out.append(k)
    return [sentence_text[k] for k in dict.fromkeys(out)]


def _sentence_index(spans: list[tuple[int, int]], offset: int) -> int:
    for n, (_start, b) in enumerate(spans):
        if offset < b:
            return n
    return len(spans) - 1


def _claims(event, statements, places, kind, where, dates, spans, published, text) -> list[dict]:
    """Statements about this incident: made in its sentences; or naming its place in a sentence
    that tells of an incident or denies or confirms; or in the next two sentences, when those
    tell of an incident and name no other incident site."""
    related_keys = {event.place.key, *(p.key for p in event.merged)}
    mention_sentences = {o.sentence for p in places if p.key in related_keys for o in p.occurrences}
    other_sites = {
        o.sentence
        for p in places
        if p.key not in related_keys and p.type != "country"
        for o in p.occurrences
        if o.site
    }
    near = set()
    for s in event.sentences:
        near |= {s + 1, s + 2}

    def tells_of_incident(sentence: int) -> bool:
        a, b = spans[sentence]
        words = re.findall(r"\w+", text[a:b].lower())
        return any(INCIDENT_CUE.match(w) or w in _INCIDENT_NOUNS for w in words)

    picked: list[Statement] = []
    for st in statements:
        if st.sentence in event.sentences:
            picked.append(st)
        elif st.sentence in mention_sentences and (
            st.stance != "claimed" or tells_of_incident(st.sentence)
        ):
            picked.append(st)
        elif (
            st.sentence in near
            and st.sentence not in other_sites
            and tells_of_incident(st.sentence)
        ):
            picked.append(st)
    out = []
    seen: dict[tuple[str, str], int] = {}
    for st in picked:
        actor = st.actor.replace("’", "'")
        same = next(
            (
                k
                for k in seen
                if k[1] == st.stance and (actor.endswith(k[0]) or k[0].endswith(actor))
            ),
            None,
        )
        if same is not None:
            if len(actor) > len(same[0]):  # keep the fuller name of the same speaker
                out[seen[same]]["actor"] = actor
            continue
        when = _statement_date(st, dates, spans) or published
        seen[(actor, st.stance)] = len(out)
        out.append(
            {
                "date": when,
                "actor": actor,
                "stance": st.stance,
                "summary": f"{_STANCE_VERB[st.stance]} {_KIND_PHRASE.get(kind)} {where}",
            }
        )
    return sorted(out, key=lambda c: c["date"] or dt.date.max)


def _statement_date(st: Statement, dates: list[DateMention], spans) -> dt.date | None:
    a, b = spans[st.sentence]
    for mention in dates:
        if a <= mention.start < b and mention.date_start == mention.date_end and mention.date_start:
            return mention.date_start
    return None


def _evidence(claims: list[dict], body: str) -> int:
    stances = {c["stance"] for c in claims}
    actors = {c["actor"] for c in claims if c["stance"] in ("claimed", "confirmed", "attributed")}
    if "confirmed" in stances and re.search(r"debris|fragment|wreck|serial", body, re.I):
        return 3
    if "confirmed" in stances or len(actors) >= 2:
        return 2
    return 1 if claims else 0


def _geocoding_note(place: PlaceFound, event: Event) -> str:
    parts = [place.note] if place.note else []
    if event.unresolved:
        lacking = ", ".join(p.name for p in event.unresolved)
        parts.append(
            f"reported at {lacking}, which the offline gazetteers lack; placed at {place.name}, "
            "the nearest place the article names with it"
        )
    return "; ".join(parts)


def _notes(kind, where, weapon, count, downed, event, published, article_phrase) -> str:
    parts = [f"Draft: {_KIND_PHRASE.get(kind)} {where}"]
    if event.unresolved:
        parts.append("reported at " + ", ".join(p.name for p in event.unresolved))
    if weapon:
        parts.append(f"weapon as reported: {weapon}")
    if count:
        parts.append(f"{count} reported")
    if downed:
        parts.append(f"{downed} reported shot down")
    if event.merged:
        parts.append("also reported as " + ", ".join(p.name for p in event.merged))
    if article_phrase:
        parts.append(f"dated by the article's incident date phrase '{article_phrase}'")
    if published is None:
        parts.append("no publication date: relative dates unresolved")
    return "; ".join(parts) + ". Extracted automatically; check every field against the source."
