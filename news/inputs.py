"""Many articles in: text files, folders of them, and JSON lines with their sources.

A JSON-lines file (``.jsonl``) holds one article per line: an object with ``text`` (required)
and optionally ``url``, ``published`` (``YYYY-MM-DD``), ``publisher``, ``title`` and ``id``.
Any other file is one article in UTF-8 text (see :mod:`incidentmap.news.text`). A folder is
read as its ``*.txt`` and ``*.jsonl`` files, in name order.

>>> import json, tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> line = {"text": "Drone debris was found near Plauru.", "url": "https://example.org/a",
...         "published": "2023-09-09", "publisher": "Example"}
>>> _ = (folder / "a.jsonl").write_text(json.dumps(line) + "\\n", encoding="utf-8")
>>> [(a.ref, a.published.isoformat(), a.publisher) for a in collect_articles([folder])]
[('a.jsonl:1', '2023-09-09', 'Example')]
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from incidentmap.geo.errors import ArticleInputError
from incidentmap.news.text import MAX_ARTICLE_BYTES, check_article_text, load_article

__all__ = ["SourcedArticle", "collect_articles", "read_articles"]


class SourcedArticle(NamedTuple):
    """One article with what is known of its source."""

    text: str
    #: A short reference: the id of a JSON line, else ``file.jsonl:LINE`` or the file name.
    ref: str
    published: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    title: str | None = None

    @property
    def path(self) -> str:
        """Where the article came from (the reference), for the records' ``sources``."""
        return self.ref


def _date(value, where: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ArticleInputError(
            f"{where}: published {value!r} is not a date; expected YYYY-MM-DD"
        ) from None


def _text_field(line: dict, key: str, where: str) -> str | None:
    value = line.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleInputError(f"{where}: {key!r} must be a string, got {type(value).__name__}")
    return value.strip() or None


def read_articles(path: str | os.PathLike) -> Iterator[SourcedArticle]:
    """The articles of one JSON-lines file (blank lines skipped)."""
    path = Path(path)
    if path.stat().st_size > 50 * MAX_ARTICLE_BYTES:
        raise ArticleInputError(f"{str(path)!r} is larger than {50 * MAX_ARTICLE_BYTES} bytes")
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except UnicodeDecodeError:
        raise ArticleInputError(f"{str(path)!r} is not UTF-8 text; JSON lines must be") from None
    for number, raw in enumerate(lines, 1):
        if not raw.strip():
            continue
        where = f"{path.name}:{number}"
        try:
            line = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ArticleInputError(
                f"{where} is not a JSON object ({exc.msg}); expected one article per line "
                'as {"text": ..., "url": ..., "published": "YYYY-MM-DD", "publisher": ...}'
            ) from None
        if not isinstance(line, dict) or not isinstance(line.get("text"), str):
            raise ArticleInputError(f'{where}: expected an object with a "text" string')
        ref = _text_field(line, "id", where) or where
        yield SourcedArticle(
            check_article_text(line["text"], where=where),
            ref,
            _date(line.get("published"), where),
            _text_field(line, "url", where),
            _text_field(line, "publisher", where),
            _text_field(line, "title", where),
        )


def _files_of(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in (".txt", ".jsonl") and p.is_file())
        if not files:
            raise ArticleInputError(f"folder {str(path)!r} has no .txt or .jsonl article files")
        return files
    if not path.exists():
        raise ArticleInputError(f"article file {str(path)!r} does not exist")
    return [path]


def collect_articles(
    paths: Iterable[str | os.PathLike], *, published: dt.date | None = None
) -> list[SourcedArticle]:
    """Every article of ``paths`` (files and folders); ``published`` is the default date of
    articles that give none (a text file's own date line comes first)."""
    out: list[SourcedArticle] = []
    for given in paths:
        for path in _files_of(Path(given)):
            if path.suffix == ".jsonl":
                for article in read_articles(path):
                    out.append(
                        article if article.published else article._replace(published=published)
                    )
                continue
            article = load_article(path, published=published)
            out.append(SourcedArticle(article.text, path.name, article.published))
    return out
