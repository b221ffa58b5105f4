"""Incident site or mention: the words around a place decide."""

from __future__ import annotations

import pytest

from tests.extract_support import extractor, place


@pytest.fixture(scope="module")
def run(session_geocoder):
    return extractor(session_geocoder)


def sites(result) -> set[str]:
    return {p.name for p in result.places if p.incident_site}


def mentions(result) -> set[str]:
    return {p.name for p in result.places if not p.incident_site}


def test_verbs_of_falling_hitting_flying(run):
    cases = {
        "A drone crashed in a field near Galati, officials said.": "Galaţi",
        "Fragments were found in Tulcea county on Monday.": "Tulcea",
        "Three drones flew over Poland before dawn.": "Poland",
        "A missile entered the airspace of Moldova.": "Moldova",
        "Russia attacked Reni with drones, Ukraine said.": "Reni",
        "The strike hit a warehouse in the port of Izmail, Ukraine.": "Izmayil",
    }
    for text, site in cases.items():
        result = run(text)
        assert site in sites(result), (text, sites(result))


def test_statements_and_reactions_are_mentions(run):
    result = run(
        "Kyiv said a drone fell on Romanian soil. Romania's defence ministry denied that drones "
        "fell in Romania. Moscow has not commented. The ambassador was summoned in Bucharest."
    )
    assert "Romania" in sites(result)
    assert {"Kyiv", "Moscow", "Bucharest"} <= mentions(result)


def test_coordination_direction_and_modifiers(run):
    result = run(
        "Russian drones violated the airspace over Poland and Romania; one headed towards "
        "Ukrainian airspace. Ships on the Black Sea coast and the Danube port were not hit."
    )
    assert {"Poland", "Romania"} <= sites(result)
    assert {"Ukraine", "Black Sea", "Danube"} <= mentions(result)


def test_container_qualifying_a_site_is_a_mention(run):
    result = run("A drone attack hit Izmail in Ukraine's Odesa region and damaged the port.")
    assert "Izmayil" in sites(result)
    region = next(p for p in result.places if p.type == "region")
    assert not region.incident_site
    assert not place(result, "Ukraine").incident_site


def test_demonym_before_territory_or_airspace(run):
    result = run("The drone flew through Polish and Lithuanian airspace for an hour.")
    assert {"Poland", "Lithuania"} <= sites(result)
    result = run("Polish aircraft shot the drone down over Belarus.")
    assert "Poland" in mentions(result) and "Belarus" in sites(result)


def test_site_evidence_is_reported(run):
    result = run("Debris fell on the territory of Romania overnight.", "2023-09-04")
    romania = place(result, "Romania")
    assert romania.as_dict()["site_evidence"] == ["territory of"]


def test_where_a_statement_was_made_is_a_mention(run):
    result = run(
        "A missile exploded in Przewodów, a village in eastern Poland. President Andrzej Duda "
        "told reporters in Warsaw that the strike was not intentional."
    )
    assert "Przewodów" in sites(result)
    assert {"Warsaw", "Poland"} <= mentions(result)


def test_place_that_locates_another_is_a_mention(run):
    result = run("Debris fell near Tulcea, north of Galati, Romania, on Monday.")
    assert "Tulcea" in sites(result) and "Galaţi" in mentions(result)


def test_including_inherits_the_site(run):
    result = run("Russia fired missiles at Ukrainian cities, including Lviv and Kyiv.")
    assert {"Ukraine", "Lviv", "Kyiv"} <= sites(result)
