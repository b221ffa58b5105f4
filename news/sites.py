"""Incident site or mere mention: what the words around a place say happened there.

An occurrence of a place is an incident site when, in the same sentence and within
:data:`WINDOW` words, there is an incident word (fell, crashed, detonated, debris, hit, struck,
shot down, flew, entered, violation, attack ...) and the place stands where a location stands:

* after a locative preposition: "fell **in** X", "flew **over** X", "**near** X";
* after "of" following a place noun: "territory **of** X", "airspace **of** X", "port **of** X";
* as the object of an attack: "attack **on** X", "attacked X", "targeting the X";
* as a demonym or possessive before soil, territory or airspace: "**Romanian** soil",
  "**Ukraine's** airspace";
* joined by "and"/"or" to a site: "over Poland **and** Romania".

It is a mention when it is a speaker or owner ("X said", "X's defence ministry"), a direction
("towards X", "to X"), a modifier ("Black Sea coast", "Danube port") or a container that only
qualifies another place ("Izmail **in** Ukraine's Odesa region", "Kyiv, Ukraine").
"""

from __future__ import annotations

import re
from typing import NamedTuple

from incidentmap.news.matcher import Candidate
from incidentmap.news.tokens import Token

__all__ = ["WINDOW", "SiteCall", "classify_sites", "INCIDENT_CUE"]

#: How many words either side of a place an incident word may stand.
WINDOW = 16

INCIDENT_CUE = re.compile(
    r"^(?:fell|fall|falls|falling|crash\w*|landed|detonat\w*|explod\w*|explosion\w*|impact\w*|"
    r"hit|hits|struck|strike|strikes|damag\w*|found|discovered|debris|fragment\w*|wreck\w*|"
    r"downed|downing|shot|shooting|intercept\w*|flew|flying|entered|entering|violat\w*|"
    r"incursion\w*|attack|attacks|attacked|attacking|targeting|targeted|bombing|bombed|"
    r"injur\w*|killed|wounded|crater\w*|destroy\w*|fired|firing|launched|launching|fallen|"
    r"spotted|sighted|sighting|sightings|observed|detected|recovered|hovered|hovering|came|"
    r"discovery|remains|incident|incidents|occurred|happened|tracked|disappeared|vanished)$"
)
_PREPOSITIONS = frozenset("in on over into near above at across outside inside around".split())
_OF_NOUNS = frozenset(
    """territory territories port airspace city town village centre center outskirts south
    north east west skies soil region coast waters part area suburbs district shore shores
    beach resort vicinity banks bank outskirts municipality commune county province voivodeship
    parish oblast raion villages towns communes localities settlements""".split()
)
_ATTACK_VERBS = frozenset(
    "attack attacked attacking hit struck strike targeting targeted bombed shelled".split()
)
_ATTACK_NOUNS = frozenset("attack attacks strike strikes hits bombing assault".split())
_SITE_NOUNS = frozenset(
    "soil territory airspace waters ground land territories skies cities towns villages".split()
)
_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest".split())
_STATEMENT_WORDS = frozenset(
    """said says told tells speaking spoke reporters journalists conference briefing statement
    announced added""".split()
)
_SKIPPABLE = frozenset(
    """the a an southern northern eastern western central national whole entire member
    state nato country's""".split()
)
#: A place named before one of these names a facility where drones flew or fell ("Aalborg
#: Airport", "Gaižiūnai training ground", "Valajaskoski power plant").
_FACILITIES = frozenset("airport airbase airfield base training power shipyard refinery".split())
_NOT_SITE_BEFORE = frozenset("towards toward to by from between with via".split())
_MODIFIED_NOUNS = frozenset("port coast corridor border delta basin shipping route river".split())
_SPEECH = re.compile(
    r"^(?:said|says|told|wrote|added|warned|stated|announced|noted|denied|denies|claimed|"
    r"confirmed|reported|refuted|rejected|summoned|scrambled|invoked|has|have|is|was|will)$"
)


class SiteCall(NamedTuple):
    """The decision for one occurrence: site or not, and the incident word that made it one."""

    site: bool
    cue: str | None
    reason: str


