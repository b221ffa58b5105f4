"""The standing of an incident from its dated claims (:func:`claim_status`), one of
:data:`geo.schema.CLAIM_STATUSES`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

__all__ = ["claim_status"]


def _perpetrator_words(actor1: str | None) -> tuple[str, ...]:
    """Country words of the party whose weapon it was: "Military Forces of Russia (2000-)"
    → ("russia",). Their denials are denials of responsibility, not of the incident."""
    if not actor1:
        return ()
    found = re.search(r"\bof ([A-Z][\w' -]*?)\s*(?:\(|$)", actor1)
    return (found.group(1).strip().casefold(),) if found else ()


def claim_status(claims: Iterable, *, actor1: str | None = None) -> str:
    """The standing of an incident from its dated claims.

    Claims are taken in date order (same-day claims keep their recorded order). Stances
    that settle whether it happened are ``confirmed`` and ``denied`` (a ``retracted``
    claim counts as a denial). Denials by the party the record names in ``actor1``
    (e.g. Russia's defence ministry or its state media when ``actor1`` is "Military Forces
    of Russia") are left out: they deny responsibility, not the event. So is every claim
    whose ``subject`` (:data:`geo.schema.CLAIM_SUBJECTS`) is not the incident itself: a
    denial that a strike across the border threatened Romania (``subject: threat``) or that
    a party carried it out (``subject: responsibility``) does not deny that it happened.

    * ``"denied"`` if the latest settling stance is a denial;
    * else ``"confirmed"`` if any claim confirms;
    * else ``"attributed"`` if any claim attributes it to someone;
    * else ``"claimed"``.

    >>> from incidentmap.geo.incidents import Claim
    >>> d = dt.date
    >>> claim_status([Claim(d(2023, 9, 4), "Ukraine MFA", "claimed", "..."),
    ...               Claim(d(2023, 9, 4), "Romania MoD", "denied", "..."),
    ...               Claim(d(2023, 9, 6), "Romania MoD", "confirmed", "...")])
    'confirmed'
    >>> claim_status([Claim(d(2025, 9, 19), "Estonia MFA", "confirmed", "..."),
    ...               Claim(d(2025, 9, 19), "Russia Ministry of Defence", "denied", "...")],
    ...              actor1="Military Forces of Russia (2000-)")
    'confirmed'
    >>> claim_status([Claim(d(2023, 7, 24), "Ukraine OC South", "claimed", "..."),
    ...               Claim(d(2023, 7, 24), "Romania MoND", "denied", "...", "threat")])
    'claimed'
    """
    ordered = sorted(
        enumerate(claims), key=lambda ic: (_claim_get(ic[1], "date") or dt.date.min, ic[0])
    )
    perpetrator = _perpetrator_words(actor1)
    settling = None
    stances = set()
    for _, claim in ordered:
        stance = _claim_get(claim, "stance")
        actor = str(_claim_get(claim, "actor") or "").casefold()
        if (_claim_get(claim, "subject") or "incident") != "incident":
            continue
        stances.add(stance)
        if stance in ("denied", "retracted"):
            if any(word in actor for word in perpetrator):
                continue
            settling = "denied"
        elif stance == "confirmed":
            settling = "confirmed"
    if settling == "denied":
        return "denied"
    if "confirmed" in stances:
        return "confirmed"
    if "attributed" in stances:
        return "attributed"
    return "claimed"


def _claim_get(claim, key):
    return claim.get(key) if isinstance(claim, dict) else getattr(claim, key, None)
