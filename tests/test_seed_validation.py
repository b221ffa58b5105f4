"""No input makes seed validation raise: every field of the schema given a wrong type, impossible
dates, malformed YAML, duplicate ids. Each problem is a Rejection naming file, line, field and
value, the other records still load, and ``incidentmap validate`` exits 2 with one line each."""

from __future__ import annotations

import datetime as dt
import math
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from incidentmap.geo.fieldtypes import (
    Country,
    Date,
    Integer,
    Nested,
    NestedList,
    Number,
    OneOf,
    Text,
    TextList,
    TimeText,
)
from incidentmap.geo.incidents import load_incidents
from incidentmap.geo.places import load_places
from incidentmap.geo.schema import CuratedPlace, Incident, is_required, schema_fields
from incidentmap.incidents import validate
from tests.test_incidents_schema import GOOD, PLACE, TODAY

GOOD_RECORD = yaml.safe_load(GOOD)[0]
GOOD_RECORD["track"] = [{"lon": 28.8, "lat": 45.3, "time": "02:30Z", "note": "n"}]
GOOD_RECORD["geocoding"] = {"source": "seed", "ref": "Plauru", "note": "n"}
GOOD_PLACE = yaml.safe_load(PLACE)[0]
OTHER_ID = "ROU-2023-0009"

LIST, MAPPING = ["a", "b"], {"a": 1}
TIMESTAMP = dt.datetime(2023, 9, 4, 2, 30)


def wrong_values(kind) -> list:
    """Values of the wrong type (or impossible) for a field of this kind."""
    if isinstance(kind, (Text, OneOf, Country)):
        return [LIST, MAPPING, 12, 4.5, True, "   "]
    if isinstance(kind, TimeText):
        return [LIST, MAPPING, 12, True]
    if isinstance(kind, Integer):
        return ["one", 1.5, LIST, MAPPING, True]
    if isinstance(kind, Number):
        return ["big", LIST, MAPPING, True, math.inf]
    if isinstance(kind, Date):
        return [20230904, "2023-02-30", "4 Sept 2023", TIMESTAMP, LIST, MAPPING]
    if isinstance(kind, TextList):
        return ["danube", [1, 2], MAPPING, [["x"]], [None]]
    if isinstance(kind, NestedList):
        return ["none", MAPPING, 12, ["not a mapping"], *([[]] if kind.non_empty else [])]
    if isinstance(kind, Nested):
        return ["x", LIST, 12]
    raise AssertionError(f"no wrong values for {kind!r}")


def cases(record_type, good: dict, path=()):
    """(label, record with one bad value, the key that holds it) for every field, nested too."""
    for f in schema_fields(record_type):
        kind = f.metadata["kind"]
        values = wrong_values(kind) + ([None] if is_required(f) else [])
        for value in values:
            yield f"{'.'.join((*path, f.name))}={value!r}", (*path, f.name), value
        nested = getattr(kind, "record_type", None)
        if nested is not None and f.name in good:
            inner = good[f.name][0] if isinstance(kind, NestedList) else good[f.name]
            yield from cases(nested, inner, (*path, f.name))


def with_value(good: dict, path: tuple, value) -> dict:
    rec = yaml.safe_load(yaml.safe_dump(good))
    target = rec
    for key in path[:-1]:
        target = target[key][0] if isinstance(target[key], list) else target[key]
    target[path[-1]] = value
    return rec


INCIDENT_CASES = list(cases(Incident, GOOD_RECORD))
PLACE_CASES = list(cases(CuratedPlace, GOOD_PLACE))


def test_the_table_covers_every_field_of_the_schema():
    covered = {path[-1] for _, path, _ in INCIDENT_CASES}
    nested = {"publisher", "stance", "summary", "lon", "time", "source", "accessed"}
    assert {f.name for f in schema_fields(Incident)} | nested <= covered
    assert {f.name for f in schema_fields(CuratedPlace)} <= {p[-1] for _, p, _ in PLACE_CASES}
    assert len(INCIDENT_CASES) > 200


def _assert_rejected_alone(result, path: Path, key: str, record_id, loaded: int):
    assert len(result.incidents if hasattr(result, "incidents") else result.places) == loaded
    assert result.rejected, "the bad value was accepted"
    for rej in result.rejected:
        assert rej.file == str(path) and rej.line is not None and rej.line >= 1
        assert rej.event_id == record_id
        assert "\n" not in rej.reason
    mine = [r for r in result.rejected if r.field == key]
    assert mine, [str(r) for r in result.rejected]
    assert any(key in r.reason for r in mine)


@pytest.mark.parametrize(
    ("label", "path", "value"), INCIDENT_CASES, ids=[c[0] for c in INCIDENT_CASES]
)
def test_every_incident_field_with_a_wrong_value_is_one_rejection(tmp_path, label, path, value):
    bad = with_value(GOOD_RECORD, path, value)
    bad["event_id_cnty"] = bad["event_id_cnty"] if path == ("event_id_cnty",) else OTHER_ID
    text = GOOD + yaml.safe_dump([bad], sort_keys=False, allow_unicode=True)
    file = tmp_path / "t.yaml"
    file.write_text(text, encoding="utf-8")
    result = load_incidents(file, today=TODAY)
    record_id = bad["event_id_cnty"] if isinstance(bad["event_id_cnty"], str) else None
    if path == ("event_id_cnty",):
        record_id = value if isinstance(value, str) else None
    _assert_rejected_alone(result, file, path[-1], record_id, loaded=1)
    assert result.incidents[0].event_id_cnty == "ROU-2023-0001"


