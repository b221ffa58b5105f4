"""Track analysis on the shipped borders: reported figures, an independent geodesic reference,
membership dates, invariants (hypothesis) and the ``track`` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import shapely
from pyproj import Geod

from incidentmap.geo import borders
from incidentmap.geo.airspace import analyse_track
from incidentmap.geo.errors import TrackError
from incidentmap.geo.territory import classify
from incidentmap.geo.track_files import load_seed_tracks
from incidentmap.geo.tracks import make_track
from incidentmap.track import track as track_command
from tests.places import IZMAIL

REPO = Path(__file__).resolve().parents[1]
GEOD = Geod(ellps="WGS84")
TULCEA = (28.80501, 45.1787)  # GeoNames 664518, Romania
VYBORG = (28.75, 60.71)  # Russia, about 20 km from the Finnish border
LAPPEENRANTA = (28.19, 61.06)  # Finland


@pytest.fixture(scope="module")
def seed_tracks():
    return {t.name: t for t in load_seed_tracks(REPO / "seeds" / "tracks")}


def test_romania_13_september_2025_figures(seed_tracks):
    """Reported: about 50 minutes over Romania, about 10 km deep, in and out via Ukraine."""
    a = analyse_track(seed_tracks["ROU-2025-0002-track"])
    assert a.on == dt.date(2025, 9, 13)
    assert [p.country for p in a.pieces] == ["ROU"]
    p = a.pieces[0]
    assert p.entry.from_country == "UKR" and p.exit.to_country == "UKR"
    # the waypoints lie 100 m outside the border: 49.7 min of the 50 inside (tolerance 0.5 min)
    assert a.time_inside_s / 60 == pytest.approx(50.0, abs=0.5)
    assert p.deepest.depth_m / 1000 == pytest.approx(10.0, abs=0.3)
    assert p.entry.time.startswith("2025-09-13T15:00")  # 18:00 EEST
    assert a.time_basis == "timestamps" and a.approximate


def test_poland_route_from_belarus_is_a_lower_bound(seed_tracks):
    a = analyse_track(seed_tracks["POL-2025-0007-track"], speed_kmh=185)
    p = a.pieces[0]
    assert (p.country, p.entry.from_country, p.exit) == ("POL", "BLR", None)
    # straight from the border to Mniszków: about 238 km, more than 200 km (reported)
    assert p.distance_m / 1000 == pytest.approx(238.1, abs=0.5)
    assert a.time_inside_s == pytest.approx(p.distance_m / (185 / 3.6), rel=1e-9)


def _reference_crossing(lon0, lat0, lon1, lat1, iso3: str):
    """Crossings of a geodesic with a country's boundary, independently: pyproj densifies the
    geodesic every ~5 m and shapely intersects it with the polygon boundary."""
    n = int(GEOD.inv(lon0, lat0, lon1, lat1)[2] // 5)
    mid = np.asarray(GEOD.npts(lon0, lat0, lon1, lat1, n))
    line = shapely.LineString(np.vstack([[lon0, lat0], mid, [lon1, lat1]]))
    poly = borders.country_row(iso3).geometry
    return shapely.get_coordinates(shapely.intersection(line, poly.boundary))


def test_straight_constant_speed_track_matches_geodesic_reference():
    """Izmail (UKR) -> Tulcea (ROU) at exactly 180 km/h: the entry point matches an independent
    intersection within 2 m, distance inside is the pyproj geodesic length from the entry to
    the end, and time inside = distance inside / speed."""
    (x0, y0), (x1, y1) = IZMAIL, TULCEA
    length_m = GEOD.inv(x0, y0, x1, y1)[2]
    v_ms = 180 / 3.6
    t0 = dt.datetime(2025, 9, 13, 15, 0, tzinfo=dt.UTC)
    times = [t0, t0 + dt.timedelta(seconds=length_m / v_ms)]
    a = analyse_track(make_track([x0, x1], [y0, y1], times), on="2025-09-13")
    assert len(a.pieces) == 1 and a.pieces[0].exit is None
    entry = a.pieces[0].entry
    ref = _reference_crossing(x0, y0, x1, y1, "ROU")
    gap_m = min(GEOD.inv(entry.lon, entry.lat, rx, ry)[2] for rx, ry in ref)
    assert gap_m < 2.0
    assert a.distance_inside_m == pytest.approx(GEOD.inv(entry.lon, entry.lat, x1, y1)[2],
                                                abs=1.0)
    assert entry.along_m + a.distance_inside_m == pytest.approx(length_m, abs=1e-3)
    assert a.time_inside_s == pytest.approx(a.distance_inside_m / v_ms, abs=0.05)
    # the crossing sits on the border: the territory answer flips within 1 m either side
    az = GEOD.inv(x0, y0, x1, y1)[0]
    before = GEOD.fwd(entry.lon, entry.lat, az, -1.0)
    after = GEOD.fwd(entry.lon, entry.lat, az, 1.0)
    assert classify(before[0], before[1], on="2025-09-13").country == "UKR"
    assert classify(after[0], after[1], on="2025-09-13").country == "ROU"


#: A vertex of Romania's shipped polygon on the border with Ukraine (interior angle ~119°).
ROU_CORNER = (25.02529, 47.73154)


def test_track_clipping_a_corner_narrower_than_50_m_is_found():
    """A straight 2 km flight in Ukraine that cuts ~20 m across a corner of Romania, between
    two of the old method's 50 m samples: the exact method finds the piece, and its entry,
    exit and length match an independent pyproj + shapely reference."""
    rou = borders.country_row("ROU").geometry
    assert any(np.allclose(c, ROU_CORNER) for c in shapely.get_coordinates(rou))
    ring = shapely.get_coordinates(rou)
    i = int(np.flatnonzero(np.all(np.isclose(ring, ROU_CORNER), axis=1))[0])
    za, zb = (GEOD.inv(*ROU_CORNER, *ring[j])[0] for j in (i - 1, i + 1))
    inward = np.degrees(np.arctan2(np.sin(np.radians(za)) + np.sin(np.radians(zb)),
                                   np.cos(np.radians(za)) + np.cos(np.radians(zb))))
    px, py, _ = GEOD.fwd(*ROU_CORNER, inward, 6.0)  # 6 m inside the corner
    x0, y0, _ = GEOD.fwd(px, py, inward - 90, 1025.0)
    x1, y1, _ = GEOD.fwd(px, py, inward + 90, 975.0)
    line = shapely.LineString([(x0, y0), *GEOD.npts(x0, y0, x1, y1, 2000), (x1, y1)])
    inside = shapely.intersection(line, rou)
    ref_m = sum(GEOD.line_length(*np.asarray(g.coords).T) for g in getattr(inside, "geoms",
                                                                           [inside]))
    assert 10.0 < ref_m < 40.0  # the sliver is narrower than the old 50 m step
    samples = GEOD.npts(x0, y0, x1, y1, 39)  # every 50 m: none of them is in Romania
    assert not any(rou.contains(shapely.Point(p)) for p in samples)
    a = analyse_track(make_track([x0, x1], [y0, y1], speed_kmh=180), on="2025-09-13")
    assert [p.country for p in a.pieces] == ["ROU"]
    p = a.pieces[0]
    assert p.entry.from_country == "UKR" and p.exit.to_country == "UKR"
    assert p.distance_m == pytest.approx(ref_m, abs=0.05)
    ends = shapely.get_coordinates(inside)[[0, -1]]
    assert GEOD.inv(p.entry.lon, p.entry.lat, *ends[0])[2] < 0.05
    assert GEOD.inv(p.exit.lon, p.exit.lat, *ends[1])[2] < 0.05


def test_out_and_back_gives_entry_then_exit():
    t = make_track([IZMAIL[0], TULCEA[0], IZMAIL[0] + 0.01], [IZMAIL[1], TULCEA[1], IZMAIL[1]],
                   speed_kmh=200)
    a = analyse_track(t, on="2025-09-13")
    assert [c.kind for c in a.crossings] == ["entry", "exit"]
    assert a.pieces[0].deepest.depth_m == pytest.approx(
        classify(*TULCEA, on="2025-09-13").distance_to_nato_border_km * 1000, abs=1.0)


def test_membership_date_decides():
    """Finland joined on 2023-04-04: the same flight is inside NATO only afterwards."""
    t = make_track([VYBORG[0], LAPPEENRANTA[0]], [VYBORG[1], LAPPEENRANTA[1]])
    before = analyse_track(t, on="2023-04-03")
    after = analyse_track(t, on="2023-04-04")
    assert before.pieces == () and before.distance_inside_m == 0.0
    assert [p.country for p in after.pieces] == ["FIN"]
    assert after.time_inside_s is None  # no times and no speed: distances only


def test_track_starting_inside_has_no_entry():
    a = analyse_track(make_track([TULCEA[0], IZMAIL[0]], [TULCEA[1], IZMAIL[1]]),
                      on="2025-09-13", speed_kmh=100)
    assert a.pieces[0].entry is None and a.pieces[0].exit.to_country == "UKR"
    assert [c.kind for c in a.crossings] == ["exit"]


def test_bad_options_are_refused():
    t = make_track([28.0, 28.1], [45.0, 45.0])
    with pytest.raises(TrackError, match="greater than 0"):
        analyse_track(t, speed_kmh=-1)
    with pytest.raises(TrackError, match="step_m"):
        analyse_track(t, step_m=0)
    with pytest.raises(TrackError, match="expected a Track"):
        analyse_track([(28.0, 45.0)])


BOX = st.tuples(st.floats(27.9, 29.9), st.floats(44.9, 45.8))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(points=st.lists(BOX, min_size=2, max_size=5), speed=st.floats(50, 900),
       timed=st.booleans())
def test_invariants(points, speed, timed):
    lon = [p[0] for p in points]
    lat = [p[1] for p in points]
    legs = GEOD.inv(lon[:-1], lat[:-1], lon[1:], lat[1:])[2]
    if not sum(legs) > 10:
        return
    if timed:
        t = np.concatenate([[0.0], np.cumsum(legs)]) / (speed / 3.6) + 1.7e9
        track = make_track(lon, lat, list(t))
    else:
        track = make_track(lon, lat, speed_kmh=speed)
    a = analyse_track(track, on="2025-09-13", step_m=200.0)
    assert a.time_inside_s <= a.duration_s + 1e-6
    assert a.distance_inside_m <= a.length_m + 1e-6
    kinds = [c.kind for c in a.crossings]
    assert all(k1 != k2 for k1, k2 in zip(kinds, kinds[1:], strict=False))
    along = [c.along_m for c in a.crossings]
    assert along == sorted(along)
    for p in a.pieces:
        assert p.distance_m >= 0 and p.duration_s >= -1e-9
        assert p.deepest.depth_m >= 0
        if p.entry and p.exit:
            assert p.exit.along_m >= p.entry.along_m


def run(args):
    return CliRunner().invoke(track_command, args, catch_exceptions=False)


def test_cli_track_json_for_a_seeded_incident():
    result = run(["ROU-2025-0002", "--json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    assert payload["pieces"][0]["country"] == "ROU"
    assert 49.0 < payload["time_inside_s"] / 60 < 50.5
    assert payload["approximate"] is True and payload["sources"]


def test_cli_track_file_and_text(tmp_path):
    f = tmp_path / "t.csv"
    f.write_text(f"lon,lat\n{IZMAIL[0]},{IZMAIL[1]}\n{TULCEA[0]},{TULCEA[1]}\n", encoding="utf-8")
    result = run([str(f), "--speed", "200", "--date", "2025-09-13"])
    assert result.exit_code == 0, result.output
    assert "Romania (ROU)" in result.stdout and "entry" in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["NOPE-0000"], "no such file"),
        (["ROU-2025-0002", "--speed", "0"], "greater than 0"),
        (["ROU-2025-0002", "--speed", "99999"], "above 4000"),
    ],
)
def test_cli_track_user_mistakes_exit_2(args, message):
    result = CliRunner().invoke(track_command, args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_track_gpx_without_track_exit_2(tmp_path):
    f = tmp_path / "w.gpx"
    f.write_text('<gpx><wpt lat="45" lon="28"/></gpx>', encoding="utf-8")
    result = CliRunner().invoke(track_command, [str(f)])
    assert result.exit_code == 2 and "no track" in result.output


def test_tracks_layer_escapes_and_marks_entry_exit(seed_tracks):
    import folium

    from incidentmap.layers.tracks import arrow_marks, geodesic_path, track_popup_html, tracks_layer

    evil = make_track([IZMAIL[0], TULCEA[0]], [IZMAIL[1], TULCEA[1]], speed_kmh=200,
                      name="<script>alert(1)</script>", approximate=True,
                      sources=({"publisher": "x`${y}`", "title": "t",
                                "url": "javascript:alert(1)"},),
                      method="<b>m</b>")
    a = analyse_track(evil, on="2025-09-13")
    popup = track_popup_html(evil, a)
    assert "<script>" not in popup and "&lt;script&gt;" in popup
    assert "javascript:" not in popup and "&#36;&#123;y&#125;" in popup
    assert "approximate reconstruction" in popup
    m = folium.Map(tiles=None)
    rou = seed_tracks["ROU-2025-0002-track"]
    tracks_layer([(evil, a), (rou, analyse_track(rou))]).add_to(m)
    html = m.get_root().render()
    assert "alert(1)</script>" not in html
    assert "Entry into Romania from UKR at 15:00:08 UTC" in html
    assert "Exit from Romania to UKR at 15:49:52 UTC" in html
    assert "Deepest point: 10.11 km from the NATO border" in html
    # the drawn line follows the geodesic and arrows point along it (east = 0, south = 90)
    path = geodesic_path([28.0, 28.0], [45.0, 44.0])
    assert path[0].tolist() == [45.0, 28.0] and path[-1].tolist() == [44.0, 28.0]
    assert arrow_marks(path, count=1)[0][2] == pytest.approx(90.0, abs=0.5)


def test_analysed_tracks_keeps_those_in_view(seed_tracks):
    from incidentmap.layers.tracks import analysed_tracks

    danube = analysed_tracks(seed_tracks.values(), bbox=(27.5, 44.5, 30.5, 46.0))
    assert [t.name for t, _ in danube] == ["ROU-2025-0002-track"]
    assert danube[0][1].on == dt.date(2025, 9, 13)
