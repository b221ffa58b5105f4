"""From a news article to draft incident records, offline.

Usage::

    from incidentmap.news import extract_file
    result = extract_file("article.txt", published=datetime.date(2023, 9, 4))
    result.places     # every place mentioned, resolved or not, and whether it is a site
    result.records    # draft incident records in the seeds schema (plain dicts)

The steps, one module each: :mod:`incidentmap.news.text` (reading and checking the input),
:mod:`incidentmap.news.tokens`, :mod:`incidentmap.news.matcher` (gazetteer names in the text),
:mod:`incidentmap.news.filters` (false positives), :mod:`incidentmap.news.resolve` and
:mod:`incidentmap.news.places` (geocoding in the article's context), :mod:`incidentmap.news.sites`
(incident site or mention), :mod:`incidentmap.news.dates`, :mod:`incidentmap.news.details` (kind,
weapon, counts, casualties), :mod:`incidentmap.news.claims` and :mod:`incidentmap.news.records`.
"""

from incidentmap.news.article import Extraction, extract_article, extract_file
from incidentmap.news.dates import DateMention, find_dates
from incidentmap.news.text import MAX_ARTICLE_BYTES, Article, ArticleInputError, load_article

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "ArticleInputError",
    "DateMention",
    "Extraction",
    "extract_article",
    "extract_file",
    "find_dates",
    "load_article",
]
