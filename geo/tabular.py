"""Tables in and out: CSV, GeoJSON and GeoParquet files of points, read and written exactly.

* CSV is read with the :mod:`csv` module, every cell kept as text: UTF-8 only (a byte order
  mark is allowed; anything else is refused naming the file and the byte); delimiter comma
  when the first 64 KB read consistently with it, else ``;`` or tab found by
  :class:`csv.Sniffer`. A row with more or fewer fields than the header is kept, its fields
  as far as the header goes, with an error naming the row; blank lines are skipped.
* Every CSV this project writes goes through :func:`csv_text` / :func:`write_csv`: a cell a
  spreadsheet would run as a formula (starting with ``=``, ``+``, ``-`` unless it is a number
  such as ``-3.5``, ``@``, tab or carriage return) gets a single quote in front, as OWASP's
  CSV-injection guidance says; so does a cell starting with a quote, so that the rule can be
  undone: :func:`read_csv_text` removes exactly that quote (export → import is exact).
* GeoJSON and GeoParquet: a row with an error gets a null geometry; GeoJSON holds no NaN or
  infinity (they become ``null``).

Errors: :class:`~incidentmap.geo.errors.TabularInputError` (what was read) and
:class:`~incidentmap.geo.errors.TabularOutputError` (what cannot be written as asked).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from incidentmap.geo.errors import TabularInputError, TabularOutputError

FORMATS = {".csv": "csv", ".geojson": "geojson", ".json": "geojson", ".parquet": "geoparquet",
           ".geoparquet": "geoparquet"}
#: (latitude, longitude) column names tried in order, compared lower-cased and stripped.
COORDINATE_PAIRS = (("lat", "lon"), ("latitude", "longitude"), ("lat", "lng"), ("y", "x"))
DELIMITERS = ",;\t"
#: How much of a file the delimiter sniffer reads: enough lines, and bounded for huge files.
SNIFF_BYTES = 64 * 1024

#: First characters that make a spreadsheet evaluate a cell (OWASP), plus the quote itself.
_NEEDS_QUOTE = re.compile(r"[=+\-@\t\r']")
#: A plain number, which stays as it is even when it starts with a minus sign.
_NUMBER = re.compile(r"-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


# ----------------------------------------------------------------------------- formats


def format_of(path: str, fallback: str) -> str:
    """The format named by the extension of ``path``, else ``fallback``."""
    return FORMATS.get(Path(path).suffix.lower(), fallback)


def output_format(output: str, to_format: str | None) -> str | None:
    """The format to write: ``to_format``, else the extension of ``output``.

    Returns ``None`` for stdout (``-``) without ``to_format`` (then the input's format is
    used). An extension that names no supported format is an error, never a silent CSV.
    """
    if to_format:
        fmt = to_format
    elif output == "-":
        return None
    else:
        suffix = Path(output).suffix.lower()
        if suffix not in FORMATS:
            raise TabularOutputError(
                f"cannot tell which format to write from the extension of {output!r}; "
                f"supported extensions: {', '.join(FORMATS)} "
                "(or name the format with --to-format)"
            )
        fmt = FORMATS[suffix]
    refuse_parquet_to_stdout(output, fmt)
    return fmt


def refuse_parquet_to_stdout(output: str, fmt: str) -> None:
    if fmt == "geoparquet" and output == "-":
        raise TabularOutputError(
            "GeoParquet cannot be written to stdout; give -o FILE or --to-format geojson"
        )


# ------------------------------------------------------------------ formula neutralisation


def _needs_quote(text: str) -> bool:
    return bool(_NEEDS_QUOTE.match(text)) and not _NUMBER.fullmatch(text)


def neutralise_cell(value):
    """``value`` safe to open in a spreadsheet: text a formula could start with is quoted.

    >>> neutralise_cell("=1+1"), neutralise_cell("-3.5"), neutralise_cell("'x"), neutralise_cell(7)
    ("'=1+1", '-3.5', "''x", 7)
    """
    if isinstance(value, str) and _needs_quote(value):
        return "'" + value
    return value


def restore_cell(value):
    """Undo :func:`neutralise_cell` (a cell it did not change is returned as it is).

    >>> restore_cell("'=1+1"), restore_cell("''x"), restore_cell("'hello")
    ('=1+1', "'x", "'hello")
    """
    if isinstance(value, str) and value[:1] == "'" and _needs_quote(value[1:]):
        return value[1:]
    return value


def _neutralise_column(series: pd.Series) -> pd.Series:
    """:func:`neutralise_cell` on the cells that need it (found by a vectorised match)."""
    if series.dtype.kind == "f" and np.isneginf(series.to_numpy(dtype=float)).any():
        series = series.astype(object).where(~np.isneginf(series.to_numpy(dtype=float)), "-inf")
    elif series.dtype.kind not in "OSU" and not isinstance(series.dtype, pd.StringDtype):
        return series  # numbers, booleans, dates: never a formula (-inf: the text above)
    try:
        hit = series.str.match(_NEEDS_QUOTE.pattern, na=False).to_numpy(dtype=bool)
    except AttributeError:  # an object column without any text (e.g. all booleans)
        return series
    if not hit.any():
        return series
    out = series.astype(object).copy()
    out[hit] = [neutralise_cell(v) for v in series[hit]]
    return out


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose header and text cells are safe in a spreadsheet."""
    if frame.shape[1] == 0:
        return frame.copy()
    out = pd.concat([_neutralise_column(frame.iloc[:, i]) for i in range(frame.shape[1])], axis=1)
    out.columns = [neutralise_cell(str(c)) for c in frame.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV text (RFC 4180: comma, CRLF, no index), formulas neutralised.

    CRLF and not ``\\n``: the :mod:`csv` writer quotes a field holding a character of the
    line terminator, so a lone carriage return inside a cell is only quoted (and read back
    as the same cell) when the terminator contains it.
    """
    return neutralise_frame(pd.DataFrame(frame)).to_csv(index=False, lineterminator="\r\n")


def _write_text(text: str, dest) -> None:
    if hasattr(dest, "write"):
        dest.write(text)
    else:
        Path(dest).write_text(text, encoding="utf-8", newline="")


def write_csv(frame: pd.DataFrame, dest) -> None:
    """Write :func:`csv_text` of ``frame`` to a path (UTF-8) or an open text stream."""
    _write_text(csv_text(frame), dest)


# ----------------------------------------------------------------------------- CSV reading


@dataclass
class CsvInput:
    """A CSV file as text cells (header duplicates get ``.1``, ``.2``), per row ``None`` or
    why its fields cannot be trusted (a wrong field count), and the delimiter used."""

    table: pd.DataFrame
    row_errors: np.ndarray
    delimiter: str


def decode_text(data: bytes, name: str) -> str:
    """UTF-8 text of ``data`` (a byte order mark dropped), or an error naming the file."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TabularInputError(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8 IN > OUT`) and try again"
        ) from None


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab, found by :class:`csv.Sniffer` on the first lines; comma if unsure.

    >>> sniff_delimiter("name;lat;lon\\nGalati;45,4353;28,05\\n")
    ';'
    """
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
    if _consistent_commas(sample):
        return ","  # what this project writes; tabs or semicolons inside cells do not matter
    try:
        delimiter = csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        delimiter = None
    header = sample.splitlines()[0] if sample.strip() else ""
    if delimiter is None or delimiter not in header:
        # The sniffer gave up, or chose a character the header does not even contain:
        # take the candidate the header line uses most.
        counts = {d: header.count(d) for d in DELIMITERS}
        best = max(DELIMITERS, key=lambda d: counts[d])
        delimiter = best if counts[best] else ","
    return delimiter


def _consistent_commas(sample: str) -> bool:
    """True when the sample reads as comma-separated with the header's field count (> 1)."""
    try:
        rows = [r for r in csv.reader(io.StringIO(sample, newline="")) if r]
    except csv.Error:
        return False
    if len(rows) > 1 and len(sample) >= SNIFF_BYTES:
        rows = rows[:-1]  # the last line of a cut sample may be a partial record
    return bool(rows) and len(rows[0]) > 1 and all(len(r) == len(rows[0]) for r in rows)


