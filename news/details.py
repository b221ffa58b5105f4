"""What happened, with what, how many, and to whom: kind, weapon, counts, injuries, deaths.

Each function reads a few sentences (those of one incident) and returns what they state, or
``None``. Kinds follow the coding conventions of :mod:`geo.incidents`, with this precedence when
several apply: a strike on a building, then an impact (fell, crashed, detonated, exploded), then
debris found, then a shoot-down, then an airspace violation; an attack on a place outside NATO is
an attack near the border.
"""

from __future__ import annotations

import re

__all__ = [
    "NUMBER_WORDS",
    "count_of_objects",
    "shot_down_count",
    "casualties",
    "incident_kind",
    "weapon_for",
    "weapon_of",
    "weapons_in",
    "parse_number",
]

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "dozens": 24, "dozen": 12,
}  # fmt: skip
_NUM = r"(?:\d{1,4}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + r")"


def parse_number(text: str) -> int | None:
    """``"19"`` → 19, ``"three"`` → 3; ``None`` for anything else."""
    text = text.lower().strip()
    if text.isdigit():
        return int(text)
    return NUMBER_WORDS.get(text)


# A hyphen of any kind, a space or nothing: "Geran-2", "Geran 2", "Geran2", "Geran‑2".
_H = r"[\s\-‐‑–]?"
# (pattern, canonical name, is it a drone), most specific first.
_WEAPONS: list[tuple[re.Pattern, str, bool]] = [
    (re.compile(rf"\bShahed{_H}136\b|\bGeran{_H}2\b", re.I), "Shahed-136 / Geran-2", True),
    (re.compile(rf"\bShahed{_H}131\b|\bGeran{_H}1\b", re.I), "Shahed-131 / Geran-1", True),
    (re.compile(rf"\bShahed{_H}238\b|\bGeran{_H}3\b", re.I), "Shahed-238 / Geran-3", True),
    (re.compile(r"\bGerberas?\b", re.I), "Gerbera (decoy drone)", True),
    (re.compile(rf"\bOrlan{_H}(10|30)\b", re.I), "Orlan-{0}", True),
    (re.compile(rf"\b(?:Lancet|LANCET)(?:{_H}3)?\b"), "Lancet", True),
    (
        re.compile(rf"(?-i:\bZALA\b)|\bZala(?={_H}(?:drones?|UAVs?|Kub|KYB|\d))", re.I),
        "ZALA",
        True,
    ),
    (re.compile(rf"\bKh{_H}(\d{{2,3}}[A-Za-z0-9]*)\b", re.I), "Kh-{0}", False),
    (re.compile(rf"\bS{_H}(300|400|200)\b", re.I), "S-{0}", False),
    (re.compile(rf"\bIskander(?:{_H}[MK])?\b", re.I), "Iskander", False),
    (re.compile(r"\bKalibr\b", re.I), "Kalibr", False),
    (re.compile(r"\bKinzhal\b", re.I), "Kinzhal", False),
    (re.compile(r"\bZircon\b|\bTsirkon\b", re.I), "Zircon", False),
    (re.compile(r"\bShaheds?\b", re.I), "Shahed", True),
    (re.compile(r"\bGerans?\b", re.I), "Geran", True),
    (re.compile(r"\b(?:marine|sea|naval) drones?\b", re.I), "uncrewed surface vessel", True),
    (re.compile(r"(?<!gerbera )(?<!gerberas )\bdecoys?\b", re.I), "decoy drone", True),
    (re.compile(r"\b(?:weather |helium |smugglers?'? )?balloons?\b", re.I), "balloon", False),
    (re.compile(r"\bdrones?\b|\bUAVs?\b|\bunmanned aerial vehicles?\b", re.I), "drone", True),
    (re.compile(r"\bmissiles?\b|\brockets?\b", re.I), "missile", False),
    (
        re.compile(
            r"\b(?:unidentified|unknown|military|flying|aerial) (?:military )?objects?\b", re.I
        ),  # fmt: skip
        "unknown object",
        False,
    ),
]
#: Objects that are reported but are not weapons: no strike, whatever they hit.
NOT_WEAPONS = frozenset({"balloon", "unknown object"})
#: Names that say little: a more specific one nearby is preferred (see :func:`weapon_for`).
GENERIC_WEAPONS = frozenset({"drone", "missile", "Shahed", "Geran", "unknown object"})


def weapon_of(text: str) -> tuple[str | None, bool | None]:
    """The most specific weapon named in ``text`` and whether it is a drone.

    >>> weapon_of("an Iranian-made Shahed 136 drone")
    ('Shahed-136 / Geran-2', True)
    >>> weapon_of("a Kh-55 cruise missile")
    ('Kh-55', False)
    """
    for pattern, name, is_drone in _WEAPONS:
        found = pattern.search(text)
        if found:
            return _canonical(name, found), is_drone
    return None, None


