"""``incidentmap extract``: draft incident records and the places of a news article."""

from __future__ import annotations

import click

from geo.coords import parse_date
from geo.errors import IncidentMapError
from geo.extract import ArticleInputError, extract_file
from geo.extract.serialize import to_json, to_yaml


@click.command()
@click.argument("article", type=click.Path(dir_okay=False, allow_dash=False))
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date, for relative dates ('on Saturday'); default: a date line in the text.",
)
@click.option("--json", "fmt", flag_value="json", help="Print JSON.")
@click.option("--yaml", "fmt", flag_value="yaml", default=True, help="Print YAML (the default).")
@click.option("--publisher", metavar="NAME", help="Publisher cited in the records' sources.")
def extract(article, published, fmt, publisher):
    """Draft incident records (seeds schema) and every place mentioned in ARTICLE.

    ARTICLE is a UTF-8 text file. The output has three sections: `records` (review them, then
    paste into seeds/incidents/), `places` (each place resolved with a confidence, or
    unresolved with its candidates, and whether it is an incident site) and `dates`.
    Offline: uses the curated places and the GeoNames gazetteer only.
    """
    on = None
    if published:
        try:
            on = parse_date(published, what="--published")
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="--published") from None
    try:
        result = extract_file(article, published=on, publisher=publisher)
    except ArticleInputError as exc:
        raise click.ClickException(str(exc)) from None
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
