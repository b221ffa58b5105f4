"""Finding every gazetteer name in a text: a leftmost-longest multi-pattern matcher.

The patterns are the folded names and alternate names of the GeoNames index (about 200 k places
and 1.5 M names), the curated places, countries and their demonyms, seas and rivers, and the
first-level admin areas followed by a word such as "region" or "county". Instead of an
Aho–Corasick automaton over all 1.5 M strings (minutes to build, hundreds of MB), the matcher
uses the GeoNames index's own sorted array of name hashes: every word n-gram of the text that
starts with a capital (at most :data:`MAX_WORDS` words, not crossing punctuation) is folded,
hashed and looked up with one vectorised ``searchsorted``. That is the same set of matches an
automaton over word boundaries would give, the index is already on disk, and loading it is
the only start-up cost (about 0.4 s, once per process: :func:`default_gazetteer` is cached).
"""

from __future__ import annotations

import csv
import functools
import logging
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import NamedTuple

import numpy as np

from incidentmap.geo.geocoding import CuratedPlaces, GeoNamesIndex, default_geocoder
from incidentmap.geo.geocoding.countries import ADMIN1_ALIASES, iso2_to_iso3
from incidentmap.geo.geocoding.geonames import name_hash
from incidentmap.geo.geocoding.names import fold, strip_admin_words
from incidentmap.news.lexicon import (
    ACRONYMS,
    CONTINENTS,
    DEMONYMS,
    ORG_HEADS,
    REGION_WORDS,
    WATER_WORDS,
    WATERS,
    country_names,
)
from incidentmap.news.tokens import Token

__all__ = ["MAX_WORDS", "Candidate", "Gazetteer", "default_gazetteer", "gazetteer_for"]

logger = logging.getLogger(__name__)

#: Longest place name matched, in words ("Sea of Azov", "Brize Norton", "C. A. Rosetti").
MAX_WORDS = 5
# Lower-case words allowed inside a name ("Gulf of Finland", "Ursula von der Leyen").
_CONNECTORS = frozenset("of de la le del di da von van der den upon on am im sur".split())
# What may stand between two words of one name.
_JOINERS = re.compile(r"^(?: |-|‑|–(?=\w))?$")
_ABBREVIATED_COUNTRY = re.compile(r"\b(?:U\.S\.A?\.?|U\.K\.|USA|US|UK)(?![\w.])|\bU\.S\.")


class Candidate(NamedTuple):
    """A name found in the text, before the false-positive rules.

    ``kind`` is one of "country", "demonym", "region", "water", "curated", "geonames";
    ``key`` the folded name; ``ref`` the ISO3 code (countries, demonyms), ``(ISO3, admin1 or
    None, name)`` (regions), the canonical water name, or the folded name (places).
    ``tokens`` are the token indices [first, last + 1).
    """

    text: str
    start: int
    end: int
    tokens: tuple[int, int]
    kind: str
    key: str
    ref: object
    sentence: int


