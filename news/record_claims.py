"""Claims of a draft record: the statements about this incident, with who, stance and when.

A statement belongs to the incident of the sentence it is made in, or to the incident whose
place it names in a sentence that tells of an incident (or denies or confirms one), or to the
incident told of in the two sentences before, when those name no other incident site.
"""

from __future__ import annotations

import datetime as dt
import re

from incidentmap.geo.geocoding.names import fold
from incidentmap.news.claims import Statement
from incidentmap.news.dates import DateMention
from incidentmap.news.lexicon import NEWS_AGENCIES
from incidentmap.news.sites import INCIDENT_CUE

__all__ = ["KIND_PHRASE", "claims_of", "evidence_strength"]

KIND_PHRASE = {
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

# Words that make a statement naming the place relevant to the incident.
_INCIDENT_NOUNS = frozenset(
    "drone drones missile missiles uav uavs airspace debris fragments wreckage incursion".split()
)


def claims_of(
    event, statements, places, kind, where, dates, spans, published, text, *, only=False
) -> list[dict]:
    """Statements about this incident: made in its sentences; or naming its place in a sentence
    that tells of an incident or denies or confirms; or in the next two sentences, when those
    tell of an incident and name no other incident site; or, when it is the article's ``only``
    incident, in any sentence that tells of an incident and names no other site ("Defence
    Minister Angel Tilvar admitted ... that the wreckage of a drone was found")."""
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
            (st.sentence in near or only)
            and st.sentence not in other_sites
            and (
                tells_of_incident(st.sentence)
                or (st.sentence in near and st.stance in ("denied", "confirmed", "retracted"))
            )
        ):
            # a denial or confirmation right after the incident is about it ("Bucharest
            # denied the report on Monday."), even without an incident word
            picked.append(st)
    out = []
    seen: dict[tuple[str, str], int] = {}
    for st in picked:
        actor = st.actor.replace("’", "'")
        if fold(actor) in NEWS_AGENCIES:
            continue  # "PAP reported": the source, not a party to the incident
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
                "summary": f"{_STANCE_VERB[st.stance]} {KIND_PHRASE.get(kind)} {where}",
            }
        )
    return sorted(out, key=lambda c: c["date"] or dt.date.max)


def _statement_date(st: Statement, dates: list[DateMention], spans) -> dt.date | None:
    a, b = spans[st.sentence]
    for mention in dates:
        if a <= mention.start < b and mention.date_start == mention.date_end and mention.date_start:
            return mention.date_start
    return None


def evidence_strength(claims: list[dict], body: str) -> int:
    stances = {c["stance"] for c in claims}
    actors = {c["actor"] for c in claims if c["stance"] in ("claimed", "confirmed", "attributed")}
    if "confirmed" in stances and re.search(r"debris|fragment|wreck|serial", body, re.I):
        return 3
    if "confirmed" in stances or len(actors) >= 2:
        return 2
    return 1 if claims else 0