def _canonical(name: str, found: re.Match) -> str:
    return name.format(*(g.upper() for g in found.groups()))


def weapons_in(text: str) -> list[tuple[str, bool]]:
    """Every distinct weapon named in ``text``, most specific first.

    >>> weapons_in("a Gerbera decoy and a Kh-101 missile")
    [('Gerbera (decoy drone)', True), ('Kh-101', False), ('missile', False)]
    """
    out: dict[str, bool] = {}
    for pattern, name, is_drone in _WEAPONS:
        for found in pattern.finditer(text):
            out.setdefault(_canonical(name, found), is_drone)
    return list(out.items())


def weapon_for(own: str, nearby: str, article: str) -> tuple[str | None, bool | None]:
    """The weapon of an incident told in ``own`` (its sentences).

    A specific name in ``own`` wins; a generic one ("drone", "Shahed") is made specific by the
    specific name of the same class (drone or not) in ``nearby`` (the following sentences),
    else by the only specific name of that class in the whole ``article``. Nothing in ``own``:
    what ``nearby``, then ``article``, names.

    >>> weapon_for("A drone crashed at the training ground.", "It was a Gerbera decoy.", "")
    ('Gerbera (decoy drone)', True)
    """
    weapon, is_drone = weapon_of(own)
    if weapon is not None and weapon not in GENERIC_WEAPONS:
        return weapon, is_drone
    for text, unique in ((nearby, False), (article, True)):
        specific = [
            (name, drone)
            for name, drone in weapons_in(text)
            if name not in GENERIC_WEAPONS and (is_drone is None or drone == is_drone)
        ]
        if specific and (not unique or len(specific) == 1):
            return specific[0]
    if weapon is not None:
        return weapon, is_drone
    for text in (nearby, article):
        found = weapon_of(text)
        if found[0] is not None:
            return found
    return None, None


_OBJECTS = r"(?:drones?|missiles?|UAVs|Shaheds|projectiles|rockets)"
# A number glued to a word is a designation, not a count ("F-16 jets followed a drone").
_COUNT = re.compile(
    rf"(?<![\w-])(?:a total of |at least |up to |about |some |more than |around )?(?P<n>{_NUM})"
    rf"\s+(?:[\w-]+\s+){{0,3}}?{_OBJECTS}\b",
    re.I,
)
_SHOT_DOWN = re.compile(
    rf"\b(?:at least |all |some )?(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,3}}?"
    rf"(?:were|was|have been|had been)\s+(?:\w+\s+)?(?:shot down|downed|destroyed|intercepted)",
    re.I,
)


def count_of_objects(text: str) -> int | None:
    """The largest number of drones or missiles stated ("19 drones", "three marine drones").

    >>> count_of_objects("A total of 19 Russian drones flew over Poland")
    19
    >>> count_of_objects("Ukraine used three semi-submersible kamikaze marine drones")
    3
    """
    values = [parse_number(m.group("n")) for m in _COUNT.finditer(text)]
    values = [v for v in values if v and v < 5000]
    return max(values) if values else None


def shot_down_count(text: str) -> int | None:
    """How many were shot down ("at least three were shot down", "17 drones were shot down").

    >>> shot_down_count("adding that at least three were shot down by Polish aircraft")
    3
    """
    values = [parse_number(m.group("n")) for m in _SHOT_DOWN.finditer(text)]
    values = [v for v in values if v]
    return max(values) if values else None


_INJURED_AFTER = re.compile(
    rf"\b(?:injur\w*|wound\w*|hurt\w*)\s+(?:at least\s+)?(?P<n>{_NUM})\s+(?:people|persons|"
    r"civilians|residents|others|soldiers)?",
    re.I,
)
_INJURED_BEFORE = re.compile(
    rf"\b(?:at least\s+)?(?P<n>{_NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:were|was|have been|are)\s+"
    r"(?:injured|wounded|hurt|hospitali[sz]ed)",
    re.I,
)
_PEOPLE_HOSPITALISED = re.compile(r"\b\d{1,3}-year-old\b")
_KILLED = re.compile(
    rf"\b(?:killed|killing)\s+(?:at least\s+)?(?P<n>{_NUM})\b|\b(?P<m>{_NUM})\s+(?:people\s+)?"
    r"(?:were\s+|was\s+)?(?:killed|dead|died)\b",
    re.I,
)
_HARM = r"injured|hurt|wounded|harmed|hospitali[sz]ed|killed|dead|died"
# "No one was injured", "nobody was hurt or killed", "no people were hurt", "there were no
# casualties", "no injuries were reported", "without casualties": each says 0, and its words
# ("one was injured") must not be counted as a number.
_NEGATED = re.compile(
    r"\b(?:no[\s-]?one|nobody|no\s+(?:people|persons?|civilians?|residents?|soldiers?))\s+"
    r"(?:\w+\s+){0,2}?(?:was|were|has\s+been|have\s+been|had\s+been|got|is|are)\s+"
    rf"(?:(?:seriously|badly|reportedly|reported|physically)\s+)?(?P<what>{_HARM})"
    rf"(?:\s+(?:or|and|nor)\s+(?P<what2>{_HARM}))?\b"
    r"|\bno(?:\s+(?:immediate\s+)?reports?\s+of)?\s+(?:immediate\s+|reported\s+)?"
    r"(?P<noun>casualties|injuries|victims|deaths|fatalities|injured|dead)\b"
    r"|\bwithout\s+(?:causing\s+)?(?:any\s+)?(?P<noun2>casualties|injuries|victims|deaths|"
    r"fatalities)\b",
    re.I,
)
_DEATH_WORDS = frozenset("killed dead died deaths fatalities".split())


