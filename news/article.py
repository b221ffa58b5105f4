"""The whole extraction of one article: places, sites, dates, statements and draft records.

Usage::

    from incidentmap.news import extract_file
    result = extract_file("article.txt", published=datetime.date(2023, 9, 4))
    result.places[0].name, result.records[0]["kind"]
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
from dataclasses import dataclass, field, replace

from incidentmap.geo.geocoding import Geocoder, default_geocoder
from incidentmap.geo.geocoding.names import fold
from incidentmap.news.claims import Statement, find_statements
from incidentmap.news.dates import DateMention, find_dates
from incidentmap.news.event_dates import sentence_dates
from incidentmap.news.events import Event, tells_of_incident
from incidentmap.news.filters import LOCATIVES, MONTHS_AND_DAYS, Rejected, filter_candidates
from incidentmap.news.lexicon import (
    ACRONYMS,
    CONTINENTS,
    DEMONYMS,
    ORG_HEADS,
    STOP_WORDS,
    TITLES,
    country_names,
)
from incidentmap.news.located import located_by_offset, located_near
from incidentmap.news.matcher import Candidate, Gazetteer, gazetteer_for
from incidentmap.news.places import PlaceFound, collect_places, place_key_and_resolution
from incidentmap.news.records import build_record, group_events, nato_member
from incidentmap.news.resolve import article_context
from incidentmap.news.sites import classify_sites
from incidentmap.news.text import (
    Article,
    check_article_text,
    dateline,
    load_article,
    strip_dateline,
    wire_dateline,
)
from incidentmap.news.tokens import Token, sentence_spans, tokenize

__all__ = ["Extraction", "extract_article", "extract_file"]

logger = logging.getLogger(__name__)

# "the village of Nufarul", "near Plaur", "at the Gaižiūnai training ground": a capitalised
# name after these is looked up even if the gazetteer has no exact entry (transliterations,
# Romanian articles, small villages); if it stays unknown it is listed as unresolved.
_PLACE_INTRO = re.compile(
    r"\b(?:villages?|towns?|city|communes?|hamlet|settlements?|port|locality|localities|area|"
    r"vicinity) of\s+(?:the\s+)?$"
    r"|\b(?:near|outside|in|at)\s+(?:the\s+)?$",
    re.I,
)
# After the weaker cues "in" and "at" a capitalised word is often not a place ("in English",
# "at Reuters", "in May"): such words are skipped.
_WEAK_INTRO = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)
_ADJECTIVE_ENDING = re.compile(r"(?:ish|ese|ian|ians|ic|ean)$")


_VILLAGE_INTRO = re.compile(r"\b(?:village|hamlet)\s+of\s+(?:the\s+)?$", re.I)


@dataclass
class Extraction:
    """What :func:`extract_article` found in one article."""

    path: str | None
    published: dt.date | None
    places: list[PlaceFound]
    records: list[dict]
    dates: list[DateMention]
    statements: list[Statement]
    rejected: list[Rejected] = field(default_factory=list)
    seconds: float = 0.0

    def as_dict(self) -> dict:
        """The command's output: records (seeds schema), places and dates."""
        return {
            "article": self.path,
            "published": self.published,
            "records": self.records,
            "places": [p.as_dict() for p in self.places],
            "dates": [
                {
                    "text": m.text,
                    "date_start": m.date_start,
                    "date_end": m.date_end,
                    "precision": m.precision,
                }
                for m in self.dates
            ],
        }


def _not_a_place_word(word: str) -> bool:
    key = fold(word)
    return (
        key in STOP_WORDS
        or key in MONTHS_AND_DAYS
        or key in ORG_HEADS
        or key in TITLES
        or key in ACRONYMS
        or key in CONTINENTS
        or word in DEMONYMS
        or key in country_names()
    )


def _unknown_names(text: str, tokens: list[Token], taken: list[Candidate]) -> list[Candidate]:
    """Capitalised names right after "village of", "near", "at the" ... that the gazetteer
    missed (see :data:`_PLACE_INTRO`)."""
    covered = set()
    for c in taken:
        covered.update(range(*c.tokens))
    out = []
    for t in tokens:
        if not t.capitalised or t.index in covered or t.text.isupper() or len(t.text) < 3:
            continue
        before = text[max(0, t.start - 30) : t.start]
        if not _PLACE_INTRO.search(before):
            continue
        end = t.index + 1
        while (
            end < len(tokens)
            and tokens[end].capitalised
            and end not in covered
            and not tokens[end - 1].possessive
            and tokens[end - 1].joiner in (" ", "-")
            and end - t.index < 3
        ):
            end += 1
        run = tokens[t.index : end]
        if any(r.possessive or _not_a_place_word(r.text) for r in run):
            continue
        if end < len(tokens) and tokens[end].capitalised and fold(tokens[end].text) in ORG_HEADS:
            continue  # "at Jonava Regional Hospital" is not a place named "Jonava Regional"
        if _WEAK_INTRO.search(before) and len(run) == 1 and _ADJECTIVE_ENDING.search(t.text):
            continue  # "in English", "in Bulgarian"
        last = run[-1]
        surface = text[t.start : last.end]
        out.append(
            Candidate(
                surface,
                t.start,
                last.end,
                (t.index, end),
                "unknown",
                fold(surface),
                fold(surface),
                t.sentence,
            )  # fmt: skip
        )
    return out


def _locative(tokens: list[Token], c: Candidate) -> bool:
    k = c.tokens[0] - 1
    if k >= 0 and tokens[k].lower == "the":
        k -= 1
    if k < 0:
        return False
    if tokens[k].lower in LOCATIVES:
        return True
    return c.kind == "unknown"


