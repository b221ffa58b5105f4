"""Extraction rules of the third round, each on a short text written for it: time of day,
spelling matches, "the villages of X and Y", a place told apart by the place it is near,
the date of the report that tells of an undated find, and who speaks in "As X reported, Y
said"."""

from __future__ import annotations

import datetime as dt

import pytest

from incidentmap.geo.geocoding import Place
from incidentmap.geo.incidents import load_incidents
from incidentmap.news.claims import find_statements
from incidentmap.news.located import located_near
from incidentmap.news.places import Occurrence, PlaceFound
from incidentmap.news.resolve import _one_letter, _respelled
from incidentmap.news.serialize import to_yaml
from incidentmap.news.times import clock_time
from incidentmap.news.tokens import sentence_spans, tokenize
from tests.extract_support import extractor


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The airport was closed at 20:26 local time (18:26 GMT).", ("20:26", None)),
        ("Police received reports of the crash around 2 a.m. on Wednesday.", ("02:00", None)),
        ("shut from 11 PM local time on Tuesday until 6:30 AM on Wednesday", ("23:00", "06:30")),
        ("balloons seen between roughly 8:45 pm (7:45 pm CET) and 4:30 am", ("20:45", "04:30")),
        ("first seen at 21:30 local time (19:30 GMT)", ("21:30", None)),
        ("It happened overnight, in the early hours.", None),
        ("The drone was between 3 and 3.5 metres long.", None),
        ("Poland will spend 4.12% of its GDP on defence.", None),
        ("Only the GMT time was given: 18:26 GMT.", None),
    ],
)  # fmt: skip
def test_clock_time_of_an_incident(text, expected):
    assert clock_time(text) == expected


def test_a_record_carries_its_local_time_and_passes_the_seeds_loader(session_geocoder, tmp_path):
    text = (
        "Drone debris found near Plauru\n"
        "Debris of a drone was found near Plauru, Tulcea county, at around 11:30 a.m. local "
        "time on Wednesday, the defence ministry said.\n"
    )
    result = extractor(session_geocoder)(text, "2023-09-13")
    (record,) = [r for r in result.records if r["location"] == "Plauru"]
    assert record["event_time"] == "11:30" and "event_time_end" not in record
    path = tmp_path / "draft.yaml"
    path.write_text(to_yaml([record]), encoding="utf-8")
    loaded = load_incidents(path, today=dt.date(2023, 10, 1))
    assert not loaded.rejected, loaded.rejected


def test_a_time_range_gives_an_end_earlier_than_the_start():
    assert clock_time("The airport was shut from 23:00 until 06:30 on Wednesday.") == (
        "23:00",
        "06:30",
    )


def _place(name, lon, lat, confidence):
    return Place(name, lon, lat, "ROU", confidence=confidence)


def test_a_spelling_match_is_told_from_an_inflection():
    # "Reni" answered only as "Rieni": another spelling, which an exact match elsewhere beats
    assert _respelled("Reni", _place("Rieni", 22.45, 46.57, 0.65))
    # "Nufărul" is Nufăru with the Romanian article, not another place
    assert not _respelled("Nufărul", _place("Nufăru", 28.92, 45.15, 0.75))
    assert not _respelled("Reni", _place("Reni", 28.28, 45.46, 0.95))


@pytest.mark.parametrize(
    ("a", "b", "off"),
    [("plaura", "plauru", True), ("gajgalava", "gaigalava", True), ("wyryki", "wyryk", True),
     ("plaura", "plaura", False), ("tulc", "tulcea", False), ("osiny", "osinki", False)],
)  # fmt: skip
def test_one_letter_off(a, b, off):
    assert _one_letter(a, b) is off


def test_the_villages_of_two_places_are_both_sites(session_geocoder):
    text = (
        "A helicopter crew found drone debris near the villages of Plauru and Ceatalchioi in "
        "Tulcea County on Wednesday, Romania's defence ministry said.\n"
    )
    result = extractor(session_geocoder)(text, "2023-09-13")
    sites = {p.name for p in result.places if p.incident_site and p.type != "country"}
    assert "Plauru" in sites and "Ceatalchioi" in sites, sites


def _found(name, status, *, lon=None, lat=None, candidates=(), sentence=0, start=0):
    occurrence = Occurrence(name, start, start + len(name), sentence, True, "test", "found")
    return PlaceFound(
        key=f"place:{name}",
        name=name,
        type="village" if status == "resolved" else "place",
        status=status,
        country="LTU",
        lon=lon,
        lat=lat,
        precision_m=1500.0 if lon is not None else None,
        candidates=list(candidates),
        occurrences=[occurrence],
    )


def test_an_ambiguous_place_takes_the_candidate_near_the_place_it_is_named_with():
    text = "The drone was found at the Gaizunai grounds, near the town of Rukla."
    rukla = _found("Rukla", "resolved", lon=24.377, lat=55.054, start=text.index("Rukla"))
    near, far = Place("Gaizunai", 24.311, 55.05, "LTU"), Place("Gaizunai", 25.55, 55.39, "LTU")
    gaizunai = _found("Gaizunai", "ambiguous", candidates=[far, near], start=text.index("Gaiz"))
    resolved = located_near(gaizunai, [gaizunai, rukla], text)
    assert resolved.status == "resolved" and (resolved.lon, resolved.lat) == (24.311, 55.05)
    assert "near Rukla" in resolved.note


