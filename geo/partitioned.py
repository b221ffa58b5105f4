"""Territory answers for partitioned data on Dask: the same exact core, one partition at a time.

:func:`classify_ddf` maps :func:`incidentmap.geo.territory.classify_frame` over the partitions
of a dask(-geopandas) GeoDataFrame of points. The border indexes are never shipped with the
tasks: a task carries only the date and two flags, and the worker process resolves the one
shared :func:`~incidentmap.geo.territory.territory` itself, building (or loading) its indexes
on its first task and reusing them for every later one. :func:`classify_files` runs the whole
job on a cluster, file by file (``geo.partitioned_io``): the i-th input file in natural order
becomes ``part.<i>.parquet`` of the output, with the same rows in the same order. GeoParquet
points are answered straight from their WKB (``geo.wkb_points``), never made into geometry
objects.

Dask is an optional dependency (``pip install 'incidentmap[dask]'``); it is imported only when
one of these functions runs.

Each worker should run one thread per core it owns (``--nthreads 1``, as many worker
processes as cores): the numba kernels hold the GIL, and inside a task they run on the task's
own thread only (``numba_threads``), so workers never compete for cores.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import os
import threading
from pathlib import Path

import numpy as np
import pandas as pd

from incidentmap.geo.coords import parse_date
from incidentmap.geo.errors import InvalidCoordinateError
from incidentmap.geo.partitioned_io import (
    PARQUET_SUFFIXES,
    file_counts,
    geo_metadata,
    geoparquet_meta,
    input_files,
    natural_key,
    read_partitioned,
    read_wkb_partition,
    write_partitioned,
)
from incidentmap.geo.territory import (
    ANSWER_COLUMNS,
    NOT_A_POINT,  # noqa: F401  (re-exported: the reason for a row without a point)
    ORDER_FROM,
    SMALL_BATCH,
    answer_columns,
    point_lonlat,
    territory,
)
from incidentmap.geo.wkb_points import point_coordinates

log = logging.getLogger(__name__)

#: Text columns: pandas' own string dtype ("str" from pandas 3 on, what classify_frame's text
#: columns already are; "string" before).
_TEXT = "str" if int(pd.__version__.split(".")[0]) >= 3 else "string"
#: The dtype of every answer column in every partition (an all-missing partition included),
#: so that the files of one output share one Parquet schema.
ANSWER_DTYPES = {
    "country": _TEXT,
    "country_name": _TEXT,
    "zone": _TEXT,
    "nato_member": "boolean",
    "nato_since": _TEXT,
    "article_6_area": "boolean",
    "status_note": _TEXT,
    "distance_to_nato_border_km": "float64",
    "nearest_border_lat": "float64",
    "nearest_border_lon": "float64",
    "across": _TEXT,
    "accuracy_m": "Int64",
    "error": _TEXT,
}
assert tuple(ANSWER_DTYPES) == ANSWER_COLUMNS

_lock = threading.Lock()
_ready: set[tuple[dt.date, bool]] = set()
#: Galați (Romania), whose answer needs every index, in a batch large enough for the compiled
#: kernels: the first call loads (or builds) every index the answers use, under one lock, so
#: that threads sharing a worker process never build one twice.
#: As many points as a large partition's path needs (the cell-ordered, batched kernels).
_PROBE_POINTS = max(SMALL_BATCH, ORDER_FROM, 100_000)
_PROBE_LON, _PROBE_LAT = np.full(_PROBE_POINTS, 28.05), np.full(_PROBE_POINTS, 45.4353)


def prepare_worker(on: dt.date, distance: bool) -> None:
    """Build this process's indexes for ``on`` once, before concurrent tasks use them.

    The first call in a process loads the border data and builds (or loads) the indexes that
    the answers for ``on`` need; later calls return at once. Safe to call from many threads.
    """
    key = (on, bool(distance))
    if key in _ready:
        return
    with _lock:
        if key not in _ready:
            _arrow_threads_of_this_worker()
            territory().classify_arrays(_PROBE_LON, _PROBE_LAT, on=on, distance=distance)
            _ready.add(key)
            log.info("worker %d: border indexes ready for %s", os.getpid(), on)


def _arrow_threads_of_this_worker() -> None:
    """In a distributed worker, let pyarrow (Parquet decoding and encoding, string gathers)
    use as many threads as the workers of this process have, so that a worker process of
    one thread uses one core (pyarrow's default is every core of the machine)."""
    try:
        from distributed import get_worker
        from distributed.worker import Worker

        get_worker()  # raises ValueError outside a task
        threads = sum(w.state.nthreads for w in list(Worker._instances))
    except (ImportError, ValueError, AttributeError):  # not in a worker: leave pyarrow be
        return
    import pyarrow as pa

    pa.set_cpu_count(max(1, int(threads)))


@contextlib.contextmanager
def _numba_threads(n: int | None):
    """Run the numba kernels of this thread on ``n`` threads (None: leave as is)."""
    if n is None:
        yield
        return
    import numba

    before = numba.get_num_threads()
    numba.set_num_threads(max(1, min(int(n), numba.config.NUMBA_NUM_THREADS)))
    try:
        yield
    finally:
        numba.set_num_threads(before)


def stable_answers(columns: dict) -> dict:
    """:func:`~incidentmap.geo.territory.answer_columns` in :data:`ANSWER_DTYPES` (text: the
    few categories are converted, then gathered by code; nothing is made per row)."""
    out = {}
    for col, dtype in ANSWER_DTYPES.items():
        values = columns[col]
        if isinstance(values, pd.Categorical):
            labels = pd.array(values.categories.to_numpy(dtype=object), dtype=dtype)
            out[col] = labels.take(np.asarray(values.codes, dtype=np.intp), allow_fill=True)
        elif isinstance(values, np.ndarray) and values.dtype == object:  # error: None or text
            out[col] = _text_array(values, dtype)
        else:  # float64, or already nullable boolean / Int64
            out[col] = pd.array(values, dtype=dtype, copy=False)
    return out


def _text_array(values: np.ndarray, dtype):
    """An object array of text and None (mostly None) as a ``dtype`` array: the distinct
    texts are converted once and gathered by code."""
    at = np.flatnonzero(pd.notna(values))
    codes = np.full(len(values), -1, dtype=np.intp)
    texts, codes[at] = np.unique(values[at].astype(str), return_inverse=True)
    return pd.array(texts.astype(object), dtype=dtype).take(codes, allow_fill=True)


def _with_answers(frame, columns: dict, read_errors=None):
    """``frame`` (not modified) with the answer columns added; a reason the reader gave for a
    row (a CSV row it could not read) outranks the answers' own."""
    out = frame.copy(deep=False)
    for col, values in stable_answers(columns).items():
        out[col] = pd.Series(values, index=frame.index, copy=False)
    if read_errors is not None:
        out["error"] = read_errors.astype(ANSWER_DTYPES["error"]).where(
            read_errors.notna(), out["error"]
        )
    return out


def classify_partition(frame, *, on: dt.date, distance: bool, numba_threads: int | None = 1):
    """One partition's answers: the values of :func:`classify_frame`, in stable dtypes.

    A row that arrives with a reason in column ``error`` (as the CSV reader gives one for a
    row it could not read) keeps that reason.
    """
    read_errors = frame["error"] if "error" in frame.columns else None
    lon, lat, is_point = point_lonlat(frame.geometry.values)
    with _numba_threads(numba_threads):
        prepare_worker(on, distance)
        columns = answer_columns(lon, lat, on=on, distance=distance, not_point=~is_point)
    return _with_answers(frame, columns, read_errors)


def _answer_meta(meta):
    """The empty frame :func:`classify_partition` returns for ``meta``, without computing."""
    out = meta.copy()
    for col, dtype in ANSWER_DTYPES.items():
        out[col] = pd.Series([], dtype=dtype, index=out.index)
    return out


def classify_wkb_partition(
    frame, *, on: dt.date, distance: bool, geometry: str, numba_threads: int | None = 1
):
    """One partition whose ``geometry`` column is WKB (as read from GeoParquet), answered.

    The same answers and reasons as :func:`classify_partition`, without decoding the WKB into
    geometry objects (see :mod:`incidentmap.geo.wkb_points`); the WKB passes through as is.
    """
    import pyarrow as pa

    lon, lat, is_point = point_coordinates(pa.array(frame[geometry].array))
    with _numba_threads(numba_threads):
        prepare_worker(on, distance)
        columns = answer_columns(lon, lat, on=on, distance=distance, not_point=~is_point)
    return _with_answers(frame, columns)


def _check_lonlat_crs(crs) -> None:
    if crs is not None and not (
        crs.is_geographic and crs.equals("EPSG:4326", ignore_axis_order=True)
    ):
        raise InvalidCoordinateError(
            f"the points are in {crs.name} ({crs.to_string()}), not longitude/latitude on "
            "WGS84; reproject first, e.g. ddf.to_crs(4326)"
        )


def classify_ddf(ddf, *, on=None, distance: bool = True, numba_threads: int | None = 1):
    """A dask GeoDataFrame of points with the territory answers added, partition by partition.

    Parameters
    ----------
    ddf : dask_geopandas.GeoDataFrame
        Points in longitude/latitude (EPSG:4326, or no CRS). Rows whose geometry is missing or
        not a point are kept with the reason in ``error``, as in :func:`classify_frame`.
    on : str or datetime.date, keyword-only
        Answer as of this date (default: today, fixed when this is called).
    distance : bool, keyword-only
        Add the signed geodesic distance to the NATO border (the costly part).
    numba_threads : int or None, keyword-only
        Threads the numba kernels of one task use (default 1: the cluster's workers are the
        parallelism); None leaves numba's default.

    Returns
    -------
    dask_geopandas.GeoDataFrame
        The same partitions, rows and order, with the columns of
        :data:`incidentmap.geo.territory.ANSWER_COLUMNS` in :data:`ANSWER_DTYPES`.
    """
    import dask_geopandas  # noqa: F401  (registers the GeoDataFrame collection)

    day = parse_date(on)
    _check_lonlat_crs(getattr(ddf._meta, "crs", None))
    return ddf.map_partitions(
        classify_partition,
        on=day,
        distance=bool(distance),
        numba_threads=numba_threads,
        meta=_answer_meta(ddf._meta),
        align_dataframes=False,
    )


@contextlib.contextmanager
def dask_client(scheduler: str | None = None, *, workers: int | None = None):
    """A distributed client: connected to ``scheduler``, else on a new LocalCluster.

    The LocalCluster has ``workers`` worker processes (default: one per core) of one thread
    each; it is closed on exit. A scheduler address is any deployment's
    (``tcp://host:8786`` from dask-jobqueue, dask-kubernetes, Coiled ...).
    """
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=True) as cluster:
        with Client(cluster) as client:
            yield client