@pytest.mark.parametrize(("label", "path", "value"), PLACE_CASES, ids=[c[0] for c in PLACE_CASES])
def test_every_place_field_with_a_wrong_value_is_one_rejection(tmp_path, label, path, value):
    bad = with_value(GOOD_PLACE, path, value)
    bad["name"] = bad["name"] if path == ("name",) else "Other"
    file = tmp_path / "p.yaml"
    file.write_text(PLACE + yaml.safe_dump([bad], allow_unicode=True), encoding="utf-8")
    result = load_places(file, today=TODAY)
    name = bad["name"] if isinstance(bad["name"], str) else None
    _assert_rejected_alone(result, file, path[-1], name, loaded=1)


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("  event_date: 2023-02-30", "event_date '2023-02-30' is not a date (day is out of range"),
        ("  date_end: 2023-13-01", "date_end '2023-13-01' is not a date (month must be in 1..12)"),
        ("  date_end: 2023-09-04 02:30:00", "date_end 2023-09-04T02:30:00 is a timestamp"),
        ("  date_end: 2023-09-02", "date_end 2023-09-02 is before date_start 2023-09-03"),
        ("- event_id_cnty: null", "event_id_cnty is missing (null); expected text"),
        ("  claims: {date: 2023-09-04}", "claims must be a non-empty list of {date, actor"),
    ],
)
def test_impossible_dates_and_nulls_in_yaml_text(tmp_path, line, message):
    key = line.split(":")[0]
    lines = GOOD.replace("ROU-2023-0001", OTHER_ID).splitlines()
    at = next(i for i, x in enumerate(lines) if x.startswith(key + ":"))
    key = key.lstrip("- ")
    if key == "claims":
        lines[at : at + 3] = [line]
    else:
        lines[at] = line
    text = GOOD + "\n".join(lines) + "\n"
    file = tmp_path / "d.yaml"
    file.write_text(text, encoding="utf-8")
    result = load_incidents(file, today=TODAY)
    assert [i.event_id_cnty for i in result.incidents] == ["ROU-2023-0001"]
    (rej,) = result.rejected
    assert message in rej.reason
    assert rej.line == GOOD.count("\n") + at + 1 and rej.field == key


MALFORMED = {
    "unclosed": "- event_id_cnty: [x\n",
    "tab indent": "- event_id_cnty: X\n\tkind: impact\n",
    "duplicate key": "- kind: a\n  kind: b\n",
    "list as key": "- ? [a, b]\n  : c\n",
    "bad binary": "- notes: !!binary '%%%'\n",
    "python tag": "- notes: !!python/object:os.system x\n",
    "bad int tag": "- count: !!int 'many'\n",
    "not utf-8": b"- notes: \xff\xfe\n",
    "scalar top": "just text\n",
    "list of scalars": "- 1\n- [2]\n- null\n",
    "deep": "- notes: " + "[" * 5000 + "]" * 5000 + "\n",
}


@pytest.mark.parametrize("name", MALFORMED)
def test_malformed_files_are_rejections_and_other_files_load(tmp_path, name):
    content = MALFORMED[name]
    bad = tmp_path / "a_bad.yaml"
    bad.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    (tmp_path / "b_good.yaml").write_text(GOOD, encoding="utf-8")
    result = load_incidents(tmp_path, today=TODAY)
    assert [i.event_id_cnty for i in result.incidents] == ["ROU-2023-0001"]
    assert result.rejected and all(r.file == str(bad) for r in result.rejected)
    places = load_places(bad, today=TODAY)
    assert places.places == () and places.rejected


def test_duplicate_ids_in_one_file_name_the_first(tmp_path):
    file = tmp_path / "dup.yaml"
    file.write_text(GOOD + GOOD, encoding="utf-8")
    result = load_incidents(file, today=TODAY)
    (rej,) = result.rejected
    assert rej.line == GOOD.count("\n") + 1 and rej.field == "event_id_cnty"
    assert f"first defined at {file}:1" in rej.reason


def _problem_file(tmp_path) -> tuple[Path, int]:
    """A file with one bad value in each of several fields, and the number of problems."""
    records = [GOOD_RECORD]
    bad_values = [
        ("event_date", "2023-02-30"),
        ("notes", LIST),
        ("claims", MAPPING),
        ("precision_m", "big"),
        ("tags", "x"),
        ("geocoding", 12),
        ("count", 1.5),
    ]
    for i, (key, value) in enumerate(bad_values, 10):
        records.append(
            with_value(GOOD_RECORD, (key,), value) | {"event_id_cnty": f"ROU-2023-00{i}"}
        )
    records.append(GOOD_RECORD)  # a duplicate id
    file = tmp_path / "bad.yaml"
    file.write_text(yaml.safe_dump(records, sort_keys=False).replace("'2023-02-30'", "2023-02-30"))
    return file, len(bad_values) + 1


def test_validate_command_exits_2_with_one_line_per_problem(tmp_path):
    file, n = _problem_file(tmp_path)
    result = CliRunner().invoke(validate, [str(file), "--schema-only"])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    lines = result.stdout.splitlines()
    assert len(lines) == n, result.stdout
    assert all(x.startswith(f"{file}:") for x in lines)
    assert f"{n} problem(s)" in result.stderr


def test_validate_in_a_real_process_prints_no_traceback(tmp_path):
    file, n = _problem_file(tmp_path)
    broken = tmp_path / "broken.yaml"
    broken.write_text("- event_id_cnty: [x\n", encoding="utf-8")
    for target, expected in ((file, n), (broken, 1)):
        proc = subprocess.run(
            [sys.executable, "-m", "incidentmap.main", "validate", str(target), "--schema-only"],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert proc.returncode == 2, proc.stderr
        assert "Traceback" not in proc.stderr + proc.stdout
        assert len(proc.stdout.splitlines()) == expected