def test_a_place_far_from_the_town_it_is_said_to_be_near_is_left_unresolved():
    text = "Remains were found in the town of Zamosz near Bydgoszcz on Tuesday."
    anchor = _found("Bydgoszcz", "resolved", lon=18.01, lat=53.12, start=text.index("Byd"))
    wrong = _found("Zamosz", "resolved", lon=23.25, lat=50.72, start=text.index("Zamosz"))
    left = located_near(wrong, [wrong, anchor], text)
    assert left.status == "unresolved" and left.lon is None
    assert "near Bydgoszcz" in left.note
    # the same place without the "near" stays as it was
    text2 = "Remains were found in the town of Zamosz on Tuesday. Bydgoszcz is far."
    wrong2 = _found("Zamosz", "resolved", lon=23.25, lat=50.72, start=text2.index("Zamosz"))
    assert located_near(wrong2, [wrong2, anchor], text2).status == "resolved"


def test_an_undated_find_is_dated_by_the_report_that_tells_of_it(session_geocoder):
    text = (
        "Romania finds more drone fragments\n"
        "Drone fragments were discovered near Plauru, Tulcea county, the Romanian defence "
        "minister reported on Sept. 13.\n"
        "Following a drone attack overnight on Sept. 4, Ukraine said that drones had fallen "
        "in Izmail.\n"
    )
    result = extractor(session_geocoder)(text, "2023-09-14")
    (record,) = [r for r in result.records if r["location"] == "Plauru"]
    assert record["date_start"] == record["date_end"] == dt.date(2023, 9, 13)


def _statements(text):
    return find_statements(tokenize(text, sentence_spans(text)))


def test_the_speaker_after_an_as_reported_aside_and_before_a_citing_aside():
    text = (
        "As Ukrainian News Agency earlier reported, the Ukrainian Foreign Ministry, citing the "
        "State Border Guard Service, said that drones fell on the territory of Romania."
    )
    (statement,) = _statements(text)
    assert statement.actor == "Ukrainian Foreign Ministry" and statement.stance == "claimed"


def test_a_drone_lost_from_radar_at_a_distance_from_a_village_is_placed_there(
    session_geocoder,
):
    text = (
        "Romania scrambled two F-16 jets on Saturday. The jets tracked the drone until it "
        "disappeared from radar about 15 km northwest of the town of Isaccea, the defence "
        "ministry said.\n"
    )
    result = extractor(session_geocoder)(text, "2025-09-01")
    (record,) = result.records
    assert record["location"] == "Isaccea" and record["kind"] == "airspace_violation"
    # moved 15 km to the northwest of the town, and 0.4 x 15 km less precise
    assert record["latitude"] > 45.3 and record["longitude"] < 28.4
    assert record["precision_m"] >= 6_000 + 1_000
    assert "15 km northwest of the town of Isaccea" in record["notes"]


def test_a_capitals_denial_right_after_the_incident_is_attached_to_it(session_geocoder):
    text = (
        "BUCHAREST, Sept 4 (Reuters) - Ukraine said Russian drones fell on Romanian soil near "
        "Plauru overnight. Bucharest denied the report on Monday.\n"
    )
    result = extractor(session_geocoder)(text, "2025-09-04")
    (record,) = [r for r in result.records if r["location"] == "Plauru"]
    stances = {(c["actor"], c["stance"]) for c in record["claims"]}
    assert ("Bucharest", "denied") in stances and ("Ukraine", "claimed") in stances
    assert not any(p.incident_site for p in result.places if p.name == "Bucureşti")


def test_a_headline_label_and_a_publication_are_not_places(session_geocoder):
    text = (
        "Media: Missile debris found in northern Poland\n"
        "Debris of a missile was found in a forest near Bydgoszcz, Report informs via The "
        "Hill, citing the Polish defence ministry.\n"
    )
    result = extractor(session_geocoder)(text, "2023-04-27")
    assert {"Media", "The Hill"} & {p.name for p in result.places} == set()
    assert {r.rule for r in result.rejected if r.candidate.text in ("Media", "The Hill")} <= {
        "kicker"
    }
    assert any(p.name == "Bydgoszcz" and p.incident_site for p in result.places)


def test_a_report_naming_only_a_country_still_gives_a_draft(session_geocoder):
    text = (
        "Romania scrambled two F-16 jets on Saturday after a drone entered its airspace, the "
        "defence ministry said.\n"
    )
    result = extractor(session_geocoder)(text, "2025-09-14")
    (record,) = result.records
    assert record["country"] == "ROU" and record["kind"] == "airspace_violation"
    assert record["event_date"] == dt.date(2025, 9, 13) and record["geo_precision"] == 3
    assert "no site named" in record["geocoding"]["note"]
