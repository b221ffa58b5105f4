"""``incidentmap geocode`` through click's CliRunner: data on stdout, errors without traceback."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from incidentmap.geocode import geocode
from tests.geocoding_support import _SESSION, geonames_index_once, write_places


@pytest.fixture(scope="module")
def options(tmp_path_factory):
    geonames_index_once(tmp_path_factory)
    places = write_places(tmp_path_factory.mktemp("places"))
    return ["--cache-dir", str(_SESSION["cache_dir"]), "--places", str(places)]


def run(args):
    return CliRunner().invoke(geocode, args, catch_exceptions=False)


def test_best_match_and_others(options):
    result = run(["Hrubieszów", *options])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Hrubieszów (Lublin Voivodeship, POL")
    assert "lon 23.89251 lat 50.80502" in result.stdout


def test_json_output(options):
    result = run(["Plauru,", "Tulcea", "--json", *options])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["status"] == "ok"
    assert payload["best"]["source"] == "curated"
    assert (payload["best"]["lon"], payload["best"]["lat"]) == (28.6789, 45.3456)


def test_country_and_admin_options(options):
    result = run(["Victoria", "--country", "RO", "--admin", "Iași", "--json", *options])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["best"]["admin1"] == "Iasi"


def test_ambiguous_lists_candidates_and_exits_1(options):
    result = run(["Orlivka", *options])
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and all(line.startswith("Orlivka") for line in lines)
    assert "Error:" in result.stderr and "Traceback" not in result.stderr
    result = run(["Orlivka", "--json", *options])
    assert result.exit_code == 1
    assert len(json.loads(result.stdout)["candidates"]) == 2


def test_unknown_place_exits_1_with_suggestions(options):
    result = run(["Hrubiezsow", *options])
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "did you mean" in result.stderr and "Hrubieszów" in result.stderr


def test_online_without_user_agent_is_a_usage_error(options, monkeypatch):
    monkeypatch.delenv("INCIDENTMAP_USER_AGENT", raising=False)
    result = run(["Plauru", "--online", *options])
    assert result.exit_code == 2
    assert "user agent" in result.stderr