@dataclass
class Gazetteer:
    """The names the matcher looks for; build it with :meth:`from_sources` (cached)."""

    geonames: GeoNamesIndex
    curated_keys: dict[str, list[str]]
    admin1: dict[str, list[tuple[str, str, str]]]  # stripped folded name -> (ISO3, code, name)
    countries: dict[str, str] = field(default_factory=country_names)

    @classmethod
    def from_sources(cls, geonames: GeoNamesIndex, curated: CuratedPlaces) -> Gazetteer:
        curated_keys: dict[str, list[str]] = {}
        for place in curated.places:
            for name in [place.name, *((place.raw or {}).get("alt_names") or ())]:
                curated_keys.setdefault(fold(name), []).append(place.name)
        return cls(geonames=geonames, curated_keys=curated_keys, admin1=_admin1_index())

    # -- lookups ---------------------------------------------------------------------------
    def in_geonames(self, keys: list[str]) -> np.ndarray:
        """Boolean array: which folded keys are a GeoNames name or alternate name."""
        if not keys:
            return np.zeros(0, dtype=bool)
        hashes = np.fromiter((name_hash(k) for k in keys), dtype=np.uint64, count=len(keys))
        table = self.geonames.key_hash
        pos = np.searchsorted(table, hashes)
        pos = np.minimum(pos, len(table) - 1)
        return table[pos] == hashes

    def region(self, words: list[str]) -> tuple[str, str | None, str] | None:
        """(ISO3, admin1 code, name) of an admin1 area named by folded words, if any."""
        hits = self.admin1.get(strip_admin_words(" ".join(words)))
        return hits[0] if hits else None

    # -- matching --------------------------------------------------------------------------
    def find(self, text: str, tokens: list[Token]) -> list[Candidate]:
        """Every leftmost-longest gazetteer match in ``text`` (see the module docstring)."""
        grams: list[tuple[int, int, str]] = []  # (first token, end token, folded key)
        for i, token in enumerate(tokens):
            if not _can_start(token):
                continue
            words: list[str] = []
            for j in range(i, min(i + MAX_WORDS + 2, len(tokens))):
                t = tokens[j]
                water_word = False
                if j > i:
                    previous = tokens[j - 1]
                    if previous.possessive or not (
                        _JOINERS.match(previous.joiner) or _initial_joined(previous)
                    ):
                        break
                    water_word = (
                        not t.capitalised
                        and t.lower in WATER_WORDS
                        and not _modifies_next(tokens, j)
                    )
                    if not (
                        t.capitalised
                        or t.lower in _CONNECTORS
                        or t.lower in REGION_WORDS
                        or water_word
                    ):
                        break
                words.append(fold(t.text))
                if len(words) > MAX_WORDS:
                    break
                if words[-1] not in _CONNECTORS:
                    grams.append((i, j + 1, " ".join(words)))
                if water_word:
                    break  # "the Chilia branch": a lower-case feature word ends the name
        in_geonames = self.in_geonames([key for _, _, key in grams])
        best: dict[int, Candidate] = {}
        for (i, end, key), geonames_hit in zip(grams, in_geonames, strict=True):
            candidate = self._classify(text, tokens, i, end, key, bool(geonames_hit))
            if candidate is None:
                continue
            current = best.get(i)
            if current is None or end > current.tokens[1]:
                best[i] = candidate
        out = []
        covered_until = -1
        for i in sorted(best):
            if i < covered_until:
                continue
            out.append(best[i])
            covered_until = best[i].tokens[1]
        out += self._abbreviations(text, tokens, out)
        return sorted(out, key=lambda c: c.start)

    def _classify(self, text, tokens, i, end, key, geonames_hit) -> Candidate | None:
        first, last = tokens[i], tokens[end - 1]
        span = (first.start, last.end)

        def make(kind, ref):
            surface = text[span[0] : span[1]]
            return Candidate(surface, *span, (i, end), kind, key, ref, first.sentence)

        words = key.split()
        if key in CONTINENTS:
            return None
        if len(words) >= 2 and words[-1] in REGION_WORDS:
            base = [fold(t.text) for t in tokens[i : end - 1]]
            if all(tokens[k].capitalised for k in range(i, end - 1)):
                hit = self.region(base)
                if hit is not None:
                    return make("region", hit)
                return make("region", (None, None, " ".join(t.text for t in tokens[i : end - 1])))
        if key in WATERS_FOLDED:
            return make("water", WATERS_FOLDED[key])
        if len(words) >= 2 and words[-1] in WATER_WORDS and _water_name(tokens, i, end):
            # "the Chilia branch", "the Bystroe Canal": a water feature, not the town "Chilia"
            return make("water", (text[span[0] : span[1]], WATER_WORDS[words[-1]]))
        if (
            len(words) in (2, 3)
            and words[0] == "lake"
            and all(t.capitalised for t in tokens[i:end])
        ):
            return make("water", (text[span[0] : span[1]], "lake"))
        if key in self.countries:
            return make("country", self.countries[key])
        surface = " ".join(t.text for t in tokens[i:end])
        if surface in DEMONYMS:
            return make("demonym", DEMONYMS[surface])
        if key in self.curated_keys:
            return make("curated", key)
        if geonames_hit:
            return make("geonames", key)
        return None

    def _abbreviations(self, text, tokens, found) -> list[Candidate]:
        taken = [(c.start, c.end) for c in found]
        out = []
        for hit in _ABBREVIATED_COUNTRY.finditer(text):
            a, b = hit.span()
            if any(s < b and a < e for s, e in taken):
                continue
            word = hit.group().rstrip(".")
            iso3 = "GBR" if "K" in word else "USA"
            index = _token_at(tokens, a)
            sentence = tokens[index].sentence if index is not None else 0
            toks = (index, index + 1) if index is not None else (0, 0)
            out.append(Candidate(hit.group(), a, b, toks, "country", fold(word), iso3, sentence))
        return out


