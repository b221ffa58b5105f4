"""``incidentmap validate / incidents / export`` and place names in ``check`` / ``distance``,
through click's CliRunner on the real seeds and the real offline gazetteer."""

from __future__ import annotations

import json
import textwrap

import pandas as pd
import pytest
from click.testing import CliRunner

import geopandas as gpd

from incidentmap.check import check
from incidentmap.distance import distance
from incidentmap.geo.enrich import default_seeds_dir
from incidentmap.geo.incidents import load_incidents
from incidentmap.incidents import ACLED_COLUMNS, DOMAIN_COLUMNS, export, incidents, validate

pytestmark = pytest.mark.usefixtures("default_geocoder_in_session_cache")

GOOD = """\
- event_id_cnty: {id}
  event_date: 2023-09-04
  date_start: 2023-09-03
  date_end: 2023-09-04
  time_precision: 1
  event_type: Explosions/Remote violence
  sub_event_type: Air/drone strike
  kind: debris_found
  actor1: Military Forces of Russia (2000-)
  country: ROU
  admin1: Tulcea
  location: {location}
{coords}  geo_precision: 1
  precision_m: 1000
  claims:
    - {{date: 2023-09-06, actor: Romania MoD, stance: confirmed, summary: "found fragments"}}
  evidence_strength: 3
  sources:
    - {{publisher: Test, date: 2023-09-06, title: "t", url: "https://example.org/a"}}
  notes: a test record
"""


def _record(event_id, location="Plauru", lat=None, lon=None) -> str:
    coords = "" if lat is None else f"  latitude: {lat}\n  longitude: {lon}\n"
    return GOOD.format(id=event_id, location=location, coords=coords)


def run(command, args):
    return CliRunner().invoke(command, args, catch_exceptions=False)


@pytest.fixture(scope="module")
def shipped_ids():
    return [i.event_id_cnty for i in load_incidents(default_seeds_dir()).incidents]


# --------------------------------------------------------------------------- validate


def test_validate_shipped_seeds_is_clean(shipped_ids):
    result = run(validate, [])
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert f"{len(shipped_ids)} incident(s) ok, 0 problem(s)" in result.stderr


def test_validate_reports_every_problem_with_file_and_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    text = (
        _record("ROU-2023-0101", lat=45.3289, lon=28.8036)  # fine
        + _record("ROU-2023-0102", location="Nowhereville")  # unknown place
        + _record("ROU-2023-0103", lat=95.0, lon=28.8)  # latitude out of range
        + _record("ROU-2023-0101", lat=45.3289, lon=28.8036)  # duplicate id
        + _record("ROU-2023-0105", lat=45.3289, lon=28.8036)
        + "  colour: red\n"  # unknown field
    )
    bad.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    result = run(validate, [str(bad)])
    assert result.exit_code == 2
    out = result.stdout.splitlines()
    assert len(out) == 4, result.stdout
    unknown_field = next(x for x in out if "colour" in x)
    assert f"bad.yaml:{lines.index('  colour: red') + 1}:" in unknown_field
    assert "[ROU-2023-0105]" in unknown_field
    second_start = lines.index("- event_id_cnty: ROU-2023-0102") + 1
    place = next(x for x in out if "Nowhereville" in x)
    assert f"bad.yaml:{second_start}: [ROU-2023-0102]" in place
    assert any("[ROU-2023-0103]" in x and "95" in x for x in out)
    duplicate = next(x for x in out if "duplicate event_id_cnty" in x)
    assert f"bad.yaml:{lines.index('- event_id_cnty: ROU-2023-0101', 1) + 1}:" in duplicate
    assert "3 problem(s)" not in result.stderr and "4 problem(s)" in result.stderr


def test_validate_warns_about_swapped_coordinates(tmp_path):
    swapped = tmp_path / "swapped.yaml"
    swapped.write_text(_record("ROU-2023-0104", lat=28.8036, lon=45.3289), encoding="utf-8")
    result = run(validate, [str(swapped)])
    assert result.exit_code == 0  # a warning, not an error
    [line] = result.stdout.splitlines()
    assert line.startswith(f"{swapped}:1: [ROU-2023-0104] warning: stated country ROU")
    assert "swapped" in line
    assert run(validate, [str(swapped), "--strict"]).exit_code == 2
    assert run(validate, [str(swapped), "--schema-only"]).stdout == ""


