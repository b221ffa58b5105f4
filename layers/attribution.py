"""The page's attribution line: every data source drawn on the map, with its licence.

Each entry is a :class:`Credit` (text and one link), added to Leaflet's attribution control by
:class:`layers.controls.Attribution`. Always on the page: the OpenStreetMap borders, the
Natural Earth and OpenStreetMap water of the offline basemap and the GeoNames place labels.
Added when the incidents drawn were geocoded from them (the enriched ``geocoding_source``
column, e.g. ``geonames``, ``gazetteer:wof@2025-06-01``, ``nominatim``), with the credit
:mod:`geo.geocoding.attribution` gives for each, and the curated places.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Credit:
    """One attribution: its text (plain, escaped when drawn) and an optional link."""

    text: str
    url: str | None = None


OSM_COPYRIGHT = "https://www.openstreetmap.org/copyright"

#: On every map.
BORDERS = Credit("© OpenStreetMap contributors (ODbL): borders, river areas", OSM_COPYRIGHT)
WATER = Credit(
    "Natural Earth (public domain): rivers, lakes",
    "https://www.naturalearthdata.com/about/terms-of-use/",
)
GEONAMES_URL = "https://www.geonames.org/about.html"
LABELS = Credit("GeoNames (CC BY 4.0): place labels", GEONAMES_URL)
INCIDENTS = Credit("incidents: sources in each popup")
CURATED = Credit("curated places (cited in the seeds): geocoding")


def geocoding_credits(sources) -> list[Credit]:
    """The credits of the geocoding sources in ``sources`` (values of ``geocoding_source``),
    from :func:`geo.geocoding.attribution.attributions` (the one table of what each source's
    licence asks for), then the curated places when any record was placed from them.

    >>> for credit in geocoding_credits(["seed", "geonames", "gazetteer:wof@2025-06-01"]):
    ...     print(credit.text)
    Data from Who's On First (CC0, parts CC BY (GeoNames, Quattroshapes and others)): geocoding
    GeoNames (CC BY 4.0): geocoding
    """
    from incidentmap.geo.geocoding.attribution import attributions, source_kind

    values = {str(s) for s in sources if s is not None and s == s}
    out = [
        Credit(f"{a['text']} ({a['licence']}): geocoding", a["url"]) for a in attributions(values)
    ]
    if any(source_kind(v) == "curated" for v in values):
        out.append(CURATED)
    return out


def page_credits(selected) -> list[Credit]:
    """Every credit of a map drawing ``selected`` (the enriched incidents shown); GeoNames
    once when it gave both the labels and the geocoding."""
    credits = [BORDERS, WATER, LABELS]
    if len(selected):
        credits.append(INCIDENTS)
        if "geocoding_source" in selected:
            for credit in geocoding_credits(selected["geocoding_source"].unique()):
                if credit.text.startswith("GeoNames "):
                    credits[2] = Credit(
                        "GeoNames (CC BY 4.0): place labels, geocoding", GEONAMES_URL
                    )
                else:
                    credits.append(credit)
    return credits


def credits_html(credits) -> str:
    """The attribution line's markup: each credit's text escaped, linked when it has a URL,
    joined by " · "."""
    from incidentmap.layers.escape import escape_text, safe_url

    parts = []
    for credit in credits:
        html = escape_text(credit.text)
        link = safe_url(credit.url)
        if link:
            html = f'<a href="{escape_text(link)}">{html}</a>'
        parts.append(html)
    return " · ".join(parts)
