"""The check, distance and classify commands, driven as a user would (click's CliRunner)."""

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from incidentmap.main import cli

KEYS = {
    "lat",
    "lon",
    "country",
    "country_name",
    "zone",
    "nato_member",
    "nato_since",
    "article_6_area",
    "status_note",
    "distance_to_nato_border_km",
    "nearest_border_point",
    "across",
    "accuracy_m",
    "on_nato_soil",
    "as_of",
    "place",
    "hint",
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
        (("distance", "45", "28", "--to", "XYZ"), "'XYZ' is not a country in the border data"),
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
    assert "swapped" in df.error[1]
    assert df.error[2] == "latitude is empty; longitude is empty"
    assert df.error[4] == "latitude 'north' is not a number; longitude 'east' is not a number"
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
            {
                "type": "Feature",
                "properties": {"name": "Narva"},
                "geometry": {"type": "Point", "coordinates": [28.19028, 59.37722]},
            },
            {
                "type": "Feature",
                "properties": {"name": "a line"},
                "geometry": {"type": "LineString", "coordinates": [[28, 59], [28.1, 59.1]]},
            },
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


def _strict_json(text):
    """json.loads that refuses NaN and Infinity, which are not JSON."""

    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")

    return json.loads(text, parse_constant=refuse)


def test_classify_csv_to_geojson_is_valid_json_with_null_geometry_for_bad_rows(run, tmp_path):
    src = tmp_path / "a.csv"
    src.write_text(
        "name,lat,lon,code\n"
        "Vilkove,45.4044,29.5859,007\n"
        "bad,95,28,1\n"
        "text,abc,28,2\n"
        "empty,,,3\n"
        "inf,inf,28,4\n"
        "Periprava,45.4056,29.5403,5\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.geojson"
    res = run("classify", str(src), "-o", str(out), "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    features = _strict_json(out.read_text(encoding="utf-8"))["features"]
    assert [f["properties"]["name"] for f in features] == [
        "Vilkove",
        "bad",
        "text",
        "empty",
        "inf",
        "Periprava",
    ]
    geoms = [f["geometry"] for f in features]
    assert geoms[0] == {"type": "Point", "coordinates": [29.5859, 45.4044]}
    assert geoms[1:5] == [None, None, None, None]
    assert geoms[5]["coordinates"] == [29.5403, 45.4056]
    props = [f["properties"] for f in features]
    assert [p["lat"] for p in props] == [45.4044, 95.0, None, None, None, 45.4056]
    assert [p["lon"] for p in props] == [29.5859, 28.0, 28.0, None, 28.0, 29.5403]
    assert props[0]["code"] == "007"  # other columns as read
    assert props[0]["country"] == "UKR" and props[5]["country"] == "ROU"
    assert props[1]["distance_to_nato_border_km"] is None
    assert props[1]["error"].startswith("latitude 95.0 is outside [-90, 90]")
    assert props[2]["error"] == "latitude 'abc' is not a number (column 'lat')"
    assert props[3]["error"] == (
        "latitude is empty (column 'lat'); longitude is empty (column 'lon')"
    )
    assert props[4]["error"] == "latitude 'inf' is not a finite number (column 'lat')"
    assert "np.float64" not in json.dumps(props)
    assert "4 of 6 rows have unusable coordinates" in res.stderr


def test_classify_keeps_ragged_rows_without_shifting_columns(run, tmp_path):
    src = tmp_path / "ragged.csv"
    src.write_text(
        "name,latitude,longitude,note\n"
        '"Galați, port",45.4353,28.05,ok\n'
        "Vilkove,45.4044,29.5859,one,two\n"
        "\n"
        "short,45.3\n"
        "Izmail,45.35058,28.83751,last\n",
        encoding="utf-8",
    )
    out = tmp_path / "out.csv"
    res = run("classify", str(src), "-o", str(out), "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, keep_default_na=False, dtype=str)
    assert list(df.name) == ["Galați, port", "Vilkove", "short", "Izmail"]
    assert list(df.latitude) == ["45.4353", "45.4044", "45.3", "45.35058"]
    assert list(df.longitude) == ["28.05", "29.5859", "", "28.83751"]
    assert list(df.note) == ["ok", "one", "", "last"]
    assert list(df.country) == ["ROU", "", "", "UKR"]
    assert df.error[0] == "" and df.error[3] == ""
    assert df.error[1] == "row 2 has 5 fields, the header has 4 (fields beyond the header: ['two'])"
    assert df.error[2] == "row 3 has 2 fields, the header has 4"
    assert "2 of 4 rows have unusable coordinates" in res.stderr


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("name;lat;lon\nGalati;45,4353;28,05\nIzmail;45.35058;28.83751\n", "utf-8"),
        ("name\tlat\tlon\nGalati\t45.4353\t28.05\nIzmail\t45.35058\t28.83751\n", "utf-8"),
        ("name,lat,lon\r\nGalati,45.4353,28.05\r\nIzmail,45.35058,28.83751\r\n", "utf-8-sig"),
    ],
    ids=["semicolon-decimal-comma", "tab", "bom-crlf"],
)
def test_classify_reads_semicolon_tab_and_bom_csv(run, tmp_path, text, encoding):
    src = tmp_path / "in.csv"
    src.write_bytes(text.encode(encoding))
    out = tmp_path / "out.csv"
    res = run("classify", str(src), "-o", str(out), "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    df = pd.read_csv(out, keep_default_na=False)
    assert list(df.columns[:3]) == ["name", "lat", "lon"]
    assert list(df.name) == ["Galati", "Izmail"]
    assert list(df.country) == ["ROU", "UKR"]
    assert list(df.error) == ["", ""]


def test_classify_refuses_non_utf8_csv_naming_the_file(run, tmp_path):
    src = tmp_path / "latin1.csv"
    src.write_bytes("name,lat,lon\nGalaţi,45.4353,28.05\n".encode("cp1250"))
    res = run("classify", str(src))
    assert res.exit_code == 2
    assert "latin1.csv is not UTF-8 text" in res.output and "save it as UTF-8" in res.output
    assert "Traceback" not in res.output


def test_classify_refuses_an_unknown_output_extension(run, tmp_path):
    src = tmp_path / "p.csv"
    src.write_text("lat,lon\n45.4353,28.05\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    res = run("classify", str(src), "-o", str(out))
    assert res.exit_code == 2
    assert ".csv, .geojson, .json, .parquet, .geoparquet" in res.output
    assert not out.exists()


def test_classify_to_format_writes_geojson_to_stdout(run):
    res = run(
        "classify",
        "-",
        "--to-format",
        "geojson",
        "--date",
        "2025-01-01",
        input="lat,lon\n45.4353,28.05\n,\n",
    )
    assert res.exit_code == 0, res.output
    features = _strict_json(res.stdout)["features"]
    assert features[0]["properties"]["country"] == "ROU"
    assert features[0]["geometry"]["coordinates"] == [28.05, 45.4353]
    assert features[1]["geometry"] is None
    assert features[1]["properties"]["error"] == (
        "latitude is empty (column 'lat'); longitude is empty (column 'lon')"
    )


def test_classify_geoparquet_with_nan_point_writes_valid_geojson(run, tmp_path):
    import geopandas as gpd
    from shapely import Point

    src = tmp_path / "in.parquet"
    gpd.GeoDataFrame(
        {"name": ["Galati", "nowhere"], "score": [1.5, float("inf")]},
        geometry=[Point(28.05, 45.4353), Point(float("nan"), 45.0)],
        crs=4326,
    ).to_parquet(src)
    out = tmp_path / "out.geojson"
    res = run("classify", str(src), "-o", str(out), "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    features = _strict_json(out.read_text(encoding="utf-8"))["features"]
    assert features[0]["properties"]["country"] == "ROU"
    assert features[1]["geometry"] is None and features[1]["properties"]["score"] is None
    assert features[1]["properties"]["error"] == "longitude nan is not a finite number"


def test_coordinate_messages_show_numpy_scalars_as_plain_numbers():
    import numpy as np

    from incidentmap.geo.coords import validate_lonlat
    from incidentmap.geo.errors import InvalidCoordinateError

    with pytest.raises(InvalidCoordinateError) as exc:
        validate_lonlat(np.float64(28.0), np.float64("nan"))
    assert str(exc.value) == "latitude nan is not a finite number"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("check", "45.4353", "28.05", "--dat", "2023-09-04"), "no such option: --dat"),
        (
            ("distance", "45.4353", "28.05", "--to", "UKR", "--date", "2023-02-30"),
            "'2023-02-30' is not a valid date",
        ),
    ],
)
def test_mistyped_options_and_dates_are_named(run, args, message):
    res = run(*args)
    assert res.exit_code == 2 and message in res.output
