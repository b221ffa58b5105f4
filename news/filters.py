"""Rules that drop gazetteer matches which are not places in this text.

A gazetteer of 200 k places knows "Post" (Texas), "Council" (Idaho), "Dan" (Israel) and
"Mark" (Scotland); the rules below decide from the text around a match. Each rule has a name,
reported with every dropped match (:class:`Rejected`), so a curator can see why.

Rules, in order
---------------
``short``        a name of one or two letters ("I", "A").
``acronym``      an all-caps token such as NATO or RAF, and any all-caps word of at most five
                 letters (PAP, IAR, ISW, airport codes) outside a date line.
``month``        a month or weekday name ("May", "Aug", "Thursday").
``common-word``  a one-word match that is a common English word, or that the article itself
                 also writes in lower case ("Post", "Share", "Western").
``person``       part of a person's name: after a title ("President Nicusor Dan", "spokesman
                 Oleg Nikolenko"), before a role (", governor of"), a name that says or tells
                 ("Dmitry Peskov told"), or a word already seen in such a name ("President Dan",
                 "Putin said").
``name-part``    a place name that covers only part of a run of capitalised words that is not
                 itself a place ("Mark Rutte", "Ukrainska Pravda", "North Atlantic Council");
                 an acronym or a place word next to it does not count ("RAF Coningsby").
``person-name``  a given name that is also a place (Dan, Maxim, Victoria ...), unless a
                 locative word stands right before it ("in Victoria").
``kicker``       a word before a colon that opens a line or a sentence ("Media: Missile debris
                 found", "Update: ..."), and a title after "via" or "by" that starts with
                 "The" ("via The Hill"): a label or a publication, not a place.
Countries, demonyms, regions and waters are subject only to ``person`` (a demonym inside a
person's run is kept: "Romanian Foreign Minister Oana Toiu" still names Romania).
Whether a remaining town name is plausible at all (is it in a country the article talks about?)
is decided when it is resolved (:mod:`incidentmap.news.resolve`).
"""

from __future__ import annotations

import logging
import re
from typing import NamedTuple

from incidentmap.geo.geocoding.names import fold
from incidentmap.news.lexicon import (
    ACRONYMS,
    ORG_HEADS,
    PERSON_PLACE_NAMES,
    REGION_WORDS,
    STOP_WORDS,
    STRONG_TITLES,
    TITLES,
)
from incidentmap.news.matcher import Candidate
from incidentmap.news.tokens import Token

__all__ = ["Rejected", "filter_candidates", "person_tokens", "capitalised_runs", "LOCATIVES"]

logger = logging.getLogger(__name__)

MONTHS_AND_DAYS = frozenset(
    """january february march april may june july august september october november december
    jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday friday
    saturday sunday""".split()
)
#: Words that, right before a name, say it is a place.
LOCATIVES = frozenset("in near at outside over into around above across from via".split())
_PLACE_NOUNS = frozenset(
    "village town city port commune municipality district region county oblast island river "
    "sea lake base airbase airport villages towns communes settlements localities area "
    "vicinity".split()
)
#: Place nouns after a name that make it a place: "Nufărul and Victoria towns".
_PLACE_NOUNS_AFTER = frozenset("village villages town towns commune communes settlements".split())
_SPEECH_VERBS = frozenset(
    """said says told wrote added warned stated announced noted argued insisted claimed
    explained confirmed denied emphasised emphasized described called urged replied""".split()
)
_NAME_CONNECTORS = frozenset("von van der den de da di del la le bin al".split())
_JOIN = re.compile(r"^(?: |-|‑)$")


class Rejected(NamedTuple):
    """A match the rules dropped, and which rule."""

    candidate: Candidate
    rule: str


def capitalised_runs(tokens: list[Token]) -> list[tuple[int, int]]:
    """[start, end) token ranges of runs of capitalised words joined by a space or hyphen.

    Name particles (von, der, de ...) may stand inside a run.
    """
    runs = []
    i = 0
    while i < len(tokens):
        if not tokens[i].capitalised:
            i += 1
            continue
        j = i + 1
        while j < len(tokens):
            previous = tokens[j - 1]
            if previous.possessive or not _JOIN.match(previous.joiner):
                break
            word = tokens[j]
            if word.capitalised:
                j += 1
                continue
            if word.lower in _NAME_CONNECTORS and j + 1 < len(tokens) and tokens[j + 1].capitalised:
                j += 1
                continue
            break
        runs.append((i, j))
        i = j
    return runs


