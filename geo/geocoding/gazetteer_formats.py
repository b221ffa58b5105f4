"""Readers of published gazetteer formats: Who's On First, GeoNames dump, GeoNames postal.

Each reader yields :class:`GazetteerRecord` tuples (one populated place each) and raises
:class:`~geo.errors.DataFileError` naming the file and line of anything it cannot read.
:func:`detect_files` finds the gazetteer files under a path and names their format.

Rules taken from the data (see ``../shared/gazetteer/README.md`` for the formats):

- Who's On First records with ``mz:is_current`` = 0, ``edtf:deprecated`` or
  ``wof:superseded_by`` set are skipped; ``-alt-`` files of a cloned repository too.
- The shown name is the native spelling when it folds to ``wof:name`` (Polish
  ``name:pol_x_preferred`` "Przewodów" for ``wof:name`` "Przewodow").
- Region, county and local-admin names come from the ancestors in ``wof:hierarchy``.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.geocoding.names import fold

__all__ = ["GazetteerRecord", "detect_files", "read_file", "FORMATS", "NATIVE_LANGUAGE"]

logger = logging.getLogger(__name__)

FORMATS = ("wof", "geonames", "geonames-postal")

# WOF placetypes indexed as places; admin placetypes are read only as ancestors.
WOF_PLACE_TYPES = frozenset({"locality", "localadmin", "borough"})
WOF_ANCESTOR_KEYS = ("region_id", "county_id", "localadmin_id")
# The language whose preferred name is the native spelling, by ISO2 country.
NATIVE_LANGUAGE = {
    "PL": "pol", "RO": "ron", "MD": "ron", "UA": "ukr", "BY": "bel", "LT": "lit",
    "LV": "lav", "EE": "est", "FI": "fin", "SK": "slk", "HU": "hun", "BG": "bul",
    "NO": "nor", "SE": "swe", "TR": "tur", "GE": "kat",
}  # fmt: skip
GEONAMES_COLUMNS = 19
POSTAL_COLUMNS = 12
# GeoNames feature classes kept from a full dump: P = populated places.
GEONAMES_FEATURE_CLASSES = frozenset({"P"})


class GazetteerRecord(NamedTuple):
    """One populated place of a gazetteer file. (lon, lat) in degrees, WGS84."""

    source: str  # "wof", "geonames", "geonames-postal"
    ref: str  # "wof:101752307", "geonames:686502", "postal:RO:827050"
    name: str
    alternates: tuple[str, ...]
    country: str  # ISO2
    admin1: str | None
    admin2: str | None
    admin3: str | None
    admin_names: tuple[str, ...]  # every name of every admin area, for admin context
    lon: float
    lat: float
    population: int
    placetype: str  # "locality", "localadmin", "borough", "PPLC", "PPLA", "PPL", "postal"
    gn_id: int | None


# -- opening files -------------------------------------------------------------------------
def _text_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(line number, line) of a plain or gzipped text file; a broken gzip names the line."""
    opener = gzip.open if path.name.endswith(".gz") else open
    number = 0
    try:
        with opener(path, "rt", encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                yield number, line
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        raise DataFileError(
            f"{path}: truncated or corrupt gzip after line {number} ({exc}); "
            "download the file again"
        ) from None
    except UnicodeDecodeError as exc:
        raise DataFileError(f"{path}, line {number + 1}: not UTF-8 text ({exc})") from None


def _zip_member_lines(path: Path, member: str) -> Iterator[tuple[int, str]]:
    try:
        with zipfile.ZipFile(path) as archive, archive.open(member) as raw:
            yield from enumerate(io.TextIOWrapper(raw, encoding="utf-8"), 1)
    except (zipfile.BadZipFile, EOFError, zlib.error) as exc:
        raise DataFileError(f"{path}: truncated or corrupt zip archive ({exc})") from None


# -- format detection ------------------------------------------------------------------------
def _sniff(path: Path, first_line: str) -> str | None:
    line = first_line.strip()
    if line.startswith("{") and '"wof:' in line:
        return "wof"
    columns = first_line.rstrip("\n").split("\t")
    if len(columns) == GEONAMES_COLUMNS and columns[0].isdigit():
        return "geonames"
    if len(columns) == POSTAL_COLUMNS and len(columns[0]) == 2 and columns[0].isupper():
        return "geonames-postal"
    return None


def _first_line(path: Path) -> str:
    if path.suffix == ".zip":
        try:
            with zipfile.ZipFile(path) as archive:
                member = _zip_data_member(path, archive)
                with archive.open(member) as raw:
                    return raw.readline().decode("utf-8", "replace")
        except zipfile.BadZipFile as exc:
            raise DataFileError(f"{path}: not a readable zip archive ({exc})") from None
    for _, line in _text_lines(path):
        return line
    return ""


def _zip_data_member(path: Path, archive: zipfile.ZipFile) -> str:
    names = [n for n in archive.namelist() if n.endswith(".txt") and "readme" not in n.lower()]
    wanted = f"{path.stem}.txt"
    if wanted in names:
        return wanted
    if len(names) == 1:
        return names[0]
    raise DataFileError(f"{path}: expected one {wanted} inside the archive, found {names}")


def detect_files(path: str | Path) -> list[tuple[Path, str]]:
    """Gazetteer files under ``path`` (a file or folder) and their formats.

    Folders are searched recursively: ``*.geojsonl(.gz)``, ``*.txt(.gz)``, ``*.zip`` and the
    ``data/**/*.geojson`` records of a cloned Who's On First repository (one entry for the
    folder, format ``"wof-repo"``). GeoNames ``admin1CodesASCII.txt``/``admin2Codes.txt`` are
    side files, read with the dump, not listed. A file of no known format is an error.
    """
    path = Path(path)
    if not path.exists():
        raise DataFileError(f"gazetteer path {path} does not exist")
    if path.is_file():
        candidates = [path]
    else:
        if any(path.glob("data/**/*.geojson")):
            return [(path, "wof-repo")]
        candidates = sorted(
            p
            for p in path.rglob("*")
            if p.is_file()
            and (p.name.endswith((".geojsonl", ".geojsonl.gz", ".txt", ".txt.gz", ".zip")))
            and not p.name.startswith(("admin1Codes", "admin2Codes", "readme", "README"))
        )
    found = []
    for candidate in candidates:
        fmt = _sniff(candidate, _first_line(candidate))
        if fmt is None:
            raise DataFileError(
                f"{candidate}, line 1: unknown gazetteer format; expected Who's On First "
                f"GeoJSON lines, a GeoNames dump ({GEONAMES_COLUMNS} tab-separated columns) "
                f"or a GeoNames postal file ({POSTAL_COLUMNS} columns)"
            )
        found.append((candidate, fmt))
    if not found:
        raise DataFileError(f"no gazetteer files under {path}")
    return found


def read_file(path: Path, fmt: str) -> Iterator[GazetteerRecord]:
    """Records of one file (or cloned WOF repository folder) in format ``fmt``."""
    if fmt == "wof":
        return _read_wof(_wof_features_from_lines(path))
    if fmt == "wof-repo":
        return _read_wof(_wof_features_from_repo(path))
    if fmt == "geonames":
        return _read_geonames_dump(path)
    if fmt == "geonames-postal":
        return _read_postal(path)
    raise ValueError(f"unknown gazetteer format {fmt!r}; expected one of {FORMATS}")


# -- Who's On First ----------------------------------------------------------------------------
def _wof_features_from_lines(path: Path) -> Iterator[tuple[str, dict]]:
    for number, line in _text_lines(path):
        if not line.strip():
            continue
        try:
            feature = json.loads(line)
            yield f"{path}, line {number}", feature["properties"]
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise DataFileError(
                f"{path}, line {number}: not a Who's On First GeoJSON feature ({exc})"
            ) from None


def _wof_features_from_repo(folder: Path) -> Iterator[tuple[str, dict]]:
    for path in sorted(folder.glob("data/**/*.geojson")):
        if "-alt-" in path.name:
            continue
        try:
            yield str(path), json.loads(path.read_text(encoding="utf-8"))["properties"]
        except (json.JSONDecodeError, KeyError, TypeError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: not a Who's On First GeoJSON feature ({exc})") from None


def _wof_is_current(props: dict) -> bool:
    return not (
        props.get("mz:is_current") == 0
        or props.get("edtf:deprecated")
        or props.get("wof:superseded_by")
    )


def _wof_names(props: dict) -> tuple[str, list[str]]:
    """(shown name, every other name) of a WOF record."""
    own = str(props.get("wof:name") or "")
    native_key = f"name:{NATIVE_LANGUAGE.get(props.get('wof:country', ''), '')}_x_preferred"
    native = (props.get(native_key) or [None])[0]
    shown = native if native and fold(native) == fold(own) else own
    english = (props.get("name:eng_x_preferred") or [None])[0]
    if english and not _latin(shown):
        shown = english  # shown in Latin script (Odesa, not Одеса); the original stays a name
    others = [own]
    for key, value in props.items():
        if key.startswith("name:") and isinstance(value, list):
            others += [str(v) for v in value if v]
    return shown, [n for n in dict.fromkeys(others) if n and n != shown]


def _latin(text: str) -> bool:
    return all(ord(ch) < 0x0370 for ch in text)


def _wof_number(value) -> float | None:
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def _read_wof(features: Iterator[tuple[str, dict]]) -> Iterator[GazetteerRecord]:
    ancestors: dict[int, tuple[str, list[str]]] = {}
    places: list[tuple[str, dict]] = []
    for where, props in features:
        placetype = props.get("wof:placetype")
        if placetype in WOF_PLACE_TYPES or placetype in ("region", "county", "macrocounty"):
            try:
                ancestors[int(props["wof:id"])] = _wof_names(props)
            except (KeyError, TypeError, ValueError):
                raise DataFileError(f"{where}: Who's On First record without wof:id") from None
        if placetype in WOF_PLACE_TYPES and _wof_is_current(props):
            places.append((where, props))
    for where, props in places:
        lat = _wof_number(props.get("lbl:latitude", props.get("geom:latitude")))
        lon = _wof_number(props.get("lbl:longitude", props.get("geom:longitude")))
        if lat is None or lon is None or not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise DataFileError(f"{where}: Who's On First record without a valid label point")
        hierarchy = (props.get("wof:hierarchy") or [{}])[0] or {}
        levels = []
        for key in WOF_ANCESTOR_KEYS:
            ancestor = ancestors.get(hierarchy.get(key) or 0)
            if ancestor and hierarchy.get(key) != props.get("wof:id"):
                levels.append(ancestor)
            else:
                levels.append(None)
        admin_names = tuple(
            dict.fromkeys(n for level in levels if level for n in (level[0], *level[1]))
        )
        shown, alternates = _wof_names(props)
        population = props.get("wof:population") or props.get("gn:population") or 0
        gn_id = (props.get("wof:concordances") or {}).get("gn:id")
        yield GazetteerRecord(
            source="wof",
            ref=f"wof:{props['wof:id']}",
            name=shown,
            alternates=tuple(alternates),
            country=str(props.get("wof:country") or ""),
            admin1=levels[0][0] if levels[0] else None,
            admin2=levels[1][0] if levels[1] else None,
            admin3=levels[2][0] if levels[2] else None,
            admin_names=admin_names,
            lon=lon,
            lat=lat,
            population=int(_wof_number(population) or 0),
            placetype=str(props.get("wof:placetype")),
            gn_id=int(gn_id) if gn_id else None,
        )


# -- GeoNames -----------------------------------------------------------------------------------
def _side_table(folder: Path, filename: str) -> dict[str, tuple[str, ...]]:
    """``admin1CodesASCII.txt`` / ``admin2Codes.txt``: code -> (name, ascii name)."""
    path = folder / filename
    if not path.exists():
        return {}
    table = {}
    for number, line in _text_lines(path):
        columns = line.rstrip("\n").split("\t")
        if len(columns) != 4:
            raise DataFileError(
                f"{path}, line {number}: expected 4 tab-separated columns "
                f"(code, name, ascii name, geonameid), found {len(columns)}"
            )
        table[columns[0]] = tuple(dict.fromkeys(columns[1:3]))
    return table


def _columns(path: Path, number: int, line: str, expected: int, what: str) -> list[str]:
    columns = line.rstrip("\n").split("\t")
    if len(columns) != expected:
        raise DataFileError(
            f"{path}, line {number}: expected {expected} tab-separated columns ({what}), "
            f"found {len(columns)}; is this the right file?"
        )
    return columns


def _coordinate(path: Path, number: int, lat: str, lon: str) -> tuple[float, float]:
    try:
        lat_f, lon_f = float(lat), float(lon)
    except ValueError:
        raise DataFileError(f"{path}, line {number}: latitude {lat!r}/longitude {lon!r}") from None
    if not (-90 <= lat_f <= 90 and -180 <= lon_f <= 180):
        raise DataFileError(f"{path}, line {number}: coordinates {lat_f}, {lon_f} out of range")
    return lon_f, lat_f


def _read_geonames_dump(path: Path) -> Iterator[GazetteerRecord]:
    admin1 = _side_table(path.parent, "admin1CodesASCII.txt")
    admin2 = _side_table(path.parent, "admin2Codes.txt")
    lines = (
        _zip_member_lines(path, _zip_data_member(path, zipfile.ZipFile(path)))
        if path.suffix == ".zip"
        else _text_lines(path)
    )
    for number, line in lines:
        c = _columns(path, number, line, GEONAMES_COLUMNS, "GeoNames dump")
        if c[6] not in GEONAMES_FEATURE_CLASSES:
            continue
        lon, lat = _coordinate(path, number, c[4], c[5])
        a1 = admin1.get(f"{c[8]}.{c[10]}", ())
        a2 = admin2.get(f"{c[8]}.{c[10]}.{c[11]}", ())
        yield GazetteerRecord(
            source="geonames",
            ref=f"geonames:{c[0]}",
            name=c[1],
            alternates=tuple(n for n in dict.fromkeys([c[2], *c[3].split(",")]) if n),
            country=c[8],
            admin1=a1[0] if a1 else (c[10] or None),
            admin2=a2[0] if a2 else None,
            admin3=None,
            admin_names=(*a1, *a2),
            lon=lon,
            lat=lat,
            population=int(c[14] or 0),
            placetype=c[7],
            gn_id=int(c[0]),
        )


def _read_postal(path: Path) -> Iterator[GazetteerRecord]:
    lines = (
        _zip_member_lines(path, _zip_data_member(path, zipfile.ZipFile(path)))
        if path.suffix == ".zip"
        else _text_lines(path)
    )
    seen: set[tuple[str, str, str]] = set()
    for number, line in lines:
        c = _columns(path, number, line, POSTAL_COLUMNS, "GeoNames postal")
        if not c[2] or not c[9]:
            continue
        lon, lat = _coordinate(path, number, c[9], c[10])
        # one place listed once per postal code: keep its first row
        key = (fold(c[2]), c[3], c[5])
        if key in seen:
            continue
        seen.add(key)
        yield GazetteerRecord(
            source="geonames-postal",
            ref=f"postal:{c[0]}:{c[1]}",
            name=c[2],
            alternates=(),
            country=c[0],
            admin1=c[3] or None,
            admin2=c[5] or None,
            admin3=c[7] or None,
            admin_names=tuple(n for n in (c[3], c[5], c[7]) if n),
            lon=lon,
            lat=lat,
            population=0,
            placetype="postal",
            gn_id=None,
        )