def _progress_bar(futures, stream):
    """distributed's text progress bar over every task behind ``futures``, on ``stream``."""
    from distributed.diagnostics.progressbar import TextProgressBar

    class _Bar(TextProgressBar):
        drawn = None

        def _draw_bar(self, remaining, all, **kwargs):
            done = (1 - remaining / all) if all else 1.0
            text = f"\r[{'#' * int(self.width * done):<{self.width}}] {done:4.0%} of {all} tasks"
            if text != self.drawn:  # a new line only when it changes (stderr may be a file)
                stream.write(text)
                stream.flush()
                self.drawn = text

        def _draw_stop(self, **kwargs):
            stream.write("\n")
            stream.flush()

    return _Bar(futures)


def classify_files(
    source: str,
    folder: str,
    *,
    client,
    on=None,
    distance: bool = True,
    csv_reader=None,
    progress=None,
) -> tuple[int, int]:
    """Classify the files named by ``source`` on ``client`` into GeoParquet files in ``folder``.

    One output file per input file (``part.<i>.parquet`` for the i-th file in natural order),
    same rows in the same order. ``progress`` is a text stream for a progress bar (None: no
    bar). Returns ``(rows, rows with an error)``.
    """
    future = client.compute(
        classified_files(source, folder, on=on, distance=distance, csv_reader=csv_reader)
    )
    if progress is not None:
        _progress_bar([future], progress)
    future.result()
    files = sorted((str(p) for p in Path(folder).glob("part.*.parquet")), key=natural_key)
    counts = client.gather(client.map(file_counts, files, pure=False))
    return sum(c[0] for c in counts), sum(c[1] for c in counts)


