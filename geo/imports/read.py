"""Reading an import file into numbered rows: CSV (until ``geo.tabular`` lands) and GeoJSON.

:func:`read_rows` returns the header and a list of ``(row_number, {column: text})``; the row
number is the file's line of the row (the header is line 1), so messages point at it. File
level mistakes (missing file, not UTF-8, one column only = wrong delimiter, no header) raise
:class:`~geo.errors.DataFileError` with a one-line message; a ragged row becomes a problem of
that row.

.. note:: ``_read_csv`` is the stand-in for ``geo.tabular``'s reader and is to be replaced by
   it when that module is on main (one CSV reader in the project).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.imports.common import RowProblem

__all__ = ["Table", "read_rows"]


class Table:
    """Header, numbered rows and the problems of rows that could not be split."""

    def __init__(self, header: list[str], rows: list[tuple[int, dict]], problems: list):
        self.header = header
        self.rows = rows
        self.problems = problems


def _text(path: Path) -> str:
    if not path.exists():
        raise DataFileError(f"import file {str(path)!r} does not exist")
    if path.is_dir():
        raise DataFileError(f"import file {str(path)!r} is a folder; give a CSV or GeoJSON file")
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataFileError(
            f"{path}: not UTF-8 (byte {exc.start}); re-save it as UTF-8 (e.g. from Excel: "
            "'CSV UTF-8')"
        ) from None


def _read_csv(path: Path) -> Table:
    text = _text(path)
    if not text.strip():
        raise DataFileError(f"{path}: the file is empty; expected a header row and data rows")
    first = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip() for h in next(reader)]
    except csv.Error as exc:
        raise DataFileError(f"{path}: line 1: not CSV: {exc}") from None
    rows, problems = [], []
    try:
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                problems.append(
                    RowProblem(line, f"row has {len(fields)} fields, the header has {len(header)}")
                )
                continue
            rows.append((line, dict(zip(header, fields, strict=True))))
    except csv.Error as exc:
        raise DataFileError(f"{path}: line {reader.line_num}: not CSV: {exc}") from None
    return Table(header, rows, problems)


def _read_geojson(path: Path) -> Table:
    try:
        data = json.loads(_text(path))
    except json.JSONDecodeError as exc:
        raise DataFileError(f"{path}: line {exc.lineno}: not JSON: {exc.msg}") from None
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection":
        raise DataFileError(f"{path}: not a GeoJSON FeatureCollection")
    rows, problems, header = [], [], {}
    for i, feat in enumerate(data.get("features") or [], 1):
        props = dict((feat or {}).get("properties") or {})
        geom = (feat or {}).get("geometry") or {}
        if geom.get("type") == "Point" and len(geom.get("coordinates") or ()) >= 2:
            props.setdefault("longitude", geom["coordinates"][0])
            props.setdefault("latitude", geom["coordinates"][1])
        elif geom:
            problems.append(RowProblem(i, f"geometry is a {geom.get('type')}, expected a Point"))
            continue
        if feat.get("id") is not None:
            props.setdefault("id", feat["id"])
        header.update(dict.fromkeys(props))
        rows.append((i, {k: v for k, v in props.items()}))
    return Table(list(header), rows, problems)


def read_rows(path, fmt: str) -> Table:
    """The rows of ``path`` read as ``fmt`` (``geojson``, or a CSV format)."""
    path = Path(path)
    table = _read_geojson(path) if fmt == "geojson" else _read_csv(path)
    if fmt != "geojson" and len(table.header) == 1 and table.rows:
        raise DataFileError(
            f"{path}: line 1 has a single column {table.header[0][:60]!r}; wrong delimiter? "
            "(expected , ; or tab)"
        )
    return table
