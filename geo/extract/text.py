"""Reading an article from disk, with clear errors for input that is not an article.

An article is a UTF-8 text file (a BOM is allowed) of at most :data:`MAX_ARTICLE_BYTES`. Empty
files, binary files (NUL bytes or mostly control characters), files in another encoding and huge
files are refused with an :class:`ArticleInputError` that names the file and the likely mistake.

A leading date line such as ``" date 2023-09-04"`` (as scraped news often carry) gives the
publication date; :func:`published_from_text` finds it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from typing import NamedTuple

from geo.errors import ArticleInputError

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "ArticleInputError",
    "check_article_text",
    "load_article",
    "published_from_text",
]

logger = logging.getLogger(__name__)

#: Largest article accepted (2 MB: about 50 times a long news article).
MAX_ARTICLE_BYTES = 2_000_000


class Article(NamedTuple):
    """An article's text, where it came from and its publication date (if known)."""

    text: str
    path: str | None = None
    published: dt.date | None = None


def _control_share(text: str) -> float:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    return controls / max(len(text), 1)


def check_article_text(text: str, *, where: str = "text") -> str:
    """Return ``text`` if it looks like an article, else raise :class:`ArticleInputError`.

    >>> check_article_text("Drone debris found near Plauru.")
    'Drone debris found near Plauru.'
    """
    if not isinstance(text, str):
        raise ArticleInputError(f"{where}: expected text (str), got {type(text).__name__}")
    if not text.strip():
        raise ArticleInputError(f"{where} is empty (or only whitespace); nothing to extract")
    if "\x00" in text or _control_share(text) > 0.01:
        raise ArticleInputError(
            f"{where} contains control characters or NUL bytes; is it a binary file "
            "(PDF, image, archive) rather than plain text?"
        )
    if len(text) > MAX_ARTICLE_BYTES:
        raise ArticleInputError(
            f"{where} has {len(text):,} characters, more than the {MAX_ARTICLE_BYTES:,} "
            "accepted; is it a whole web archive or a data file? Split it into articles."
        )
    return text


def load_article(path: str | os.PathLike, *, published: dt.date | None = None) -> Article:
    """Read an article file; ``published`` defaults to a date line in the text.

    Raises
    ------
    ArticleInputError
        The file is missing, a directory, empty, binary, not UTF-8 or larger than
        :data:`MAX_ARTICLE_BYTES`.
    """
    path = Path(path)
    if not path.exists():
        raise ArticleInputError(f"article file {str(path)!r} does not exist")
    if path.is_dir():
        raise ArticleInputError(f"{str(path)!r} is a directory; give one article file")
    size = path.stat().st_size
    if size > MAX_ARTICLE_BYTES:
        raise ArticleInputError(
            f"{str(path)!r} is {size:,} bytes, more than the {MAX_ARTICLE_BYTES:,} accepted "
            "for one article; is it a whole web archive or a data file?"
        )
    raw = path.read_bytes()
    if not raw.strip():
        raise ArticleInputError(f"{str(path)!r} is empty; nothing to extract")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ArticleInputError(
            f"{str(path)!r} is UTF-16 text (it starts with a UTF-16 byte-order mark); re-save "
            "it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"
        )
    if b"\x00" in raw[:65536]:
        raise ArticleInputError(
            f"{str(path)!r} contains NUL bytes; it looks like a binary file (PDF, image, "
            "archive), not a plain-text article"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleInputError(
            f"{str(path)!r} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); re-save it as UTF-8, e.g. `iconv -f WINDOWS-1250 -t UTF-8`"
        ) from None
    text = check_article_text(text, where=repr(str(path)))
    if published is None:
        published = published_from_text(text)
        if published is not None:
            logger.info("publication date %s from the date line of %s", published, path)
    return Article(text=text, path=str(path), published=published)


_DATE_LINE = re.compile(
    r"^\W{0,3}(?:date|published|posted|updated)?\s*[:\-]?\s*(\d{4})-(\d{2})-(\d{2})\b",
    re.IGNORECASE,
)


def published_from_text(text: str) -> dt.date | None:
    """A publication date written as an ISO date on one of the first three lines, if any.

    >>> published_from_text(" date 2023-09-04 A drone ...")
    datetime.date(2023, 9, 4)
    >>> published_from_text("Drone falls in Romania") is None
    True
    """
    for line in text.lstrip("\ufeff").splitlines()[:3]:
        found = _DATE_LINE.match(line)
        if found:
            try:
                return dt.date(*(int(g) for g in found.groups()))
            except ValueError:
                return None
    return None
