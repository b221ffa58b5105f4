"""``incidentmap extract``: draft incident records and the places of a news article."""

from __future__ import annotations

import sys

import click

from incidentmap.geo.coords import parse_date
from incidentmap.geo.errors import IncidentMapError
from incidentmap.news import ArticleInputError, extract_article, load_article
from incidentmap.news.serialize import to_json, to_yaml
from incidentmap.news.text import MAX_ARTICLE_BYTES, article_from_bytes


def _read(article: str, published):
    """The article of a path, or of standard input for ``-``; bad input is a usage error."""
    try:
        if article == "-":
            raw = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
            return article_from_bytes(raw, where="<stdin>", published=published)
        return load_article(article, published=published)
    except ArticleInputError as exc:
        raise click.BadParameter(str(exc), param_hint="ARTICLE") from None


@click.command()
@click.argument("article", type=click.Path(dir_okay=True, allow_dash=True))
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date, for relative dates ('on Saturday'); default: a date line in the "
    "first lines of the text ('2025-07-29', 'Vilnius, July 29, 2025', '29 July 2025').",
)
@click.option("--json", "fmt", flag_value="json", help="Print JSON.")
@click.option("--yaml", "fmt", flag_value="yaml", default=True, help="Print YAML (the default).")
@click.option("--publisher", metavar="NAME", help="Publisher cited in the records' sources.")
def extract(article, published, fmt, publisher):
    """Draft incident records (seeds schema) and every place mentioned in ARTICLE.

    ARTICLE is a UTF-8 text file, or - to read the article from standard input. The output has
    three sections: `records` (review them, then paste into seeds/incidents/), `places` (each
    place resolved with a confidence, or unresolved with its candidates, and whether it is an
    incident site) and `dates`. Offline: uses the curated places and the GeoNames gazetteer
    only. An empty, binary, non-UTF-8, huge or missing input exits with status 2.
    """
    on = None
    if published:
        try:
            on = parse_date(published, what="--published")
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="--published") from None
    text = _read(article, on)
    try:
        result = extract_article(
            text.text, published=text.published, path=text.path, publisher=publisher
        )
    except ArticleInputError as exc:
        raise click.BadParameter(str(exc), param_hint="ARTICLE") from None
    except IncidentMapError as exc:
        raise click.ClickException(f"{article}: {exc}") from None
    if result.published is None:
        click.echo(
            "warning: no publication date (give --published YYYY-MM-DD); relative dates such "
            "as 'on Saturday' are left unresolved",
            err=True,
        )
    data = result.as_dict()
    click.echo(to_json(data) if fmt == "json" else to_yaml(data), nl=fmt == "json")
