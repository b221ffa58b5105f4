"""Kinds, weapons, counts, casualties, claims and the draft records built from them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
import yaml
from click.testing import CliRunner

from incidentmap.extract import extract
from incidentmap.geo.incidents import load_incidents
from incidentmap.news.claims import find_statements
from incidentmap.news.details import (
    casualties,
    count_of_objects,
    incident_kind,
    shot_down_count,
    weapon_for,
    weapon_of,
)
from incidentmap.news.serialize import to_yaml
from incidentmap.news.tokens import tokenize
from tests.extract_support import extractor

ARTICLE = """date 2023-09-06 Drone parts found in Romanian village
Romania's defence minister confirmed on Wednesday that fragments of a drone were found near \
the village of Plauru in Tulcea county, across the Danube from Izmail, Ukraine.
Kyiv's foreign ministry spokesman said on Monday that a Russian Geran-2 drone detonated on \
Romanian soil during the night of September 3 to 4.
Romania's defence ministry categorically denied on Monday that Russian drones fell on the \
national territory of Romania.
Russian drones attacked the port of Izmail overnight on Monday, injuring two people.
"""


@pytest.mark.parametrize(
    ("text", "weapon", "is_drone"),
    [
        ("a Geran-2 struck the port", "Shahed-136 / Geran-2", True),
        ("remains of a Shahed 136", "Shahed-136 / Geran-2", True),
        ("a Gerbera decoy", "Gerbera (decoy drone)", True),
        ("a Kh-55 cruise missile without a warhead", "Kh-55", False),
        ("an S-300 missile", "S-300", False),
        ("Iskander-M launchers", "Iskander", False),
        ("three semi-submersible marine drones", "uncrewed surface vessel", True),
        ("an unidentified drone", "drone", True),
        ("a GERAN-3 jet drone", "Shahed-238 / Geran-3", True),
        ("a geran 2", "Shahed-136 / Geran-2", True),
        ("the Shahed‑136/‑238 family", "Shahed-136 / Geran-2", True),
        ("a Shahed-238", "Shahed-238 / Geran-3", True),
        ("GERBERA decoys", "Gerbera (decoy drone)", True),
        ("a KH-101 and a kh 55", "Kh-101", False),
        ("a Kalibr cruise missile", "Kalibr", False),
        ("a kinzhal", "Kinzhal", False),
        ("an S300 interceptor", "S-300", False),
        ("an ORLAN 10 reconnaissance drone", "Orlan-10", True),
        ("a Lancet-3 loitering munition", "Lancet", True),
        ("a ZALA reconnaissance drone", "ZALA", True),
        ("drones over Zala county", "drone", True),
        ("a missile fell", "missile", False),
        ("nothing was launched", None, None),
    ],
)
def test_weapons(text, weapon, is_drone):
    assert weapon_of(text) == (weapon, is_drone)


def test_a_generic_weapon_is_made_specific_by_the_next_sentences_or_the_article():
    assert weapon_for("A drone crashed.", "Investigators said it was a Gerbera decoy.", "") == (
        "Gerbera (decoy drone)",
        True,
    )
    article = "A drone crashed in a field. Officials later said it was a Geran-2."
    assert weapon_for("A drone crashed in a field.", "", article)[0] == "Shahed-136 / Geran-2"
    # two specific drones in the article: which one is unknown, the generic word stays
    article += " Elsewhere a Gerbera was shot down."
    assert weapon_for("A drone crashed in a field.", "", article)[0] == "drone"
    # a missile is not made a drone
    assert weapon_for("A missile fell.", "A Gerbera was seen.", "")[0] == "missile"
    assert weapon_for("A Kh-55 fell.", "A Gerbera was seen.", "")[0] == "Kh-55"


def test_counts_and_shoot_downs():
    assert count_of_objects("A total of 19 Russian drones flew over Poland") == 19
    assert count_of_objects("17 drones were shot down by air defence") == 17
    assert count_of_objects("two missiles and one drone") == 2
    assert count_of_objects("the drones flew for 3.5 hours") is None
    assert shot_down_count("adding that at least three were shot down by Polish jets") == 3
    assert shot_down_count("17 drones were shot down by our air-defense forces") == 17
    assert shot_down_count("no drone was hit") is None


def test_casualties():
    assert casualties("strikes injured at least two people in Odesa") == (2, None)
    assert casualties("Three people were wounded and two were killed") == (3, 2)
    assert casualties("killed 4 civilians and injured 12 people") == (12, 4)
    assert casualties("No casualties were reported.") == (0, 0)
    assert casualties("a 14-year-old boy and a 53-year-old woman were hospitalized") == (2, None)
    assert casualties("the drone fell in a field") == (None, None)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No one was injured.", (0, 0)),
        ("Nobody was hurt, police said.", (0, 0)),
        ("no-one was seriously hurt", (0, 0)),
        ("No one was killed.", (None, 0)),
        ("Nobody was injured or killed.", (0, 0)),
        ("No injuries were reported.", (0, 0)),
        ("There were no casualties.", (0, 0)),
        ("The drone fell without casualties.", (0, 0)),
        ("There were no immediate reports of casualties.", (0, 0)),
        ("No one was killed, but two people were injured.", (2, 0)),
        ("One person was injured.", (1, None)),
    ],
)
def test_denied_casualties_are_zero_not_one(text, expected):
    assert casualties(text) == expected


def test_kinds_by_precedence():
    assert incident_kind(
        "the drone struck the roof of an apartment block", nato_territory=True
    ) == ("strike_on_building")
    assert incident_kind("a drone crashed and exploded in a field", nato_territory=True) == "impact"
    assert incident_kind("fragments of a drone were found", nato_territory=True) == "debris_found"
    assert incident_kind("wreckage was discovered in a forest", nato_territory=True) == (
        "debris_found"
    )
    assert incident_kind("jets shot down three drones", nato_territory=True) == "shoot_down"
    assert incident_kind("a drone entered the airspace", nato_territory=True) == (
        "airspace_violation"
    )
    assert incident_kind("drones attacked the port", nato_territory=False) == "attack_near_border"
    assert incident_kind("the minister spoke", nato_territory=True) is None


def test_claims_and_denials_with_actors():
    text = (
        "Romania's defence ministry categorically denies that drones fell. "
        "Kyiv's foreign ministry spokesman Oleg Nikolenko said a drone detonated. "
        "It added that no threat was posed. "
        "One drone was destroyed, according to Russia's Defense Ministry. "
        "President Vladimir Putin, speaking during a visit to Kazakhstan, rejected the accusations."
    )
    found = [(s.stance, s.actor) for s in find_statements(tokenize(text))]
    assert found[0] == ("denied", "Romania’s defence ministry")
    assert found[1] == ("claimed", "Kyiv’s foreign ministry spokesman Oleg Nikolenko")
    assert found[2][1] == "Kyiv’s foreign ministry spokesman Oleg Nikolenko"  # "It added"
    assert found[3] == ("claimed", "Russia’s Defense Ministry")
    assert found[4] == ("denied", "President Vladimir Putin")


@pytest.fixture(scope="module")
def result(session_geocoder):
    return extractor(session_geocoder)(ARTICLE, "2023-09-06")


def test_records_of_a_short_article(result):
    by_location = {r["location"]: r for r in result.records}
    plauru = by_location["Plauru"]
    assert plauru["country"] == "ROU" and plauru["kind"] in ("debris_found", "impact")
    assert (plauru["date_start"], plauru["date_end"]) == (dt.date(2023, 9, 3), dt.date(2023, 9, 4))
    assert plauru["weapon"] == "Shahed-136 / Geran-2"
    assert abs(plauru["latitude"] - 45.3289) < 0.05 and abs(plauru["longitude"] - 28.8036) < 0.05
    stances = {(c["stance"], c["actor"]) for c in plauru["claims"]}
    assert ("denied", "Romania's defence ministry") in stances
    assert ("confirmed", "Romania's defence minister") in stances
    assert ("claimed", "Kyiv's foreign ministry spokesman") in stances
    assert plauru["evidence_strength"] == 3  # confirmed, with fragments
    izmail = by_location["Izmayil"]
    assert izmail["kind"] == "attack_near_border" and izmail["injuries"] == 2
    assert (izmail["date_start"], izmail["date_end"]) == (dt.date(2023, 9, 3), dt.date(2023, 9, 4))


def test_records_pass_the_seeds_validation(result, tmp_path):
    path = tmp_path / "draft.yaml"
    path.write_text(to_yaml(result.records), encoding="utf-8")
    loaded = load_incidents(path, today=dt.date(2023, 9, 30))
    assert not loaded.rejected, [str(r) for r in loaded.rejected]
    assert {i.location for i in loaded.incidents} >= {"Plauru", "Izmayil"}


def test_summaries_are_own_words(result):
    for record in result.records:
        for claim in record["claims"]:
            assert claim["summary"] not in ARTICLE
            assert claim["summary"].split()[0] in ("reported", "denied", "confirmed", "attributed")


def test_cli_yaml_and_json(tmp_path, default_geocoder_in_session_cache):
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    out = CliRunner().invoke(extract, [str(path)])
    assert out.exit_code == 0, out.output
    data = yaml.safe_load(out.output)
    assert data["published"] == dt.date(2023, 9, 6)  # from the date line
    assert {"records", "places", "dates"} <= set(data)
    plauru = next(p for p in data["places"] if p["name"] == "Plauru")
    assert plauru["incident_site"] is True and plauru["status"] == "resolved"
    out = CliRunner().invoke(extract, [str(path), "--json", "--published", "2023-09-07"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["published"] == "2023-09-07"
    assert any(r["location"] == "Plauru" for r in data["records"])


DEBRIS_NEAR_UNKNOWN_VILLAGE = """Bucharest, 12 February 2025