def _locative_village(tokens: list[Token], first: int) -> bool:
    """ "near the village of X", "in the town of X"."""
    return (
        first >= 3
        and tokens[first - 1].lower == "of"
        and tokens[first - 2].lower in ("village", "town", "hamlet")
        and tokens[first - 3].lower == "the"
        and first >= 4
        and tokens[first - 4].lower in _PREPOSITIONS
    )


def _cue_near(tokens: list[Token], first: int, end: int, window: int = WINDOW) -> str | None:
    sentence = tokens[first].sentence
    best = None
    for k in range(max(0, first - window), min(len(tokens), end + window)):
        if tokens[k].sentence != sentence or first <= k < end:
            continue
        word = tokens[k].lower
        if INCIDENT_CUE.match(word):
            if word in ("shot", "shooting") and not any(
                tokens[m].lower == "down" for m in range(k + 1, min(k + 5, len(tokens)))
            ):
                continue
            if word == "came" and not (k + 1 < len(tokens) and tokens[k + 1].lower == "down"):
                continue
            if best is None or abs(k - first) < abs(best[0] - first):
                best = (k, word)
    return best[1] if best else None


def _previous(tokens: list[Token], first: int, *, skip_possessive: bool = False) -> int:
    k = first - 1
    while k >= 0 and (tokens[k].lower in _SKIPPABLE or (skip_possessive and tokens[k].possessive)):
        k -= 1
    return k


def _anchor_of_relative_position(tokens: list[Token], k: int) -> int | None:
    """Token index of the place that ", north of X" or ", a village in X" describes, if any."""
    if k < 1:
        return None
    word = tokens[k].lower
    if word == "of" and tokens[k - 1].lower in _DIRECTIONS:
        m = k - 2
        while m >= 0 and tokens[m].lower in ("the", "km", "kilometres", "kilometers", "miles"):
            m -= 1
        if m >= 0 and tokens[m].joiner.strip() == ",":
            return m
    if word in ("in", "of"):
        m = k - 1
        if m >= 1 and tokens[m].lower in ("village", "town", "city", "hamlet", "port"):
            m -= 1
            while m >= 0 and tokens[m].lower in ("a", "an", "the", "small", "remote", "border"):
                m -= 1
            if m >= 0 and tokens[m].joiner.strip() == ",":
                return m
    return None


def _close_to_anchor(tokens: list[Token], k: int) -> int | None:
    """Token index of the place that ", close to the town of Tartu" or ", near the town of
    Rukla" describes, if any (``k``: the token before the name)."""
    if k < 2 or tokens[k].lower != "of" or tokens[k - 1].lower not in ("village", "town", "city"):
        return None
    m = k - 2
    while m >= 0 and (tokens[m].lower in ("the", "a", "small") or tokens[m].lower.endswith("ern")):
        m -= 1
    if m >= 1 and tokens[m].lower == "to" and tokens[m - 1].lower == "close":
        m -= 1
    elif not (m >= 1 and tokens[m].lower == "near"):
        return None
    return m - 1 if m >= 1 and tokens[m - 1].joiner.strip() == "," else None


_OBJECTS = re.compile(
    r"^(?:drones?|uavs?|missiles?|rockets?|balloons?|shaheds?|gerberas?|objects?)$"
)
_UNITS = frozenset("km kilometres kilometers kilometre kilometer miles metres meters".split())


def _names_object(tokens: list[Token], sentence: int) -> bool:
    """Whether the sentence names a drone, missile, balloon or object."""
    return any(t.sentence == sentence and _OBJECTS.match(t.lower) for t in tokens)


def _after_offset(tokens: list[Token], first: int) -> bool:
    """ "20 km southwest of X", "15 kilometres from X" (not after a comma: an apposition)."""
    k = first - 1
    if k >= 0 and tokens[k].lower == "the":
        k -= 1
    if (
        k >= 2
        and tokens[k].lower == "of"
        and tokens[k - 1].lower in ("town", "village", "city", "locality")
    ):
        k -= 2  # "20 km southwest of the village of Chilia Veche"
        if tokens[k].lower == "the":
            k -= 1
    if k < 1 or tokens[k].lower not in ("of", "from"):
        return False
    k -= 1
    if tokens[k].lower in _DIRECTIONS:
        k -= 1
    return k >= 1 and tokens[k].lower in _UNITS and tokens[k - 1].text[:1].isdigit()


