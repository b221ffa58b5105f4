"""From a news article to draft incident records, offline.

Usage::

    from geo.extract import extract_file
    result = extract_file("article.txt", published=datetime.date(2023, 9, 4))
    result.places     # every place mentioned, resolved or not, and whether it is a site
    result.records    # draft incident records in the seeds schema (plain dicts)

The steps, one module each: :mod:`~geo.extract.text` (reading and checking the input),
:mod:`~geo.extract.tokens`, :mod:`~geo.extract.matcher` (gazetteer names in the text),
:mod:`~geo.extract.filters` (false positives), :mod:`~geo.extract.resolve` and
:mod:`~geo.extract.places` (geocoding in the article's context), :mod:`~geo.extract.sites`
(incident site or mention), :mod:`~geo.extract.dates`, :mod:`~geo.extract.details` (kind,
weapon, counts, casualties), :mod:`~geo.extract.claims` and :mod:`~geo.extract.records`.
"""

from geo.extract.article import Extraction, extract_article, extract_file
from geo.extract.dates import DateMention, find_dates
from geo.extract.text import MAX_ARTICLE_BYTES, Article, ArticleInputError, load_article

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
