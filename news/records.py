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

from incidentmap.geo.nato import member_table
from incidentmap.news.claims import Statement
from incidentmap.news.dates import DateMention
from incidentmap.news.details import (
    NOT_WEAPONS,
    casualties,
    count_of_objects,
    incident_kind,
    shot_down_count,
    weapon_for,
)
from incidentmap.news.event_dates import event_dates, statement_dates, time_precision
from incidentmap.news.events import TYPE_RANK, Event, group_events
from incidentmap.news.offsets import apply_offset, border_offsets, offset_before
from incidentmap.news.places import PlaceFound
from incidentmap.news.record_claims import KIND_PHRASE, claims_of, evidence_strength
from incidentmap.news.times import clock_time

__all__ = ["Event", "group_events", "build_record", "nato_member", "statement_dates"]

logger = logging.getLogger(__name__)


def nato_member(iso3: str | None, on: dt.date | None) -> bool:
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
    other_events: set[int] | None = None,
    only: bool = False,
) -> dict:
    """One draft record in the seeds schema (a plain dict, ready for YAML).

    ``dateline_span`` is where the article's date line is (its date is the publication's, not
    the incident's); ``other_events`` the sentences of the article's other incidents; ``only``
    whether it is the article's only incident (its statements are all about it).
    """
    sentence_text = [text[a:b] for a, b in sentence_spans]
    site_sentences = {o.sentence for p in places for o in p.occurrences if o.site}
    sentence_of_date = [_sentence_index(sentence_spans, m.start) for m in dates]
    statement_only = statement_dates(text, dates)
    when = event_dates(
        event,
        dates,
        statement_only,
        sentence_of_date,
        sentence_text,
        site_sentences,
        dateline_span,
        other_events,
    )
    body = " ".join(sentence_text[s] for s in sorted(event.sentences))
    place = event.place
    country = place.country
    undated = when is None and published is not None
    if when is not None:
        date_start, date_end, precision, article_phrase = when
    elif undated:
        # the article does not date it: it happened before publication, most likely shortly
        date_start, date_end = published - dt.timedelta(days=UNDATED_WINDOW_DAYS), published
        precision, article_phrase = "week", None
    else:
        date_start = date_end = article_phrase = None
        precision = "day"
    phrase = article_phrase or _phrase_of(event, dates, statement_only, sentence_of_date, when)
    nato = nato_member(country, date_start)
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
    if weapon in NOT_WEAPONS and kind in ("impact", "strike_on_building"):
        # a balloon that comes down, or debris of an unknown object, hit nothing as a weapon
        kind = (
            "debris_found"
            if re.search(r"\bfound|discovered|recovered", body, re.I)
            else ("airspace_violation")
        )
    if weapon in NOT_WEAPONS:
        exploded = None
    if kind in ("impact", "strike_on_building", "attack_near_border") and exploded:
        event_type = "Explosions/Remote violence"
        sub = "Air/drone strike" if is_drone is not False else "Shelling/artillery/missile attack"
    elif kind == "shoot_down":
        event_type, sub = "Strategic developments", "Disrupted weapons use"
    else:
        event_type, sub = "Strategic developments", "Other"
    lon, lat, precision_m = place.lon, place.lat, _precision_m(place, event)
    offset = next(
        (
            found
            for o in place.occurrences
            if o.site and (found := offset_before(text, o.start)) is not None
        ),
        None,
    )
    if offset is not None and lon is not None:
        lon, lat, precision_m = apply_offset(lon, lat, precision_m, offset)
    location = place.name
    where = f"in {location}" if place.type in ("country", "region") else f"at {location}"
    claims = claims_of(
        event, statements, places, kind, where, dates, sentence_spans, published, text, only=only
    )
    if not claims and published is not None:
        # no party's statement: the report itself is the claim (the seeds need one)
        claims = [
            {
                "date": published,
                "actor": source.get("publisher")
                if source.get("publisher") not in (None, "?")
                else "news report",
                "stance": "claimed",
                "summary": f"reported {KIND_PHRASE.get(kind)} {where}",
            }
        ]
    year = (date_start or published).year if (date_start or published) else 0
    clock = clock_time(body)
    record = {
        "event_id_cnty": f"{country or 'XXX'}-{year:04d}-{9000 + number:04d}",
        "event_date": (
            date_end
            if undated
            or (date_start and (date_end - date_start).days == 1 and not _evening(body, date_start))
            else date_start
        ),
        "date_start": date_start,
        "date_end": date_end,
        "time_precision": (
            min(3, time_precision(date_start, date_end, precision) + bool(article_phrase))
            if when
            else 3
        ),
        "event_time": clock[0] if clock else None,
        "event_time_end": clock[1] if clock else None,
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
        "latitude": None if lat is None else round(lat, 5),
        "longitude": None if lon is None else round(lon, 5),
        # 2 ("near") at least when the reported site is not in the gazetteers
        "geo_precision": max(
            (1, 2, 3, 3)[TYPE_RANK.get(place.type, 0)], 1 + bool(event.unresolved)
        ),
        "precision_m": round(precision_m, 1),
        "geocoding": {
            "source": place.source or "none",
            "ref": place.ref,
            "note": _geocoding_note(place, event) or None,
        },
        "claims": claims,
        "evidence_strength": evidence_strength(claims, body),
        "injuries": injuries,
        "fatalities": fatalities,
        "sources": [source],
        "notes": _notes(
            kind,
            where,
            weapon,
            count,
            downed,
            event,
            published,
            phrase,
            bool(article_phrase),
            _time_of_day(body),
            offset,
            border_offsets(body),
            undated,
        ),
        "tags": ["draft", "extracted"],
    }
    if event_type == "Explosions/Remote violence" and record["event_date"] is None:
        record["event_date"] = date_start
    if record["geocoding"]["note"] is None:
        del record["geocoding"]["note"]
    return {k: v for k, v in record.items() if v is not None}