def classify_sites(candidates: list[Candidate], tokens: list[Token]) -> list[SiteCall]:
    """One :class:`SiteCall` per candidate (in the order given, which must be text order)."""
    calls: list[SiteCall] = []
    for n, c in enumerate(candidates):
        calls.append(_classify(n, c, candidates, calls, tokens))
    return calls


def _classify(n, c, candidates, calls, tokens) -> SiteCall:
    first, end = c.tokens
    last = tokens[end - 1]
    following = tokens[end] if end < len(tokens) else None
    cue = _cue_near(tokens, first, end)
    if (
        cue is None
        and _locative_village(tokens, first)
        and _names_object(tokens, tokens[first].sentence)
    ):
        # "discovered debris from a ... drone on August 25th in a field near the village of
        # Koruste": the incident word is farther than the window, the role is plain
        cue = _cue_near(tokens, first, end, window=3 * WINDOW)
    if (
        following is not None
        and following.lower in _FACILITIES
        and c.kind not in ("country", "water")
        and _names_object(tokens, tokens[first].sentence)
    ):
        return SiteCall(True, cue or following.lower, f"{c.text} {following.text}")
    if (
        cue is None
        and _after_offset(tokens, first)
        and _names_object(tokens, tokens[first].sentence)
    ):
        return SiteCall(True, "offset", "located by a distance from it")
    if cue is None:
        return SiteCall(False, None, "no incident word nearby")
    # Demonyms and possessives before soil / territory / airspace.
    k = _previous(tokens, first)
    if k >= 0 and tokens[k].lower in _NOT_SITE_BEFORE:
        return SiteCall(False, cue, f"after '{tokens[k].lower}'")
    if (c.kind == "demonym" or last.possessive) and following is not None:
        if following.lower in _SITE_NOUNS or (
            following.lower == "national"
            and end + 1 < len(tokens)
            and tokens[end + 1].lower in _SITE_NOUNS
        ):
            return SiteCall(True, cue, f"{c.text} {following.text}")
        if (
            c.kind == "demonym"
            and following.lower in ("and", "or")
            and end + 2 < len(tokens)
            and tokens[end + 2].lower in _SITE_NOUNS
        ):
            return SiteCall(True, cue, f"{c.text} … {tokens[end + 2].text}")
        return SiteCall(False, cue, "owner or adjective")
    if c.kind == "demonym":
        return SiteCall(False, cue, "adjective")
    if following is not None and last.joiner.strip() == "":
        if following.lower in _MODIFIED_NOUNS and c.kind in ("water", "region", "country"):
            return SiteCall(False, cue, f"modifies {following.text}")
    k = _previous(tokens, first)
    before = tokens[k].lower if k >= 0 else ""
    if (
        following is not None
        and last.joiner.strip() == ""
        and _SPEECH.match(following.lower)
        and before not in _PREPOSITIONS
        and before != "of"
    ):
        return SiteCall(False, cue, "speaker")
    # A container that qualifies the place before it: "Izmail in Ukraine's Odesa region". A
    # region that qualifies a water site is the site's area: "in the Şontea Nouă Canal area,
    # Tulcea County" (a canal starts no record; the county does).
    if c.kind in ("country", "region"):
        q = _previous(tokens, first, skip_possessive=True)
        anchor = None
        if q >= 0 and tokens[q].lower == "in":
            anchor = q - 1
        elif q >= 0 and tokens[q].joiner.strip() == ",":
            anchor = q
        if anchor is not None and anchor >= 0:
            for m, other in enumerate(candidates[:n]):
                if other.tokens[1] - 1 != anchor and not _area_of(tokens, other, anchor):
                    continue
                if c.kind == "region" and other.kind == "water" and calls[m].site:
                    return SiteCall(True, cue, f"the area of {other.text}")
                return SiteCall(False, cue, f"qualifies {other.text}")
    if before == "to" and k > 0 and tokens[k - 1].lower == "close":
        return SiteCall(True, cue, "'close to' + " + cue)
    if before in _NOT_SITE_BEFORE:
        return SiteCall(False, cue, f"after '{before}'")
    # A place that locates another one: "Zamość, north of Bydgoszcz"; "Przewodów, a village in
    # eastern Poland".
    anchor = _anchor_of_relative_position(tokens, k)
    if anchor is not None:
        for other in candidates[:n]:
            if other.tokens[1] - 1 == anchor:
                return SiteCall(False, cue, f"locates {other.text}")
    # "the village of Koruste, close to the town of Tartu" (but "in Tulcea County, near the
    # village of Plauru" names the site itself)
    anchor = _close_to_anchor(tokens, k) if k >= 0 else None
    if anchor is not None:
        for other in candidates[:n]:
            if other.tokens[1] - 1 == anchor and other.kind not in ("country", "region"):
                return SiteCall(False, cue, f"locates {other.text}")
    # Where a statement was made: "told reporters in Warsaw", "said in Kyiv".
    if before in ("in", "at") and any(
        tokens[m].lower in _STATEMENT_WORDS and tokens[m].sentence == tokens[first].sentence
        for m in range(max(0, k - 3), k)
    ):
        return SiteCall(False, cue, "where a statement was made")
    if before == "including" and n > 0 and calls and calls[-1].site:
        if candidates[n - 1].tokens[1] >= k - 3:
            return SiteCall(True, cue, f"one of {candidates[n - 1].text}")
    if c.kind == "water" and before not in ("in", "into", "on", "over", "near"):
        return SiteCall(False, cue, "water, not the place of the event")
    if before in _PREPOSITIONS:
        if before == "on" and k > 0 and tokens[k - 1].lower in _ATTACK_NOUNS:
            return SiteCall(True, cue, f"{tokens[k - 1].text} on")
        return SiteCall(True, cue, f"'{before}' + {cue}")
    if before == "of" and k > 0 and tokens[k - 1].lower in _OF_NOUNS:
        return SiteCall(True, cue, f"{tokens[k - 1].text} of")
    if before in _ATTACK_VERBS:
        return SiteCall(True, cue, f"object of '{before}'")
    if before in ("against",) and k > 0 and tokens[k - 1].lower in _ATTACK_NOUNS:
        return SiteCall(True, cue, "attack against")
    if n > 0 and before in ("and", "or") and calls and calls[-1].site:
        previous_place = candidates[n - 1]
        if previous_place.tokens[1] == k:
            return SiteCall(True, cue, f"with {previous_place.text}")
    if n > 0 and calls and calls[-1].site and _listed_after(tokens, candidates[n - 1], first):
        return SiteCall(True, cue, f"listed with {candidates[n - 1].text}")
    return SiteCall(False, cue, "not in a location role")