def _negations(text: str) -> tuple[str, bool, bool]:
    """``text`` with denials of harm blanked out, and whether they deny injuries and deaths.

    Denying injuries ("nobody was hurt") also denies deaths; denying deaths does not deny
    injuries; "no casualties" and "no victims" deny both.
    """
    no_injuries = no_deaths = False
    for found in _NEGATED.finditer(text):
        words = {w.lower() for w in found.group("what", "what2", "noun", "noun2") if w}
        no_deaths = True
        if words - _DEATH_WORDS:
            no_injuries = True
    return _NEGATED.sub(lambda m: " " * len(m.group()), text), no_injuries, no_deaths


def casualties(text: str) -> tuple[int | None, int | None]:
    """(injuries, fatalities) stated in ``text``; 0 when denied, None when silent.

    >>> casualties("strikes injured at least two people in Odesa")
    (2, None)
    >>> casualties("The fire left a 14-year-old boy and a 53-year-old woman hospitalized")
    (2, None)
    >>> casualties("No casualties were reported")
    (0, 0)
    >>> casualties("No one was injured.")
    (0, 0)
    """
    injuries = fatalities = None
    text, no_injuries, no_deaths = _negations(text)
    values = [parse_number(m.group("n")) for m in _INJURED_AFTER.finditer(text)]
    values += [parse_number(m.group("n")) for m in _INJURED_BEFORE.finditer(text)]
    values = [v for v in values if v is not None]
    if re.search(r"hospitali[sz]ed|injur|wounded", text, re.I):
        ages = _PEOPLE_HOSPITALISED.findall(text)  # "a 14-year-old boy and a 53-year-old woman"
        if ages:
            values.append(len(ages))
    if values:
        injuries = max(values)
    killed = [parse_number(m.group("n") or m.group("m")) for m in _KILLED.finditer(text)]
    killed = [v for v in killed if v is not None]
    if killed:
        fatalities = max(killed)
    if no_injuries and injuries is None:
        injuries = 0
    if no_deaths and fatalities is None:
        fatalities = 0
    return injuries, fatalities


_KIND_RULES: list[tuple[str, re.Pattern]] = [
    (
        "strike_on_building",
        re.compile(
            r"\b(?:hit|struck|strike|strikes|crashed into|slammed into)\b[^.]{0,60}\b(?:building|"
            r"apartment|roof|house|home|block|warehouse|school|hospital|church|residential)",
            re.I,
        ),
    ),
    (
        "impact",
        re.compile(
            r"\b(?:fell|fallen|crash(?:ed|es)?|landed|detonat\w*|explod\w*|impact|"
            r"c[oa]me down)\b",
            re.I,
        ),
    ),
    ("debris_found", re.compile(r"\b(?:debris|fragments?|wreckage|remains)\b", re.I)),
    (
        "shoot_down",
        re.compile(r"\b(?:shot down|shooting down|downed|downing|intercept\w*)\b", re.I),
    ),
    (
        "airspace_violation",
        re.compile(r"\b(?:flew|flying|entered|violat\w*|incursion\w*|airspace)\b", re.I),
    ),
]


def incident_kind(text: str, *, nato_territory: bool) -> str | None:
    """The kind of incident ``text`` describes (see the module docstring), or ``None``.

    >>> incident_kind("19 drones flew over Poland; three were shot down", nato_territory=True)
    'shoot_down'
    >>> incident_kind("a mass attack on the port of Izmail", nato_territory=False)
    'attack_near_border'
    """
    if not nato_territory and re.search(r"\battack|strike|struck|hit\b|damag", text, re.I):
        return "attack_near_border"
    for kind, pattern in _KIND_RULES:
        if pattern.search(text):
            return kind
    return None
