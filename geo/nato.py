"""NATO membership as of a date, and the Article 6 area.

The member table is ``geo/data/nato_members.csv`` (ISO alpha-3, accession date, source).
Founding members count from 1949-08-24, when the treaty entered into force; later members
from the day they deposited their instrument of accession.

Article 6 of the North Atlantic Treaty limits Article 5 to an armed attack on the territory of a
member in Europe or North America, on Turkey, or on islands under a member's jurisdiction in the
North Atlantic north of the Tropic of Cancer. :func:`article_6_area` answers that for a point of
member territory. The UK Sovereign Base Areas on Cyprus (Akrotiri, Dhekelia) are member
territory but outside that area: Article 6 names no territory in Asia but Turkey's, and Cyprus
is neither in Europe nor in North America in its terms (the text, as amended in 1951:
https://www.nato.int/cps/en/natolive/official_texts_17120.htm); after the drone strike on RAF
Akrotiri in March 2026 the Allies held no Article 4 or 5 consultation (natoaktual.cz,
2026-03-04, citing Euronews). Algeria's French departments, named in Article 6 until
1962-07-03, are handled by ``geo.history`` (they count while France held them).
(Article 6 also covers members' forces, vessels and aircraft over the Mediterranean and the
North Atlantic; that is about who is attacked, not where land lies, and is not modelled.)
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources
from typing import NamedTuple

import numpy as np

TROPIC_OF_CANCER_LAT = 23.44

#: Member territories wholly outside the Article 6 area.
OUTSIDE_ARTICLE_6 = frozenset(
    "GUF REU GLP MTQ MYT BLM MAF PYF NCL WLF ATF ABW CUW SXM BES PRI VIR GUM ASM MNP UMI "
    "AIA CYM FLK MSR PCN SHN SGS TCA VGB IOT BVT".split()
)
#: Member territories wholly inside it (European, North American or North Atlantic islands).
INSIDE_ARTICLE_6 = frozenset("GRL FRO SJM GIB BMU IMN JEY GGY SPM TUR".split())
#: (west, south, east, north) around Cyprus: UK territory here (the Sovereign Base Areas) is
#: outside the Article 6 area.
CYPRUS_BOX = (32.2, 34.4, 34.7, 35.8)


class Member(NamedTuple):
    iso3: str
    name: str
    member_since: dt.date
    note: str
    source: str


@cache
def member_table() -> dict[str, Member]:
    """All members, keyed by ISO alpha-3, in accession order."""
    text = (
        resources.files("incidentmap.geo")
        .joinpath("data")
        .joinpath("nato_members.csv")
        .read_text(encoding="utf-8")
    )
    rows = csv.DictReader(text.splitlines())
    out = {}
    for r in rows:
        out[r["iso3"]] = Member(
            r["iso3"], r["name"], dt.date.fromisoformat(r["member_since"]), r["note"], r["source"]
        )
    return out


def member_since(iso3: str | None) -> dt.date | None:
    """Accession date of ``iso3``, or None if it never joined.

    >>> member_since("FIN")
    datetime.date(2023, 4, 4)
    >>> member_since("UKR") is None
    True
    """
    m = member_table().get(iso3 or "")
    return m.member_since if m else None


def is_member(iso3: str | None, *, on: dt.date) -> bool:
    """Was ``iso3`` a NATO member on date ``on``?

    >>> import datetime as dt
    >>> is_member("SWE", on=dt.date(2024, 3, 6)), is_member("SWE", on=dt.date(2024, 3, 7))
    (False, True)
    """
    since = member_since(iso3)
    return since is not None and since <= on


def members(*, on: dt.date) -> frozenset[str]:
    """The ISO alpha-3 codes of the members on date ``on``."""
    return frozenset(k for k, m in member_table().items() if m.member_since <= on)


def membership_epochs() -> list[dt.date]:
    """The distinct accession dates: the member set only changes on these days."""
    return sorted({m.member_since for m in member_table().values()})


def accession_era(since: dt.date | None) -> str:
    """A label for map colouring: founding, cold war, 1999-2004, 2009-2020, 2023-2024."""
    if since is None:
        return "non-member"
    if since.year == 1949:
        return "founding (1949)"
    if since.year < 1990:
        return "Cold War (1952-1982)"
    if since.year <= 2004:
        return "post-Cold War (1999-2004)"
    if since.year <= 2020:
        return "Balkans (2009-2020)"
    return "Nordic (2023-2024)"


def article_6_area(a3, lon, lat) -> np.ndarray:
    """Vectorised: is the point of territory ``a3`` inside the Article 6 area?

    ``a3`` is the territory code of the row the point lies in (e.g. ``"ESP"``, ``"GRL"``); the
    caller combines this with membership. Rules: whole territories from
    :data:`INSIDE_ARTICLE_6` / :data:`OUTSIDE_ARTICLE_6`; Hawaii (USA west of 140° W and south
    of 35° N) and Ceuta, Melilla and Spain's other North African places (south of 35.95° N and
    east of 5.5° W) are outside; everything else of a member is in Europe, North America, or
    an island in the North Atlantic north of the Tropic of Cancer (Azores, Madeira, Canaries).
    UK territory on Cyprus (the Sovereign Base Areas, inside :data:`CYPRUS_BOX`) is outside.

    >>> article_6_area(["USA", "USA", "ESP", "ESP", "GUF", "GBR"],
    ...                [-157.86, -77.04, -5.31, -15.43, -52.33, 32.99],
    ...                [21.31, 38.90, 35.89, 28.12, 4.94, 34.59]).tolist()
    [False, True, False, True, False, False]
    """
    a3 = np.asarray(a3, dtype=object)
    return article_6_area_by_row(a3, np.arange(a3.size), lon, lat)


def article_6_area_by_row(row_a3, row, lon, lat) -> np.ndarray:
    """:func:`article_6_area` for points given as indexes ``row`` into the codes ``row_a3``.

    The per-territory part is decided once per row, so a million points cost a few array
    operations; ``row`` -1 (no territory) gives False.
    """
    row_a3 = np.asarray(row_a3, dtype=object)
    row = np.asarray(row)
    lon = np.asarray(lon, dtype=float)
    lat = np.asarray(lat, dtype=float)
    codes = list(row_a3) + [""]
    not_outside = np.array([c not in OUTSIDE_ARTICLE_6 and c != "" for c in codes])
    whole_inside = np.array([c in INSIDE_ARTICLE_6 for c in codes])
    usa = np.array([c == "USA" for c in codes])
    esp = np.array([c == "ESP" for c in codes])
    gbr = np.array([c == "GBR" for c in codes])
    r = np.where(row >= 0, row, len(codes) - 1)
    out = not_outside[r].copy()
    hawaii = usa[r] & (lon < -140.0) & (lat < 35.0)
    north_africa = esp[r] & (lat < 35.95) & (lon > -5.5)
    west, south, east, north = CYPRUS_BOX
    cyprus = gbr[r] & (lon > west) & (lon < east) & (lat > south) & (lat < north)
    out &= ~(hawaii | north_africa | cyprus)
    # A member's metropolitan territory south of the Tropic of Cancer is not in the area either.
    out &= (lat > TROPIC_OF_CANCER_LAT) | whole_inside[r]
    return out
