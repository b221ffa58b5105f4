"""Reading an article from disk, with clear errors for input that is not an article.

An article is a UTF-8 text file (a BOM is allowed) of at most :data:`MAX_ARTICLE_BYTES`. Empty
files, binary files (NUL bytes or mostly control characters), files in another encoding and huge
files are refused with an :class:`ArticleInputError` that names the file and the likely mistake.

A date line among the first lines gives the publication date: ``" date 2023-09-04"`` (as
scraped news often carry), or a dateline such as ``"Vilnius, July 29, 2025"``, ``"29 July 2025"``
or ``"July 29, 2025 — A drone ..."``; :func:`published_from_text` finds it.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import re
from pathlib import Path
from typing import NamedTuple

from incidentmap.geo.errors import ArticleInputError

__all__ = [
    "MAX_ARTICLE_BYTES",
    "Article",
    "ArticleInputError",
    "check_article_text",
    "article_from_bytes",
    "dateline",
    "wire_dateline",
    "load_article",
    "published_from_text",
    "strip_dateline",
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
    return article_from_bytes(path.read_bytes(), where=str(path), published=published)


def article_from_bytes(
    raw: bytes, *, where: str = "<stdin>", published: dt.date | None = None
) -> Article:
    r"""An article from raw bytes (a file's or standard input's), checked like a file.

    ``where`` names the input in messages and becomes the article's ``path``.

    >>> article_from_bytes(b"Bucharest, 12 February 2025\nDebris found.").published
    datetime.date(2025, 2, 12)
    """
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ArticleInputError(
            f"{where!r} has more than the {MAX_ARTICLE_BYTES:,} bytes accepted for one "
            "article; is it a whole web archive or a data file?"
        )
    if not raw.strip():
        raise ArticleInputError(f"{where!r} is empty; nothing to extract")
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ArticleInputError(
            f"{where!r} is UTF-16 text (it starts with a UTF-16 byte-order mark); re-save "
            "it as UTF-8, e.g. `iconv -f UTF-16 -t UTF-8`"
        )
    if b"\x00" in raw[:65536]:
        raise ArticleInputError(
            f"{where!r} contains NUL bytes; it looks like a binary file (PDF, image, "
            "archive), not a plain-text article"
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleInputError(
            f"{where!r} is not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset "
            f"{exc.start}); re-save it as UTF-8, e.g. `iconv -f WINDOWS-1250 -t UTF-8`"
        ) from None
    text = check_article_text(text, where=repr(where))
    if published is None:
        published = published_from_text(text)
        if published is not None:
            logger.info("publication date %s from the date line of %s", published, where)
    return Article(text=text, path=where, published=published)


_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            "january jan", "february feb", "march mar", "april apr", "may", "june jun",
            "july jul", "august aug", "september sep sept", "october oct", "november nov",
            "december dec",
        ),
        start=1,
    )
    for name in names.split()
}  # fmt: skip
_MONTH = r"(?:" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
# What may stand before the date on a date line: a label ("Published:"), or a dateline's place
# ("Vilnius,", "KYIV, Ukraine,", "Bucharest (Reuters),"), then an optional weekday.
_LINE_HEAD = (
    r"^\W{0,3}(?:(?:date|published|posted|updated)\b\s*[:\-]?\s*"
    r"|(?:[^\W\d_][\w.'’()-]*(?:[ -][\w.'’()-]+){0,2},\s*){1,2})?"
    r"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
)
_DATE_LINE = re.compile(
    _LINE_HEAD + r"(?:(?P<y>\d{4})-(?P<m>\d{2})-(?P<d>\d{2})\b"
    rf"|(?P<m2>{_MONTH})\s+(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y2>(?:19|20)\d\d)\b"
    rf"|(?P<d3>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<m3>{_MONTH}),?\s+(?P<y3>(?:19|20)\d\d)\b)",
    re.IGNORECASE,
)
# After a written-out date, a date line goes on with nothing, a dash, a colon, a bracket, a
# time or a slash ("July 29, 2025 — A drone ...", "29 July 2025 (wire)", "... 2025, 10:32").
_DATE_LINE_TAIL = re.compile(r"\s*(?:$|[—–\-:|(/•·,;]|\d{1,2}[:.]\d{2})")


def dateline(text: str) -> tuple[dt.date, int, int] | None:
    r"""(date, start, end) of a date line among the first three non-empty lines, if any.

    A date line is an ISO date at the start of a line (optionally after "date", "published"
    ...), or a written-out date with its year after a dateline's place or alone: "Vilnius,
    July 29, 2025", "29 July 2025", "July 29, 2025 — A drone ...". ``start``/``end`` are the
    character offsets of the date line's date in ``text``.

    >>> dateline("Vilnius, July 29, 2025 (wire)\nA drone crashed.")[0]
    datetime.date(2025, 7, 29)
    """
    offset = seen = 0
    for line in text.splitlines(keepends=True):
        if seen >= 3:
            break
        if line.strip():
            seen += 1
            stripped = line.lstrip("\ufeff")
            lead = offset + len(line) - len(stripped)
            found = _DATE_LINE.match(stripped)
            if found and (found.group("y") or _DATE_LINE_TAIL.match(stripped, found.end())):
                day = _date_of(found)
                if day is not None:
                    return day, lead + found.start(), lead + found.end()
        offset += len(line)
    return None


_WIRE_DATELINE = re.compile(
    r"^[ \t\ufeff]*(?P<place>[A-Z][A-Z'.-]+(?: [A-Z][A-Z'.-]+)*)(?:,\s*[A-Z][a-z]+)?"
    r"(?:,?\s*(?P<date>[A-Z][a-z]{2,8}\.? [0-3]?\d(?:, (?:19|20)\d\d)?|[0-3]?\d [A-Z][a-z]{2,8}))?"
    r"\s*(?:\([^)\n]{0,80}\))?\s*[-\u2013\u2014]+\s",
    re.M,
)


def wire_dateline(text: str) -> tuple[int, int] | None:
    """(start, end) of a wire-style date line opening one of the first lines: "BUCHAREST,
    Sept 14 (Reuters) - ", "WARSAW — ", "WARSAW (UrduPoint News / Sputnik - 27th April,
    2023) ". Its place is where the story was filed and its date is the publication's: neither
    is the incident's.

    >>> text = "BUCHAREST, Sept 14 (Reuters) - A drone fell."
    >>> start, end = wire_dateline(text); text[start:end]
    'BUCHAREST, Sept 14 (Reuters) - '
    """
    found = _WIRE_DATELINE.search(text[:400])
    if found is None or text[: found.start()].count("\n") > 3:
        return None
    return found.start(), found.end()


def _date_of(found: re.Match) -> dt.date | None:
    g = found.groupdict()
    try:
        if g["y"]:
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"]))
        if g["y2"]:
            return dt.date(int(g["y2"]), _MONTHS[g["m2"].lower().rstrip(".")], int(g["d2"]))
        return dt.date(int(g["y3"]), _MONTHS[g["m3"].lower().rstrip(".")], int(g["d3"]))
    except ValueError:
        return None


def published_from_text(text: str) -> dt.date | None:
    r"""The publication date given by a date line (see :func:`dateline`), if any.

    >>> published_from_text(" date 2023-09-04 A drone ...")
    datetime.date(2023, 9, 4)
    >>> published_from_text("Bucharest, 12 February 2025\nDrone debris found")
    datetime.date(2025, 2, 12)
    >>> published_from_text("Drone falls in Romania") is None
    True
    """
    found = dateline(text)
    return found[0] if found else None


def strip_dateline(line: str) -> str:
    """A line without a leading date line: "Vilnius, July 29, 2025 (wire)" → "",
    "July 29, 2025 — Drone falls" → "Drone falls"; any other line unchanged."""
    found = _DATE_LINE.match(line)
    if not found or not (found.group("y") or _DATE_LINE_TAIL.match(line, found.end())):
        return line
    return _TAIL_JUNK.sub("", line[found.end() :])


_TAIL_JUNK = re.compile(
    r"^\s*(?:\([^)]{0,30}\))?\s*[—–\-:|/•·,;]?\s*(?:\d{1,2}[:.]\d{2}(?:\s*[A-Z]{2,4}\b)?)?"
    r"\s*[—–\-:|/•·,;]?\s*"
)
