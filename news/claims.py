"""Claims and denials, and who made them.

A sentence is a statement when it has a verb of saying, denying or confirming. Its stance is
the strongest such verb (denied > confirmed > attributed > claimed), and its actor the noun
phrase that does the saying: before the verb ("Romania's defence ministry categorically
denies", "Kyiv's Foreign Ministry spokesman Oleg Nikolenko has said"), after it ("said
Nikolenko"), or after "according to". Pronouns ("it added", "he said") take the actor of the
previous statement.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from incidentmap.news.tokens import Token

__all__ = ["Statement", "find_statements", "STANCE_VERBS"]

STANCE_VERBS: dict[str, re.Pattern] = {
    "denied": re.compile(
        r"^(?:denies|denied|deny|denying|rejects|rejected|refutes|refuted|dismissed|disputed|"
        r"countered)$",
        re.I,
    ),
    "retracted": re.compile(r"^(?:retracted|retracts|withdrew)$", re.I),
    "confirmed": re.compile(
        r"^(?:confirms|confirmed|verified|acknowledged|admitted|admits)$", re.I
    ),
    "attributed": re.compile(r"^(?:blamed|blames|accused|accuses|attributed)$", re.I),
    "claimed": re.compile(
        r"^(?:said|says|say|claims|claimed|claiming|told|wrote|reported|cited|stated|announced|added|"
        r"recorded|revealed|warned|described|noted|assured|informed|emphasized|emphasised|"
        r"insisted|explained)$",
        re.I,
    ),
}
_ORDER = ["denied", "retracted", "confirmed", "attributed", "claimed"]
_ACTOR_WORDS = frozenset(
    """foreign defence defense ministry ministries spokesman spokesperson spokeswoman minister
    state border service guard guards officials official authorities government president
    prime chancellor secretary general colonel governor ambassador office army command forces
    air force military the of its his her their ukrainian russian romanian polish nato senior
    local national lawmaker embassy""".split()
)
_AUXILIARIES = frozenset(
    """has have had also later repeatedly categorically similarly already publicly again then
    initially first earlier previously officially strongly swiftly quickly""".split()
)
_PRONOUNS = frozenset("it he she they we i this that which who".split())
_LEADING = frozenset("while however but and as after when although though so yet".split())
_PREPOSITIONS = frozenset("to in from at of for with on by".split())


def _is_pronoun(actor: str | None) -> bool:
    return actor is not None and actor.lower().replace("’s", "").replace("'s", "") in _PRONOUNS


class Statement(NamedTuple):
    """One statement: who, which stance, where in the text, and its sentence."""

    actor: str
    stance: str
    sentence: int
    verb: str
    start: int


def _actor_before(tokens: list[Token], k: int) -> str | None:
    """The noun phrase that ends right before the verb at token ``k``."""
    j = k - 1
    while j >= 0 and tokens[j].lower in _AUXILIARIES and tokens[j].sentence == tokens[k].sentence:
        j -= 1
    end = j
    while j >= 0 and tokens[j].sentence == tokens[k].sentence:
        t = tokens[j]
        if t.joiner.strip() not in ("", "-", "'", "’", "'s", "’s") and j != end:
            break
        if t.lower in ("for", "of") and j > 0 and tokens[j - 1].lower in _ACTOR_WORDS:
            j -= 1  # "the spokesman for Russian President Vladimir Putin"
            continue
        if not (t.capitalised or t.lower in _ACTOR_WORDS or t.possessive):
            break
        j -= 1
    if (
        j >= 1
        and tokens[j].lower in ("citing", "quoting")
        and tokens[j].sentence == tokens[k].sentence
        and tokens[j - 1].joiner.strip() == ","
    ):
        # "the Ukrainian Foreign Ministry, citing the State Border Guard Service, said": the
        # speaker is the one before the aside
        return _actor_before(tokens, j)
    words = tokens[j + 1 : end + 1]
    while words and (words[0].lower in _LEADING or words[0].lower == "the"):
        words = words[1:]
    if not words:
        return None
    if j >= 0 and tokens[j].lower in _PREPOSITIONS and tokens[j].sentence == tokens[k].sentence:
        return _sentence_subject(tokens, tokens[k].sentence, k)  # "... a visit to Kazakhstan,"
    return _join(words)


def _sentence_subject(tokens: list[Token], sentence: int, limit: int) -> str | None:
    """The first capitalised run of the sentence, up to the first comma."""
    words = [t for t in tokens[:limit] if t.sentence == sentence]
    picked: list[Token] = []
    for t in words:
        if not picked and (t.lower in _LEADING or not t.capitalised):
            continue
        if not (t.capitalised or t.lower in _ACTOR_WORDS or t.possessive):
            break
        picked.append(t)
        if t.joiner.strip() not in ("", "-"):
            break
    return _join(picked) if picked else None


def _actor_after(tokens: list[Token], k: int) -> str | None:
    j = k + 1
    words = []
    while j < len(tokens) and tokens[j].sentence == tokens[k].sentence and tokens[j].capitalised:
        words.append(tokens[j])
        if tokens[j].joiner.strip():
            break
        j += 1
    return _join(words) if words else None


def _join(words: list[Token]) -> str:
    out = ""
    for n, t in enumerate(words):
        out += t.text + ("’s" if t.possessive else "")
        if n + 1 < len(words):
            out += "-" if t.joiner.strip() == "-" else " "
    return out


def find_statements(tokens: list[Token]) -> list[Statement]:
    """Every statement in the article, in text order (see the module docstring)."""
    out: list[Statement] = []
    by_sentence: dict[int, list[Token]] = {}
    for t in tokens:
        by_sentence.setdefault(t.sentence, []).append(t)
    previous_actors: list[str] = []
    for sentence, words in by_sentence.items():
        best = None
        aside_end = _as_reported_aside(words)
        for t in words:
            if t.start < aside_end:
                continue  # "As Ukrainian News Agency earlier reported, ...": the source
            for rank, stance in enumerate(_ORDER):
                if STANCE_VERBS[stance].match(t.text):
                    if best is None or rank < best[0]:
                        best = (rank, stance, t)
                    break
        lowered_words = [w.lower for w in words]
        if best is None and "according" in lowered_words:
            at = lowered_words.index("according")
            best = (len(_ORDER), "claimed", words[at])
        if best is None:
            continue
        _, stance, verb = best
        actor = None
        lowered = [w.lower for w in words]
        if "according" in lowered:
            at = lowered.index("according")
            if at + 1 < len(words) and words[at + 1].lower == "to":
                actor = _actor_after_phrase(words, at + 2)
        if actor is None:
            actor = _actor_before(tokens, verb.index)
        if actor is None or _is_pronoun(actor):
            after = _actor_after(tokens, verb.index)
            if after is not None:
                actor = after
        if actor is None or _is_pronoun(actor):
            actor = previous_actors[-1] if previous_actors else None
            if stance == "claimed" and out and out[-1].actor == actor:
                stance = out[-1].stance  # "it added": goes on in the same vein
        if actor is None:
            continue
        if stance == "claimed":
            stance = _stance_of_content(words, verb)
        if " " not in actor and actor.islower():  # "the ministry": the last one named
            actor = _named_before(tokens, words[0].index, actor) or actor
        previous_actors.append(actor)
        out.append(Statement(actor, stance, sentence, verb.text, verb.start))
        second = _second_statement(tokens, words, verb, stance, sentence)
        if second is not None:
            previous_actors.append(second.actor)
            out.append(second)
    return out


_CLAUSE_START = frozenset("when while but whereas after before until".split())


def _as_reported_aside(words: list[Token]) -> int:
    """End offset of a leading "As X (earlier) reported," aside, or 0: its verb names where
    the news came from; the statement is the one after it."""
    if not words or words[0].lower != "as":
        return 0
    for n, t in enumerate(words[:8]):
        if t.joiner.strip().startswith(","):
            if n >= 2 and STANCE_VERBS["claimed"].match(t.text) and n + 1 < len(words):
                return words[n + 1].start
            return 0
    return 0


def _second_statement(tokens, words, verb, stance, sentence) -> Statement | None:
    """Another party's statement in a later clause of the same sentence: "Bucharest initially
    denied the report, only to change their statement on Sept. 6, when Romanian Defense
    Minister Angel Tilvar confirmed that ..."."""
    later = [w for w in words if w.start > verb.start]
    for n, w in enumerate(later):
        if w.lower not in _CLAUSE_START or n == 0 or later[n - 1].joiner.strip() != ",":
            continue
        for t in later[n + 1 : n + 12]:
            other = next((st for st in _ORDER if STANCE_VERBS[st].match(t.text)), None)
            if other is None or other == stance or other == "claimed":
                continue
            actor = _actor_before(tokens, t.index)
            if actor and not _is_pronoun(actor):
                return Statement(actor, other, sentence, t.text, t.start)
            break
    return None


