"""``incidentmap classify``: add the territory answers to every row of a CSV, GeoJSON or
GeoParquet file. As many rows out as in; a row with unusable coordinates gets an ``error``.

Reading and writing are :mod:`incidentmap.geo.tabular` (CSV sniffing, BOM, ragged rows, the
spreadsheet-formula rule, null geometries for error rows); this module parses options,
classifies in chunks with a progress bar and prints.
"""

from __future__ import annotations

import importlib.util
import logging
import sys
from pathlib import Path

import click
import numpy as np
import pandas as pd

from incidentmap.geo.errors import IncidentMapError, TabularInputError, TabularOutputError
from incidentmap.geo.tabular import (
    output_format,
    points_frame,
    read_points,
    refuse_parquet_to_stdout,
    write_table,
)
from incidentmap.geo.territory import ANSWER_COLUMNS, classify_frame, classify_many
from incidentmap.options import date_option, parse_on

log = logging.getLogger(__name__)

#: Rows classified per call: one progress bar step; bounds the memory of one call.
CHUNK = 250_000


def _usage(exc: TabularInputError | TabularOutputError) -> click.BadParameter:
    hint = "INPUT" if isinstance(exc, TabularInputError) else "--output"
    return click.BadParameter(str(exc), param_hint=hint)


# --------------------------------------------------------------------------- classifying


def classify_rows(lon, lat, *, on, distance=True) -> pd.DataFrame:
    n = len(lon)
    if n <= CHUNK:
        return classify_many(lon, lat, on=on, distance=distance)
    parts = []
    with click.progressbar(range(0, n, CHUNK), label="classifying", file=sys.stderr) as bar:
        for start in bar:
            part = classify_many(
                lon[start : start + CHUNK], lat[start : start + CHUNK], on=on, distance=distance
            )
            part.index = range(start, start + len(part))
            parts.append(part)
    return pd.concat(parts)


def classify_frame_rows(frame, *, on, distance=True):
    """:func:`classify_frame` in chunks, with a progress bar for large inputs."""
    if len(frame) <= CHUNK:
        return classify_frame(frame, on=on, distance=distance)
    parts = []
    with click.progressbar(
        range(0, len(frame), CHUNK), label="classifying", file=sys.stderr
    ) as bar:
        for start in bar:
            parts.append(
                classify_frame(frame.iloc[start : start + CHUNK], on=on, distance=distance)
            )
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
@click.option(
    "--distance/--no-distance",
    default=True,
    show_default=True,
    help="Add the signed geodesic distance to the NATO border (the costly part).",
)
@click.option(
    "--engine",
    type=click.Choice(["pandas", "dask"]),
    default="pandas",
    show_default=True,
    help="dask: INPUT is a folder or glob of GeoParquet or CSV files (one partition each) "
    "and -o a folder that gets one GeoParquet file per input file.",
)
@click.option(
    "--scheduler",
    metavar="ADDRESS",
    help="--engine dask: a running scheduler, e.g. tcp://10.0.0.5:8786 "
    "(default: a LocalCluster on this machine).",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="--engine dask without --scheduler: worker processes (default: one per core).",
)
def classify(
    input_path, output, in_format, to_format, overwrite, on, distance, engine, scheduler, workers
):
    """Add country, zone, NATO and distance columns to every row of INPUT (- for stdin).

    CSV input must be UTF-8, comma, semicolon or tab separated, with lat/lon (or
    latitude/longitude, lat/lng, y/x) columns. Rows whose coordinates cannot be used are kept,
    with the reason in column 'error' (and a null geometry in GeoJSON/GeoParquet output).
    """
    day = parse_on(on)
    if engine == "dask":
        return classify_on_dask(input_path, output, overwrite, day, distance, scheduler, workers)
    try:
        out_fmt = output_format(output, to_format)
        if output != "-" and Path(output).exists() and not overwrite:
            raise TabularOutputError(f"{output} exists; use --overwrite to replace it")
        source = sys.stdin.buffer.read() if input_path == "-" else input_path
        got = read_points(source, in_format)
        out_fmt = out_fmt or got.format
        refuse_parquet_to_stdout(output, out_fmt)
    except (TabularInputError, TabularOutputError) as exc:
        raise _usage(exc) from None
    table, lon, lat, problems = got.table, got.lon, got.lat, got.problems
    if lon is None:  # a GeoDataFrame: the library reads its point geometries
        table = classify_frame_rows(table, on=day, distance=distance)
        answers = table
    else:
        usable = np.array([p is None for p in problems], dtype=bool)
        answers = classify_rows(
            np.where(usable, lon, np.nan), np.where(usable, lat, np.nan), on=day, distance=distance
        )
        answers["error"] = np.where(usable, answers["error"].to_numpy(dtype=object), problems)
        table = table.copy()
        for col in ANSWER_COLUMNS:
            table[col] = answers[col].to_numpy()
    if out_fmt != "csv" and lon is not None:
        table = points_frame(table, lon, lat, got.coordinate_columns)
    try:
        write_table(table, sys.stdout if output == "-" else output, out_fmt)
    except TabularOutputError as exc:
        raise _usage(exc) from None
    bad = int(answers["error"].notna().sum())
    log.info("%d rows classified, %d with unusable coordinates", len(table), bad)
    if bad:
        click.echo(
            f"{bad} of {len(table)} rows have unusable coordinates (see column 'error')", err=True
        )


def read_csv_partition(path: str):
    """One CSV file as a GeoDataFrame partition for ``--engine dask`` (reasons in ``error``)."""
    got = read_points(path, "csv")
    table = got.table.copy()
    table["error"] = got.problems
    return points_frame(table, got.lon, got.lat, got.coordinate_columns)


def classify_on_dask(input_path, output, overwrite, day, distance, scheduler, workers):
    """``--engine dask``: the library's partitioned classification on a Dask cluster."""
    if output == "-":
        raise click.BadParameter("--engine dask writes a folder; give -o FOLDER", param_hint="-o")
    if scheduler and workers:
        raise click.BadParameter(
            "--workers starts a LocalCluster; a running cluster (--scheduler) has its own",
            param_hint="--workers",
        )
    if not all(importlib.util.find_spec(m) for m in ("distributed", "dask_geopandas")):
        raise click.UsageError("--engine dask needs: pip install 'incidentmap[dask]'")
    from incidentmap.geo.partitioned import classify_files, dask_client
    from incidentmap.geo.partitioned_io import input_files, prepare_output_folder

    try:
        input_files(input_path)  # a mistake in INPUT shows before any cluster starts
        prepare_output_folder(output, overwrite=overwrite)
        # distributed logs its start-up and shut-down chatter at INFO: keep it to warnings
        logging.getLogger("distributed").setLevel(max(logging.getLogger().level, logging.WARNING))
        with dask_client(scheduler, workers=workers) as client:
            click.echo(f"Dask dashboard: {client.dashboard_link}", err=True)
            rows, bad = classify_files(
                input_path, output, client=client, on=day, distance=distance,
                csv_reader=read_csv_partition, progress=sys.stderr,
            )  # fmt: skip
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="INPUT") from None
    except OSError as exc:
        if not scheduler:
            raise
        # no scheduler at that address (distributed raises OSError on a failed connect)
        raise click.BadParameter(f"{scheduler}: {exc}", param_hint="--scheduler") from None
    click.echo(f"{rows} rows classified into {output}, {bad} with unusable coordinates", err=True)
