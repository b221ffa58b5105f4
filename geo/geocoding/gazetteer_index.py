"""The installed gazetteers: one SQLite index in the cache folder, and the chain's source.

``gazetteer.sqlite`` holds every installed place (``places``), its folded names and
transliterations (``names``, indexed), its loose keys (``loose``), and one row per installed
(country, source) in ``installs`` with the snapshot date, the licence and where it came from.

Installing never damages a working index: the new index is built in a temporary file next
to it (a copy of the old one, with the installed countries replaced) and swapped in with
``os.replace`` only when complete.

Duplicates across sources (the same village in Who's On First and in GeoNames) are marked,
not deleted, after every install: a record sharing its GeoNames id with a Who's On First
record, or carrying the same folded name within :data:`DUPLICATE_RADIUS_M` of a record of a
better source, points to it in ``duplicate_of`` and is not offered as a candidate.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import shutil
import sqlite3
import threading
from collections.abc import Callable, Iterable
from pathlib import Path

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.cache import default_cache_dir
from incidentmap.geo.geocoding.countries import iso2_to_iso3
from incidentmap.geo.geocoding.gazetteer_formats import GazetteerRecord
from incidentmap.geo.geocoding.names import (
    could_be_close,
    fold,
    is_code_like,
    loose_key,
    loose_key_of_folded,
    name_variants,
    qualified_keys,
)
from incidentmap.geo.geocoding.translit import has_cyrillic, latin_keys

__all__ = [
    "InstalledGazetteer",
    "LICENCES",
    "index_path",
    "install_records",
    "list_installs",
    "remove_installs",
]

logger = logging.getLogger(__name__)

INDEX_FILENAME = "gazetteer.sqlite"
SCHEMA_VERSION = 2  # 2: name tables WITHOUT ROWID (an index of version 1 reads alike)
# Same folded name this close: one place listed by two sources (villages are ~1-2 km across).
DUPLICATE_RADIUS_M = 2000.0
# Better sources first: a duplicate points to the record of the best source.
SOURCE_PRIORITY = {"wof": 0, "geonames": 1, "geonames-postal": 2}
LICENCES = {
    "wof": "Who's On First: CC0 with parts CC BY (GeoNames, Quattroshapes, ...); "
    "attribution 'Data from Who's On First', https://whosonfirst.org/docs/licenses/",
    "geonames": "GeoNames, CC BY 4.0, https://www.geonames.org",
    "geonames-postal": "GeoNames postal codes, CC BY 4.0, https://www.geonames.org",
}
# Radius (m) within which the place lies, by kind of place, when population says little.
PRECISION_BY_PLACETYPE_M = {
    "locality": 1500.0,  # a village label point; villages are 1-2 km across
    "borough": 3000.0,  # a city district
    "localadmin": 6000.0,  # a commune/gmina: the point stands for its whole territory
    "postal": 2000.0,  # GeoNames postal place: village centre, accuracy ~1 km
}
CITY_RADIUS_M_PER_SQRT_POP = 30.0  # built-up radius of a town ~ 30 m x sqrt(population)
MAX_CITY_RADIUS_M = 20000.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS installs (
    country TEXT, source TEXT, snapshot TEXT, licence TEXT, origin TEXT, records INTEGER,
    installed_at TEXT, PRIMARY KEY (country, source));
CREATE TABLE IF NOT EXISTS places (
    id INTEGER PRIMARY KEY, source TEXT, ref TEXT, name TEXT, country TEXT, admin1 TEXT,
    admin2 TEXT, admin3 TEXT, admin_set INTEGER, lon REAL, lat REAL, population INTEGER,
    placetype TEXT, gn_id INTEGER, folded TEXT, duplicate_of INTEGER);
CREATE TABLE IF NOT EXISTS admin_sets (id INTEGER PRIMARY KEY, names TEXT);
CREATE TABLE IF NOT EXISTS names (
    key TEXT, place INTEGER, kind INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS loose (key TEXT, place INTEGER, PRIMARY KEY (key, place)) WITHOUT ROWID;
"""
# The name tables are their own key index (WITHOUT ROWID): each key is stored once, not in a
# table and again in an index. Admin sets are deduplicated in memory while installing.
_INDEXES = """
CREATE INDEX IF NOT EXISTS places_country ON places (country, source);
CREATE INDEX IF NOT EXISTS places_folded ON places (folded);
"""
_SEPARATOR = "\x1f"


def index_path(cache_dir: str | os.PathLike | None = None) -> Path:
    """Where the index lives: ``<cache>/gazetteer.sqlite``."""
    return Path(cache_dir or default_cache_dir()) / INDEX_FILENAME