def _unique(names: list[str]):
    seen: set[str] = set()
    for name in names:
        new, k = name, 0
        while new in seen:
            k, new = k + 1, f"{name}.{k + 1}"
        seen.add(new)
        yield new


def read_csv_text(data: bytes | str, name: str) -> CsvInput:
    """Read CSV bytes (or text) into text cells without shifting or dropping any field.

    Cells quoted by :func:`neutralise_cell` are restored.
    """
    text = decode_text(data, name) if isinstance(data, bytes) else data.removeprefix("\ufeff")
    if not text.strip():
        raise TabularInputError(f"{name} is empty; expected a header row such as name,lat,lon")
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
        width = len(header)
        rows: list[list[str]] = []
        errors: list[str | None] = []
        for fields in reader:
            if not fields or (len(fields) == 1 and not fields[0].strip() and width > 1):
                continue  # a blank line holds no row
            n = len(rows) + 1
            if len(fields) == width:
                errors.append(None)
            else:
                message = f"row {n} has {len(fields)} fields, the header has {width}"
                if len(fields) > width:
                    message += f" (fields beyond the header: {fields[width:]!r})"
                    fields = fields[:width]
                else:
                    fields = fields + [""] * (width - len(fields))
                errors.append(message)
            rows.append([restore_cell(f) for f in fields] if "'" in "".join(fields) else fields)
    except csv.Error as exc:
        raise TabularInputError(
            f"{name} is not readable as CSV (line {reader.line_num}): {exc}"
        ) from None
    columns = list(_unique([restore_cell(h) for h in header]))
    table = pd.DataFrame(rows, columns=columns, dtype=object)
    return CsvInput(table, np.array(errors, dtype=object), delimiter)


