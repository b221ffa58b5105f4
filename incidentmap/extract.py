"""``incidentmap extract``: draft incident records from news articles.

One article (a file, or ``-`` for standard input): its draft records, every place it mentions
and its dates. Several articles (files, folders, JSON lines): one draft per incident, grouped
across the articles that report it, with all sources and a claims timeline; with
``--against-catalog``, each draft marked as already in the seeds or new.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from incidentmap.geo.coords import parse_date
from incidentmap.geo.errors import DataFileError, IncidentMapError
from incidentmap.news import ArticleInputError, extract_article, load_article
from incidentmap.news.inputs import SourcedArticle, collect_articles
from incidentmap.news.serialize import to_json, to_yaml
from incidentmap.news.text import MAX_ARTICLE_BYTES, article_from_bytes


def _read_stdin(published):
    raw = sys.stdin.buffer.read(MAX_ARTICLE_BYTES + 1)
    article = article_from_bytes(raw, where="<stdin>", published=published)
    return SourcedArticle(article.text, "<stdin>", article.published)


def _single(path: str, published, publisher):
    article = _read_stdin(published) if path == "-" else load_article(path, published=published)
    result = extract_article(
        article.text, published=article.published, path=article.path, publisher=publisher
    )
    if result.published is None:
        click.echo(
            "warning: no publication date (give --published YYYY-MM-DD); relative dates such "
            "as 'on Saturday' are left unresolved",
            err=True,
        )
    return result.as_dict()


def _many(paths, published, publisher, against_catalog: bool, seeds):
    from incidentmap.news.catalog import mark_against_catalog
    from incidentmap.news.drafts import extract_many

    articles = []
    for path in paths:
        articles += (
            [_read_stdin(published)]
            if path == "-"
            else collect_articles([path], published=published)
        )
    if publisher:
        articles = [a if a.publisher else a._replace(publisher=publisher) for a in articles]
    undated = [a.ref for a in articles if a.published is None]
    if undated:
        click.echo(
            f"warning: no publication date for {len(undated)} article(s) ({', '.join(undated[:3])}"
            f"{' …' if len(undated) > 3 else ''}); relative dates there are left unresolved",
            err=True,
        )
    drafts = extract_many(articles)
    if against_catalog:
        try:
            mark_against_catalog(drafts, seeds)
        except DataFileError as exc:
            raise click.BadParameter(str(exc), param_hint="--seeds") from None
    reported = {ref for d in drafts for ref in d.articles}
    return {
        "articles": len(articles),
        "drafts": [d.as_dict() for d in drafts],
        "articles_without_records": [
            {"article": a.ref, "reason": "no incident site found"}
            for a in articles
            if a.ref not in reported
        ],
    }


@click.command()
@click.argument("articles", nargs=-1, required=True, type=click.Path(allow_dash=True))
@click.option(
    "--published",
    metavar="YYYY-MM-DD",
    help="Publication date, for relative dates ('on Saturday'), of articles that give none; "
    "default: a date line in the first lines of the text ('2025-07-29', 'Vilnius, July 29, "
    "2025'), or the 'published' field of a JSON line.",
)
@click.option("--json", "fmt", flag_value="json", help="Print JSON.")
@click.option("--yaml", "fmt", flag_value="yaml", default=True, help="Print YAML (the default).")
@click.option("--publisher", metavar="NAME", help="Publisher cited in the records' sources.")
@click.option(
    "--against-catalog",
    is_flag=True,
    help="Mark each draft as already in the incident seeds (add a source) or new.",
)
@click.option(
    "--seeds",
    metavar="DIR",
    help="Seeds folder (incidents/*.yaml) or file for --against-catalog (default: the shipped "
    "seeds).",
)
def extract(articles, published, fmt, publisher, against_catalog, seeds):
    """Draft incident records (seeds schema) from the news ARTICLES.

    Each ARTICLE is a UTF-8 text file, a folder of .txt and .jsonl files, a JSON-lines file
    (one article a line: {"text", "url", "published", "publisher"}), or - for standard input.
    One text article prints `records` (review them, then paste into seeds/incidents/),
    `places` (each resolved with a confidence, or unresolved with its candidates, and whether
    it is an incident site) and `dates`. Several articles, a folder, JSON lines or
    --against-catalog print `drafts`: one per incident, with every article that reports it,
    a claims timeline and the merged record. Offline: curated places, installed gazetteers and
    GeoNames cities500. Empty, binary, non-UTF-8, huge or missing input exits with status 2.
    """
    on = None
    if published:
        try:
            on = parse_date(published, what="--published")
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="--published") from None
    many = (
        against_catalog
        or len(articles) > 1
        or any(a != "-" and (Path(a).is_dir() or a.endswith(".jsonl")) for a in articles)
    )
    try:
        if many:
            data = _many(articles, on, publisher, against_catalog, seeds)
        else:
            data = _single(articles[0], on, publisher)
    except ArticleInputError as exc:
        raise click.BadParameter(str(exc), param_hint="ARTICLES") from None
    except IncidentMapError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(to_json(data) if fmt == "json" else to_yaml(data), nl=fmt == "json")
