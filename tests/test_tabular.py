"""geo.tabular: the spreadsheet-formula rule of every CSV we write, its exact inverse in the
reader, and the library errors the CLI turns into usage messages."""

from __future__ import annotations

import csv
import io
import json
import math

import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from incidentmap.geo.errors import IncidentMapError, TabularInputError, TabularOutputError
from incidentmap.geo.tabular import (
    csv_text,
    neutralise_cell,
    output_format,
    read_csv_text,
    read_points,
    restore_cell,
)
from incidentmap.main import cli

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=x", "\r=x",
            "=HYPERLINK(\"http://x\")", "'=already quoted", "''", "'", "-", "+", "="]
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20)
formula_text = st.builds(lambda c, t: c + t, st.sampled_from([*FORMULA_START, "'"]), text)


@pytest.fixture
def run():
    def invoke(*args, input=None):
        return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def _is_number(cell: str) -> bool:
    """Checked independently of the writer's own rule: Python's float, finite, no spaces."""
    try:
        return math.isfinite(float(cell)) and cell == cell.strip()
    except ValueError:
        return False


def _cells(csv_out: str) -> list[str]:
    return [c for row in csv.reader(io.StringIO(csv_out, newline="")) for c in row]


def _assert_safe(cells) -> None:
    for cell in cells:
        if cell[:1] == "-":
            assert _is_number(cell), cell
        else:
            assert cell[:1] not in FORMULA_START, cell


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.one_of(text, formula_text), st.one_of(text, formula_text)),
                min_size=1, max_size=8))
def test_exported_cells_never_start_a_formula_and_read_back_exactly(rows):
    frame = pd.DataFrame(rows, columns=["place", "notes"], dtype=object)
    frame["n"] = range(len(frame))  # keeps every line non-blank
    out = csv_text(frame)
    _assert_safe(_cells(out))
    back = read_csv_text(out.encode("utf-8"), "export.csv")
    assert back.table["place"].tolist() == frame["place"].tolist()
    assert back.table["notes"].tolist() == frame["notes"].tolist()
    assert all(e is None for e in back.row_errors)


@given(st.one_of(text, formula_text))
def test_restore_is_the_inverse_of_neutralise(cell):
    assert restore_cell(neutralise_cell(cell)) == cell


@pytest.mark.parametrize("number", ["-3.5", "-0", "-12", "-1e-05", "-.5", "-180.0"])
def test_negative_numbers_are_left_alone(number):
    assert neutralise_cell(number) == number
    frame = pd.DataFrame({"lon": [number], "lat": [-3.5]})
    assert _cells(csv_text(frame))[2:] == [number, "-3.5"]


def test_minus_infinity_in_a_float_column_is_quoted_too():
    frame = pd.DataFrame({"d": [float("-inf"), -3.5, float("nan")], "b": ["x", "y", "z"]})
    cells = _cells(csv_text(frame))
    assert cells[2::2] == ["'-inf", "-3.5", ""]
    assert read_csv_text(csv_text(frame), "x.csv").table["d"].tolist() == ["-inf", "-3.5", ""]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_are_quoted_and_header_too(payload):
    frame = pd.DataFrame({payload: [payload], "b": ["x"]})
    cells = _cells(csv_text(frame))
    _assert_safe(cells)
    assert cells[0] == "'" + payload == cells[2]
    back = read_csv_text(csv_text(frame), "x.csv").table
    assert list(back.columns) == [payload, "b"] and back.iat[0, 0] == payload


def test_classify_round_trip_keeps_formula_text_exact(run, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("name,lat,lon\n\"'=1+1\",45.4353,28.05\n@x,-3.5,-60.25\n", encoding="utf-8")
    out1, out2 = tmp_path / "once.csv", tmp_path / "twice.csv"
    assert run("classify", str(src), "-o", str(out1), "--date", "2025-01-01").exit_code == 0
    raw = out1.read_text(encoding="utf-8")
    _assert_safe(_cells(raw))
    assert ",-3.5,-60.25," in raw  # numbers untouched
    once = read_csv_text(out1.read_bytes(), "once.csv").table
    # the input's "'=1+1" is read as a quoted (neutralised) "=1+1", as a spreadsheet shows it
    assert once["name"].tolist() == ["=1+1", "@x"]
    assert raw.splitlines()[1].startswith("'=1+1,")
    # classify its own output again: same names, same answers
    assert run("classify", str(out1), "-o", str(out2), "--overwrite",
               "--date", "2025-01-01").exit_code == 0
    twice = read_csv_text(out2.read_bytes(), "twice.csv").table
    assert twice[["name", "lat", "lon", "country"]].equals(once[["name", "lat", "lon", "country"]])


def test_acled_export_and_incidents_csv_carry_no_live_formula(run, tmp_path):
    out = tmp_path / "acled.csv"
    res = run("export", "--format", "acled-csv", "-o", str(out))
    assert res.exit_code == 0, res.output
    cells = _cells(out.read_text(encoding="utf-8"))
    assert len(cells) > 100
    _assert_safe(cells)
    res = run("incidents", "--csv")
    assert res.exit_code == 0
    _assert_safe(_cells(res.stdout))


def test_library_errors_are_the_projects_own(tmp_path):
    bad = tmp_path / "latin1.csv"
    bad.write_bytes("name,lat,lon\nGalaţi,45.4,28.0\n".encode("cp1250"))
    with pytest.raises(TabularInputError, match="latin1.csv is not UTF-8 text"):
        read_points(bad)
    with pytest.raises(TabularInputError, match="no coordinate columns"):
        read_points(b"a,b\n1,2\n")
    with pytest.raises(TabularOutputError, match="cannot tell which format"):
        output_format("out.xlsx", None)
    with pytest.raises(ValueError):  # the fitting built-in, for callers that catch that
        read_points(tmp_path / "missing.csv")
    assert issubclass(TabularInputError, IncidentMapError)


def test_ragged_rows_are_kept_with_an_error():
    got = read_points(b"name;lat;lon\nGalati;45,4353;28,05\nIzmail;45,35\n")
    assert got.table["name"].tolist() == ["Galati", "Izmail"]
    assert got.problems[0] is None
    assert got.problems[1] == "row 2 has 2 fields, the header has 3"
    assert got.lat[0] == pytest.approx(45.4353)


def test_geojson_output_has_null_geometry_and_no_nan(run, tmp_path):
    src = tmp_path / "in.csv"
    src.write_text("lat,lon\nnan,28\n45.4353,28.05\n", encoding="utf-8")
    res = run("classify", str(src), "--to-format", "geojson", "--date", "2025-01-01")
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout, parse_constant=lambda c: pytest.fail(f"{c} in GeoJSON"))
    assert doc["features"][0]["geometry"] is None
    assert doc["features"][1]["geometry"]["coordinates"] == [28.05, 45.4353]
