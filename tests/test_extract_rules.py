"""The extraction rules of issue 13, each on a short text written for it (not from an article).

Acronyms and codes, date lines, a capital's denial, offsets, balloons, relative dates across a
month boundary, a one-line report, and many articles grouped into one draft.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import pyproj

from incidentmap.extract import extract
from incidentmap.news.catalog import mark_against_catalog
from incidentmap.news.dates import find_dates
from incidentmap.news.drafts import extract_many
from incidentmap.news.inputs import collect_articles
from incidentmap.news.offsets import offset_before
from tests.extract_support import extractor, names

DATA = Path(__file__).parent / "data" / "articles"
GEOD = pyproj.Geod(ellps="WGS84")
TULCEA = (28.80501, 45.1787)  # (lon, lat) of the town in GeoNames


def distance_km(lon, lat, point) -> float:
    return GEOD.inv(lon, lat, *point)[2] / 1000.0


def test_acronyms_and_agency_initials_are_never_places(session_geocoder):
    text = (
        "Drone debris was found near Tulcea on Monday, PAP and AFP reported, citing the crew "
        "of an IAR 330 helicopter and analysts at ISW and RFE/RL."
    )
    result = extractor(session_geocoder)(text, "2025-09-29")
    assert names(result) == {"Tulcea"}  # not Port-au-Prince (PAP) nor Yaroslavl (IAR)
    (record,) = result.records
    assert record["location"] == "Tulcea" and record["country"] == "ROU"
    assert all(c["actor"] not in ("PAP", "AFP") for c in record["claims"])


def test_a_date_line_city_is_a_mention_and_its_date_dates_nothing(session_geocoder):
    text = (
        "BUCHAREST, Sept 14 (Reuters) - A Russian drone violated Romanian airspace over Tulcea "
        "county on Saturday night, the defence ministry said in Bucharest."
    )
    result = extractor(session_geocoder)(text, "2025-09-14")
    bucharest = next(p for p in result.places if p.name == "Bucharest")
    assert bucharest.incident_site is False
    (record,) = result.records
    assert record["location"] == "Tulcea" and record["kind"] == "airspace_violation"
    assert (record["date_start"], record["date_end"]) == (
        dt.date(2025, 9, 13),
        dt.date(2025, 9, 14),
    )
    assert "dated by 'on Saturday night'" in record["notes"]


def test_a_denial_from_a_capital_is_attached_to_the_incident_it_denies(session_geocoder):
    text = (
        "Ukraine said on Monday that Russian drones had fallen on Romanian territory near "
        "Plauru overnight. Bucharest denied that any drone had fallen on Romanian soil."
    )
    result = extractor(session_geocoder)(text, "2023-09-05")
    (record,) = result.records  # no incident at Bucharest
    assert record["location"] == "Plauru" and record["kind"] == "impact"
    stances = {(c["actor"], c["stance"]) for c in record["claims"]}
    assert {("Ukraine", "claimed"), ("Bucharest", "denied")} <= stances
    # "overnight" in a sentence dated Monday is the night that ends on Monday
    assert (record["date_start"], record["date_end"]) == (dt.date(2023, 9, 3), dt.date(2023, 9, 4))


def test_an_offset_moves_the_site_geodesically_and_widens_its_precision(session_geocoder):
    result = extractor(session_geocoder)(
        "Drone debris was found 3 km west of Tulcea on Monday, the ministry said.", "2025-09-29"
    )
    (record,) = result.records
    assert distance_km(record["longitude"], record["latitude"], TULCEA) == pytest.approx(
        3.0, abs=0.05
    )
    assert record["longitude"] < TULCEA[0] and record["latitude"] == pytest.approx(
        TULCEA[1], abs=0.01
    )
    assert record["precision_m"] == pytest.approx(7700 + 0.4 * 3000)
    assert "3 km west of Tulcea" in record["notes"]


def test_an_offset_after_a_comma_places_the_noun_before_it_not_the_incident():
    text = "a spokesman of the fire brigade in Hrubieszow, some 35 kilometers north of "
    assert offset_before(text, len(text)) is None
    text = "the jets followed a drone about 20 km southwest of "
    found = offset_before(text, len(text))
    assert (found.distance_m, found.azimuth_deg) == (20_000.0, 225.0)


def test_a_balloon_is_reported_as_a_balloon_not_a_drone_strike(session_geocoder):
    text = (
        "A balloon carrying contraband cigarettes from Belarus came down in a field near "
        "Šalčininkai on Tuesday, Lithuanian border guards said."
    )
    (record,) = extractor(session_geocoder)(text, "2025-10-22").records
    assert record["weapon"] == "balloon" and record["country"] == "LTU"
    assert record["kind"] != "impact" and record["event_type"] == "Strategic developments"
    assert record["date_start"] == dt.date(2025, 10, 21)


@pytest.mark.parametrize(
    ("text", "published", "start", "end"),
    [
        ("On Sunday night a drone crashed near Galați.", "2025-10-01", "2025-09-28", "2025-09-29"),
        ("It happened last weekend.", "2025-10-01", "2025-09-27", "2025-09-28"),
        ("on the night of March 1", "2025-03-03", "2025-02-28", "2025-03-01"),
        ("In November last year", "2023-04-27", "2022-11-01", "2022-11-30"),
        ("On Wednesday night, a drone hit a house", "2025-09-10", "2025-09-09", "2025-09-10"),
    ],
)
def test_relative_dates_across_month_and_year_boundaries(text, published, start, end):
    (mention,) = [m for m in find_dates(text, dt.date.fromisoformat(published)) if m.date_start]
    assert (mention.date_start.isoformat(), mention.date_end.isoformat()) == (start, end)


def test_the_time_of_day_is_kept_in_the_notes(session_geocoder):
    text = "A drone crashed near Tulcea at 18:05 on Friday, police said."
    (record,) = extractor(session_geocoder)(text, "2025-10-01").records
    assert "time of day: at 18:05" in record["notes"]
    assert record["event_date"] == dt.date(2025, 9, 26)


def test_a_one_line_report_naming_only_a_romanian_town_gives_a_record(session_geocoder):
    (record,) = extractor(session_geocoder)("A drone crashed near Măcin.", "2025-11-11").records
    assert record["location"] == "Măcin" and record["country"] == "ROU"
    assert record["latitude"] == pytest.approx(45.24, abs=0.05)


def test_articles_of_the_same_event_become_one_draft_with_every_source(session_geocoder):
    articles = collect_articles([DATA / "osiny_reports.jsonl"])
    assert [(a.ref, a.publisher) for a in articles][0] == ("a", "Outlet A")
    drafts = extract_many(articles, geocoder=session_geocoder)
    by_place = {d.record["location"]: d for d in drafts}
    assert set(by_place) == {"Przewodów", "Tulcea"}
    crash = by_place["Przewodów"]
    assert crash.articles == ["a", "b"]
    assert {s["url"] for s in crash.record["sources"]} == {
        "https://example.org/a",
        "https://example.org/b",
    }
    assert crash.record["event_date"] == dt.date(2025, 8, 20)
    timeline = crash.as_dict()["claims_timeline"]
    assert timeline and all(c["source"].startswith("https://example.org/") for c in timeline)
    mark_against_catalog(drafts, geocoder=session_geocoder)
    assert by_place["Tulcea"].status == "new"  # the seeds have no debris at Tulcea that day


def test_a_draft_that_is_in_the_catalog_names_the_seed(session_geocoder):
    drafts = extract_many(collect_articles([DATA]), geocoder=session_geocoder)
    mark_against_catalog(drafts, geocoder=session_geocoder)
    plauru = next(d for d in drafts if d.record["location"] == "Plauru")
    assert (plauru.status, plauru.catalog_id) == ("in catalog", "ROU-2024-0005")


def test_cli_many_articles_against_the_catalog(default_geocoder_in_session_cache, tmp_path):
    seeds = tmp_path / "seeds.yaml"
    seeds.write_text("[]\n", encoding="utf-8")
    out = CliRunner().invoke(
        extract, [str(DATA), "--against-catalog", "--seeds", str(seeds), "--json"]
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["articles"] == 4 and len(data["drafts"]) == 3
    assert {d["catalog"]["status"] for d in data["drafts"]} == {"new"}  # an empty catalog


def test_cli_a_bad_json_line_is_a_usage_error(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "A drone fell."}\nnot json\n', encoding="utf-8")
    out = CliRunner().invoke(extract, [str(bad)])
    assert out.exit_code == 2
    assert "bad.jsonl:2 is not a JSON object" in out.output and "Traceback" not in out.output


def test_cli_a_missing_seeds_folder_is_a_usage_error(tmp_path):
    out = CliRunner().invoke(
        extract, [str(DATA), "--against-catalog", "--seeds", str(tmp_path / "nowhere")]
    )
    assert out.exit_code == 2 and "--seeds" in out.output and "does not exist" in out.output


def test_a_designation_is_not_a_count(session_geocoder):
    text = "Two F-16 jets followed a drone about 20 km southwest of Chilia Veche on Saturday."
    (record,) = extractor(session_geocoder)(text, "2025-09-14").records
    assert record["location"] == "Chilia Veche" and record.get("count") != 16
    assert record["precision_m"] > 8_000  # the 20 km offset widens it
