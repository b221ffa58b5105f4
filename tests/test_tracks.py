"""Track reading and validation: every format, every refusal with a message that names the
mistake, and the shipped seed tracks."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from incidentmap.geo.errors import DataFileError, TrackError
from incidentmap.geo.track_files import (
    load_seed_tracks,
    parse_csv_track,
    parse_geojson_track,
    parse_gpx_track,
    read_track,
)
from incidentmap.geo.tracks import MAX_SPEED_KMH, check_speed_kmh, make_track, parse_time
from tests.places import GALATI, IZMAIL

REPO = Path(__file__).resolve().parents[1]
T0 = "2025-09-13T18:00:00+03:00"
T1 = "2025-09-13T18:10:00+03:00"


def test_parse_time_zones():
    assert parse_time("2025-09-13T15:00:00Z") == parse_time(T0)
    assert parse_time("2025-09-13T15:00:00") == parse_time(T0)  # naive = UTC
    with pytest.raises(TrackError, match="ISO 8601"):
        parse_time("13/09/2025 18:00")
    with pytest.raises(TrackError, match="without a time of day"):
        parse_time("2025-09-13")


def test_geojson_linestring_with_times():
    gj = {"type": "Feature", "properties": {"name": "x", "times": [T0, T1]},
          "geometry": {"type": "LineString", "coordinates": [list(IZMAIL), list(GALATI)]}}
    t = parse_geojson_track(json.dumps(gj))
    assert len(t) == 2 and t.name == "x"
    assert t.time_s[1] - t.time_s[0] == 600.0
    assert (t.lon[0], t.lat[0]) == IZMAIL  # (lon, lat) order kept
    assert t.date.isoformat() == "2025-09-13"


def test_geojson_multipoint_and_point_collection():
    mp = {"type": "MultiPoint", "coordinates": [[28.0, 45.0, 120.0], [28.1, 45.1, 90.0]]}
    assert len(parse_geojson_track(mp)) == 2  # altitude ignored
    fc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"time": T0},
         "geometry": {"type": "Point", "coordinates": [28.0, 45.0]}},
        {"type": "Feature", "properties": {"time": T1},
         "geometry": {"type": "Point", "coordinates": [28.1, 45.0]}},
    ]}
    t = parse_geojson_track(fc)
    assert t.has_times and t.time_s[-1] - t.time_s[0] == 600.0


def test_geojson_refusals():
    with pytest.raises(TrackError, match="LineString or MultiPoint, not a Polygon"):
        parse_geojson_track({"type": "Polygon", "coordinates": []})
    with pytest.raises(TrackError, match="one LineString per track"):
        parse_geojson_track({"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]]]})
    with pytest.raises(TrackError, match="not valid JSON"):
        parse_geojson_track("{nope")


def test_csv_with_lat_first_header_and_times():
    text = f"time,lat,lon\n{T0},45.35058,28.83751\n{T1},45.4353,28.05\n"
    t = parse_csv_track(text)
    assert (t.lon[0], t.lat[0]) == IZMAIL
    assert t.time_s[1] - t.time_s[0] == 600.0


def test_csv_refusals():
    with pytest.raises(TrackError, match="longitude and a latitude column"):
        parse_csv_track("x1,y1\n1,2\n3,4\n")
    with pytest.raises(TrackError, match="CSV line 3"):
        parse_csv_track("lon,lat\n28,45\nabc,45\n")


GPX_TRACK = f"""<?xml version="1.0"?>
<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><name>t1</name>
<trkseg><trkpt lat="45.35058" lon="28.83751"><time>{T0}</time></trkpt></trkseg>
<trkseg><trkpt lat="45.4353" lon="28.05"><time>{T1}</time></trkpt></trkseg></trk></gpx>"""


def test_gpx_track_all_segments_in_order():
    t = parse_gpx_track(GPX_TRACK)
    assert t.name == "t1" and len(t) == 2
    assert (t.lon[1], t.lat[1]) == GALATI
    assert t.time_s[1] - t.time_s[0] == 600.0


def test_gpx_route_is_accepted_and_no_track_is_refused():
    rte = ('<gpx xmlns="http://www.topografix.com/GPX/1/1"><rte><rtept lat="45" lon="28"/>'
           '<rtept lat="45.1" lon="28.1"/></rte></gpx>')
    assert len(parse_gpx_track(rte)) == 2
    wpt = '<gpx><wpt lat="45" lon="28"/><wpt lat="45.1" lon="28.1"/></gpx>'
    with pytest.raises(TrackError, match=r"no track \(<trk>\).*2 waypoints"):
        parse_gpx_track(wpt)
    two = "<gpx><trk/><trk/></gpx>"
    with pytest.raises(TrackError, match="2 tracks"):
        parse_gpx_track(two)
    with pytest.raises(TrackError, match="root element is <kml>"):
        parse_gpx_track("<kml/>")


@pytest.mark.parametrize(
    ("lon", "lat", "times", "pattern"),
    [
        ([28.0], [45.0], None, "at least two points, got 1"),
        ([28.0, float("nan")], [45.0, 45.1], None, "point 2 .* not a finite"),
        ([28.0, 45.1], [45.0, 128.0], None, "latitude 128.0 is outside"),
        ([28.0, 28.0], [45.0, 45.0], None, "no length"),
        ([179.5, -179.5], [60.0, 60.0], None, "antimeridian"),
        ([28.0, 28.1], [45.0, 45.0], [T1, T0], "time goes backwards from point 1"),
        ([28.0, 28.1], [45.0, 45.0], [T0, T0], "same time"),
        ([28.0, 28.1, 28.2], [45.0, 45.0, 45.0], [None, T0, T1], "point 1 has no time"),
        ([28.0, 29.0], [45.0, 45.0], [T0, "2025-09-13T18:00:10+03:00"], "implies 28"),
        ([28.0, 28.1], [45.0, 45.0], [T0], "1 times for 2 points"),
    ],
)
def test_bad_tracks_are_refused(lon, lat, times, pattern):
    with pytest.raises(TrackError, match=pattern):
        make_track(lon, lat, times)


def test_latitude_swap_hint():
    with pytest.raises(TrackError, match="swapped"):
        make_track([45.0, 45.0], [28.0, 95.0])


def test_speed_bounds():
    assert check_speed_kmh(200) == 200.0
    for bad in (0, -5, float("nan"), float("inf"), "fast", True):
        with pytest.raises(TrackError):
            check_speed_kmh(bad)
    with pytest.raises(TrackError, match="above 4000"):
        check_speed_kmh(MAX_SPEED_KMH + 1)
    assert check_speed_kmh(12000, max_speed_kmh=13000) == 12000.0
    with pytest.raises(TrackError, match="greater than 0"):
        make_track([28.0, 28.1], [45.0, 45.0], speed_kmh=0)


def test_hypersonic_needs_a_raised_bound():
    times = [T0, "2025-09-13T18:01:00+03:00"]  # 150 km in a minute = 9000 km/h
    lon, lat = [28.0, 29.93], [45.0, 45.0]
    with pytest.raises(TrackError, match="implies"):
        make_track(lon, lat, times)
    t = make_track(lon, lat, times, max_speed_kmh=13000)
    assert 8500 < t.length_m() / 60 * 3.6 < 9500


def test_partial_times_interpolated_by_distance():
    # the middle point is a quarter of the way along the track
    t = make_track([28.0, 28.1, 28.4], [45.0, 45.0, 45.0], [T0, None, T1])
    legs = t.leg_lengths_m()
    frac = legs[0] / legs.sum()
    assert t.time_s[1] - t.time_s[0] == pytest.approx(600.0 * frac, abs=1e-6)
    assert 0.24 < frac < 0.26


def test_read_track_by_extension(tmp_path):
    (tmp_path / "a.gpx").write_text(GPX_TRACK, encoding="utf-8")
    (tmp_path / "a.csv").write_text("lon,lat\n28.0,45.0\n28.1,45.1\n", encoding="utf-8")
    (tmp_path / "a.kml").write_text("<kml/>", encoding="utf-8")
    assert len(read_track(tmp_path / "a.gpx")) == 2
    assert read_track(tmp_path / "a.csv").name == "a"
    with pytest.raises(TrackError, match="unknown track file type '.kml'"):
        read_track(tmp_path / "a.kml")
    with pytest.raises(DataFileError, match="does not exist"):
        read_track(tmp_path / "missing.geojson")


def test_shipped_seed_tracks_load_and_are_labelled():
    tracks = load_seed_tracks(REPO / "seeds" / "tracks")
    by_id = {t.name: t for t in tracks}
    assert {"ROU-2025-0002-track", "POL-2025-0004-track", "POL-2025-0005-track",
            "POL-2025-0007-track"} <= set(by_id)
    for t in tracks:
        assert t.approximate, t.name
        assert t.sources and t.method, t.name
        assert all(isinstance(s, dict) and s.get("publisher") for s in t.sources)
    rou = by_id["ROU-2025-0002-track"]
    assert rou.incident == "ROU-2025-0002"
    # entry at 18:00 and exit at 18:50 local time, interior times interpolated
    assert rou.time_s[-1] - rou.time_s[0] == 3000.0
    assert np.all(np.diff(rou.time_s) > 0)