def _precision_m(placetype: str, population: int) -> float:
    by_kind = PRECISION_BY_PLACETYPE_M.get(placetype, 1500.0)
    if population > 0:
        by_size = min(
            MAX_CITY_RADIUS_M, round(CITY_RADIUS_M_PER_SQRT_POP * math.sqrt(population), -2)
        )
        return float(max(by_kind if placetype != "localadmin" else 0.0, by_size, 1000.0))
    return by_kind


def _name_keys(record: GazetteerRecord) -> dict[str, int]:
    """Folded keys of a record: 0 = its own name, 1 = an alternate or transliteration."""
    keys: dict[str, int] = {}
    for kind, names in ((0, [record.name]), (1, record.alternates)):
        for name in names:
            if kind == 1 and is_code_like(name):
                continue
            for key in [fold(name), *(fold(k) for k in latin_keys(name))]:
                if key and (key not in keys):
                    keys[key] = kind
    return keys


def _geodesic_close(a: tuple[float, float], b: tuple[float, float], radius_m: float) -> bool:
    # haversine is exact enough at 2 km (error < 0.5 %), and this loop runs ~10^5 times
    lon1, lat1, lon2, lat2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h))) <= radius_m


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path)
    connection.executescript(_SCHEMA)
    return connection


def install_records(
    groups: Iterable[tuple[str, str, str, str, Iterable[GazetteerRecord]]],
    *,
    cache_dir: str | os.PathLike | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[dict]:
    """Install ``(country_iso2, source, snapshot, origin, records)`` groups into the index.

    Each group replaces what was installed for that country and source. Built in a temporary
    copy and swapped in at the end, so an error (a bad file) leaves the old index working.
    Returns one summary dict a group.
    """
    path = index_path(cache_dir)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    if path.exists():
        shutil.copyfile(path, partial)
    elif partial.exists():
        partial.unlink()
    summaries = []
    try:
        connection = _connect(partial)
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        touched: set[str] = set()
        for country, source, snapshot, origin, records in groups:
            count = _replace_group(connection, country, source, records, progress)
            connection.execute(
                "INSERT OR REPLACE INTO installs VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    country,
                    source,
                    snapshot,
                    LICENCES[source],
                    origin,
                    count,
                    dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                ),
            )
            touched.add(iso2_to_iso3(country))
            summaries.append(
                {"country": country, "source": source, "snapshot": snapshot, "records": count}
            )
        connection.executescript(_INDEXES)
        for country in sorted(touched):
            _mark_duplicates(connection, country)
        connection.execute(
            "INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),)
        )
        connection.commit()
        connection.close()
        os.replace(partial, path)
    finally:
        if partial.exists():
            partial.unlink()
    return summaries


def _replace_group(connection, country, source, records, progress) -> int:
    iso3 = iso2_to_iso3(country)
    old = [
        row[0]
        for row in connection.execute(
            "SELECT id FROM places WHERE country = ? AND source = ?", (iso3, source)
        )
    ]
    if old:
        low, high = min(old), max(old)  # one pass each, not one scan per place
        doomed = "SELECT id FROM places WHERE country = ? AND source = ? AND id BETWEEN ? AND ?"
        for table in ("names", "loose"):
            connection.execute(
                f"DELETE FROM {table} WHERE place BETWEEN ? AND ? AND place IN ({doomed})",
                (low, high, iso3, source, low, high),
            )
        connection.execute("DELETE FROM places WHERE country = ? AND source = ?", (iso3, source))
    next_id = (connection.execute("SELECT MAX(id) FROM places").fetchone()[0] or 0) + 1
    admin_sets = dict(connection.execute("SELECT names, id FROM admin_sets"))
    count = 0
    place_rows, name_rows, loose_rows = [], [], []
    for record in records:
        if record.country != country:
            continue
        place_id = next_id
        next_id += 1
        keys = _name_keys(record)
        joined = _SEPARATOR.join(record.admin_names)
        admin_set = admin_sets.get(joined)
        if admin_set is None:
            admin_set = admin_sets[joined] = len(admin_sets) + 1
            connection.execute("INSERT INTO admin_sets VALUES (?, ?)", (admin_set, joined))
        place_rows.append(
            (
                place_id, record.source, record.ref, record.name, iso3, record.admin1,
                record.admin2, record.admin3, admin_set, record.lon,
                record.lat, record.population, record.placetype, record.gn_id,
                fold(record.name), None,
            )
        )  # fmt: skip
        name_rows += [(key, place_id, kind) for key, kind in keys.items()]
        loose_rows += [
            (k, place_id) for k in {loose_key_of_folded(key) for key in keys if key.isascii()}
        ]
        count += 1
        if len(place_rows) >= 20000:
            _flush(connection, place_rows, name_rows, loose_rows)
            if progress:
                progress(20000)
    _flush(connection, place_rows, name_rows, loose_rows)
    if progress:
        progress(count % 20000)
    return count