def person_tokens(tokens: list[Token], runs: list[tuple[int, int]]) -> set[int]:
    """Indices of tokens that are part of people's names (see ``person`` in the module doc)."""
    people: set[int] = set()
    for start, end in runs:
        folded = [fold(tokens[k].text) for k in range(start, end)]
        if folded[-1] in REGION_WORDS or folded[-1] in ORG_HEADS:
            continue  # "Hrubieszów County said", "the Joint Forces Command"
        titles = [k for k, word in enumerate(folded) if word in TITLES]
        name_from = None
        if titles and titles[-1] + 1 < len(folded):
            last = titles[-1]
            # "Foreign Minister Oana Toiu": after the last title; a strong title anywhere
            if any(folded[k] in STRONG_TITLES for k in titles) or last > 0:
                name_from = start + last + 1
        previous = tokens[start - 1] if start > 0 else None
        if previous is not None and not previous.capitalised and fold(previous.text) in TITLES:
            if previous.joiner == " ":
                name_from = start if name_from is None else name_from
        following = tokens[end] if end < len(tokens) else None
        last_token = tokens[end - 1]
        if following is not None and end - start >= 2:
            gap = last_token.joiner.strip()
            if gap == "" and following.lower in _SPEECH_VERBS and not titles:
                name_from = start if name_from is None else name_from
            if gap == "," and (
                fold(following.text) in TITLES
                or (
                    following.lower in ("a", "the")
                    and end + 1 < len(tokens)
                    and fold(tokens[end + 1].text) in TITLES
                )
            ):
                name_from = start if name_from is None else name_from
        if name_from is not None and name_from < end:
            if any(fold(tokens[k].text) in ORG_HEADS for k in range(name_from, end)):
                continue  # "spokesman for the State Border Guard Service"
            people.update(range(name_from, end))
    return people


#: An all-caps word this short is an acronym or a code (PAP, IAR, ISW, RFE/RL, an airport's
#: IATA or ICAO code), never a place name, unless it opens a date line ("RIGA, July 29 -").
CODE_MAX_LETTERS = 5


def _code_like(tokens: list[Token], first: int, end: int) -> bool:
    """Whether the match is made of all-caps words of at most :data:`CODE_MAX_LETTERS` letters
    (or of letters and digits: "EPWA", "A320"), outside a date line."""
    run = tokens[first:end]
    if not all(t.text.isupper() or any(ch.isdigit() for ch in t.text) for t in run):
        return False
    if not all(len(t.text) <= CODE_MAX_LETTERS for t in run):
        return False
    opens_line = first == 0 or "\n" in tokens[first - 1].joiner
    following = tokens[end - 1].joiner
    return not (opens_line and following.strip()[:1] in (",", "-", "\u2014", "\u2013", "("))


def filter_candidates(
    candidates: list[Candidate], tokens: list[Token], text: str
) -> tuple[list[Candidate], list[Rejected]]:
    """Apply the rules of the module docstring; return (kept, rejected)."""
    runs = capitalised_runs(tokens)
    run_of = {}
    for start, end in runs:
        for k in range(start, end):
            run_of[k] = (start, end)
    people = person_tokens(tokens, runs)
    person_words = {fold(tokens[k].text) for k in people}
    lower_words = {t.text for t in tokens if t.text.islower()}
    place_tokens = set()
    for c in candidates:
        if c.kind != "geonames" or (
            len(c.key) > 2 and c.key not in STOP_WORDS and c.key not in MONTHS_AND_DAYS
        ):
            place_tokens.update(range(*c.tokens))
    sentence_starts = {
        t.index for k, t in enumerate(tokens) if k == 0 or tokens[k - 1].sentence != t.sentence
    }

    kept, rejected = [], []
    for c in candidates:
        rule = _rule_for(
            c, tokens, run_of, people, person_words, lower_words, place_tokens, sentence_starts
        )
        if rule is None:
            kept.append(c)
        else:
            rejected.append(Rejected(c, rule))
            logger.debug("dropped %r at %d (%s)", c.text, c.start, rule)
    return kept, rejected