def extract_article(
    text: str,
    *,
    published: dt.date | None = None,
    path: str | None = None,
    geocoder: Geocoder | None = None,
    gazetteer: Gazetteer | None = None,
    title: str | None = None,
    publisher: str | None = None,
) -> Extraction:
    """Extract places, incident sites, dates, statements and draft records from ``text``.

    Parameters
    ----------
    text
        The article (checked: see :func:`incidentmap.news.text.check_article_text`).
    published
        Publication date, against which relative dates ("on Saturday") are resolved.
    path
        Where the article came from, cited in the records' ``sources``.
    geocoder, gazetteer
        Defaults: :func:`~geo.geocoding.default_geocoder` and the gazetteer over its sources.
    title, publisher
        For the records' source (default: the first line of the text, and "?").
    """
    started = time.perf_counter()
    text = check_article_text(text, where=path or "text")
    geocoder = geocoder or default_geocoder()
    gazetteer = gazetteer or gazetteer_for(geocoder)
    spans = sentence_spans(text)
    tokens = tokenize(text, spans)
    candidates = gazetteer.find(text, tokens)
    candidates = sorted(
        candidates + _unknown_names(text, tokens, candidates), key=lambda c: c.start
    )
    kept, rejected = filter_candidates(candidates, tokens, text)
    context = article_context(kept)
    cache: dict = {}
    resolved: list[tuple[Candidate, PlaceFound]] = []
    for c in kept:
        found = place_key_and_resolution(
            c,
            kept,
            tokens,
            context,
            geocoder,
            cache,
            locative=_locative(tokens, c),
            called_village=bool(_VILLAGE_INTRO.search(text[max(0, c.start - 30) : c.start])),
        )
        if found is None:
            rejected.append(Rejected(c, "not-in-context"))
        else:
            resolved.append((c, found))
    kept = [c for c, _ in resolved]
    calls = classify_sites(kept, tokens)
    places = collect_places(kept, [f for _, f in resolved], calls)
    places = [located_by_offset(p, places, text) for p in places]
    places = [located_near(p, places, text) for p in places]
    dates = find_dates(text, published)
    statements = find_statements(tokens)
    headline = title or _headline(text)
    source = {
        "publisher": publisher or "?",
        "date": published,
        "title": headline[:120],
        "url": None,
        "ref": path,
    }
    found_dateline = dateline(text)
    dateline_span = found_dateline[1:] if found_dateline else wire_dateline(text)
    events = group_events(places, sentence_dates(text, dates, spans, dateline_span))
    if not events:
        events = _country_told_of(places, text, spans, published)
    logger.debug("events: %s", [(e.place.name, sorted(e.sentences)) for e in events])
    records = [
        build_record(
            event,
            n + 1,
            text=text,
            sentence_spans=spans,
            dates=dates,
            statements=statements,
            places=places,
            published=published,
            source=source,
            dateline_span=dateline_span,
            other_events={s for other in events if other is not event for s in other.sentences},
            only=len(events) == 1,
        )
        for n, event in enumerate(events)
    ]
    records = _without_background(records, events)
    seconds = time.perf_counter() - started
    logger.info(
        "%s: %d places (%d sites), %d records, %d dates in %.3f s",
        path or "text",
        len(places),
        sum(p.incident_site for p in places),
        len(records),
        len(dates),
        seconds,
    )
    return Extraction(path, published, places, records, dates, statements, rejected, seconds)


def _country_told_of(places, text, spans, published) -> list[Event]:
    """When no place is a site: one event in the NATO country the article's incident
    sentences name most ("Romania scrambled two F-16 jets after a drone entered its
    airspace"), so that a short report still gives a draft (at country precision)."""
    told = {n for n, (a, b) in enumerate(spans) if tells_of_incident(text[a:b])}
    best, best_sentences = None, set()
    for place in places:
        if place.type != "country" or not nato_member(place.country, published):
            continue
        sentences = {o.sentence for o in place.occurrences} & told
        if len(sentences) > len(best_sentences):
            best, best_sentences = place, sentences
    if best is None:
        return []
    note = "no site named: the country the article's incident sentences name"
    return [Event(replace(best, note="; ".join(x for x in (best.note, note) if x)), best_sentences)]


def _without_background(records: list[dict], events) -> list[dict]:
    """Drop records placed only at a non-member country ("during Russia's attack on Ukraine",
    "entered from Belarus") when the article has a record on NATO territory or at a town: that
    is the background of the incident, not another one. The place stays in ``places``."""

    def background(record: dict, event) -> bool:
        return event.place.type == "country" and not nato_member(
            record.get("country"), record.get("date_start")
        )

    pairs = list(zip(records, events, strict=True))
    if all(background(r, e) for r, e in pairs):
        return records
    return [r for r, e in pairs if not background(r, e)]


def _headline(text: str) -> str:
    """The first line with words besides a date line, cut at a word before 120 characters."""
    lines = (strip_dateline(line.strip()) for line in text.splitlines()[:4] if line.strip())
    first = next((line for line in lines if line.strip()), "")
    if len(first) > 120:
        first = first[:120].rsplit(" ", 1)[0] + " …"
    return first


def extract_file(path, *, published: dt.date | None = None, **options) -> Extraction:
    """:func:`extract_article` on a file read by :func:`incidentmap.news.text.load_article`."""
    article: Article = load_article(path, published=published)
    return extract_article(article.text, published=article.published, path=article.path, **options)