def coordinate_columns(table: pd.DataFrame, name: str) -> tuple[str, str]:
    """The (latitude, longitude) column names of a table, or an error listing its columns."""
    cols: dict[str, str] = {}
    for c in table.columns:
        cols.setdefault(str(c).lower().strip(), c)
    for a, b in COORDINATE_PAIRS:
        if a in cols and b in cols:
            return cols[a], cols[b]
    raise TabularInputError(
        f"{name}: no coordinate columns; expected lat/lon or latitude/longitude, "
        f"found {', '.join(map(str, table.columns)) or 'no columns'}"
    )


def parse_coordinate(cells: pd.Series, *, what: str, column: str, decimal_comma: bool):
    """Numbers from text cells, and per cell ``None`` or why the text is not a usable number.

    The message names ``what`` (latitude or longitude), the column when it is named otherwise,
    and the original text: ``latitude 'abc' is not a number (column 'lat')``.
    """
    text = cells.astype(str).str.strip()
    numeric_text = text
    if decimal_comma:  # "45,4044" in a ;- or tab-separated file
        numeric_text = text.where(
            ~text.str.fullmatch(r"[+-]?\d+,\d+"), text.str.replace(",", ".", regex=False)
        )
    values = np.array(pd.to_numeric(numeric_text, errors="coerce"), dtype=float)
    problems = np.full(len(values), None, dtype=object)
    where = "" if column.lower().strip() == what else f" (column {column!r})"
    for i in np.flatnonzero(~np.isfinite(values)):
        original = text.iat[i]
        if not original:
            problems[i] = f"{what} is empty{where}"
            continue
        try:
            finite = math.isfinite(float(numeric_text.iat[i]))
        except ValueError:
            finite = True  # not a number at all
        problems[i] = (
            f"{what} {original!r} is not a number{where}"
            if finite
            else f"{what} {original!r} is not a finite number{where}"
        )
        values[i] = np.nan
    return values, problems


# ---------------------------------------------------------------------------- any table


@dataclass
class PointTable:
    """A table read by :func:`read_points`.

    For CSV, ``lon`` and ``lat`` are float arrays parsed from the coordinate columns and
    ``problems`` an object array with ``None`` or why the row's coordinates cannot be used
    (text that is no number, an empty cell, a wrong field count); ``coordinate_columns`` are
    their names. For GeoJSON and GeoParquet ``table`` is a GeoDataFrame and the rest ``None``.
    """

    table: pd.DataFrame
    format: str
    lon: np.ndarray | None = None
    lat: np.ndarray | None = None
    problems: np.ndarray | None = None
    coordinate_columns: tuple[str, str] | None = None