def classified_files(source: str, folder: str, *, on=None, distance=True, csv_reader=None):
    """The delayed job of :func:`classify_files`: read, classify and write, file by file.

    GeoParquet files whose geometry is WKB go through :func:`classify_wkb_partition` (no
    geometry objects are made); CSV files and other encodings through :func:`classify_ddf`.
    """
    import json

    import dask.dataframe as dd

    files = input_files(source)
    meta = None
    if Path(files[0]).suffix.lower() in PARQUET_SUFFIXES:
        meta = geo_metadata(files[0])
    column = meta and meta.get("primary_column")
    if not meta or meta["columns"].get(column, {}).get("encoding", "").upper() != "WKB":
        ddf = classify_ddf(
            read_partitioned(source, csv_reader=csv_reader), on=on, distance=distance
        )
        return write_partitioned(ddf, folder, compute=False)
    _check_lonlat_crs(geoparquet_meta(files[0]).crs)
    for spec in meta["columns"].values():
        spec.pop("bbox", None)  # the first file's extent is not every file's
    empty = read_wkb_partition(files[0]).iloc[:0]
    points = dd.from_map(
        read_wkb_partition, files, meta=empty, label="read-wkb", enforce_metadata=False
    )
    answered = points.map_partitions(
        classify_wkb_partition,
        on=parse_date(on),
        distance=bool(distance),
        geometry=column,
        meta=_answer_meta(empty),
        align_dataframes=False,
    )
    return answered.to_parquet(
        folder,
        write_index=False,
        name_function=lambda i: f"part.{i}.parquet",
        custom_metadata={"geo": json.dumps(meta)},
        compute=False,
    )
