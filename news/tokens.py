"""Words, sentences and capitalised runs of an article, with character offsets.

A token is a run of letters (with inner apostrophes, so "Odes'ka" is one token); a trailing
possessive ('s, ’s) is split off and remembered, so "Kyiv’s" is the token "Kyiv" with
``possessive=True``. Hyphens separate tokens but are remembered as ``joiner`` so that
"Radu-Dinel" and "Iranian-made" can be put back together.
"""

from __future__ import annotations

import re
from typing import NamedTuple

__all__ = ["Token", "tokenize", "sentence_spans", "sentence_of"]

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*|\d+(?:[.,]\d+)*", re.UNICODE)
_POSSESSIVE = re.compile(r"^(.+?)['’]s$")


class Token(NamedTuple):
    """A word: its text, offsets, the sentence it is in and what joins it to the next word."""

    text: str
    start: int
    end: int
    index: int
    sentence: int
    possessive: bool
    joiner: str  # the characters between this token and the next ("" at the end)

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def lower(self) -> str:
        return self.text.lower()


# A sentence ends at . ! ? followed by a space and a capital or quote, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’)]*\s+(?=[\"“‘(A-Z0-9])|\n+")
# Abbreviations after which a full stop does not end the sentence.
_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Gen|Col|Lt|Sgt|St|Sen|Rep|Gov|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|"
    r"Nov|Dec|No|vs|approx|U\.S|U\.K|a\.m|p\.m)\.)$"
    # an initial: "C.A. Rosetti", "C. A. Rosetti", "George W. Bush"
    r"|(?<![^\s.(])[A-Z]\.$"
)


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence; line breaks always end one.

    >>> text = "A drone fell on Aug. 4 near Reni. Romania denied it."
    >>> [text[a:b] for a, b in sentence_spans(text)]
    ['A drone fell on Aug. 4 near Reni.', 'Romania denied it.']
    """
    spans = []
    start = 0
    for found in _SENTENCE_END.finditer(text):
        end = found.start()
        if found.group().strip() == "" and "\n" not in found.group():
            if _ABBREVIATIONS.search(text[max(start, end - 6) : end]):
                continue
        if text[start:end].strip():
            spans.append((start, end))
        start = found.end()
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return spans


def sentence_of(spans: list[tuple[int, int]], offset: int) -> int:
    """Index of the sentence containing character ``offset`` (the previous one between them)."""
    lo, hi = 0, len(spans) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if spans[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


# Words glued by scraping ("onceKyiv", "ofNATO") are split where lower case meets upper case.
_GLUED = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _glued_words(text: str):
    for found in _WORD.finditer(text):
        word, start = found.group(), found.start()
        if not word[:1].isupper() and _GLUED.search(word):
            cut = _GLUED.search(word).start()
            yield word[:cut], start, start + cut
            yield word[cut:], start + cut, found.end()
        else:
            yield word, start, found.end()


def tokenize(text: str, spans: list[tuple[int, int]] | None = None) -> list[Token]:
    """Tokens of ``text`` (see the module docstring).

    >>> [(t.text, t.possessive) for t in tokenize("Kyiv’s ministry")]
    [('Kyiv', True), ('ministry', False)]
    """
    spans = sentence_spans(text) if spans is None else spans
    raw = []
    for found in _glued_words(text):
        word, start, end = found
        possessive = False
        stripped = _POSSESSIVE.match(word)
        if stripped and len(stripped.group(1)) > 1:
            word, end, possessive = stripped.group(1), start + len(stripped.group(1)), True
        raw.append((word, start, end, possessive))
    tokens: list[Token] = []
    sentence = 0
    for i, (word, start, end, possessive) in enumerate(raw):
        while sentence + 1 < len(spans) and spans[sentence + 1][0] <= start:
            sentence += 1
        following = raw[i + 1][1] if i + 1 < len(raw) else end
        gap = text[end:following]
        if possessive:
            gap = gap[2:]
        tokens.append(Token(word, start, end, i, sentence, possessive, gap))
    return tokens
