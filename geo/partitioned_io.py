"""Partitioned files for the Dask engine: which files an input names, one partition per file
in, one GeoParquet file per partition out (``part.<i>.parquet``), and the output folder.

Dask is imported only inside the functions that need it.
"""

from __future__ import annotations

import glob
import io
import re
from pathlib import Path

import pandas as pd

from incidentmap.geo.errors import DataFileError

PARQUET_SUFFIXES = (".parquet", ".geoparquet")
CSV_SUFFIXES = (".csv",)


def natural_key(path: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


def input_files(source: str) -> list[str]:
    """The data files named by ``source``: a file, a folder of files, or a glob pattern.

    Sorted in natural order (``part.2`` before ``part.10``). Raises :class:`DataFileError`
    when nothing matches or Parquet and CSV files are mixed.
    """
    path = Path(source)
    if path.is_dir():
        files = [
            str(p) for p in path.iterdir() if p.suffix.lower() in PARQUET_SUFFIXES + CSV_SUFFIXES
        ]
        where = f"folder {source}"
    elif path.is_file():
        files = [source]
        where = source
    else:
        files = glob.glob(source)
        where = f"pattern {source!r}"
    if not files:
        raise DataFileError(
            f"{where} names no .parquet, .geoparquet or .csv file; give a folder, a file or a "
            "glob such as 'points/*.parquet'"
        )
    kinds = {Path(f).suffix.lower() in CSV_SUFFIXES for f in files}
    if len(kinds) > 1:
        raise DataFileError(f"{where} mixes CSV and Parquet files; give one kind at a time")
    return sorted(files, key=natural_key)


def read_geoparquet_partition(path: str):
    """One GeoParquet file as one GeoDataFrame partition."""
    import geopandas as gpd

    try:
        return gpd.read_parquet(path)
    except Exception as exc:  # a user's file: name it and the likely mistake
        raise DataFileError(f"{path} is not readable as GeoParquet: {exc}") from None


def geoparquet_meta(path: str):
    """An empty GeoDataFrame with the columns and CRS of a GeoParquet file (schema only)."""
    import pyarrow.parquet as pq

    import geopandas as gpd

    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise DataFileError(f"{path} is not readable as Parquet: {exc}") from None
    geo_metadata(path)  # refuses a file without
    buf = io.BytesIO()
    pq.write_table(schema.empty_table(), buf)
    buf.seek(0)
    return gpd.read_parquet(buf)


def _binary_as_arrow(arrow_type):
    import pyarrow as pa

    binary = pa.types.is_binary(arrow_type) or pa.types.is_large_binary(arrow_type)
    return pd.ArrowDtype(arrow_type) if binary else None


def read_wkb_partition(path: str):
    """One GeoParquet file as a pandas DataFrame whose geometry columns stay WKB bytes."""
    import pyarrow.parquet as pq

    try:
        return pq.read_table(path).to_pandas(types_mapper=_binary_as_arrow)
    except Exception as exc:  # a user's file: name it and the likely mistake
        raise DataFileError(f"{path} is not readable as GeoParquet: {exc}") from None


def geo_metadata(path: str) -> dict:
    """The GeoParquet ``geo`` metadata of a file (refused when it has none)."""
    import json

    import pyarrow.parquet as pq

    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise DataFileError(f"{path} is not readable as Parquet: {exc}") from None
    if b"geo" not in (schema.metadata or {}):
        raise DataFileError(
            f"{path} is Parquet without GeoParquet metadata (no geometry column); write it "
            "with geopandas' to_parquet, or give CSV files with lat/lon columns"
        )
    return json.loads(schema.metadata[b"geo"])


def read_partitioned(source: str, *, csv_reader=None):
    """A dask GeoDataFrame with one partition per file named by ``source`` (:func:`input_files`).

    GeoParquet files are read with geopandas; CSV files with ``csv_reader(path)``, a
    module-level function (it travels to the workers by name) returning a GeoDataFrame with
    a point per usable row and the reason in ``error`` for the others.
    """
    import dask.dataframe as dd
    import dask_geopandas  # noqa: F401

    files = input_files(source)
    if Path(files[0]).suffix.lower() in CSV_SUFFIXES:
        if csv_reader is None:
            raise DataFileError(f"{source}: reading CSV partitions needs a csv_reader")
        return dd.from_map(csv_reader, files, label="read-csv", enforce_metadata=False)
    return dd.from_map(
        read_geoparquet_partition,
        files,
        meta=geoparquet_meta(files[0]),
        label="read-geoparquet",
        enforce_metadata=False,
    )


def write_partitioned(ddf, folder: str, *, compute: bool = True):
    """Write one GeoParquet file per partition, ``part.<i>.parquet``, into ``folder``.

    With ``compute=False`` returns the delayed write, to run on a client of your choice.
    """
    return ddf.to_parquet(
        folder,
        write_index=False,
        name_function=lambda i: f"part.{i}.parquet",
        compute=compute,
    )


def file_counts(path: str) -> tuple[int, int]:
    """(rows, rows with an error) of one written partition, from its ``error`` column."""
    import pyarrow.parquet as pq

    column = pq.read_table(path, columns=["error"]).column("error")
    return len(column), len(column) - column.null_count


def prepare_output_folder(folder: str, *, overwrite: bool) -> None:
    """Make ``folder`` ready for :func:`write_partitioned`; never delete what it did not write.

    A missing or empty folder is fine. A folder of earlier ``part.<i>.parquet`` files is
    emptied with ``overwrite`` and refused without it; a folder holding anything else is
    always refused.
    """
    path = Path(folder)
    if path.exists() and not path.is_dir():
        raise DataFileError(f"{folder} is a file; the Dask engine writes a folder of GeoParquet")
    entries = list(path.iterdir()) if path.exists() else []
    if not entries:
        return
    ours = [p for p in entries if re.fullmatch(r"part\.\d+\.parquet", p.name)]
    if len(ours) != len(entries):
        raise DataFileError(
            f"{folder} holds files other than part.<i>.parquet; give a new or empty folder"
        )
    if not overwrite:
        raise DataFileError(f"{folder} exists; use --overwrite to replace it")
    for p in ours:
        p.unlink()
