"""Helpers of the extraction tests: one extractor over the session's real gazetteer."""

from __future__ import annotations

import datetime as dt

from incidentmap.news import extract_article
from incidentmap.news.matcher import gazetteer_for


def extractor(geocoder):
    """A function ``run(text, published=None)`` that extracts with ``geocoder``."""
    gazetteer = gazetteer_for(geocoder)

    def run(text: str, published: str | dt.date | None = None):
        if isinstance(published, str):
            published = dt.date.fromisoformat(published)
        return extract_article(text, published=published, geocoder=geocoder, gazetteer=gazetteer)

    return run


def place(result, name: str):
    """The place of ``result`` called ``name`` (its own name or as written), or None."""
    for p in result.places:
        if p.name == name or name in p.as_written:
            return p
    return None


def names(result) -> set[str]:
    return {p.name for p in result.places}
