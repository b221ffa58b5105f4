"""Time of day on the maps (issue 16): the schema's event_time/event_time_end, the minute spans
the page filters on, the hourly slider of a short night, and the shipped Poland night."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
import yaml

from incidentmap.geo.incidents import load_incidents
from incidentmap.layers.controls import _time_slider
from incidentmap.layers.incidents import incident_payload
from incidentmap.layers.layer import MapContext
from incidentmap.layers.spec import parse_spec
from incidentmap.layers.timed import minute_span
from tests.layers_support import PLAURU, incident, incident_frame, small_drawing
from tests.test_incidents_schema import GOOD, TODAY

NIGHT = dt.date(2025, 9, 9)
DAY = dt.date(2025, 9, 10)


def _load(tmp_path, **fields):
    record = yaml.safe_load(GOOD)[0] | fields
    file = tmp_path / "t.yaml"
    file.write_text(yaml.safe_dump([record], sort_keys=False, allow_unicode=True), "utf-8")
    return load_incidents(file, today=TODAY)


def test_times_of_day_load_and_bad_ones_are_named(tmp_path):
    good = _load(tmp_path, event_time="23:30", event_time_end="06:30")
    assert not good.rejected
    assert (good.incidents[0].event_time, good.incidents[0].event_time_end) == ("23:30", "06:30")
    for value, words in (("24:10", "HH:MM"), ("6:30", "HH:MM"), (1410, "quote it")):
        bad = _load(tmp_path, event_time=value)
        assert not bad.incidents
        message = str(bad.rejected[0])
        assert "event_time" in message and words in message, message


def test_minute_spans_cross_midnight_and_default_to_whole_days():
    night = minute_span(NIGHT, DAY, "23:30", "06:30")
    assert night[1] - night[0] == 7 * 60  # 23:30 to 06:30 the next day
    one_day = minute_span(DAY, DAY)
    assert one_day[1] - one_day[0] == 24 * 60 - 1
    instant = minute_span(DAY, DAY, "06:30")
    assert instant[0] == instant[1] == one_day[0] + 6 * 60 + 30


def _frame(with_times: bool):
    times = {"event_time": "23:30", "event_time_end": "06:30"} if with_times else {}
    rows = [
        incident("POL-2025-0002", "shoot_down", PLAURU, start=NIGHT, end=DAY, **times),
        incident("POL-2025-0003", "shoot_down", PLAURU, start=DAY, end=DAY),
    ]
    return incident_frame(rows)


def test_payload_carries_spans_only_when_some_record_has_a_time():
    plain = incident_payload(_frame(False), "shoot_down")
    assert "m0" not in plain and "tm" not in plain
    timed = incident_payload(_frame(True), "shoot_down")
    assert timed["tm"] == ["23:30–06:30", ""]
    assert timed["m1"][0] - timed["m0"][0] == 420
    assert timed["m0"][1] == timed["d0"][1] * 1440  # no time: the whole day


def _slider(frame):
    spec = parse_spec(
        {
            "title": "t",
            "extent": {"west": 27.0, "south": 44.5, "east": 30.0, "north": 46.0},
            "dates": {"start": NIGHT, "end": DAY},
            "layers": ["incidents", "timeslider"],
        },
        name="t",
    )
    ctx = MapContext(spec=spec, selected=frame, drawing=small_drawing())
    return _time_slider(ctx)[0]


def test_slider_steps_by_hours_over_a_night_with_times_and_by_days_without():
    hourly = _slider(_frame(True))
    assert hourly.hourly
    first, last = hourly.hours
    assert first == (minute_span(NIGHT, NIGHT)[0] + 23 * 60 + 30) // 60  # 9 Sept 23:00
    assert last == minute_span(DAY, DAY)[1] // 60  # 10 Sept 23:00, Wyryki-like day record
    assert not _slider(_frame(False)).hourly


def test_the_shipped_poland_night_has_its_cited_times():
    from incidentmap.geo.paths import seeds_folder

    result = load_incidents(seeds_folder().incidents)
    by_id = {r.event_id_cnty: r for r in result.incidents}
    night = by_id["POL-2025-0002"]
    assert (night.event_time, night.event_time_end) == ("23:30", "06:30")
    assert any("interfax" in (s.url or "") for s in night.sources)
    assert by_id["POL-2025-0003"].event_time == "06:30"  # Wyryki, about half past six
    # nothing outside the night of 9-10 September has a time it was not given
    timed = {r.event_id_cnty for r in result.incidents if r.event_time}
    assert timed and all(i.startswith("POL-2025-") for i in timed)


def test_progress_bar_one_line_a_step_off_a_terminal_and_silent_when_quiet():
    from incidentmap.progress import BuildProgress

    out = io.StringIO()
    bar = BuildProgress(3, stream=out)
    bar.step("reading")
    bar.add(1)
    for text in ("a", "b", "c"):
        bar.step(text)
    lines = out.getvalue().splitlines()
    assert [line.split("] ")[1].split(" (")[0] for line in lines] == [
        "1/3 reading",
        "2/4 a",
        "3/4 b",
        "4/4 c",
    ]
    quiet = io.StringIO()
    BuildProgress(2, stream=quiet, enabled=False).step("x")
    assert quiet.getvalue() == ""


def test_attribution_names_the_geocoding_sources_of_the_records():
    from incidentmap.layers.attribution import page_credits

    frame = pd.DataFrame({"geocoding_source": ["seed", "gazetteer:wof@2025-06-01", "geonames"]})
    texts = [c.text for c in page_credits(frame)]
    assert any("Who's On First" in t for t in texts)
    assert any("GeoNames" in t and "geocoding" in t for t in texts)
    assert any("OpenStreetMap" in t and "ODbL" in t for t in texts)
    assert any("Natural Earth" in t for t in texts)
    only_seed = [c.text for c in page_credits(pd.DataFrame({"geocoding_source": ["seed"]}))]
    assert not any("Who's On First" in t for t in only_seed)


@pytest.mark.parametrize(("a3", "quiet"), [("AUT", True), ("SRB", True), ("UKR", False)])
def test_non_members_where_nothing_happened_are_quiet(a3, quiet):
    from incidentmap.geo import borders
    from incidentmap.layers.borderbands import quiet_countries

    countries = borders.countries_for_drawing(bbox=(9.0, 40.0, 32.0, 52.0), tolerance_m=5000.0)
    assert (a3 in quiet_countries(countries, _frame(False), on=DAY)) is quiet
