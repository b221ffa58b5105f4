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
    "weapon_of",
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


# (pattern, canonical name, is it a drone)
_WEAPONS: list[tuple[re.Pattern, str, bool]] = [
    (re.compile(r"\bShahed[\s-]?136\b|\bGeran[\s-]?2\b", re.I), "Shahed-136 / Geran-2", True),
    (re.compile(r"\bShahed[\s-]?131\b|\bGeran[\s-]?1\b", re.I), "Shahed-131 / Geran-1", True),
    (re.compile(r"\bShahed[\s-]?238\b|\bGeran[\s-]?3\b", re.I), "Shahed-238 / Geran-3", True),
    (re.compile(r"\bShaheds?\b", re.I), "Shahed", True),
    (re.compile(r"\bGerbera\b", re.I), "Gerbera (decoy drone)", True),
    (re.compile(r"\bOrlan[\s-]?10\b", re.I), "Orlan-10", True),
    (re.compile(r"\bLancet\b"), "Lancet", True),
    (re.compile(r"\bKh[\s-]?(\d{2,3}\w*)\b"), "Kh-{0}", False),
    (re.compile(r"\bS[\s-]?(300|400|200)\b"), "S-{0}", False),
    (re.compile(r"\bIskander(?:-[MK])?\b"), "Iskander", False),
    (re.compile(r"\bKalibr\b"), "Kalibr", False),
    (re.compile(r"\bKinzhal\b"), "Kinzhal", False),
    (re.compile(r"\bZircon\b|\bTsirkon\b"), "Zircon", False),
    (re.compile(r"\b(?:marine|sea|naval) drones?\b", re.I), "uncrewed surface vessel", True),
    (re.compile(r"\bdrones?\b|\bUAVs?\b|\bunmanned aerial vehicles?\b", re.I), "drone", True),
    (re.compile(r"\bmissiles?\b|\brockets?\b", re.I), "missile", False),
]


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
            return name.format(*found.groups()), is_drone
    return None, None


_OBJECTS = r"(?:drones?|missiles?|UAVs|Shaheds|projectiles|rockets)"
_COUNT = re.compile(
    rf"\b(?:a total of |at least |up to |about |some |more than |around )?(?P<n>{_NUM})"
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
_NO_CASUALTIES = re.compile(
    r"\bno (?:casualties|injuries|victims|one was (?:hurt|injured))\b", re.I
)


def casualties(text: str) -> tuple[int | None, int | None]:
    """(injuries, fatalities) stated in ``text``; 0 for "no casualties", None when silent.

    >>> casualties("strikes injured at least two people in Odesa")
    (2, None)
    >>> casualties("The fire left a 14-year-old boy and a 53-year-old woman hospitalized")
    (2, None)
    >>> casualties("No casualties were reported")
    (0, 0)
    """
    injuries = fatalities = None
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
    if _NO_CASUALTIES.search(text):
        injuries = 0 if injuries is None else injuries
        fatalities = 0 if fatalities is None else fatalities
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
        re.compile(r"\b(?:fell|crash(?:ed|es)?|landed|detonat\w*|explod\w*|impact)\b", re.I),
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