def _locative_before(tokens: list[Token], first: int, *, joined: bool = True) -> bool:
    """A locative or "village(s) of" before the name; or the name joined by "and"/"or" to
    such a name ("the villages of Nufărul and Victoria"), or before "towns"/"villages"
    ("in the area of Nufărul and Victoria towns")."""
    after = first + 1
    while after < len(tokens) and tokens[after].capitalised:
        after += 1
    if after < len(tokens) and tokens[after].lower in _PLACE_NOUNS_AFTER:
        if tokens[after].sentence == tokens[first].sentence:
            return True
    k = first - 1
    if (
        joined
        and k >= 1
        and tokens[k].lower in ("and", "or")
        and tokens[k - 1].capitalised
        and _locative_before(tokens, k - 1, joined=False)
    ):
        return True
    if k >= 0 and tokens[k].lower == "the":
        k -= 1
    if k < 0:
        return False
    word = tokens[k].lower
    if word in LOCATIVES:
        return True
    return word == "of" and k > 0 and tokens[k - 1].lower in _PLACE_NOUNS


#: Labels that open a headline or paragraph ("Media: ...", "Update: ..."); a place name
#: before a colon ("Przewodów: what we know") stays a place.
_KICKERS = frozenset(
    """media update updated photo photos video live breaking exclusive opinion analysis watch
    explainer report reports sources official war details recall background""".split()
)


def _kicker(tokens: list[Token], first: int, end: int) -> bool:
    """ "Media: ..." at the start of a line or sentence; "via The Hill", "by The Independent"."""
    last = tokens[end - 1]
    opens = first == 0 or tokens[first - 1].sentence != tokens[first].sentence
    if opens and last.joiner.strip().startswith(":") and end - first == 1:
        return tokens[first].lower in _KICKERS
    return (
        tokens[first].text == "The"
        and first > 0
        and tokens[first - 1].sentence == tokens[first].sentence
        and tokens[first - 1].lower in ("via", "by")
    )


def _rule_for(
    c, tokens, run_of, people, person_words, lower_words, place_tokens, sentence_starts
) -> str | None:
    first, end = c.tokens
    inside = range(first, end)
    words = c.key.split()
    if c.kind in ("country", "demonym", "region", "water"):
        if c.kind in ("country", "region") and all(k in people for k in inside):
            return "person"
        return None
    if len(c.key.replace(" ", "")) <= 2:
        return "short"
    if _kicker(tokens, first, end):
        return "kicker"
    if len(words) == 1 and tokens[first].text.isupper() and c.key in ACRONYMS:
        return "acronym"
    if _code_like(tokens, first, end):
        return "acronym"
    if len(words) == 1 and c.key in MONTHS_AND_DAYS:
        return "month"
    if any(k in people for k in inside):
        return "person"
    if len(words) == 1 and c.key in person_words:
        return "person"
    locative = _locative_before(tokens, first)
    if len(words) == 1 and (c.key in STOP_WORDS or tokens[first].text.lower() in lower_words):
        if not (locative and c.kind == "curated"):
            return "common-word"
    run = run_of.get(first)
    if run is not None and (run[0] < first or run[1] > end):
        rest = [k for k in range(*run) if k not in inside]
        if not all(
            _qualifies_place(tokens[k], k in place_tokens, k in sentence_starts, lower_words)
            for k in rest
        ):
            return "name-part"
    if len(words) == 1 and c.key in PERSON_PLACE_NAMES and not locative:
        return "person-name"
    return None


def _qualifies_place(
    token: Token, is_place: bool, starts_sentence: bool, lower_words: set[str]
) -> bool:
    """Whether a neighbour in the same capitalised run leaves the place reading intact."""
    word = fold(token.text)
    if word in ORG_HEADS:
        return False
    if is_place or word in REGION_WORDS or word in _PLACE_NOUNS:
        return True
    if starts_sentence and (word in STOP_WORDS or token.text.lower() in lower_words):
        return True  # "While Moscow denies ...": a capitalised first word
    return token.text.isupper() and len(token.text) > 1 and word not in ORG_HEADS
