"""``incidentmap import`` of UCDP GED, plain CSV and GeoJSON, and of bad inputs (exit codes)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentmap.geo.imports import import_file
from incidentmap.geo.incidents import load_incidents
from incidentmap.main import cli

DATA = Path(__file__).parent / "data" / "imports"


def run(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def by_id(folder):
    loaded = load_incidents(Path(folder) / "incidents")
    assert loaded.rejected == ()
    return {i.event_id_cnty: i for i in loaded.incidents}


def test_ucdp_ged_precision_dates_and_fatalities(tmp_path):
    report = import_file(DATA / "ucdp_ged_sample.csv", "ucdp-ged-csv", tmp_path / "u")
    got = by_id(tmp_path / "u")
    assert report.rows == 13 and report.imported == 8 and len(report.rejected) == 5
    assert {p.row for p in report.rejected} == {10, 11, 12, 13, 14}
    snake = got["UKR-GED900004"]  # where_prec 7: over water
    assert snake.precision_m == 100_000 and snake.geo_precision == 3
    assert "ucdp_over_water" in snake.tags
    kyiv = got["UKR-GED900008"]
    assert kyiv.fatalities == 2 and {"fatalities_low=2", "fatalities_high=5"} <= set(kyiv.tags)
    assert kyiv.sub_event_type == "Air/drone strike"
    month = got["ROU-GED900006"]  # date_prec 4: a month
    assert (month.time_precision, str(month.date_start), str(month.date_end)) == (
        3,
        "2024-09-01",
        "2024-09-30",
    )
    assert month.precision_m == 150_000  # where_prec 4: the region
    assert got["POL-GED900002"].kind == "impact" and got["POL-GED900002"].fatalities == 2
    assert got["MDA-GED900007"].sources[1].publisher == "@SUM(1+1)*cmd|' /C calc'!A0"


def test_plain_csv_with_map_columns_and_semicolons(tmp_path):
    spec = "event_date=when,longitude=lng,kind=what,notes=remarks,fatalities=dead,sources=link"
    result = run(
        DATA / "own_events.csv", "--format", "csv", "-o", tmp_path / "p", "--map-columns", spec
    )
    assert result.exit_code == 1
    got = by_id(tmp_path / "p")
    assert set(got) == {"ROU-2023-0001", "POL-2025-0001", "MDA-2024-0001"}  # country from coords
    house = got["POL-2025-0001"]
    assert house.kind == "strike_on_building" and house.event_type == "Explosions/Remote violence"
    assert house.sources[0].publisher == "censor.net"
    assert "own_events.csv:5: column 'kind'" in result.stderr
    assert "own_events.csv:6: column 'event_date'" in result.stderr


def test_toml_mapping(tmp_path):
    toml = tmp_path / "map.toml"
    toml.write_text(
        '[columns]\nevent_date = "when"\nlongitude = "lng"\nkind = "what"\n'
        'notes = "remarks"\nsources = "link"\n',
        encoding="utf-8",
    )
    report = import_file(DATA / "own_events.csv", "csv", tmp_path / "t", map_columns=str(toml))
    assert report.imported == 3


def test_geojson_points_and_default_names(tmp_path):
    report = import_file(DATA / "own_events.geojson", "geojson", tmp_path / "g")
    got = by_id(tmp_path / "g")
    assert set(got) == {"ROU-2024-0901", "POL-2022-0901"}
    assert got["POL-2022-0901"].country == "POL"  # from the coordinates
    assert got["POL-2022-0901"].notes.startswith("<svg onload=alert(1)>")
    assert got["POL-2022-0901"].event_type == "Explosions/Remote violence"
    assert got["POL-2022-0901"].sub_event_type == "Shelling/artillery/missile attack"
    assert [p.row for p in report.rejected] == [3]


def _acled_header_only(path, drop=None, delimiter=","):
    from incidentmap.geo.export import ACLED_COLUMNS

    cols = [c for c in ACLED_COLUMNS if c != drop]
    with open(DATA / "acled_sample.csv", encoding="utf-8", newline="") as handle:
        data = list(csv.DictReader(handle))[:3]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.DictWriter(handle, fieldnames=cols, delimiter=delimiter, extrasaction="ignore")
        w.writeheader()
        w.writerows(data)


@pytest.mark.parametrize(
    "case, message",
    [
        ("missing", "does not exist"),
        ("latin1", "not UTF-8"),
        ("delimiter", "wrong delimiter"),
        ("no_column", "ACLED column 'geo_precision' is missing"),
        ("empty_column", "column 'latitude' is empty in every row"),
        ("bad_mapping", "'place_name' is not a seed field"),
    ],
)
def test_user_mistakes_exit_2_with_one_line(tmp_path, case, message):
    path, fmt, extra = tmp_path / "in.csv", "acled-csv", []
    if case == "latin1":
        path.write_bytes("event_id_cnty,notes\nPOL1,Przewodów\n".encode("latin-1"))
    elif case == "delimiter":
        _acled_header_only(path, delimiter="|")
    elif case == "no_column":
        _acled_header_only(path, drop="geo_precision")
    elif case == "empty_column":
        _acled_header_only(path)
        text = path.read_text(encoding="utf-8").splitlines()
        header = text[0].split(",")
        i = header.index("latitude")
        rows = list(csv.reader(text[1:]))
        for r in rows:
            r[i] = ""
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows([header, *rows])
    elif case == "bad_mapping":
        path.write_text("date,place\n2024-01-01,x\n", encoding="utf-8")
        fmt, extra = "csv", ["--map-columns", "place_name=place"]
    result = run(path, "--format", fmt, "-o", tmp_path / "out", *extra)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.output
    assert not (tmp_path / "out" / "incidents").exists()


def test_unknown_format_exits_2(tmp_path):
    result = run(DATA / "acled_sample.csv", "--format", "xlsx", "-o", tmp_path / "o")
    assert result.exit_code == 2 and "xlsx" in result.stderr


def test_all_good_rows_exit_0(tmp_path):
    result = run(
        DATA / "acled_sample.csv", "--format", "acled-csv", "-o", tmp_path / "o", "--country", "MDA"
    )
    assert result.exit_code == 1  # MDA1004 is bad
    good = tmp_path / "good.csv"
    with open(DATA / "acled_sample.csv", encoding="utf-8", newline="") as handle:
        lines = handle.read().splitlines(keepends=True)
    good.write_text("".join(lines[:13]), encoding="utf-8")
    result = run(good, "--format", "acled-csv", "-o", tmp_path / "o2")
    assert result.exit_code == 0
    report = json.loads((tmp_path / "o2" / "import-report.json").read_text(encoding="utf-8"))
    assert report["imported"] == 12 and report["rejected"] == []


def test_import_then_build_gives_a_map_fitted_to_the_incidents(tmp_path):
    seeds = tmp_path / "danube"
    assert run(DATA / "acled_sample.csv", "--format", "acled-csv", "-o", seeds).exit_code == 1
    out = tmp_path / "maps"
    result = CliRunner().invoke(
        cli, ["build", "--seeds", str(seeds), "--out", str(out), "--cdn"], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    report = json.loads((out / "danube.report.json").read_text(encoding="utf-8"))
    assert len(report["drawn"]) == 12 and report["left_out"] == []
    html = (out / "danube.html").read_text(encoding="utf-8")
    assert "MDA1003" in html and "UKR1002" in html
    assert "<script>alert('notes')" not in html  # the hostile note is data, escaped
    assert "alert('notes')\\u003c/script\\u003e" in html


def test_a_ragged_row_is_rejected_and_the_others_import(tmp_path):
    lines = (DATA / "acled_sample.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    src = tmp_path / "ragged.csv"
    src.write_text("".join([*lines[:3], "POL9,2024-01-01,2024\n", *lines[3:13]]), encoding="utf-8")
    report = import_file(src, "acled-csv", tmp_path / "o")
    assert report.imported == 12
    assert [(p.row, p.reason) for p in report.rejected] == [
        (4, "the row has 3 fields, the header has 31")
    ]
