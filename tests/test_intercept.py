"""Intercept windows and flight-time bands on the shipped borders, and the ``window`` command.

The Galați figure: Romania's Joint Forces Command said there were about four minutes to
intercept the drone, which NATO said flew at about 200 km/h (shared article 002).
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

import shapely

from incidentmap.geo.errors import BandError, IncidentMapError, TrackError, UnknownCountryError
from incidentmap.geo.intercept import (
    BorderOutOfReachError,
    flight_time_bands,
    intercept_window,
    minutes_at_speed,
)
from incidentmap.window import summary
from incidentmap.window import window as window_command
from tests.places import CONSTANTA, GALATI, IZMAIL

DAY = "2025-09-13"
TULCEA = (28.80501, 45.1787)  # GeoNames 664518, Romania; Russia's nearest border: Kaliningrad


@pytest.fixture(scope="module")
def galati():
    return intercept_window(*GALATI, speed_kmh=200, on=DAY, place="Galați")


def test_galati_nearest_border_is_moldova(galati):
    assert galati.inside_nato and galati.country == "ROU"
    n = galati.nearest
    assert n.from_country == "MDA"
    assert n.distance_km == pytest.approx(11.36, abs=0.05)  # same as `incidentmap check`
    assert n.minutes == pytest.approx(3.41, abs=0.02)
    assert n.distance_km == pytest.approx(galati.distance_to_nato_border_km, abs=1e-3)


def test_galati_from_ukraine_is_the_four_minutes(galati):
    ukr = next(a for a in galati.approaches if a.from_country == "UKR")
    assert ukr.distance_km == pytest.approx(13.12, abs=0.05)
    assert ukr.minutes == pytest.approx(3.94, abs=0.02)
    assert round(ukr.minutes) == 4  # "a window of only four minutes"
    assert "Ukraine 13.12 km = 3.9 min" in galati.explanation


def test_from_country_restricts_and_is_checked():
    w = intercept_window(*GALATI, speed_kmh=200, on=DAY, from_country="ukr")
    assert [a.from_country for a in w.approaches] == ["UKR"]
    sea = intercept_window(*CONSTANTA, speed_kmh=200, on=DAY, from_country="sea")
    assert sea.nearest.from_country == "international_waters"
    assert 10 < sea.nearest.distance_km < 40  # Constanța lies on the coast, 12 nmi of sea
    with pytest.raises(UnknownCountryError, match="did you mean"):
        intercept_window(*GALATI, speed_kmh=200, on=DAY, from_country="UKX")
    with pytest.raises(IncidentMapError, match="shares no border with NATO"):
        intercept_window(*GALATI, speed_kmh=200, on=DAY, from_country="AUS")


def test_from_country_respects_the_radius():
    """QA: `window Tulcea --from RUS` answered 1,108 km via Kaliningrad and ignored --radius."""
    with pytest.raises(BorderOutOfReachError) as caught:
        intercept_window(*TULCEA, speed_kmh=200, on=DAY, from_country="RUS", place="Tulcea")
    exc = caught.value
    assert exc.radius_km == 150 and exc.place == "Tulcea" and exc.speed_kmh == 200
    assert exc.approach.from_country == "RUS"
    assert exc.approach.distance_km == pytest.approx(1108.6, abs=1.0)
    assert exc.approach.nato_country in {"POL", "LTU"}  # Kaliningrad's border
    assert "within 150 km of Tulcea" in str(exc) and "at least 1109" in str(exc)
    # a radius that reaches it gives the window, the same distance
    far = intercept_window(*TULCEA, speed_kmh=200, on=DAY, from_country="RUS", radius_km=1200)
    assert far.nearest.distance_km == pytest.approx(exc.approach.distance_km, abs=1e-6)
    assert far.nearest.minutes == pytest.approx(1108.6 / 200 * 60, abs=0.5)
    # within the default radius, --from works as before (Ukraine across the Danube)
    near = intercept_window(*TULCEA, speed_kmh=200, on=DAY, from_country="UKR")
    assert near.nearest.distance_km < 10 and near.nearest.nato_country == "ROU"


def test_labels_use_hemisphere_letters():
    w = intercept_window(-58.3816, -34.6037, speed_kmh=200, on=DAY)  # Buenos Aires
    assert not w.inside_nato
    assert w.explanation.startswith("34.6037 S, 58.3816 W is in")


def test_minutes_scale_with_speed(galati):
    slow = intercept_window(*GALATI, speed_kmh=100, on=DAY)
    assert slow.nearest.minutes == pytest.approx(2 * galati.nearest.minutes, abs=2e-3)
    assert minutes_at_speed(50.0, 200.0) == 15.0


def test_target_outside_nato_has_no_window():
    w = intercept_window(*IZMAIL, speed_kmh=200, on=DAY)
    assert not w.inside_nato and w.nearest is None and w.minutes is None
    assert "not on NATO territory" in w.explanation


def test_bad_speed_is_refused():
    with pytest.raises(TrackError, match="greater than 0"):
        intercept_window(*GALATI, speed_kmh=0, on=DAY)


def test_flight_time_bands_danube():
    bbox = (27.6, 45.0, 28.6, 45.8)
    bands, border = flight_time_bands(speed_kmh=200, bbox=bbox, minutes=(2, 5, 10), on=DAY)
    assert list(bands["minutes_max"]) == [2.0, 5.0, 10.0]
    assert list(bands["minutes_min"]) == [0.0, 2.0, 5.0]
    assert np.allclose(bands["band_max_km"], [200 * 2 / 60, 200 * 5 / 60, 200 * 10 / 60])
    assert not border.is_empty
    # Galați is 11.4 km = 3.4 min from the border: in the 2-5 min band and in no other
    inside = [shapely.contains_xy(g, *GALATI) for g in bands.geometry]
    assert inside == [False, True, False]
    with pytest.raises(BandError, match="strictly increasing"):
        flight_time_bands(speed_kmh=200, bbox=bbox, minutes=(5, 2), on=DAY)


def run(args):
    return CliRunner().invoke(window_command, args)


def test_cli_window_json_lat_first():
    lon, lat = GALATI
    result = run([str(lat), str(lon), "--speed", "200", "--date", DAY, "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["nearest"]["from_country"] == "MDA"
    assert payload["minutes"] == pytest.approx(3.41, abs=0.02)
    assert {a["from_country"] for a in payload["approaches"]} >= {"MDA", "UKR"}


def test_cli_window_text():
    lon, lat = GALATI
    result = run([str(lat), str(lon), "--speed", "200", "--date", DAY, "--from", "UKR"])
    assert result.exit_code == 0, result.output
    assert "from Ukraine (UKR): 13.12 km, 3.9 min" in result.stdout
    # QA: LAT LON printed the position twice on the first line
    assert result.stdout.splitlines()[0] == "45.4353 N, 28.0500 E at 200 km/h, NATO as of " + DAY


def test_summary_names_a_place_once_with_its_position(galati):
    first = summary(galati).splitlines()[0]
    assert first == f"Galați (45.4353 N, 28.0500 E) at 200 km/h, NATO as of {DAY}"
    # border points on the target's own country are not labelled; others are
    assert "on Romania's border" not in summary(galati)


@pytest.mark.parametrize("as_json", [False, True])
def test_cli_from_beyond_radius_exits_1_and_says_how_far(as_json):
    lon, lat = TULCEA
    args = [str(lat), str(lon), "--speed", "200", "--date", DAY, "--from", "RUS"]
    result = run(args + (["--json"] if as_json else []))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""  # nothing that looks like an answer
    message = result.stderr
    assert "no border with Russia (RUS) within 150 km of 45.1787 N, 28.8050 E" in message
    assert "nearest is 1108." in message and "raise --radius to 1109 or more" in message
    assert "Traceback" not in result.output
    ok = run(args + ["--radius", "1200"])
    assert ok.exit_code == 0, ok.output
    assert "from Russia (RUS): 1108." in ok.stdout and "'s border" in ok.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["45.4353", "28.05"], "Missing option '--speed'"),
        (["45.4353", "28.05", "--speed", "-3"], "greater than 0"),
        (
            ["45.4353", "28.05", "--speed", "200", "--from", "XXX"],
            "is not a country in the border data",
        ),
        (["95.0", "28.05", "--speed", "200"], "latitude 95.0 is outside"),
        (["45.4353", "28.05", "--speed", "200", "--radius", "0"], "positive"),
    ],
)
def test_cli_window_user_mistakes_exit_2(args, message):
    result = run(args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_flight_bands_layer_tooltips():
    import folium

    from incidentmap.layers.flight_bands import flight_bands_layer

    bands, _ = flight_time_bands(
        speed_kmh=200, bbox=(27.6, 45.0, 28.6, 45.8), minutes=(2, 5), on=DAY
    )
    m = folium.Map(tiles=None)
    group = flight_bands_layer(bands)
    group.add_to(m)
    assert group.layer_name == "Minutes of flight from the border at 200 km/h (2, 5 min)"
    assert not group.show  # off until switched on in the layer control
    html = m.get_root().render()
    assert "2\\u20135 min of flight from the NATO border at 200 km/h (6.7\\u201316.7 km)" in html