WATERS_FOLDED = {fold(name): value for name, value in WATERS.items()}


def _initial_joined(token: Token) -> bool:
    """An initial followed by its full stop: the "C." of "C.A. Rosetti" or "C. A. Rosetti"."""
    return len(token.text) == 1 and token.text.isupper() and token.joiner in (".", ". ")


# Nouns a water word modifies: "Izmail river port" is a port, not a river called "Izmail".
_WATER_COMPOUNDS = frozenset(
    """port ports terminal terminals crossing crossings bank banks border shipping traffic cruise
    police station harbour harbor authority administration bridge ferry fleet patrol island
    islands route routes transport""".split()
)


def _modifies_next(tokens: list[Token], j: int) -> bool:
    following = tokens[j + 1] if j + 1 < len(tokens) else None
    return following is not None and tokens[j].joiner == " " and following.lower in _WATER_COMPOUNDS


def _water_name(tokens: list[Token], i: int, end: int) -> bool:
    """Whether tokens [i, end - 1) are a capitalised name before a water word (not an
    organisation's name: "Fox News Channel")."""
    name = tokens[i : end - 1]
    if not all(t.capitalised for t in name):
        return False
    if any(fold(t.text) in ORG_HEADS for t in name):
        return False
    last = tokens[end - 1]
    return not last.capitalised or last.lower not in ("channel", "arm", "branch", "stream")


def _can_start(token: Token) -> bool:
    if not token.text[:1].isupper():
        return False
    if token.text.isupper() and len(token.text) > 1 and fold(token.text) in ACRONYMS:
        return False
    return True


def _token_at(tokens: list[Token], offset: int) -> int | None:
    for token in tokens:
        if token.start <= offset < token.end or token.start >= offset:
            return token.index
    return None


@functools.cache
def _admin1_index() -> dict[str, list[tuple[str, str, str]]]:
    index: dict[str, list[tuple[str, str, str]]] = {}
    source = resources.files("incidentmap.geo.geocoding").joinpath("data/geonames_admin1.csv")
    with source.open("r", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        iso2, code, name = row["country_iso2"], row["admin1_code"], row["admin1_name"]
        iso3 = iso2_to_iso3(iso2)
        for alias in (name, *ADMIN1_ALIASES.get((iso2, code), ())):
            key = strip_admin_words(alias)
            if key:
                index.setdefault(key, []).append((iso3, code, name))
    return index


_GAZETTEERS: dict[int, tuple[object, Gazetteer]] = {}


def gazetteer_for(geocoder) -> Gazetteer:
    """The gazetteer over a geocoder's GeoNames and curated sources (built once per geocoder)."""
    held = _GAZETTEERS.get(id(geocoder))
    if held is not None and held[0] is geocoder:
        return held[1]
    geonames = next(s for s in geocoder.sources if isinstance(s, GeoNamesIndex))
    curated = next((s for s in geocoder.sources if isinstance(s, CuratedPlaces)), CuratedPlaces([]))
    gazetteer = Gazetteer.from_sources(geonames, curated)
    _GAZETTEERS.clear()  # keep one: the geocoder of the process (or of the test)
    _GAZETTEERS[id(geocoder)] = (geocoder, gazetteer)
    return gazetteer


def default_gazetteer() -> Gazetteer:
    """The gazetteer over :func:`~geo.geocoding.default_geocoder`'s sources (built once)."""
    return gazetteer_for(default_geocoder())
