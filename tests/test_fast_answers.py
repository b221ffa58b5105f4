"""Fast single answers: lazy imports, persisted indexes, numba on demand, and answers that say
what was asked (issue 10)."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest
from click.testing import CliRunner

from incidentmap.geo.cache import cached_arrays
from incidentmap.geo.coords import LngLat, parse_lat_lon
from incidentmap.geo.errors import InvalidCoordinateError
from incidentmap.geo.geocoding import resolve_place_or_coords
from incidentmap.geo.territory import classify_many, territory
from incidentmap.main import COMMANDS, cli

DAY = "2025-06-01"
# Galați, Izmail (UKR), Plauru's river bank, the Suwałki gap, Narva, open Black Sea, Gibraltar
POINTS = [
    (45.4353, 28.05),
    (45.35058, 28.83751),
    (45.3320, 28.8050),
    (54.0, 23.5),
    (59.37722, 28.19028),
    (43.0, 34.0),
    (36.14474, -5.35257),
]


@pytest.fixture
def run():
    runner = CliRunner()
    return lambda *args, input=None: runner.invoke(cli, list(args), input=input)


# ------------------------------------------------------------------ lazy imports, interpreted


def test_check_in_a_fresh_process_imports_no_geopandas_folium_news_or_numba():
    """A warm ``check -`` answers without geopandas, folium, the news package or numba, and
    its interpreted kernels give exactly the compiled answers."""
    lat = np.array([p[0] for p in POINTS])
    lon = np.array([p[1] for p in POINTS])
    expected = classify_many(lon, lat, on=DAY)  # builds the cache if needed (compiled)
    script = textwrap.dedent(
        """
        import atexit, json, sys
        heavy = ("geopandas", "folium", "incidentmap.news", "numba", "pandas", "pyarrow")
        atexit.register(lambda: print("MODULES " + json.dumps(
            sorted(m for m in heavy if m in sys.modules)), file=sys.stderr))
        sys.argv = ["incidentmap", "check", "-", "--date", "{day}"]
        from incidentmap.main import main
        main()
        """
    ).format(day=DAY)
    lines = "".join(f"{a} {b}\n" for a, b in POINTS)
    proc = subprocess.run(
        [sys.executable, "-c", script], input=lines, capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    loaded = json.loads(proc.stderr.split("MODULES ", 1)[1])
    assert loaded == []
    answers = [json.loads(line) for line in proc.stdout.splitlines()]
    assert len(answers) == len(POINTS)
    for i, got in enumerate(answers):
        want = expected.iloc[i]
        assert got["country"] == (None if want.isna()["country"] else want["country"])
        assert got["zone"] == want["zone"] and got["nato_member"] == bool(want["nato_member"])
        assert got["status_note"] == (None if want.isna()["status_note"] else want["status_note"])
        assert got["distance_to_nato_border_km"] == pytest.approx(
            float(want["distance_to_nato_border_km"]), abs=1e-4
        )
        assert got["across"] == want["across"]


def test_distance_to_a_country_in_a_fresh_process_imports_no_geopandas():
    """``distance --to ISO3`` resolves the code from the persisted indexes' codes."""
    from incidentmap.geo.territory import distance_to_country_border

    want = distance_to_country_border(28.05, 45.4353, "UKR")  # fills the cache if needed
    script = textwrap.dedent(
        """
        import atexit, json, sys
        heavy = ("geopandas", "folium", "incidentmap.news", "pyarrow")
        atexit.register(lambda: print("MODULES " + json.dumps(
            sorted(m for m in heavy if m in sys.modules)), file=sys.stderr))
        sys.argv = ["incidentmap", "distance", "45.4353", "28.05", "--to", "ua", "--json"]
        from incidentmap.main import main
        main()
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=120
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stderr.split("MODULES ", 1)[1]) == []
    got = json.loads(proc.stdout)
    assert got["to"] == "UKR" == want.country
    assert got["distance_km"] == want.distance_km < 0  # Galați, Romania: outside Ukraine


def test_help_lists_every_command_with_its_short_help(run):
    res = run("--help")
    assert res.exit_code == 0
    listed = [line.split()[0] for line in res.output.split("Commands:")[1].splitlines() if line]
    assert listed == list(COMMANDS)
    assert "Is LAT LON (or a PLACE) on NATO soil" in res.output


# ------------------------------------------------------------------ the cache helper


def test_cache_builds_once_rebuilds_damaged_and_outdated_entries(tmp_path):
    data = tmp_path / "data.bin"
    data.write_bytes(b"one")
    calls = []

    def build():
        calls.append(1)
        return {"values": np.arange(5, dtype=np.int32) * len(calls), "names": np.array(["a"])}

    kw = {"inputs": [data], "code": [__file__], "folder": tmp_path / "cache"}
    first = cached_arrays("demo", build, **kw)
    again = cached_arrays("demo", build, mmap=True, **kw)
    assert len(calls) == 1 and np.array_equal(again["values"], first["values"])
    assert isinstance(again["values"], np.memmap)
    (entry,) = (tmp_path / "cache").glob("demo-*")
    npy = entry / "values.npy"
    npy.write_bytes(npy.read_bytes()[:-4])  # truncated: must not be trusted
    damaged = cached_arrays("demo", build, **kw)
    assert len(calls) == 2 and damaged["values"].tolist() == [0, 2, 4, 6, 8]
    data.write_bytes(b"two")  # new data: a new key, a new build
    cached_arrays("demo", build, **kw)
    assert len(calls) == 3
    with pytest.raises(TypeError, match="dtype object"):
        cached_arrays("bad", lambda: {"x": np.array([None])}, **kw)


# ------------------------------------------------------------------ the one coordinate parser


@pytest.mark.parametrize(
    ("text", "lon", "lat", "fixed"),
    [
        ("45.4353 28.05", 28.05, 45.4353, False),
        ("45.4353, 28.05", 28.05, 45.4353, False),
        ("45.43N 28.05E", 28.05, 45.43, True),
        ("28.05E 45.43N", 28.05, 45.43, True),
        ("N45.43 E28.05", 28.05, 45.43, True),
        ("45°26'N 28°03'E", 28.05, 45 + 26 / 60, True),
        ("45°26′07.2″N, 28°03′E", 28.05, 45 + 26 / 60 + 7.2 / 3600, True),
        ("33.9S 18.4E", 18.4, -33.9, True),
        ("36.14474 -5.35257", -5.35257, 36.14474, False),
    ],
)
def test_coordinate_forms(text, lon, lat, fixed):
    point, got_fixed = parse_lat_lon(text)
    assert point.lon == pytest.approx(lon, abs=1e-12) and point.lat == pytest.approx(lat)
    assert got_fixed is fixed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("45.43N 28.05N", "both coordinates are latitudes"),
        ("-45.4N 28E", "a minus sign and a hemisphere letter"),
        ("45°75'N 28°E", "minutes 75 must be below 60"),
        ("95 28", r"latitude 95.0 is outside \[-90, 90\]"),
    ],
)
def test_coordinate_mistakes_are_named(text, message):
    with pytest.raises(InvalidCoordinateError, match=message):
        parse_lat_lon(text)


def test_the_geocoding_chain_reads_coordinates_with_the_same_parser():
    assert resolve_place_or_coords("45°26'N 28°03'E")[:2] == pytest.approx((28.05, 45 + 26 / 60))
    assert parse_lat_lon("Plauru") is None


# ------------------------------------------------------------------ answers that say what was asked


def test_check_json_says_the_date_and_hints_at_swapped_coordinates(run):
    res = run("check", "28.05", "45.43", "--date", DAY, "--json")
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["country"] == "SAU" and out["as_of"] == DAY and out["place"] is None
    assert "did you mean 45.43 28.05?" in out["hint"]
    assert "did you mean 45.43 28.05?" in res.stderr
    quiet = run("check", "28.05", "45.43", "--json", "-q")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    fine = json.loads(run("check", "45.43N", "28.05E", "--json").stdout)
    assert fine["country"] == "ROU" and fine["hint"] is None


def test_a_place_whose_precision_circle_crosses_the_border_is_uncertain(
    run, default_geocoder_in_session_cache
):
    out = json.loads(run("check", "Plauru", "--date", DAY, "--json").stdout)
    assert out["place"]["name"] == "Plauru" and out["place"]["country"] == "ROU"
    assert out["place"]["source"] == "curated"
    assert abs(out["distance_to_nato_border_km"]) * 1000 < out["place"]["precision_m"]
    assert out["on_nato_soil"] == "uncertain" and out["nato_member"] is True
    dist = json.loads(run("distance", "Plauru", "--date", DAY, "--json").stdout)
    assert dist["on_nato_soil"] == "uncertain" and dist["as_of"] == DAY
    assert dist["distance_to_nato_border_km"] == out["distance_to_nato_border_km"]
    assert dist["place"] == out["place"]


def test_check_stdin_answers_each_line_and_keeps_going(run):
    lines = "45.4353 28.05\n\n1 2 3\n95 28\n45.35058N 28.83751E\n"
    res = run("check", "-", "--date", DAY, input=lines)
    assert res.exit_code == 2  # some lines failed
    out = [json.loads(line) for line in res.stdout.splitlines()]
    assert [o["query"] for o in out] == ["45.4353 28.05", "1 2 3", "95 28", "45.35058N 28.83751E"]
    assert out[0]["country"] == "ROU" and out[3]["country"] == "UKR"
    assert "expected two numbers" in out[1]["error"] and out[1]["line"] == 3
    assert "latitude 95.0 is outside" in out[2]["error"]
    assert "2 answered, 2 failed" in res.stderr
    good = run("check", "-", input="45.4353 28.05\n")
    assert good.exit_code == 0


def test_single_answer_equals_the_vectorised_answer():
    t = territory()
    for lat, lon in POINTS:
        (one,) = t.answers(np.array([lon]), np.array([lat]), on=np.datetime64(DAY).item())
        row = t.classify_arrays(np.array([lon]), np.array([lat]), on=np.datetime64(DAY).item())
        assert one.country == (None if row["country"].isna()[0] else row["country"][0])
        assert one.distance_to_nato_border_km == round(
            float(row["distance_to_nato_border_km"][0]), 4
        )
    assert LngLat(1.0, 2.0).lat == 2.0