def test_validate_malformed_yaml(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("- event_id_cnty: [unclosed\n  kind: impact\n", encoding="utf-8")
    result = run(validate, [str(broken)])
    assert result.exit_code == 2
    assert "broken.yaml:" in result.stdout and "malformed YAML" in result.stdout


# --------------------------------------------------------------------------- incidents


def test_incidents_table(shipped_ids):
    result = run(incidents, [])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["ID", "DATE", "KIND"]
    assert len(lines) == len(shipped_ids) + 2
    plauru = next(x for x in lines if x.startswith("ROU-2023-0001"))
    assert plauru.split()[4:7] == ["ROU", "yes", "+0.8"]
    assert lines[-1].startswith(f"{len(shipped_ids)} incident(s): on NATO soil yes ")


def test_incidents_json(shipped_ids):
    result = run(incidents, ["--json"])
    assert result.exit_code == 0
    records = json.loads(result.stdout)
    assert [r["event_id_cnty"] for r in records] == shipped_ids
    plauru = next(r for r in records if r["event_id_cnty"] == "ROU-2023-0001")
    assert plauru["on_nato_soil"] == "yes" and plauru["found_country"] == "ROU"
    assert plauru["event_date"] == "2023-09-04"
    assert plauru["claims"][0]["date"] == "2023-09-04"
    assert {c["stance"] for c in plauru["claims"]} == {"claimed", "denied", "confirmed"}
    assert (plauru["latitude"], plauru["longitude"]) == (45.328861, 28.80361)


def test_incidents_csv(shipped_ids, tmp_path):
    result = run(incidents, ["--csv"])
    assert result.exit_code == 0
    path = tmp_path / "incidents.csv"
    path.write_text(result.stdout, encoding="utf-8")
    table = pd.read_csv(path)
    assert list(table.event_id_cnty) == shipped_ids
    assert json.loads(table.claims.iloc[0])[0]["stance"] in {"claimed", "confirmed"}


# --------------------------------------------------------------------------- export


def test_acled_csv_round_trip(catalog, tmp_path):
    out = tmp_path / "incidents.csv"
    result = run(export, ["--format", "acled-csv", "-o", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, keep_default_na=False, na_values=[""])
    assert list(table.columns) == list(ACLED_COLUMNS) + list(DOMAIN_COLUMNS)
    frame = catalog.frame
    assert list(table.event_id_cnty) == list(frame.event_id_cnty)
    assert list(table.latitude) == list(frame.latitude)
    assert list(table.longitude) == list(frame.longitude)
    assert list(pd.to_datetime(table.event_date).dt.date) == list(frame.event_date)
    assert list(table.date_end) == [d.isoformat() for d in frame.date_end]
    assert (table.year == [d.year for d in frame.event_date]).all()
    row = table.set_index("event_id_cnty").loc["ROU-2023-0001"]
    assert row["country"] == "Romania" and row["country_iso3"] == "ROU" and row["iso"] == 642
    assert row["disorder_type"] == "Political violence" and row["inter1"] == 8
    assert "kind=debris_found" in row["tags"] and "on_nato_soil=yes" in row["tags"]
    assert "evidence_strength=3" in row["tags"] and row["tags"].startswith("danube; ")
    claims = json.loads(row["claims"])
    assert [c["stance"] for c in claims][-1] == "confirmed"
    assert claims[-1]["date"] == "2023-09-06"
    assert "Newsweek" in row["source"].split("; ")
    assert row["on_nato_soil"] == "yes" and row["claim_status"] == "confirmed"
    moldova = table[table.country_iso3 == "MDA"]
    assert len(moldova) and (moldova.on_nato_soil == "no").all()


def test_export_refuses_to_overwrite(tmp_path):
    out = tmp_path / "x.csv"
    out.write_text("keep me", encoding="utf-8")
    result = CliRunner().invoke(export, ["--format", "acled-csv", "-o", str(out)])
    assert result.exit_code == 2 and "--overwrite" in result.output
    assert out.read_text(encoding="utf-8") == "keep me"
    assert run(export, ["--format", "acled-csv", "-o", str(out), "--overwrite"]).exit_code == 0
    assert out.read_text(encoding="utf-8").startswith("event_id_cnty,event_date,year,")
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]  # no temporary file left


def test_export_geojson(catalog, tmp_path):
    out = tmp_path / "incidents.geojson"
    assert run(export, ["--format", "geojson", "-o", str(out)]).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection"
    assert len(data["features"]) == len(catalog.frame)
    plauru = next(f for f in data["features"] if f["id"] == "ROU-2023-0001")
    assert plauru["geometry"] == {"type": "Point", "coordinates": [28.80361, 45.328861]}
    assert plauru["properties"]["claims"][-1]["stance"] == "confirmed"
    back = gpd.read_file(out)
    assert back.crs.to_epsg() == 4326 and len(back) == len(catalog.frame)


def test_export_geoparquet(catalog, tmp_path):
    out = tmp_path / "incidents.parquet"
    assert run(export, ["--format", "geoparquet", "-o", str(out)]).exit_code == 0
    back = gpd.read_parquet(out)
    assert back.crs.to_epsg() == 4326
    assert list(back.event_id_cnty) == list(catalog.frame.event_id_cnty)
    assert list(back.geometry.x) == list(catalog.frame.longitude)
    assert list(back.on_nato_soil) == list(catalog.frame.on_nato_soil)


def test_export_needs_a_format(tmp_path):
    result = CliRunner().invoke(export, ["-o", str(tmp_path / "x")])
    assert result.exit_code == 2 and "--format" in result.output


# --------------------------------------------------------------------------- place names


def test_check_accepts_a_place_name():
    result = run(check, ["Plauru", "--date", "2023-09-04", "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["country"] == "ROU" and answer["nato_member"] is True


def test_check_lat_lon_is_latitude_first():
    answer = json.loads(run(check, ["45.328861", "28.80361", "--json"]).stdout)
    assert answer["country"] == "ROU"
    assert (answer["lat"], answer["lon"]) == (45.328861, 28.80361)


def test_distance_accepts_a_place_name():
    result = run(distance, ["Izmail", "--date", "2023-09-04", "--json"])
    assert result.exit_code == 0, result.output
    assert -5 < json.loads(result.stdout)["distance_to_nato_border_km"] < 0
    result = run(distance, ["Przewodów", "--to", "UKR", "--json"])
    assert result.exit_code == 0, result.output
    assert -10 < json.loads(result.stdout)["distance_km"] < 0


def test_ambiguous_place_is_a_usage_error():
    result = CliRunner().invoke(check, ["Sobótka"])
    assert result.exit_code == 2
    assert "Sobótka" in result.output and "Lower Silesian" in textwrap.dedent(result.output)
