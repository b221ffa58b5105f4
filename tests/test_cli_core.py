"""The check, distance and classify commands, driven as a user would (click's CliRunner)."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from cli.main import cli

KEYS = {
    "lat", "lon", "country", "country_name", "zone", "nato_member", "nato_since",
    "article_6_area", "status_note", "distance_to_nato_border_km", "nearest_border_point",
    "across", "accuracy_m",
}


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_check_json_has_exactly_the_documented_keys(run):
    res = run("check", "45.4353", "28.05", "--date", "2023-09-04", "--json")
    assert res.exit_code == 0, res.output
    answer = json.loads(res.stdout)
    assert set(answer) == KEYS
    assert answer["country"] == "ROU" and answer["nato_member"] is True
    assert 11.0 < answer["distance_to_nato_border_km"] < 11.7
    assert set(answer["nearest_border_point"]) == {"lat", "lon"}


def test_check_summary_and_negative_longitude(run):
    res = run("check", "36.14474", "-5.35257")
    assert res.exit_code == 0, res.output
    assert "Gibraltar (GIB)" in res.stdout and "NATO member since 1949-08-24" in res.stdout


def test_check_before_accession(run):
    res = run("check", "60.16952", "24.93545", "--date", "2023-01-01", "--json")
    answer = json.loads(res.stdout)
    assert answer["country"] == "FIN" and answer["nato_member"] is False
    assert answer["distance_to_nato_border_km"] < 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "95", "28"), "latitude 95.0 is outside [-90, 90]; were latitude and longitude"),
        (("check", "45", "200"), "longitude 200.0 is outside [-180, 180]"),
        (("check", "45", "28", "--date", "2023-02-30"), "'2023-02-30' is not a valid date"),
        (("check", "45", "28", "7"), "expected two numbers"),
        (("check", "nan", "28"), "not a finite number"),
        (("distance", "45", "28", "--to", "XYZ"), "'XYZ' is not an ISO 3166-1 alpha-3 code"),
    ],
)
def test_user_mistakes_exit_2_with_a_message_naming_the_value(run, args, message):
    res = run(*args)
    assert res.exit_code == 2
    assert message in res.output
    assert "Traceback" not in res.output


def test_distance_to_a_named_country(run):
    res = run("distance", "45.4353", "28.05", "--to", "UKR", "--json")
    out = json.loads(res.stdout)
    assert out["to"] == "UKR" and out["inside"] is False and -15 < out["distance_km"] < -11


def test_distance_to_nato_border_readable(run):
    res = run("distance", "45.35058", "28.83751")
    assert res.exit_code == 0
    assert "outside NATO territory" in res.stdout and "across: ROU" in res.stdout


def test_classify_csv_keeps_every_row_and_explains_bad_ones(run, tmp_path):
    src = tmp_path / "points.csv"
    src.write_text(
        "id,latitude,longitude\n"
        "galati,45.4353,28.05\n"
        "swapped,95,28\n"
        "empty,,\n"
        "izmail,45.35058,28.83751\n"
        "text,north,east\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    res = run("classify", str(src), "-o", str(out), "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, keep_default_na=False)
    assert list(df.id) == ["galati", "swapped", "empty", "izmail", "text"]
    assert list(df.country) == ["ROU", "", "", "UKR", ""]
    assert "swapped" in df.error[1] and "not a finite number" in df.error[2]
    assert df.error[0] == "" and df.error[3] == ""
    assert "3 of 5 rows have unusable coordinates" in res.stderr


def test_classify_refuses_to_overwrite(run, tmp_path):
    src = tmp_path / "p.csv"
    src.write_text("lat,lon\n45.4353,28.05\n", encoding="utf-8")
    out = tmp_path / "o.csv"
    out.write_text("keep me", encoding="utf-8")
    res = run("classify", str(src), "-o", str(out))
    assert res.exit_code == 2 and "--overwrite" in res.output
    assert out.read_text(encoding="utf-8") == "keep me"


def test_classify_geojson_from_stdin_to_stdout(run):
    fc = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"name": "Narva"},
             "geometry": {"type": "Point", "coordinates": [28.19028, 59.37722]}},
            {"type": "Feature", "properties": {"name": "a line"},
             "geometry": {"type": "LineString", "coordinates": [[28, 59], [28.1, 59.1]]}},
        ],
    }
    res = run("classify", "-", input=json.dumps(fc))
    assert res.exit_code == 0, res.output
    features = json.loads(res.stdout)["features"]
    assert len(features) == 2
    assert features[0]["properties"]["country"] == "EST"
    assert features[1]["properties"]["error"] == "geometry is not a point"


def test_classify_rejects_a_csv_without_coordinates(run, tmp_path):
    src = tmp_path / "bad.csv"
    src.write_text("name,x1\nfoo,1\n", encoding="utf-8")
    res = run("classify", str(src))
    assert res.exit_code == 2 and "no coordinate columns" in res.output
