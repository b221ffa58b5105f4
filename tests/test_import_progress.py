"""Progress on large inputs: the stages the import and the seed loader report, the default map's
cap on incidents (said, never silent), and the periods of equal territory answers that let the
enrichment answer many days in one call."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
from click.testing import CliRunner

import geopandas as gpd

from incidentmap import build as build_cmd
from incidentmap.geo.enrich import same_answers_day
from incidentmap.geo.imports import import_file
from incidentmap.geo.incidents import load_incidents
from incidentmap.geo.progress import listening
from incidentmap.geo.territory import classify_many
from incidentmap.main import cli

ACLED = Path(__file__).parent / "data" / "imports" / "acled_sample.csv"


def test_import_and_load_report_every_stage(tmp_path):
    seen: list[tuple[str, int, int]] = []
    with listening(lambda *a: seen.append(a)):
        import_file(ACLED, "acled-csv", tmp_path / "seeds")
        load_incidents(tmp_path / "seeds" / "incidents")
    stages = [s for s, _, _ in seen]
    for stage in ("reading file (kB)", "validating rows", "writing records", "validating seeds"):
        assert stage in stages, stage
    assert any(s.startswith("enriching") for s in stages)
    # each stage ends at its total
    last = {s: (d, t) for s, d, t in seen}
    assert last["validating rows"] == (18, 18)  # the 18 rows of the fixture
    assert all(d <= t for d, t in last.values())


def test_quiet_import_prints_only_the_rejections(tmp_path):
    result = CliRunner().invoke(
        cli, ["-q", "import", str(ACLED), "--format", "acled-csv", "-o", str(tmp_path / "s")]
    )
    assert result.exit_code == 1
    assert "%" not in result.stderr and "validating" not in result.stderr


def test_default_map_cap_keeps_the_nearest_and_says_what_it_left_out(monkeypatch, capsys):
    frame = gpd.GeoDataFrame(
        {
            "event_id_cnty": ["POL1", "POL2", "POL3", "POL4"],
            "distance_to_nato_border_km": [120.0, -3.0, np.nan, 10.0],
        },
        geometry=gpd.points_from_xy([20, 21, 22, 23], [50, 50, 50, 50]),
        crs="EPSG:4326",
    )
    monkeypatch.setattr(build_cmd, "MAX_DEFAULT_MAP_INCIDENTS", 2)
    kept, left_out = build_cmd._nearest_to_border(frame)
    assert list(kept["event_id_cnty"]) == ["POL2", "POL4"]  # in their order
    assert [x["id"] for x in left_out] == ["POL1", "POL3"]
    assert "within 10.0 km" in left_out[0]["reason"]
    assert "2 incidents left out" in capsys.readouterr().err
    small, none = build_cmd._nearest_to_border(frame.iloc[:2])
    assert len(small) == 2 and none == []


def test_periods_of_equal_answers_split_at_accessions_and_answer_alike():
    days = [dt.date(2023, 1, 1), dt.date(2023, 4, 3), dt.date(2023, 4, 4), dt.date(2023, 6, 1)]
    same = same_answers_day(days)
    assert same[dt.date(2023, 4, 3)] == dt.date(2023, 1, 1)  # Finland joined on 4 April
    assert same[dt.date(2023, 6, 1)] == dt.date(2023, 4, 4)
    lon, lat = np.array([27.0, 30.0, 34.1]), np.array([61.0, 48.0, 44.9])  # FIN, UKR, Crimea
    for day, rep in same.items():
        a, b = classify_many(lon, lat, on=day), classify_many(lon, lat, on=rep)
        pd.testing.assert_frame_equal(a, b)


def test_one_bar_per_stage_on_stderr(capsys):
    from incidentmap.geo.progress import step
    from incidentmap.progress import progress_bars

    with progress_bars(min_items=10):
        for done in range(0, 101, 20):
            step("validating seeds", done, 100)
        step("validating seeds", 100, 100)  # the loader's closing step
        step("small", 1, 5)  # under min_items: no bar
        step("writing", 50, 100)
        step("writing", 100, 100)
    err = capsys.readouterr().err
    assert err.count("validating seeds") == 1 and err.count("writing") == 1
    assert "small" not in err