# What is said can make "said" a denial or an attribution: "assured journalists that no
# drone had reached Romania", "described the incident as a provocation by Russia".
_DENIAL_CONTENT = re.compile(
    r"\b(?:no|not|never|nothing)\b(?:\W+\w+){0,6}?\W+(?:drones?|missiles?|debris|fragments?|"
    r"parts?|objects?|fell|fallen|reached|crossed|violat\w*|entered|hit|struck)\b",
    re.I,
)
_BLAME_CONTENT = re.compile(r"\bprovo(?:cation|king|ked)\b|\bdeliberate\b", re.I)


def _stance_of_content(words: list[Token], verb: Token) -> str:
    after = " ".join(t.text for t in words if t.start > verb.start)
    if _DENIAL_CONTENT.search(after):
        return "denied"
    if _BLAME_CONTENT.search(" ".join(t.text for t in words)):
        return "attributed"
    return "claimed"


def _named_before(tokens: list[Token], before: int, word: str) -> str | None:
    """The phrase ending in the last capitalised ``word`` before token ``before``."""
    for k in range(before - 1, -1, -1):
        if tokens[k].lower == word and tokens[k].capitalised:
            return _actor_before(tokens, k + 1) if k + 1 < len(tokens) else None
    return None


def _actor_after_phrase(words: list[Token], start: int) -> str | None:
    picked = []
    for t in words[start:]:
        if not (t.capitalised or t.lower in _ACTOR_WORDS or t.possessive):
            break
        picked.append(t)
        if t.joiner.strip() not in ("", "-"):
            break
    return _join(picked) if picked else None