Drone debris found near Zzyxqwe on the Danube

Romanian authorities said on Tuesday that fragments of a drone were found overnight near the \
village of Zzyxqwe, in C.A. Rosetti commune, Tulcea county. The defence ministry said the pieces \
came from a Geran-2. No one was injured.
"""


def test_debris_at_an_unknown_village_is_placed_at_its_commune(session_geocoder, tmp_path):
    result = extractor(session_geocoder)(DEBRIS_NEAR_UNKNOWN_VILLAGE, "2025-02-12")
    (record,) = [r for r in result.records if r["country"] == "ROU"]
    assert record["kind"] == "debris_found"
    assert record["location"] == "C. A. Rosetti" and record["admin1"] == "Tulcea"
    assert record["location_as_reported"] == "Zzyxqwe" and record["geo_precision"] == 2
    assert record["precision_m"] == 15_000  # the commune around it, not the 200 km of a country
    assert "Zzyxqwe" in record["geocoding"]["note"]
    assert record["injuries"] == 0 and record["weapon"] == "Shahed-136 / Geran-2"
    # "said on Tuesday that ... were found overnight": the night that ends on that Tuesday,
    # not the night before the Wednesday paper
    assert (record["date_start"], record["date_end"]) == (
        dt.date(2025, 2, 10),
        dt.date(2025, 2, 11),
    )
    assert record["event_date"] == dt.date(2025, 2, 11)
    path = tmp_path / "draft.yaml"
    path.write_text(to_yaml([record]), encoding="utf-8")
    assert not load_incidents(path, today=dt.date(2025, 3, 1)).rejected


def test_a_record_is_dated_by_the_article_incident_phrase(session_geocoder, tmp_path):
    # The site sentence has no date; the incident date phrase is two sentences before it.
    text = (
        "Vilnius, July 29, 2025\n"
        "A drone crashed on Monday, the Lithuanian army said. Soldiers were sent. Later "
        "investigators found fragments at the crash site in Jonava, the army said.\n"
    )
    result = extractor(session_geocoder)(text, "2025-07-29")
    (record,) = result.records
    assert record["date_start"] == record["date_end"] == dt.date(2025, 7, 28)
    assert record["event_date"] == dt.date(2025, 7, 28)
    assert "on Monday" in record["notes"] and record["time_precision"] == 2
    path = tmp_path / "draft.yaml"
    path.write_text(to_yaml(result.records), encoding="utf-8")
    loaded = load_incidents(path, today=dt.date(2025, 8, 1))
    assert not loaded.rejected and loaded.incidents[0].event_date == dt.date(2025, 7, 28)
