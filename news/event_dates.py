"""The dates of an incident: from the date phrases of the sentences that tell of it.

A phrase that dates a statement ("said on Monday") dates no event; the date line dates the
publication. What the record keeps: the day range, its precision, and the phrase it came from.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from incidentmap.news.dates import DateMention
from incidentmap.news.events import tells_of_incident

__all__ = ["event_dates", "sentence_dates", "statement_dates", "time_precision"]

_SPEECH_BEFORE_DATE = re.compile(
    r"\b(?:said|says|told|stated|announced|issued|wrote|reported|statement|added|warned|"
    r"confirmed|confirms|denied|denies|claimed|claims|rejected|refuted)"
    r"\W+(?:\w+\W+){0,3}$",
    re.I,
)


def statement_dates(text: str, dates: list[DateMention]) -> set[int]:
    """Indices of date mentions that date a statement ("said on Monday"), not an event."""
    out = set()
    for n, mention in enumerate(dates):
        before = re.split(r"[.!?\n]", text[max(0, mention.start - 40) : mention.start])[-1]
        if _SPEECH_BEFORE_DATE.search(before):
            out.add(n)
    return out


def sentence_dates(text, dates, spans, dateline_span) -> dict[int, set[tuple]]:
    """The day ranges of event dates (not of statements nor of the date line), by sentence."""
    statement_only = statement_dates(text, dates)
    out: dict[int, set[tuple]] = {}
    for n, mention in enumerate(dates):
        if n in statement_only or mention.date_start is None:
            continue
        if dateline_span and mention.start < dateline_span[1] and dateline_span[0] < mention.end:
            continue
        sentence = next((k for k, (_a, b) in enumerate(spans) if mention.start < b), len(spans) - 1)
        out.setdefault(sentence, set()).add((mention.date_start, mention.date_end))
    return out


def event_dates(
    event,
    dates,
    statement_only,
    sentence_of_date,
    sentence_text,
    site_sentences,
    dateline_span,
    other_events: set[int] | None = None,
):
    """(date_start, date_end, precision, phrase or None) of an event, or None.

    From the date phrases of the event's sentences (the most frequent range); else of the next
    two sentences that tell of an incident; else the article's incident date phrase (the first
    date, not of a statement nor of the date line, in a sentence that tells of an incident),
    whose text is returned as the fourth item so that the record can say so.
    """
    # The sentences that name the event's own site first, then those of the places folded
    # into it ("On Sept. 9, ... at Plauru" is not dated by "overnight on Sept. 4 ... Romanian
    # soil" two sentences before).
    own = {o.sentence for o in event.place.occurrences if o.site} & set(event.sentences)
    for sentences in (own, event.sentences):
        ranges = Counter()
        for n, mention in enumerate(dates):
            if n in statement_only or mention.date_start is None:
                continue
            if (
                dateline_span
                and mention.start < dateline_span[1]
                and dateline_span[0] < mention.end
            ):
                continue
            if sentence_of_date[n] in sentences:
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
            if tells_of_incident(sentence_text[nxt]):
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
    # The article's incident date phrase, but not one of a sentence that tells of another
    # incident site ("Following a drone attack overnight on Sept. 4, ... on Romanian soil"
    # dates that attack, not the debris found near Nufărul).
    known = set(other_events) if other_events is not None else set(site_sentences)
    others = known - set(event.sentences)
    for n, mention in enumerate(dates):
        if n in statement_only or mention.date_start is None:
            continue
        if dateline_span and mention.start < dateline_span[1] and dateline_span[0] < mention.end:
            continue
        if sentence_of_date[n] in others:
            continue
        if tells_of_incident(sentence_text[sentence_of_date[n]]):
            return mention.date_start, mention.date_end, mention.precision, mention.text
    # Else the day of the report that tells of it, in a sentence of its own or the lead
    # ("discovered suspected drone fragments ..., the minister reported on Sept. 13"): the
    # find was reported that day.
    lead = 1  # the headline and the first sentence
    for n, mention in enumerate(dates):
        if n not in statement_only or mention.date_start is None:
            continue
        sentence = sentence_of_date[n]
        if sentence in others or not (sentence in event.sentences or sentence <= lead):
            continue
        if mention.date_start == mention.date_end and tells_of_incident(sentence_text[sentence]):
            return mention.date_start, mention.date_end, mention.precision, mention.text
    return None


def time_precision(start: dt.date, end: dt.date, precision: str) -> int:
    days = (end - start).days
    if precision == "day" and days <= 2:
        return 1
    if days <= 10:
        return 2
    return 3