#: An event the article does not date lies within this many days before its publication.
UNDATED_WINDOW_DAYS = 7

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


def _geocoding_note(place: PlaceFound, event: Event) -> str:
    parts = [place.note] if place.note else []
    if event.unresolved:
        lacking = ", ".join(p.name for p in event.unresolved)
        parts.append(
            f"reported at {lacking}, which the offline gazetteers lack; placed at {place.name}, "
            "the nearest place the article names with it"
        )
    return "; ".join(parts)


#: Time of day as reported: "18:05", "11:30 a.m.", "around 2 am", "overnight", "late on".
_TIME_OF_DAY = re.compile(
    r"\b(?:at|around|about|after|before|shortly after|until)?\s*"
    r"(?:[01]?\d|2[0-3])[:.][0-5]\d(?:\s*[ap]\.?m\.?)?(?:\s+local time)?"
    r"|\b(?:at|around|about)\s+(?:1[0-2]|[1-9])\s*[ap]\.?m\.?"
    r"|\b(?:overnight|in the early hours|early hours|early morning|late (?:on|at) night|"
    r"(?:in the|this|on \w+) (?:morning|afternoon|evening|night))\b",
    re.I,
)


_EVENING = re.compile(
    r"\b(?:1[2-9]|2[0-3])[:.][0-5]\d\b|\b(?:[1-9]|1[01])(?:[:.][0-5]\d)?\s*p\.?m\b|\bevening\b"
    r"|\blate on\b",
    re.I,
)


def _evening(body: str, first_day: dt.date | None) -> bool:
    """Whether the event's sentences put it in the evening of the first day of a night
    ("Thursday night" when the night begins on Thursday, "at 10:18 pm"): its date is then that
    day, not the next."""
    if first_day is not None and re.search(rf"\b{first_day:%A} night\b", body, re.I):
        return True
    return bool(_EVENING.search(body))


def _time_of_day(body: str) -> str | None:
    """The first time of day the event's sentences give ("18:05", "overnight"), if any."""
    found = _TIME_OF_DAY.search(body)
    return " ".join(found.group().split()) if found else None


def _phrase_of(event, dates, statement_only, sentence_of_date, when) -> str | None:
    """The date phrase of the event's sentences that gave the record its dates."""
    if when is None:
        return None
    for n, mention in enumerate(dates):
        if n in statement_only or sentence_of_date[n] not in event.sentences:
            continue
        if (mention.date_start, mention.date_end) == tuple(when[:2]):
            return mention.text
    return next((m.text for m in dates if (m.date_start, m.date_end) == tuple(when[:2])), None)


def _notes(
    kind, where, weapon, count, downed, event, published, phrase, fallback, time_of_day,
    offset, from_border, undated=False,
) -> str:  # fmt: skip
    parts = [f"Draft: {KIND_PHRASE.get(kind)} {where}"]
    if offset is not None:
        parts.append(f"reported {offset.text} {event.place.name}")
    for found in from_border:
        parts.append(f"reported {found.text}")
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
    if phrase and fallback:
        parts.append(f"dated by the article's incident date phrase '{phrase}'")
    elif phrase:
        parts.append(f"dated by '{phrase}'")
    if undated:
        parts.append(
            f"the article gives no date: dated by its publication ({published}), the latest "
            f"possible day, within {UNDATED_WINDOW_DAYS} days before it"
        )
    if time_of_day:
        parts.append(f"time of day: {time_of_day}")
    if published is None:
        parts.append("no publication date: relative dates unresolved")
    return "; ".join(parts) + ". Extracted automatically; check every field against the source."