def _flush(connection, place_rows, name_rows, loose_rows) -> None:
    connection.executemany(f"INSERT INTO places VALUES ({','.join('?' * 16)})", place_rows)
    connection.executemany("INSERT INTO names VALUES (?, ?, ?)", name_rows)
    connection.executemany("INSERT INTO loose VALUES (?, ?)", loose_rows)
    place_rows.clear()
    name_rows.clear()
    loose_rows.clear()


def _mark_duplicates(connection: sqlite3.Connection, iso3: str) -> None:
    rows = connection.execute(
        "SELECT id, source, folded, lon, lat, gn_id, population FROM places WHERE country = ?",
        (iso3,),
    ).fetchall()
    rows.sort(key=lambda r: (SOURCE_PRIORITY.get(r[1], 9), -(r[6] or 0), r[0]))
    by_gn: dict[int, int] = {}
    by_name: dict[str, list[tuple[int, str, float, float]]] = {}
    updates = []
    for place_id, source, folded, lon, lat, gn_id, _ in rows:
        duplicate_of = None
        if gn_id and gn_id in by_gn and source != "wof":
            duplicate_of = by_gn[gn_id]
        if duplicate_of is None:
            for other_id, other_source, olon, olat in by_name.get(folded, ()):
                if other_source != source and _geodesic_close(
                    (lon, lat), (olon, olat), DUPLICATE_RADIUS_M
                ):
                    duplicate_of = other_id
                    break
        updates.append((duplicate_of, place_id))
        if duplicate_of is None:
            if gn_id:
                by_gn.setdefault(gn_id, place_id)
            by_name.setdefault(folded, []).append((place_id, source, lon, lat))
    connection.executemany("UPDATE places SET duplicate_of = ? WHERE id = ?", updates)


def list_installs(cache_dir: str | os.PathLike | None = None) -> list[dict]:
    """One dict per installed (country, source): snapshot, licence, origin, records."""
    path = index_path(cache_dir)
    if not path.exists():
        return []
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        cursor = connection.execute(
            "SELECT country, source, snapshot, licence, origin, records, installed_at "
            "FROM installs ORDER BY country, source"
        )
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor]


def remove_installs(
    countries: Iterable[str] = (),
    *,
    source: str | None = None,
    cache_dir: str | os.PathLike | None = None,
) -> int:
    """Remove installed countries (ISO2; all if none given) of one source (or all sources).

    Returns the number of (country, source) installs removed; removing all deletes the file.
    """
    path = index_path(cache_dir)
    if not path.exists():
        return 0
    wanted = {c.upper() for c in countries}
    installs = [
        i
        for i in list_installs(cache_dir)
        if (not wanted or i["country"] in wanted) and (source is None or i["source"] == source)
    ]
    if len(installs) == len(list_installs(cache_dir)):
        path.unlink()
        return len(installs)
    groups = [(i["country"], i["source"], i["snapshot"], i["origin"], ()) for i in installs]
    install_records(groups, cache_dir=cache_dir)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    shutil.copyfile(path, partial)
    with sqlite3.connect(partial) as connection:
        connection.executemany(
            "DELETE FROM installs WHERE country = ? AND source = ?",
            [(i["country"], i["source"]) for i in installs],
        )
    connection.close()
    os.replace(partial, path)
    return len(installs)


