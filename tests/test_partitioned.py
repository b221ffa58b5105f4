"""The Dask engine on a real LocalCluster: the same answers as the single process, partition by
partition, with every row kept."""

import subprocess
import sys

# the [dask] extra is part of [test]: a missing engine is a failure, not a skip
import cloudpickle  # noqa: E402
import dask.dataframe as dd  # noqa: E402
import dask_geopandas  # noqa: E402
import distributed  # noqa: E402
import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from dask import delayed  # noqa: E402

import geopandas as gpd
import shapely

from incidentmap.geo.errors import DataFileError, InvalidCoordinateError
from incidentmap.geo.partitioned import (  # noqa: E402
    classified_files,
    classify_ddf,
    read_partitioned,
    write_partitioned,
)
from incidentmap.geo.territory import ANSWER_COLUMNS, classify_frame
from incidentmap.geo.wkb_points import point_coordinates
from incidentmap.main import cli
from tests import places as P

DAY = "2025-06-01"
NAMED = [P.GALATI, P.IZMAIL, P.NARVA, P.IVANGOROD, P.KALININGRAD, P.SEVASTOPOL, P.MARIEHAMN]
PARTITION_SIZES = (700, 1300, 3, 2100, 900)  # uneven, one below any batch threshold


@pytest.fixture(scope="module")
def client():
    """Two worker threads in this process: quick to start, and they share the indexes."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=":0"
    ) as cluster:
        with distributed.Client(cluster) as c:
            yield c


def points_frame(n: int, seed: int = 7) -> gpd.GeoDataFrame:
    """Random points in the eastern-flank box, the named places, and rows that cannot be used."""
    rng = np.random.default_rng(seed)
    geoms = list(shapely.points(rng.uniform(12, 42, n), rng.uniform(40, 62, n)))
    geoms[: len(NAMED)] = [shapely.Point(p) for p in NAMED]
    geoms[10] = None
    geoms[11] = shapely.LineString([P.GALATI, P.IZMAIL])
    geoms[1500] = shapely.Point()
    geoms[2500] = shapely.Point(28.0, 95.0)  # latitude out of range
    return gpd.GeoDataFrame({"id": np.arange(n)}, geometry=geoms, crs=4326)


def comparable(frame) -> pd.DataFrame:
    """Answer columns as plain Python values, missing as None (dtypes differ by design)."""
    cols = ["id", *ANSWER_COLUMNS]
    out = pd.DataFrame(frame[cols]).astype(object)
    return out.where(pd.notna(out), None).reset_index(drop=True)


def in_partitions(frame, sizes=PARTITION_SIZES):
    """A dask GeoDataFrame whose partitions have exactly ``sizes`` rows."""
    bounds = np.cumsum((0, *sizes))
    parts = [frame.iloc[a:b] for a, b in zip(bounds[:-1], bounds[1:], strict=True)]
    return dd.from_delayed([delayed(p) for p in parts], meta=frame.iloc[:0], verify_meta=False)


def test_answers_equal_the_single_process_partition_by_partition(client):
    frame = points_frame(sum(PARTITION_SIZES))
    ddf = in_partitions(frame)
    out = classify_ddf(ddf, on=DAY, distance=True)
    assert out.npartitions == ddf.npartitions
    lengths = out.map_partitions(len).compute().tolist()
    assert lengths == list(PARTITION_SIZES)
    got = out.compute()
    expected = classify_frame(frame, on=DAY, distance=True)
    assert len(got) == len(frame)
    pd.testing.assert_frame_equal(comparable(got), comparable(expected))
    # every error row is kept, with its reason
    errors = dict(zip(got["id"], got["error"], strict=True))
    assert errors[10] == errors[11] == errors[1500] == "geometry is not a point"
    assert "latitude" in errors[2500]
    assert int(got["error"].notna().sum()) == 4
    galati = got[got["id"] == 0].iloc[0]
    assert (galati["country"], galati["nato_member"], galati["across"]) == ("ROU", True, "MDA")


def test_geoparquet_folder_in_one_file_per_partition_out_in_order(client, tmp_path):
    frame = points_frame(3000, seed=11)
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    for i, (a, b) in enumerate([(0, 1000), (1000, 1001), (1001, 3000)]):
        frame.iloc[a:b].to_parquet(src / f"points-{i}.parquet")  # natural order: 0, 1, 2
    ddf = read_partitioned(str(src))
    assert ddf.npartitions == 3
    answered = classify_ddf(ddf, on=DAY, distance=False)
    # the tasks carry file names, a date and flags; never the border indexes (many MB)
    assert len(cloudpickle.dumps(dict(answered.__dask_graph__()))) < 100_000
    write_partitioned(answered, str(dst))
    files = sorted(dst.iterdir())
    assert [f.name for f in files] == ["part.0.parquet", "part.1.parquet", "part.2.parquet"]
    parts = [gpd.read_parquet(f) for f in files]
    assert [len(p) for p in parts] == [1000, 1, 1999]
    got = pd.concat(parts)
    assert got["id"].tolist() == list(range(3000))
    assert got.crs == frame.crs
    assert got["distance_to_nato_border_km"].isna().all()  # --no-distance
    expected = classify_frame(frame, on=DAY, distance=False)
    pd.testing.assert_frame_equal(comparable(got), comparable(expected))


def test_geoparquet_files_answered_from_wkb_equal_the_single_process(client, tmp_path):
    frame = points_frame(2600, seed=5)
    # rows the WKB reader leaves to shapely: a Z point, a NaN point
    frame.loc[20, "geometry"] = shapely.Point(P.NARVA[0], P.NARVA[1], 12.0)
    frame.loc[21, "geometry"] = shapely.Point(P.IZMAIL)
    frame.loc[22, "geometry"] = shapely.Point(np.nan, np.nan)
    src, dst = tmp_path / "in", tmp_path / "out"
    src.mkdir()
    frame.iloc[:1800].to_parquet(src / "a.parquet")
    frame.iloc[1800:].to_parquet(src / "b.parquet")
    client.compute(classified_files(str(src), str(dst), on=DAY, distance=True)).result()
    parts = [gpd.read_parquet(dst / f"part.{i}.parquet") for i in range(2)]
    assert [len(p) for p in parts] == [1800, 800]
    got = pd.concat(parts)
    assert got.geometry.to_wkb().tolist() == frame.geometry.to_wkb().tolist()  # passed through
    # the single process on the same files (WKB has no NaN point: it reads back as empty)
    read = pd.concat([gpd.read_parquet(src / "a.parquet"), gpd.read_parquet(src / "b.parquet")])
    expected = classify_frame(read, on=DAY, distance=True)
    pd.testing.assert_frame_equal(comparable(got), comparable(expected))
    assert got["error"].tolist()[22] == "geometry is not a point"
    assert got["country"].tolist()[20:22] == ["EST", "UKR"]


def test_wkb_reader_decides_as_shapely_does():
    geoms = [
        shapely.Point(P.GALATI),
        None,
        shapely.Point(),
        shapely.Point(np.nan, 45.0),
        shapely.Point(28.0, 45.0, 3.0),
        shapely.LineString([P.GALATI, P.IZMAIL]),
        shapely.Polygon([(0, 0), (1, 0), (1, 1)]),
    ]
    rows = [None if g is None else g.wkb for g in geoms]
    rows.append(shapely.to_wkb(shapely.Point(P.KALININGRAD), byte_order=0))
    rows.append(shapely.to_wkb(shapely.Point(P.NARVA), include_srid=True, flavor="extended"))
    lon, lat, ok = point_coordinates(rows)
    decoded = [None if r is None else shapely.from_wkb(r) for r in rows]
    expected = [g is not None and not g.is_empty and g.geom_type == "Point" for g in decoded]
    assert ok.tolist() == expected
    for i in np.flatnonzero(ok):
        assert np.array_equal([lon[i], lat[i]], [decoded[i].x, decoded[i].y], equal_nan=True)
    assert np.isnan(lon[~ok]).all() and np.isnan(lat[~ok]).all()


def test_cli_csv_glob_on_a_running_scheduler_keeps_bad_rows(client, tmp_path):
    text = "name,lat,lon\ngalati,45.4353,28.05\nbad,abc,28\nragged,45.1,29.2,extra\n"
    (tmp_path / "a-1.csv").write_text(text, encoding="utf-8")
    (tmp_path / "a-2.csv").write_text("name,lat,lon\nizmail,45.35058,28.83751\n", encoding="utf-8")
    out = tmp_path / "answers"
    args = ["classify", str(tmp_path / "a-*.csv"), "-o", str(out), "--engine", "dask"]
    args += ["--scheduler", client.scheduler.address, "--date", DAY]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 0, res.output
    assert "Dask dashboard:" in res.stderr and "100%" in res.stderr
    assert "4 rows classified" in res.stderr and "2 with unusable coordinates" in res.stderr
    first = gpd.read_parquet(out / "part.0.parquet")
    assert first["name"].tolist() == ["galati", "bad", "ragged"]
    assert first["country"].tolist()[0] == "ROU"
    assert first["error"].tolist()[1] == "latitude 'abc' is not a number (column 'lat')"
    assert first["error"].tolist()[2].startswith("row 3 has 4 fields, the header has 3")
    assert first.geometry.isna().tolist() == [False, True, True]
    second = gpd.read_parquet(out / "part.1.parquet")
    assert second["country"].tolist() == ["UKR"] and second["nato_member"].tolist() == [False]
    # the same output again: refused without --overwrite, replaced with it
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 2 and "--overwrite" in res.output
    res = CliRunner().invoke(cli, [*args, "--overwrite"], catch_exceptions=False)
    assert res.exit_code == 0, res.output


def test_cli_names_the_input_that_holds_no_data_files(tmp_path):
    (tmp_path / "notes.txt").write_text("nothing here", encoding="utf-8")
    args = ["classify", str(tmp_path), "-o", str(tmp_path / "out"), "--engine", "dask"]
    res = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert res.exit_code == 2
    assert "names no .parquet, .geoparquet or .csv file" in res.output
    assert "Traceback" not in res.output


def test_points_in_a_projected_crs_are_refused():
    frame = points_frame(3000).iloc[:50].to_crs(3035)
    with pytest.raises(InvalidCoordinateError, match="reproject first"):
        classify_ddf(dask_geopandas.from_geopandas(frame, npartitions=2), on=DAY)


def test_plain_parquet_without_geometry_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "plain.parquet"
    pd.DataFrame({"lat": [45.4], "lon": [28.0]}).to_parquet(path)
    with pytest.raises(DataFileError, match="plain.parquet is Parquet without GeoParquet"):
        read_partitioned(str(path))


def test_importing_the_core_and_the_cli_does_not_import_dask():
    code = "import sys, incidentmap.geo.territory, incidentmap.main; print('dask' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"
