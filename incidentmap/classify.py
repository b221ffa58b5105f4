"""``incidentmap classify``: add the territory answers to every row of a CSV, GeoJSON or
GeoParquet file. As many rows out as in; a row with unusable coordinates gets an ``error``.

CSV input is read with the :mod:`csv` module, never by guessing: UTF-8 (a byte order mark is
allowed), delimiter ``,``, ``;`` or tab found by :class:`csv.Sniffer` on the first 64 KB
(comma when it cannot tell). A row with more or fewer fields than the header is kept, its
fields as far as the header goes, with an ``error`` naming the row; blank lines are skipped.
Input that is not UTF-8 is refused (exit 2) with a message naming the file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import sys
from pathlib import Path

import click
import numpy as np
import pandas as pd

from incidentmap.geo.territory import ANSWER_COLUMNS, classify_frame, classify_many
from incidentmap.options import date_option, parse_on

log = logging.getLogger(__name__)

CHUNK = 250_000
FORMATS = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".parquet": "geoparquet",
    ".geoparquet": "geoparquet",
}
#: (latitude, longitude) column names tried in order, compared lower-cased and stripped.
COORDINATE_PAIRS = (("lat", "lon"), ("latitude", "longitude"), ("lat", "lng"), ("y", "x"))
DELIMITERS = ",;\t"
SNIFF_BYTES = 64 * 1024


def _format_of(path: str, fallback: str) -> str:
    return FORMATS.get(Path(path).suffix.lower(), fallback)


def output_format(output: str, to_format: str | None) -> str | None:
    """The format to write: ``--to-format``, else the extension of ``-o``.

    Returns ``None`` for stdout without ``--to-format`` (then the input's format is used).
    An extension that names no supported format is a usage error, never a silent CSV.
    """
    if to_format:
        fmt = to_format
    elif output == "-":
        return None
    else:
        suffix = Path(output).suffix.lower()
        if suffix not in FORMATS:
            raise click.BadParameter(
                f"cannot tell which format to write from the extension of {output!r}; "
                f"supported extensions: {', '.join(FORMATS)} "
                "(or name the format with --to-format)",
                param_hint="--output",
            )
        fmt = FORMATS[suffix]
    _refuse_parquet_to_stdout(output, fmt)
    return fmt


def _refuse_parquet_to_stdout(output: str, fmt: str) -> None:
    if fmt == "geoparquet" and output == "-":
        raise click.BadParameter(
            "GeoParquet cannot be written to stdout; give -o FILE or --to-format geojson",
            param_hint="--output",
        )


# --------------------------------------------------------------------------- CSV reading


class CsvInput:
    """A CSV file read as text: every cell a ``str``, plus what the reader found per row.

    Attributes
    ----------
    table : pandas.DataFrame
        One row per data row of the file, columns named as in the header (duplicates get
        ``.1``, ``.2``...), every cell the text as read.
    row_errors : numpy.ndarray
        Object array, ``None`` or why the row's fields cannot be trusted (wrong field count).
    delimiter : str
        The delimiter used.
    """

    def __init__(self, table: pd.DataFrame, row_errors: np.ndarray, delimiter: str):
        self.table = table
        self.row_errors = row_errors
        self.delimiter = delimiter


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise click.BadParameter(
            f"{name} is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8 (e.g. `iconv -f windows-1252 -t utf-8 IN > OUT`) and try again",
            param_hint="INPUT",
        ) from None


def sniff_delimiter(text: str) -> str:
    """``,``, ``;`` or tab, found by :class:`csv.Sniffer` on the first lines; comma if unsure."""
    sample = text[:SNIFF_BYTES]
    if len(text) > SNIFF_BYTES and "\n" in sample:
        sample = sample[: sample.rindex("\n")]  # whole lines only
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


def _unique(names: list[str]) -> list[str]:
    seen: set[str] = set()
    out = []
    for name in names:
        new, k = name, 0
        while new in seen:
            k += 1
            new = f"{name}.{k}"
        seen.add(new)
        out.append(new)
    return out


def read_csv_text(data: bytes, name: str) -> CsvInput:
    """Read CSV bytes into text cells without shifting or dropping any field of a row."""
    text = _decode(data, name)
    if not text.strip():
        raise click.BadParameter(
            f"{name} is empty; expected a header row such as name,lat,lon", param_hint="INPUT"
        )
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
            rows.append(fields)
    except csv.Error as exc:
        raise click.BadParameter(
            f"{name} is not readable as CSV (line {reader.line_num}): {exc}", param_hint="INPUT"
        ) from None
    table = pd.DataFrame(rows, columns=_unique(header), dtype=object)
    return CsvInput(table, np.array(errors, dtype=object), delimiter)


def coordinate_columns(table: pd.DataFrame, name: str) -> tuple[str, str]:
    """The (latitude, longitude) column names of a CSV table, or a usage error."""
    cols: dict[str, str] = {}
    for c in table.columns:
        cols.setdefault(str(c).lower().strip(), c)
    for a, b in COORDINATE_PAIRS:
        if a in cols and b in cols:
            return cols[a], cols[b]
    raise click.BadParameter(
        f"{name}: no coordinate columns; expected lat/lon or latitude/longitude, "
        f"found {', '.join(map(str, table.columns)) or 'no columns'}",
        param_hint="INPUT",
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


def read_input(path: str, fmt: str | None):
    """Return (table, lon, lat, problems, format).

    For CSV, ``lon`` and ``lat`` are float arrays parsed from the coordinate columns and
    ``problems`` an object array with ``None`` or why the row's coordinates cannot be used
    (text that is no number, an empty cell, a wrong field count). For GeoJSON and GeoParquet
    the table is a GeoDataFrame and the other three are ``None``.
    """
    import geopandas as gpd

    if path == "-":
        data = sys.stdin.buffer.read()
        head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
        fmt = fmt or ("geojson" if head == b"{" else "csv")
        name = "<stdin>"
        source = io.BytesIO(data)
    else:
        if not Path(path).exists():
            raise click.BadParameter(f"{path} does not exist", param_hint="INPUT")
        fmt = fmt or _format_of(path, "csv")
        name = path
        source = path
    if fmt == "csv":
        data = data if path == "-" else Path(path).read_bytes()
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
        got.table.attrs["coordinate_columns"] = (lat_col, lon_col)
        return got.table, lon, lat, problems, fmt
    try:
        gdf = gpd.read_parquet(source) if fmt == "geoparquet" else gpd.read_file(source)
    except Exception as exc:  # unreadable file: a user mistake, not a traceback
        raise click.BadParameter(
            f"{name} is not readable as {fmt}: {exc}", param_hint="INPUT"
        ) from None
    return gdf, None, None, None, fmt


# --------------------------------------------------------------------------- classifying


def classify_rows(lon, lat, *, on) -> pd.DataFrame:
    n = len(lon)
    if n <= CHUNK:
        return classify_many(lon, lat, on=on)
    parts = []
    with click.progressbar(range(0, n, CHUNK), label="classifying", file=sys.stderr) as bar:
        for start in bar:
            part = classify_many(lon[start : start + CHUNK], lat[start : start + CHUNK], on=on)
            part.index = range(start, start + len(part))
            parts.append(part)
    return pd.concat(parts)


def classify_frame_rows(frame, *, on):
    """:func:`classify_frame` in chunks, with a progress bar for large inputs."""
    if len(frame) <= CHUNK:
        return classify_frame(frame, on=on)
    parts = []
    with click.progressbar(
        range(0, len(frame), CHUNK), label="classifying", file=sys.stderr
    ) as bar:
        for start in bar:
            parts.append(classify_frame(frame.iloc[start : start + CHUNK], on=on))
    return pd.concat(parts)


@click.command()
@click.argument("input_path", metavar="INPUT")
@click.option(
    "-o",
    "--output",
    default="-",
    show_default=True,
    help="Output file (.csv, .geojson, .json, .parquet, .geoparquet), or - for stdout.",
)
@click.option(
    "--format",
    "in_format",
    type=click.Choice(["csv", "geojson", "geoparquet"]),
    help="Input format (default: from the extension; stdin: CSV or GeoJSON).",
)
@click.option(
    "--to-format",
    "to_format",
    type=click.Choice(["csv", "geojson", "geoparquet"]),
    help="Output format (default: from the extension of -o; stdout: the input's format).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@date_option
def classify(input_path, output, in_format, to_format, overwrite, on):
    """Add country, zone, NATO and distance columns to every row of INPUT (- for stdin).

    CSV input must be UTF-8, comma, semicolon or tab separated, with lat/lon (or
    latitude/longitude, lat/lng, y/x) columns. Rows whose coordinates cannot be used are kept,
    with the reason in column 'error' (and a null geometry in GeoJSON/GeoParquet output).
    """
    day = parse_on(on)
    out_fmt = output_format(output, to_format)
    if output != "-" and Path(output).exists() and not overwrite:
        raise click.BadParameter(
            f"{output} exists; use --overwrite to replace it", param_hint="--output"
        )
    table, lon, lat, problems, fmt = read_input(input_path, in_format)
    out_fmt = out_fmt or fmt
    _refuse_parquet_to_stdout(output, out_fmt)
    if lon is None:  # a GeoDataFrame: the library reads its point geometries
        table = classify_frame_rows(table, on=day)
        answers = table
    else:
        usable = np.array([p is None for p in problems], dtype=bool)
        answers = classify_rows(
            np.where(usable, lon, np.nan), np.where(usable, lat, np.nan), on=day
        )
        answers["error"] = np.where(usable, answers["error"].to_numpy(dtype=object), problems)
        table = table.copy()
        for col in ANSWER_COLUMNS:
            table[col] = answers[col].to_numpy()
    if out_fmt != "csv" and lon is not None:
        table = _csv_as_geoframe(table, lon, lat)
    write_output(table, output, out_fmt)
    bad = int(answers["error"].notna().sum())
    log.info("%d rows classified, %d with unusable coordinates", len(table), bad)
    if bad:
        click.echo(
            f"{bad} of {len(table)} rows have unusable coordinates (see column 'error')", err=True
        )


# --------------------------------------------------------------------------- writing


def _csv_as_geoframe(table: pd.DataFrame, lon: np.ndarray, lat: np.ndarray):
    """CSV rows as a GeoDataFrame: numeric lat/lon, a point only where there is no error."""
    import geopandas as gpd
    from shapely import points

    lat_col, lon_col = table.attrs.get("coordinate_columns", ("lat", "lon"))
    frame = table.copy()
    frame[lat_col] = pd.array(np.where(np.isfinite(lat), lat, np.nan), dtype="Float64")
    frame[lon_col] = pd.array(np.where(np.isfinite(lon), lon, np.nan), dtype="Float64")
    ok = frame["error"].isna().to_numpy()
    geometry = np.full(len(frame), None, dtype=object)
    if ok.any():
        geometry[ok] = points(lon[ok], lat[ok])
    return gpd.GeoDataFrame(frame, geometry=geometry, crs=4326)


def _json_default(value):
    """What :func:`json.dumps` cannot write by itself: dates and numpy scalars."""
    if isinstance(value, (dt.date, dt.datetime, pd.Timestamp)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _finite_geometries(table):
    """A copy whose geometries with NaN or infinite coordinates are null (JSON has no NaN)."""
    import geopandas as gpd
    import shapely

    geoms = np.asarray(table.geometry.values, dtype=object)
    bad = np.zeros(len(geoms), dtype=bool)
    xy, row = shapely.get_coordinates(geoms, return_index=True)
    bad[row[~np.isfinite(xy).all(axis=1)]] = True
    has_z = np.flatnonzero(shapely.has_z(geoms))
    if has_z.size:
        xyz, row = shapely.get_coordinates(geoms[has_z], include_z=True, return_index=True)
        bad[has_z[row[~np.isfinite(xyz).all(axis=1)]]] = True
    if not bad.any():
        return table
    geoms = geoms.copy()
    geoms[bad] = None
    table = table.copy()
    table[table.geometry.name] = gpd.GeoSeries(geoms, index=table.index, crs=table.crs)
    return table


def write_output(table, output: str, fmt: str) -> None:
    import geopandas as gpd

    if fmt == "csv":
        frame = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
        if output == "-":
            frame.to_csv(sys.stdout, index=False)
        else:
            frame.to_csv(output, index=False)
        return
    if not isinstance(table, gpd.GeoDataFrame):  # pragma: no cover - callers convert first
        raise TypeError("write_output needs a GeoDataFrame for GeoJSON and GeoParquet")
    if fmt == "geoparquet":
        _refuse_parquet_to_stdout(output, fmt)
        table.to_parquet(output, index=False)
        return
    table = _finite_geometries(table)
    floats = [c for c in table.columns if c != "geometry" and table[c].dtype.kind == "f"]
    if floats:  # JSON has no Infinity either
        table = table.copy()
        for c in floats:
            table[c] = table[c].where(np.isfinite(table[c]))
    text = table.to_json(
        drop_id=True, na="null", ensure_ascii=False, allow_nan=False, default=_json_default
    )
    if output == "-":
        click.echo(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
