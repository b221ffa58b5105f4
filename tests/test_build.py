"""Map specs, incident selection with reasons, writing a map and its report, the CLI."""

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentmap.assets import assets as assets_command
from incidentmap.build import build as build_command
from incidentmap.layers import mapbuild
from incidentmap.layers.mapbuild import MapSpecError, parse_spec, select_incidents, write_map
from tests.layers_support import incident, incident_frame, small_drawing

MAPS = Path(__file__).resolve().parents[1] / "maps"

DANUBE_SPEC = {
    "title": "Danube <test>",
    "extent": {"west": 27.0, "south": 44.5, "east": 30.0, "north": 46.0},
    "dates": {"start": dt.date(2022, 2, 24), "end": dt.date(2024, 12, 31)},
}


def test_shipped_specs_parse_and_cover_the_three_required_maps():
    specs = {s.name: s for s in mapbuild.load_specs(MAPS)}
    assert {"eastern_flank", "danube", "poland_2025_09_10"} <= set(specs)
    danube = specs["danube"]
    assert (
        danube.west < 28.05 < danube.east and danube.south < 45.35 < danube.north
    )  # Galați, Plauru
    poland = specs["poland_2025_09_10"]
    assert poland.start <= dt.date(2025, 9, 9) and poland.end >= dt.date(2025, 9, 10)
    assert poland.as_of == dt.date(2025, 9, 10)
    flank = specs["eastern_flank"]
    assert flank.north > 59.4 and flank.south < 41.5  # Gulf of Finland to the Bosporus


def test_spec_errors_name_the_problem():
    with pytest.raises(MapSpecError, match="missing key 'dates'"):
        parse_spec({"title": "x", "extent": DANUBE_SPEC["extent"]}, name="x")
    swapped = dict(DANUBE_SPEC, extent={"west": 44.5, "south": 27.0, "east": 46.0, "north": 130.0})
    with pytest.raises(MapSpecError, match="swapped"):
        parse_spec(swapped, name="x")
    with pytest.raises(MapSpecError, match="unknown layers"):
        parse_spec(dict(DANUBE_SPEC, layers=["incidents", "tanks"]), name="x")
    backwards = dict(DANUBE_SPEC, dates={"start": dt.date(2024, 1, 2), "end": dt.date(2024, 1, 1)})
    with pytest.raises(MapSpecError, match="before"):
        parse_spec(backwards, name="x")


def test_selection_gives_every_left_out_incident_a_reason():
    spec = parse_spec(DANUBE_SPEC, name="danube")
    frame = incident_frame()
    frame.loc[len(frame)] = incident(
        "ROU-2021-0001", "impact", (28.0, 45.0), start=dt.date(2021, 5, 1)
    )
    # an incident whose range starts before the map's range but reaches into it is drawn
    frame.loc[len(frame)] = incident(
        "ROU-2022-0001",
        "impact",
        (28.0, 45.0),
        start=dt.date(2022, 2, 20),
        end=dt.date(2022, 2, 25),
    )
    selected, report = select_incidents(frame, spec)
    reasons = {item["id"]: item["reason"] for item in report.left_out}
    assert reasons["POL-2025-0001"].startswith("outside the date range")
    assert reasons["ROU-2024-0009"].startswith("no coordinates")
    assert reasons["ROU-2021-0001"].startswith("outside the date range")
    assert sorted(d["id"] for d in report.drawn) == [
        "ROU-2022-0001",
        "ROU-2023-0001",
        "ROU-2023-0666",
    ]
    assert len(report.drawn) + len(report.left_out) == len(frame) == len(selected) + len(reasons)
    narrow = parse_spec(
        dict(DANUBE_SPEC, extent={"west": 27.0, "south": 44.5, "east": 28.3, "north": 46.0}),
        name="west",
    )
    _, report = select_incidents(frame, narrow)
    assert any(
        i["id"] == "ROU-2023-0001" and i["reason"].startswith("outside the extent")
        for i in report.left_out
    )


