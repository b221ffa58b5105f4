"""Reading an import file into numbered rows: CSV through :mod:`geo.tabular`, and GeoJSON.

:func:`read_rows` returns the header and a list of ``(row_number, {column: text})``. A CSV's
row number counts the header as row 1 (so the first record is row 2, its line when no cell
spans lines); a GeoJSON's is the feature's position (1 = the first). File level mistakes
(missing file, not UTF-8, one column only = wrong delimiter, empty) raise an
:class:`~geo.errors.IncidentMapError` with a one-line message; a row with the wrong number of
fields becomes a problem of that row.
"""

from __future__ import annotations

import json
from pathlib import Path

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.imports.common import RowProblem
from incidentmap.geo.tabular import decode_text, read_csv_text

__all__ = ["Table", "read_rows"]


class Table:
    """Header, numbered rows and the problems of rows that could not be split."""

    def __init__(self, header: list[str], rows: list[tuple[int, dict]], problems: list):
        self.header = header
        self.rows = rows
        self.problems = problems


def _bytes(path: Path) -> bytes:
    if not path.exists():
        raise DataFileError(f"import file {str(path)!r} does not exist")
    if path.is_dir():
        raise DataFileError(f"import file {str(path)!r} is a folder; give a CSV or GeoJSON file")
    return path.read_bytes()


def _read_csv(path: Path) -> Table:
    parsed = read_csv_text(_bytes(path), str(path))  # the project's one CSV reader
    header = [str(c).strip() for c in parsed.table.columns]
    rows, problems = [], []
    columns = [parsed.table[c].tolist() for c in parsed.table.columns]  # by position
    records = zip(*columns, strict=True) if columns else iter(())
    for n, (values, error) in enumerate(zip(records, parsed.row_errors, strict=True), 2):
        if error is not None:  # a ragged row: its fields cannot be trusted
            problems.append(RowProblem(n, "the row " + error.split(" ", 2)[2]))
            continue
        rows.append((n, dict(zip(header, values, strict=True))))
    return Table(header, rows, problems)


def _read_geojson(path: Path) -> Table:
    try:
        data = json.loads(decode_text(_bytes(path), str(path)))
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
