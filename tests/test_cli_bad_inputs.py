"""Every command on a table of bad inputs: exit status 2, one line that names the input and
the mistake, never a traceback.

Inputs are the small files in ``tests/data/bad`` (and ``tests/data/hostile``); map specs are
copied one per folder into ``tmp_path`` because ``build`` reads every spec of its folder.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentmap.main import cli

BAD = Path(__file__).parent / "data" / "bad"
MAPS = Path(__file__).parents[1] / "maps"


def _spec_dir(tmp_path: Path, name: str) -> str:
    """A folder holding only ``tests/data/bad/<name>`` (or a shipped spec) as a .toml spec."""
    folder = tmp_path / "specs"
    folder.mkdir(exist_ok=True)
    source = MAPS / name if (MAPS / name).exists() else BAD / name
    shutil.copy(source, folder / (Path(name).stem + ".toml"))
    return str(folder)


# (id, args (callables get tmp_path), expected exit status, words of the one-line message)
CASES = [
    # -- build: map specs
    (
        "build-bad-toml",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "bad_toml.toml")],
        2,
        r"bad_toml\.toml: not valid TOML",
    ),
    (
        "build-unknown-layer",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "unknown_layer.toml")],
        2,
        r"unknown_layer\.toml: unknown layers \['\{\{ 7\*7 \}\}<script>alert\(1\)</script>'\]",
    ),
    (
        "build-impossible-date",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "bad_date.toml")],
        2,
        r"bad_date\.toml: dates\.start '2023-02-30' is not a date",
    ),
    (
        "build-dates-not-a-table",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "dates_not_table.toml")],
        2,
        r"dates 2023 must be a table",
    ),
    (
        "build-band-not-a-number",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "bad_bands.toml")],
        2,
        r"bands_km has 'ten', which is not a positive number",
    ),
    (
        "build-swapped-extent",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "swapped_extent.toml")],
        2,
        r"were longitude and latitude swapped\?",
    ),
    (
        "build-layers-not-a-list",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "layers_not_list.toml")],
        2,
        r"layers 'countries' must be a list",
    ),
    (
        "build-spec-not-utf8",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "binary.txt")],
        2,
        r"binary\.toml: not UTF-8 text",
    ),
    (
        "build-missing-maps-dir",
        lambda t: ["build", "--maps-dir", str(t / "nowhere")],
        2,
        r"'--maps-dir'.*does not exist",
    ),
    (
        "build-empty-maps-dir",
        lambda t: ["build", "--maps-dir", str(t)],
        2,
        r"holds no map specs \(\*\.toml\)",
    ),
    (
        "build-unknown-map",
        lambda t: ["build", "--maps-dir", _spec_dir(t, "danube.toml"), "--map", "atlantis"],
        2,
        r"no map spec atlantis in .*; known: danube",
    ),
    pytest.param(
        "build-seed-impossible-date",
        lambda t: [
            "build",
            "--maps-dir",
            _spec_dir(t, "danube.toml"),
            "--seeds",
            _seeds_dir(t, "bad_date.yaml"),
            "--cdn",
        ],
        0,
        r"danube: 0 incidents drawn",
        id="build-seed-impossible-date",
    ),
    # malformed YAML is a rejection listed in the report: the build goes on (nothing lost)
    (
        "build-seed-malformed-yaml",
        lambda t: [
            "build",
            "--maps-dir",
            _spec_dir(t, "danube.toml"),
            "--seeds",
            _seeds_dir(t, "malformed.yaml"),
            "--cdn",
            "--out",
            str(t / "out"),
        ],
        0,
        r"left out \(1\): rejected by the seed loader",
    ),
    # -- check, distance, window: coordinates, dates, countries
    (
        "check-latitude-out-of-range",
        lambda t: ["check", "95", "28"],
        2,
        r"latitude 95\.0 is outside \[-90, 90\]; were latitude and longitude swapped",
    ),
    (
        "check-impossible-date",
        lambda t: ["check", "45.4", "28.0", "--date", "2023-02-30"],
        2,
        r"--date '2023-02-30' is not a valid date",
    ),
    (
        "distance-unknown-country",
        lambda t: ["distance", "45.4", "28.0", "--to", "XXX"],
        2,
        r"'XXX' is not a country",
    ),
    (
        "distance-latitude-out-of-range",
        lambda t: ["distance", "95", "28"],
        2,
        r"latitude 95\.0 is outside",
    ),
    (
        "window-zero-speed",
        lambda t: ["window", "45.4", "28.0", "--speed", "0"],
        2,
        r"--speed 0\.0 km/h must be greater than 0",
    ),
    (
        "window-unknown-neighbour",
        lambda t: ["window", "45.4", "28.0", "--speed", "200", "--from", "XXX"],
        2,
        r"'XXX' is not a country",
    ),
    # -- classify: files
    (
        "classify-missing-file",
        lambda t: ["classify", str(t / "missing.csv")],
        2,
        r"missing\.csv does not exist",
    ),
    (
        "classify-no-coordinates",
        lambda t: ["classify", str(BAD / "no_coords.csv")],
        2,
        r"no_coords\.csv: no coordinate columns",
    ),
    (
        "classify-not-utf8",
        lambda t: ["classify", str(BAD / "binary.txt")],
        2,
        r"binary\.txt is not UTF-8 text",
    ),
    (
        "classify-existing-output",
        lambda t: ["classify", str(BAD / "ok.csv"), "-o", _existing(t, "out.csv")],
        2,
        r"out\.csv.*exists",
    ),
    # -- geocode
    ("geocode-empty-name", lambda t: ["geocode", ""], 2, r"empty place name ''"),
    # -- validate, incidents, export: seeds
    (
        "validate-missing-file",
        lambda t: ["validate", str(t / "missing.yaml")],
        2,
        r"missing\.yaml' does not exist",
    ),
    pytest.param(
        "validate-impossible-date",
        lambda t: ["validate", str(BAD / "bad_date.yaml")],
        2,
        r"bad_date\.yaml:2: .*2023-02-30",
        id="validate-impossible-date",
    ),
    pytest.param(
        "validate-malformed-yaml",
        lambda t: ["validate", str(BAD / "malformed.yaml")],
        2,
        r"malformed\.yaml:3: malformed YAML",
        id="validate-malformed-yaml",
    ),
    pytest.param(
        "validate-wrong-types",
        lambda t: ["validate", str(BAD / "wrong_types.yaml")],
        2,
        r"wrong_types\.yaml:\d+: ",
        id="validate-wrong-types",
    ),
    pytest.param(
        "validate-javascript-url",
        lambda t: [
            "validate",
            "--schema-only",
            str(Path(__file__).parent / "data" / "hostile" / "incidents"),
        ],
        2,
        r"url 'javascript:window\.__pwned=6' is not an http\(s\)",
        id="validate-javascript-url",
    ),
    (
        "incidents-missing-seeds",
        lambda t: ["incidents", "--seeds", str(t / "missing")],
        2,
        r"'--seeds'.*does not exist",
    ),
    pytest.param(
        "incidents-impossible-date",
        lambda t: ["incidents", "--seeds", str(BAD / "bad_date.yaml")],
        0,
        r"rejected: .*bad_date\.yaml:2: .*2023-02-30",
        id="incidents-impossible-date",
    ),
    pytest.param(
        "export-existing-output",
        lambda t: ["export", "--format", "acled-csv", "-o", _existing(t, "x.csv")],
        2,
        r"x\.csv exists; pass --overwrite",
        id="export-existing-output",
    ),
    pytest.param(
        "export-missing-directory",
        lambda t: ["export", "--format", "geojson", "-o", str(t / "no" / "x.geojson")],
        2,
        r"directory .*no does not exist",
        id="export-missing-directory",
    ),
    # -- track, extract, assets
    (
        "track-unknown-id",
        lambda t: ["track", "NOPE-2099-0001"],
        2,
        r"'NOPE-2099-0001': no such file, and no track with that id",
    ),
    (
        "track-negative-speed",
        lambda t: ["track", str(BAD / "ok_track.csv"), "--speed", "-5"],
        2,
        r"--speed -5\.0 km/h must be greater than 0",
    ),
    (
        "track-one-point",
        lambda t: ["track", str(BAD / "bad_track.csv")],
        2,
        r"a track needs at least two points",
    ),
    (
        "extract-missing-file",
        lambda t: ["extract", str(t / "missing.txt")],
        2,
        r"missing\.txt' does not exist",
    ),
    ("extract-utf16", lambda t: ["extract", str(BAD / "binary.txt")], 2, r"is UTF-16 text"),
    (
        "extract-impossible-date",
        lambda t: ["extract", str(BAD / "one_line.txt"), "--published", "2023-02-30"],
        2,
        r"--published '2023-02-30' is not a valid date",
    ),
    # -- import, gazetteer
    (
        "import-missing-file",
        lambda t: ["import", str(t / "missing.csv"), "--format", "acled-csv", "-o", str(t / "o")],
        2,
        r"missing\.csv' does not exist",
    ),
    (
        "import-unknown-format",
        lambda t: ["import", str(BAD / "ok.csv"), "--format", "excel", "-o", str(t / "o")],
        2,
        r"'excel' is not one of",
    ),
    (
        "gazetteer-unknown-format",
        lambda t: ["gazetteer", "install", "--from", str(BAD / "ok.csv")],
        2,
        r"ok\.csv, line 1: unknown gazetteer format",
    ),
    (
        "assets-cache-is-a-file",
        lambda t: ["assets", "--cache-dir", str(BAD / "ok.csv")],
        2,
        r"'--cache-dir'.*is a file",
    ),
]


def _seeds_dir(tmp_path: Path, name: str) -> str:
    folder = tmp_path / "seeds"
    folder.mkdir(exist_ok=True)
    shutil.copy(BAD / name, folder / name)
    return str(folder)


def _existing(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    path.write_text("keep me\n", encoding="utf-8")
    return str(path)


def _param(case):
    if hasattr(case, "marks"):  # already a pytest.param (a NamedTuple too)
        return case
    return pytest.param(*case, id=case[0])


@pytest.mark.parametrize(("name", "args", "status", "message"), [_param(c) for c in CASES])
def test_bad_input_is_one_line_and_no_traceback(tmp_path, monkeypatch, name, args, status, message):
    monkeypatch.chdir(tmp_path)  # ./maps and ./seeds of the repository are not picked up
    argv = args(tmp_path)
    result = CliRunner().invoke(cli, argv)
    # an exception other than SystemExit escaped the command: a traceback for the user
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        name,
        repr(result.exception),
    )
    assert "Traceback" not in result.output
    assert result.exit_code == status, (name, result.output)
    # the message is one line (validate prints one FILE:LINE line per problem, on stdout)
    lines = result.output.splitlines()
    assert any(re.search(message, line) for line in lines), (name, result.output)
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error: ")]
    assert len(errors) <= 1, (name, result.stderr)
    if name.endswith("existing-output"):
        assert (tmp_path / argv[-1]).read_text(encoding="utf-8") == "keep me\n"


def test_an_uncaught_project_error_is_a_user_error_but_a_bug_keeps_its_traceback(monkeypatch):
    import click

    from incidentmap.errors import ProjectErrorsGroup
    from incidentmap.geo.errors import IncidentMapError

    @click.group(cls=ProjectErrorsGroup)
    def group():
        pass

    @group.command()
    def mistake():
        raise IncidentMapError("seeds/x.yaml:3: bad value\n  (a second line)")

    @group.command()
    def bug():
        raise KeyError("a programming bug")

    result = CliRunner().invoke(group, ["mistake"])
    assert result.exit_code == 2
    assert result.stderr == "Error: seeds/x.yaml:3: bad value; (a second line)\n"
    result = CliRunner().invoke(group, ["bug"])
    assert isinstance(result.exception, KeyError) and result.exit_code == 1