def test_write_map_writes_html_and_report(tmp_path):
    spec = parse_spec(DANUBE_SPEC, name="danube")
    extra = [{"id": "ROU-2099-0001", "reason": "rejected by the seed loader: bad date"}]
    report = write_map(
        spec,
        incident_frame(),
        out_dir=tmp_path,
        assets="cdn",
        drawing=small_drawing(),
        extra_left_out=extra,
    )
    html = (tmp_path / "danube.html").read_text()
    data = json.loads((tmp_path / "danube.report.json").read_text())
    assert data["map"] == "danube" and len(data["drawn"]) == 2 and len(data["left_out"]) == 3
    assert "rejected by the seed loader" in report.summary()
    for name in (
        "Offline basemap (no tiles)",
        "OpenStreetMap",
        "Esri World Imagery",
        "Incidents: Impact (1)",
        "Incidents: Debris found (1)",
        "Non-NATO neighbours",
        "Distance to NATO border (5, 10 km)",
        "Heat map of incidents",
    ):
        assert name in html, name
    # the title is data (a JSON block shown as a text node), its markup characters escaped
    assert '"Danube \\u003ctest\\u003e"' in html and "Danube <test>" not in html
    assert "IncidentMap.timeSlider" in html and "IncidentMap.search" in html
    assert "L.Control.MiniMap" in html and "L.control.measure" in html.replace(
        "L.Control.Measure", "L.control.measure"
    )


def test_build_command_writes_each_map_and_reports_on_stderr(tmp_path, monkeypatch):
    maps_dir = tmp_path / "specs"
    maps_dir.mkdir()
    (maps_dir / "danube.toml").write_text(
        'title = "Danube"\nextent = {west = 27.0, south = 44.5, east = 30.0, north = 46.0}\n'
        "dates = {start = 2022-02-24, end = 2024-12-31}\n",
        encoding="utf-8",
    )
    monkeypatch.setattr(mapbuild, "load_enriched", lambda seeds: (incident_frame(), []))
    monkeypatch.setattr(mapbuild, "drawing_data", lambda spec: small_drawing())
    out = tmp_path / "out"
    seeds = tmp_path / "seeds"
    (seeds / "incidents").mkdir(parents=True)
    (seeds / "incidents" / "none.yaml").write_text("[]\n", encoding="utf-8")
    result = CliRunner().invoke(
        build_command,
        ["--maps-dir", str(maps_dir), "--seeds", str(seeds), "--out", str(out), "--cdn"],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(out / "danube.html")
    assert "2 incidents drawn, 2 left out" in result.stderr
    # the progress bar: one line a step off a terminal, the last one the page being written
    steps = [line for line in result.stderr.splitlines() if line.startswith("build [")]
    assert len(steps) >= 6 and "writing the page" in steps[-1], steps
    assert (out / "danube.report.json").is_file()
    bad = CliRunner().invoke(
        build_command,
        [
            "--maps-dir",
            str(maps_dir),
            "--seeds",
            str(seeds),
            "--out",
            str(out),
            "--map",
            "nowhere",
            "--cdn",
        ],
    )
    assert bad.exit_code == 2 and "no map spec nowhere" in bad.output


def test_build_offline_without_cache_says_to_run_assets(tmp_path, monkeypatch):
    monkeypatch.setenv("INCIDENTMAP_ASSETS", str(tmp_path / "empty-cache"))
    result = CliRunner().invoke(
        build_command, ["--maps-dir", str(MAPS), "--out", str(tmp_path), "--offline"]
    )
    assert result.exit_code == 1 and "incidentmap assets" in result.output


def test_assets_list_prints_the_table():
    result = CliRunner().invoke(assets_command, ["--list"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"package": "leaflet", "version": "1.9.3"}.items() <= rows[0].items()
