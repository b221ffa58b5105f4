"""The follow-up rules (issue 13): lists of sites, areas, offsets that do not decide, undated
reports, and records that go to the passage that tells of them."""

from __future__ import annotations

import datetime as dt

import pytest

from incidentmap.geo.incidents import load_incidents
from incidentmap.news.serialize import to_yaml
from tests.extract_support import extractor, place


@pytest.fixture(scope="module")
def run(session_geocoder):
    return extractor(session_geocoder)


def sites(result) -> set[str]:
    return {p.name for p in result.places if p.incident_site}


def test_every_name_of_a_list_of_finds_is_a_site(run):
    result = run(
        "In Lublin Voivodeship, drones were found in Chełm, Zzyxqwe, Zamość (where a roof was "
        "damaged), Puławy, and Hrubieszów. Another was found in Warmian-Masurian Voivodeship "
        "(Olsztyn)."
    )
    for name in ("Chełm", "Zamość", "Puławy", "Hrubieszów", "Olsztyn"):
        found = place(result, name)
        assert found is not None and found.incident_site, (name, sites(result))


def test_the_municipality_of_a_town_and_the_area_of_a_water_site(run):
    result = run("The drone crashed in the municipality of Rezekne on Saturday.")
    assert place(result, "Rezekne").incident_site
    result = run("Drone debris was found on Monday in the Danube Delta area, Tulcea County.")
    assert place(result, "Tulcea County").incident_site
    assert [r["admin1"] for r in result.records] == ["Tulcea"]


def test_a_far_incident_word_and_a_town_that_only_locates_the_village(run):
    result = run(
        "An Estonian farmer discovered debris from a self-destructing unmanned aerial "
        "vehicle (UAV) "
        "on August 25th in a field near the village of Elva, close to the town of Tartu."
    )
    assert place(result, "Elva").incident_site
    assert not place(result, "Tartu").incident_site
    # the county before "near the village of X" does not make X a mere locator
    result = run("Fragments were discovered in Tulcea County, near the village of Plauru.")
    assert place(result, "Plauru").incident_site


def test_an_undated_report_is_dated_by_its_publication(run, tmp_path):
    result = run("Drone debris was found near the village of Plauru.", "2025-09-29")
    (record,) = result.records
    assert record["event_date"] == dt.date(2025, 9, 29)
    assert (record["date_start"], record["date_end"]) == (
        dt.date(2025, 9, 22),
        dt.date(2025, 9, 29),
    )
    assert record["time_precision"] == 3 and "gives no date" in record["notes"]
    path = tmp_path / "draft.yaml"
    path.write_text(to_yaml(result.records), encoding="utf-8")
    assert not load_incidents(path, today=dt.date(2025, 10, 1)).rejected


def test_the_incident_occurred_last_weekend(run):
    result = run(
        'A drone was spotted over the power plant in Rovaniemi. "The incident occurred last '
        'weekend," the report says.',
        "2025-09-27",
    )
    (record,) = result.records
    assert (record["date_start"], record["date_end"]) == (
        dt.date(2025, 9, 20),
        dt.date(2025, 9, 21),
    )


def test_a_region_goes_to_its_own_passage_not_to_a_later_incident_in_it(run):
    result = run(
        "Fragments of a drone were found on Wednesday, September 13, in Tulcea County, Romania. "
        "A helicopter was sent to the area. Samples will be examined. Earlier, Ukraine said "
        "drones had fallen in Romania. On September 9, fragments of a drone were found near "
        "the village of Plauru in Tulcea County.",
        "2023-09-13",
    )
    dated = {(r["location"], r["event_date"]) for r in result.records}
    assert ("Plauru", dt.date(2023, 9, 9)) in dated
    assert any(
        r["admin1"] == "Tulcea" and r["event_date"] == dt.date(2023, 9, 13) for r in result.records
    ), dated


def test_a_country_dated_apart_from_a_village_is_another_incident(run):
    result = run(
        "Following a drone attack overnight on Sept. 4, Ukraine said that drones had fallen and "
        "detonated on Romanian soil. Bucharest at first denied it. On Sept. 9, the military "
        "found debris from another drone at Plauru, a village near the Ukrainian border.",
        "2023-09-13",
    )
    dated = {r["location"]: r["event_date"] for r in result.records}
    assert dated.get("Plauru") == dt.date(2023, 9, 9), dated
    assert dated.get("Romania") == dt.date(2023, 9, 4), dated


def test_a_denial_and_a_later_confirmation_in_one_sentence_are_two_statements():
    from incidentmap.news.claims import find_statements
    from incidentmap.news.tokens import tokenize

    found = find_statements(
        tokenize(
            "Bucharest initially denied the report, only to change its statement on Sept. 6, "
            "when Defense Minister Angel Tilvar confirmed that drone fragments had been found."
        )
    )
    assert [(s.actor, s.stance) for s in found] == [
        ("Bucharest", "denied"),
        ("Defense Minister Angel Tilvar", "confirmed"),
    ]
