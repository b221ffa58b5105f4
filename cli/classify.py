"""``incidentmap classify``: add the territory answers to every row of a CSV, GeoJSON or
GeoParquet file. As many rows out as in; a row with unusable coordinates gets an ``error``."""

from __future__ import annotations

import io
import logging
import sys
from pathlib import Path

import click
import pandas as pd

from cli.options import date_option, parse_on
from geo.territory import ANSWER_COLUMNS, classify_frame, classify_many

log = logging.getLogger(__name__)

CHUNK = 250_000
FORMATS = {
    ".csv": "csv",
    ".geojson": "geojson",
    ".json": "geojson",
    ".parquet": "geoparquet",
    ".geoparquet": "geoparquet",
}


def _format_of(path: str, fallback: str) -> str:
    return FORMATS.get(Path(path).suffix.lower(), fallback)


def read_input(path: str, fmt: str | None):
    """Return (table, lon, lat, format); lon and lat are None for a GeoDataFrame."""
    import geopandas as gpd

    if path == "-":
        data = sys.stdin.buffer.read()
        fmt = fmt or ("geojson" if data.lstrip()[:1] == b"{" else "csv")
        source = io.BytesIO(data)
    else:
        if not Path(path).exists():
            raise click.BadParameter(f"{path} does not exist", param_hint="INPUT")
        fmt = fmt or _format_of(path, "csv")
        source = path
    try:
        if fmt == "csv":
            df = pd.read_csv(source, dtype=str, keep_default_na=False)
            cols = {c.lower().strip(): c for c in df.columns}
            pair = next(
                (
                    (cols[a], cols[b])
                    for a, b in (
                        ("lat", "lon"),
                        ("latitude", "longitude"),
                        ("lat", "lng"),
                        ("y", "x"),
                    )
                    if a in cols and b in cols
                ),
                None,
            )
            if pair is None:
                raise click.BadParameter(
                    f"{path}: no coordinate columns; expected lat/lon or latitude/longitude, "
                    f"found {', '.join(df.columns) or 'no columns'}",
                    param_hint="INPUT",
                )
            lat = pd.to_numeric(df[pair[0]].str.strip(), errors="coerce").to_numpy(float)
            lon = pd.to_numeric(df[pair[1]].str.strip(), errors="coerce").to_numpy(float)
            return df, lon, lat, fmt
        gdf = gpd.read_parquet(source) if fmt == "geoparquet" else gpd.read_file(source)
    except click.ClickException:
        raise
    except Exception as exc:  # unreadable file: a user mistake, not a traceback
        raise click.BadParameter(
            f"{path} is not readable as {fmt}: {exc}", param_hint="INPUT"
        ) from None
    return gdf, None, None, fmt


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
    "-o", "--output", default="-", show_default=True, help="Output file, or - for stdout."
)
@click.option(
    "--format",
    "in_format",
    type=click.Choice(["csv", "geojson", "geoparquet"]),
    help="Input format (default: from the extension; stdin: CSV or GeoJSON).",
)
@click.option("--overwrite", is_flag=True, help="Replace an existing output file.")
@date_option
def classify(input_path, output, in_format, overwrite, on):
    """Add country, zone, NATO and distance columns to every row of INPUT (- for stdin)."""
    day = parse_on(on)
    if output != "-" and Path(output).exists() and not overwrite:
        raise click.BadParameter(
            f"{output} exists; use --overwrite to replace it", param_hint="--output"
        )
    table, lon, lat, fmt = read_input(input_path, in_format)
    if lon is None:  # a GeoDataFrame: the library reads its point geometries
        table = classify_frame_rows(table, on=day)
        answers = table
    else:
        answers = classify_rows(lon, lat, on=day)
        table = table.copy()
        for col in ANSWER_COLUMNS:
            table[col] = answers[col].to_numpy()
    out_fmt = fmt if output == "-" else _format_of(output, fmt)
    write_output(table, output, out_fmt)
    bad = int(answers["error"].notna().sum())
    log.info("%d rows classified, %d with unusable coordinates", len(table), bad)
    if bad:
        click.echo(
            f"{bad} of {len(table)} rows have unusable coordinates (see column 'error')", err=True
        )


def write_output(table, output: str, fmt: str) -> None:
    import geopandas as gpd

    if fmt == "csv":
        frame = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
        if output == "-":
            frame.to_csv(sys.stdout, index=False)
        else:
            frame.to_csv(output, index=False)
        return
    if not isinstance(table, gpd.GeoDataFrame):
        from shapely import points

        x = pd.to_numeric(table.get("lon", table.get("longitude")), errors="coerce")
        y = pd.to_numeric(table.get("lat", table.get("latitude")), errors="coerce")
        table = gpd.GeoDataFrame(table, geometry=points(x, y), crs=4326)
    if fmt == "geoparquet":
        if output == "-":
            raise click.BadParameter(
                "GeoParquet cannot be written to stdout; give -o FILE", param_hint="--output"
            )
        table.to_parquet(output, index=False)
    elif output == "-":
        click.echo(table.to_json(drop_id=True, ensure_ascii=False))
    else:
        Path(output).write_text(table.to_json(drop_id=True, ensure_ascii=False), encoding="utf-8")