def read_points(source: str | Path | bytes, fmt: str | None = None, *,
                name: str | None = None) -> PointTable:
    """Read a CSV, GeoJSON or GeoParquet table of points from a path or bytes (e.g. stdin).

    ``fmt`` defaults to the extension (CSV when there is none); for bytes, GeoJSON when
    they start with ``{``, else CSV.
    """
    if isinstance(source, bytes):
        head = source.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        fmt = fmt or ("geojson" if head == b"{" else "csv")
        name = name or "<stdin>"
        data = source
    else:
        name = name or str(source)
        if not Path(source).exists():
            raise TabularInputError(f"{name} does not exist")
        fmt = fmt or format_of(str(source), "csv")
        data = Path(source).read_bytes() if fmt == "csv" else None
    if fmt == "csv":
        got = read_csv_text(data, name)
        lat_col, lon_col = coordinate_columns(got.table, name)
        comma = got.delimiter != ","
        lat, lat_bad = parse_coordinate(
            got.table[lat_col], what="latitude", column=lat_col, decimal_comma=comma
        )
        lon, lon_bad = parse_coordinate(
            got.table[lon_col], what="longitude", column=lon_col, decimal_comma=comma
        )
        problems = np.array(
            [
                row or ("; ".join(p for p in (a, b) if p) or None)
                for row, a, b in zip(got.row_errors, lat_bad, lon_bad, strict=True)
            ],
            dtype=object,
        )
        return PointTable(got.table, fmt, lon, lat, problems, (lat_col, lon_col))
    import geopandas as gpd

    src = io.BytesIO(source) if isinstance(source, bytes) else source
    try:
        gdf = gpd.read_parquet(src) if fmt == "geoparquet" else gpd.read_file(src)
    except Exception as exc:  # an unreadable file is the user's input, not our bug
        raise TabularInputError(f"{name} is not readable as {fmt}: {exc}") from None
    return PointTable(gdf, fmt)


# ------------------------------------------------------------------------------- writing


def points_frame(table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray,
                 coordinate_columns=("lat", "lon")):
    """Rows as a GeoDataFrame: numeric lat/lon, a point only where ``error`` is empty."""
    import geopandas as gpd
    from shapely import points

    lat_col, lon_col = coordinate_columns
    frame = table.copy()
    frame[lat_col] = pd.array(np.where(np.isfinite(lat), lat, np.nan), dtype="Float64")
    frame[lon_col] = pd.array(np.where(np.isfinite(lon), lon, np.nan), dtype="Float64")
    ok = frame["error"].isna().to_numpy() if "error" in frame else np.isfinite(lon + lat)
    geometry = np.full(len(frame), None, dtype=object)
    if ok.any():
        geometry[ok] = points(lon[ok], lat[ok])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def _json_default(value):
    """What :func:`json.dumps` cannot write by itself: dates and numpy values."""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    return value.tolist() if isinstance(value, (np.generic, np.ndarray)) else str(value)


def _finite_geometries(table):
    """A copy whose geometries with NaN or infinite coordinates are null (JSON has no NaN)."""
    import geopandas as gpd
    import shapely

    geoms = np.asarray(table.geometry.values, dtype=object)
    bad = np.zeros(len(geoms), dtype=bool)
    xyz, row = shapely.get_coordinates(geoms, include_z=True, return_index=True)
    z_ok = np.isfinite(xyz[:, 2]) | ~shapely.has_z(geoms)[row]  # 2-D points read z as NaN
    bad[row[~(np.isfinite(xyz[:, :2]).all(axis=1) & z_ok)]] = True
    if not bad.any():
        return table
    geoms = geoms.copy()
    geoms[bad] = None
    table = table.copy()
    table[table.geometry.name] = gpd.GeoSeries(geoms, index=table.index, crs=table.crs)
    return table


def geojson_text(table) -> str:
    """A GeoDataFrame as GeoJSON text: no NaN or infinity anywhere (they become null)."""
    table = _finite_geometries(table)
    floats = [c for c in table.columns if c != table.geometry.name and table[c].dtype.kind == "f"]
    if floats:
        table = table.copy()
        for c in floats:
            table[c] = table[c].where(np.isfinite(table[c]))
    return table.to_json(
        drop_id=True, na="null", ensure_ascii=False, allow_nan=False, default=_json_default
    )


def write_table(table, dest, fmt: str) -> None:
    """Write ``table`` as ``fmt`` (csv, geojson, geoparquet) to a path or a text stream.

    GeoJSON and GeoParquet need a GeoDataFrame (see :func:`points_frame`); CSV drops the
    geometry column and neutralises formulas (:func:`write_csv`).
    """
    import geopandas as gpd

    if fmt == "csv":
        write_csv(pd.DataFrame(table.drop(columns="geometry", errors="ignore")), dest)
        return
    if not isinstance(table, gpd.GeoDataFrame):
        raise TabularOutputError(f"{fmt} output needs a table with a geometry column")
    if fmt == "geoparquet":
        refuse_parquet_to_stdout("-" if hasattr(dest, "write") else str(dest), fmt)
        table.to_parquet(dest, index=False)
        return
    if fmt != "geojson":
        raise TabularOutputError(f"unknown output format {fmt!r}; use csv, geojson or geoparquet")
    _write_text(geojson_text(table) + "\n", dest)