def _area_of(tokens: list[Token], other: Candidate, anchor: int) -> bool:
    """Whether the token ``anchor`` ends "<other> area" / "<other> region" (", Tulcea County"
    after "the Şontea Nouă Canal area")."""
    end = other.tokens[1]
    return anchor == end and tokens[end].lower in ("area", "region", "zone", "vicinity")


def _listed_after(tokens: list[Token], previous: Candidate, first: int) -> bool:
    """Whether the place at ``first`` follows ``previous`` in a comma list of names: "in
    Czesniki, Czosnówka, Wyryki (where a roof was damaged), Krzywowierzba" (an unknown name
    such as Czosnówka may stand between them)."""
    k, sentence, items = first - 1, tokens[first].sentence, 0
    if k >= 0 and tokens[k].joiner.strip() == "(" and previous.tokens[1] - 1 == k:
        return True  # "in Warmian-Masurian Voivodeship (Olesno)"
    while k >= 0 and tokens[k].sentence == sentence and items < 8:
        joiner = tokens[k].joiner.strip()
        if joiner.startswith(")") and joiner.endswith(","):
            m = k - 1
            while m > k - 15 and m >= 0 and tokens[m].joiner.strip() != "(":
                m -= 1
            if m < 0 or tokens[m].joiner.strip() != "(":
                return False
            k = m
        elif joiner != ",":
            return False
        if previous.tokens[1] - 1 == k:
            return True
        if not tokens[k].text[:1].isupper():
            return False
        k -= 1
        while k >= 0 and tokens[k].joiner.strip() in ("", "-") and tokens[k].text[:1].isupper():
            if previous.tokens[1] - 1 == k:
                return True
            k -= 1
        items += 1
    return False