class InstalledGazetteer:
    """The installed gazetteers as a source of the chain (``name`` "gazetteer").

    Opens the index read-only; :meth:`open` returns ``None`` when nothing is installed.
    """

    name = "gazetteer"

    def __init__(self, path: Path):
        self.path = Path(path)
        self._local = threading.local()
        self._admin_cache: dict[int, tuple[str, ...]] = {}
        self._snapshots = {
            (iso2_to_iso3(i["country"]), i["source"]): i["snapshot"]
            for i in list_installs(self.path.parent)
        }

    @classmethod
    def open(cls, cache_dir: str | os.PathLike | None = None) -> InstalledGazetteer | None:
        path = index_path(cache_dir)
        if not path.exists():
            return None
        try:
            return cls(path)
        except sqlite3.DatabaseError as exc:
            raise DataFileError(
                f"gazetteer index {path} is unreadable ({exc}); run "
                "'incidentmap gazetteer remove' and install again"
            ) from None

    def _connection(self) -> sqlite3.Connection:
        connection = getattr(self._local, "connection", None)
        if connection is None:
            connection = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True)
            self._local.connection = connection
        return connection

    def __len__(self) -> int:
        return self._connection().execute("SELECT COUNT(*) FROM places").fetchone()[0]

    def _lookup(self, table: str, keys: list[str], country: str | None) -> list[tuple]:
        marks = ",".join("?" * len(keys))
        kind = "n.kind" if table == "names" else "1"
        sql = (
            # CROSS JOIN keeps this order: look the keys up, then their places (never every
            # place of the country first)
            f"SELECT p.*, MIN({kind}) FROM {table} n CROSS JOIN places p ON p.id = n.place "
            f"WHERE n.key IN ({marks}) AND p.duplicate_of IS NULL"
        )
        args: list = list(keys)
        if country:
            sql += " AND p.country = ?"
            args.append(country)
        return self._connection().execute(sql + " GROUP BY p.id", args).fetchall()

    def candidates(self, name: str, *, country: str | None = None) -> list[Match]:
        """Places named ``name`` (own or alternate names and transliterations, then Romanian
        article variants, then loose keys)."""
        key = fold(name)
        if not key:
            return []
        keys = [key, *(fold(k) for k in latin_keys(name))] if has_cyrillic(name) else [key]
        rows = self._lookup("names", keys, country)
        how_of = lambda kind: "name" if kind == 0 else "alternate"  # noqa: E731
        if not rows:
            variants = name_variants(name)
            rows = self._lookup("names", variants, country) if variants else []
            how_of = lambda kind: "variant"  # noqa: E731
        found = [self._match(row, how_of(row[-1])) for row in rows]
        seen = {m.place.ref for m in found}
        if not any(m.how == "name" for m in found):
            # alias-only matches are weak: namesakes spelt a little differently compete
            rows = self._lookup("loose", [loose_key(k) for k in keys], country)
            found += [self._match(r, "loose") for r in rows if r[2] not in seen]
            seen = {m.place.ref for m in found}
        # own names with a qualifier after or before the query (Chilia Veche for "Chilia")
        qualified = [q for k in keys for q in qualified_keys(k)]
        rows = self._lookup("names", qualified, country)
        found += [self._match(r, "qualified") for r in rows if r[-1] == 0 and r[2] not in seen]
        return found

    def _match(self, row: tuple, how: str) -> Match:
        (pid, source, ref, name, country, admin1, admin2, admin3, admin_set, lon, lat,
         population, placetype, gn_id, _folded, _dup, _kind) = row  # fmt: skip
        admin_names = self._admin_names(admin_set)
        snapshot = self._snapshots.get((country, source), "")
        place = Place(
            name=name,
            lon=lon,
            lat=lat,
            country=country,
            admin1=admin1,
            admin2=admin2 or admin3,
            feature=placetype,
            population=population or None,
            source=f"gazetteer:{source}@{snapshot}" if snapshot else f"gazetteer:{source}",
            precision_m=_precision_m(placetype, population or 0),
            ref=ref,
            raw={"gn_id": gn_id, "admin3": admin3, "placetype": placetype},
        )
        return Match(place, how, admin_names)

    def _admin_names(self, admin_set: int) -> tuple[str, ...]:
        cache = self._admin_cache
        if admin_set not in cache:
            row = (
                self._connection()
                .execute("SELECT names FROM admin_sets WHERE id = ?", (admin_set,))
                .fetchone()
            )
            cache[admin_set] = tuple(n for n in (row[0] if row else "").split(_SEPARATOR) if n)
        return cache[admin_set]

    def suggestion_pool(self, key: str, *, country: str | None = None) -> list[tuple[str, str]]:
        """(folded name, "Name (ISO3)") of places starting with ``key``'s first two letters,
        about as long, that may be close enough to suggest (:func:`could_be_close`)."""
        where = " AND country = ?" if country else ""
        args: list = [key[:2], key[:2] + "\uffff", len(key) - 3, len(key) + 3]
        args += [country] if country else []
        keys = [
            row[0]
            for row in self._connection().execute(
                "SELECT DISTINCT folded FROM places WHERE folded >= ? AND folded < ? "
                f"AND length(folded) BETWEEN ? AND ?{where} LIMIT 5000",
                args,
            )
        ]
        close = [keys[i] for i in could_be_close(key, keys)]  # only names that may qualify
        if not close:
            return []
        rows = self._connection().execute(
            f"SELECT folded, name, country FROM places WHERE folded IN "
            f"({','.join('?' * len(close))}){where}",
            [*close, *([country] if country else [])],
        )
        return [(f, f"{n} ({c})") for f, n, c in rows]
