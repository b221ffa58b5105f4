"""Enrichment of the real seeds: every incident located or reported, NATO soil on the day."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from incidentmap.geo.enrich import EnrichReport, claim_status, default_seeds_dir, enrich_incidents
from incidentmap.geo.incidents import Claim, load_incidents


@pytest.fixture(scope="module")
def loaded():
    return load_incidents(default_seeds_dir())


@pytest.fixture(scope="module")
def by_id(catalog):
    frame = catalog.frame
    return {row.event_id_cnty: row for row in frame.itertuples(index=False)}


def _incident(loaded, event_id):
    return next(i for i in loaded.incidents if i.event_id_cnty == event_id)


def test_every_shipped_incident_is_enriched_or_reported(catalog, loaded):
    frame, rejected, report = catalog
    assert len(loaded.incidents) >= 40
    ids_in_frame = set(frame.event_id_cnty)
    ids_failed = {item["event_id_cnty"] for item in report.failures}
    assert ids_in_frame.isdisjoint(ids_failed)
    assert len(frame) + len(ids_failed) == len(loaded.incidents)
    assert ids_in_frame | ids_failed == {i.event_id_cnty for i in loaded.incidents}
    assert rejected == ()
    assert frame.crs.to_epsg() == 4326
    assert frame.event_id_cnty.is_unique
    # geometry is Point(lon, lat)
    assert (frame.geometry.x == frame.longitude).all()
    assert (frame.geometry.y == frame.latitude).all()
    assert set(frame.on_nato_soil) <= {"yes", "no", "uncertain"}
    assert set(frame.claim_status) <= {"confirmed", "claimed", "denied", "attributed"}
    for item in report:
        assert item["reason"] and item["file"] and item["line"]


def test_plauru_detonation_site_is_nato_soil_on_the_day(by_id):
    row = by_id["ROU-2023-0001"]
    assert row.event_date == dt.date(2023, 9, 4)
    assert (row.found_country, row.zone, row.on_nato_soil) == ("ROU", "land", "yes")
    assert row.nato_member and row.article_6_area
    assert row.geocoding_source == "seed"
    assert 0.5 < row.distance_to_nato_border_km < 1.5  # just inside, across the Danube
    assert row.across == "UKR"
    assert row.claim_status == "confirmed"  # denied on 4-5 Sept, confirmed on 6 Sept


def test_izmail_port_attacks_are_in_ukraine_not_nato(by_id):
    izmail = [r for r in by_id.values() if r.location == "Izmail"]
    assert len(izmail) >= 5
    for row in izmail:
        assert row.found_country == "UKR"
        assert not row.nato_member
        assert row.distance_to_nato_border_km < 0
        assert row.on_nato_soil != "yes"
        assert row.geocoding_source == "geonames"
        assert row.precision_m >= 7900  # the town's radius, not less than the record's


def test_przewodow_is_polish_nato_soil(by_id):
    row = by_id["POL-2022-0001"]
    assert (row.found_country, row.on_nato_soil) == ("POL", "yes")
    assert row.geocoding_source == "curated"
    assert row.distance_to_nato_border_km * 1000 > row.precision_m


def test_moldova_control_group_is_not_nato(by_id):
    moldova = [r for r in by_id.values() if r.country == "MDA"]
    assert len(moldova) >= 5
    for row in moldova:
        assert (row.found_country, row.on_nato_soil, row.nato_member) == ("MDA", "no", False)


def test_geocoded_precision_is_the_larger_radius(by_id, loaded):
    record = _incident(loaded, "ROU-2025-0001")  # Galați, record says 8 km
    row = by_id["ROU-2025-0001"]
    assert record.precision_m == 8000
    assert row.precision_m == max(8000, 14000)  # GeoNames radius of a 218k city
    assert row.latitude == pytest.approx(45.437, abs=0.01)
    assert row.longitude == pytest.approx(28.050, abs=0.01)


def test_precision_radius_straddling_the_border_is_uncertain(loaded, session_geocoder):
    plauru = _incident(loaded, "ROU-2023-0001")  # 0.8 km inside Romania
    wide = dataclasses.replace(plauru, event_id_cnty="ROU-2023-9001", precision_m=2000)
    frame, report = enrich_incidents([plauru, wide], geocoder=session_geocoder)
    assert list(frame.on_nato_soil) == ["yes", "uncertain"]
    assert list(frame.found_country) == ["ROU", "ROU"]
    assert report == []


def test_membership_is_as_of_the_event_date(loaded, session_geocoder):
    # Przewodów, moved to before Poland joined NATO (12 March 1999)
    przewodow = _incident(loaded, "POL-2022-0001")
    old = dataclasses.replace(
        przewodow,
        event_id_cnty="POL-1998-0001",
        event_date=dt.date(1998, 6, 1),
        date_start=dt.date(1998, 6, 1),
        date_end=dt.date(1999, 6, 1),
    )
    frame, report = enrich_incidents([przewodow, old], geocoder=session_geocoder)
    assert list(frame.on_nato_soil) == ["yes", "no"]
    assert list(frame.nato_member) == [True, False]
    assert [w["problem"] for w in report.warnings] == ["accession_in_date_range"]
    assert "1999-03-12" in report.warnings[0]["reason"]


def test_swapped_coordinates_get_a_warning_but_stay(loaded, session_geocoder):
    plauru = _incident(loaded, "ROU-2023-0001")
    swapped = dataclasses.replace(
        plauru,
        event_id_cnty="ROU-2023-9002",
        latitude=plauru.longitude,
        longitude=plauru.latitude,
    )
    frame, report = enrich_incidents([swapped], geocoder=session_geocoder)
    assert len(frame) == 1 and frame.found_country.iloc[0] != "ROU"
    [warning] = report
    assert warning["level"] == "warning" and warning["problem"] == "country_mismatch"
    assert warning["event_id_cnty"] == "ROU-2023-9002"
    assert "swapped" in warning["reason"] and "ROU" in warning["reason"]
    assert warning["line"] == plauru.line


def test_territory_rows_count_for_their_sovereign(loaded, session_geocoder):
    # Nuuk: the record says DNK, the territory row is Greenland (GRL, sovereign DNK)
    base = _incident(loaded, "EST-2025-0001")
    nuuk = dataclasses.replace(
        base,
        event_id_cnty="DNK-2025-9001",
        country="DNK",
        latitude=64.1814,
        longitude=-51.6941,
        precision_m=1000,
    )
    frame, report = enrich_incidents([nuuk], geocoder=session_geocoder)
    assert (frame.found_country.iloc[0], frame.found_sovereign.iloc[0]) == ("GRL", "DNK")
    assert frame.on_nato_soil.iloc[0] == "yes"
    assert report == []


def test_unknown_and_ambiguous_places_are_reported_not_lost(loaded, session_geocoder):
    plauru = _incident(loaded, "ROU-2023-0002")
    unknown = dataclasses.replace(
        plauru, event_id_cnty="ROU-2023-9003", location="Nowhereville", geocoding=None
    )
    ambiguous = dataclasses.replace(
        plauru,
        event_id_cnty="POL-2025-9004",
        location="Sobótka",
        country="POL",
        admin1=None,
        geocoding=None,
    )
    frame, report = enrich_incidents([plauru, unknown, ambiguous], geocoder=session_geocoder)
    assert list(frame.event_id_cnty) == ["ROU-2023-0002"]
    assert isinstance(report, EnrichReport)
    problems = {f["event_id_cnty"]: f for f in report.failures}
    assert problems["ROU-2023-9003"]["problem"] == "place_not_found"
    assert "Nowhereville" in problems["ROU-2023-9003"]["reason"]
    amb = problems["POL-2025-9004"]
    assert amb["problem"] == "ambiguous_place"
    assert len(amb["candidates"]) >= 2
    assert {c["country"] for c in amb["candidates"]} == {"POL"}
    json.dumps(report)  # candidates are plain Python values


def test_geocoding_ref_is_the_fallback_query(loaded, session_geocoder):
    grindu = _incident(loaded, "ROU-2023-0005")
    moved = dataclasses.replace(grindu, location="Grindu-that-is-not", admin1=None)
    assert moved.geocoding.ref == "Grindu (Tulcea)"  # not the Grindu in Ialomița
    frame, report = enrich_incidents([moved], geocoder=session_geocoder)
    assert report.failures == []
    assert frame.found_country.iloc[0] == "ROU"
    assert frame.latitude.iloc[0] == pytest.approx(45.40, abs=0.01)
    assert frame.longitude.iloc[0] == pytest.approx(28.22, abs=0.01)


def test_no_incidents_gives_an_empty_frame():
    frame, report = enrich_incidents([])
    assert len(frame) == 0 and report == []
    assert "on_nato_soil" in frame.columns and frame.crs.to_epsg() == 4326


@pytest.mark.parametrize(
    ("stances", "actor1", "expected"),
    [
        ([("claimed", "Ukraine MFA")], None, "claimed"),
        ([("claimed", "Ukraine MFA"), ("attributed", "NATO")], None, "attributed"),
        (
            [("claimed", "X"), ("denied", "Romania MoD"), ("confirmed", "Romania MoD")],
            None,
            "confirmed",
        ),
        ([("confirmed", "Romania MoD"), ("denied", "Romania president")], None, "denied"),
        ([("claimed", "X"), ("retracted", "X")], None, "denied"),
        (
            [("confirmed", "Estonia"), ("denied", "Russia Ministry of Defence")],
            "Military Forces of Russia (2000-)",
            "confirmed",
        ),
        (
            [("claimed", "Poland"), ("denied", "TASS (Russian state media)")],
            "Military Forces of Russia (2000-)",
            "claimed",
        ),
    ],
)
def test_claim_status_rule(stances, actor1, expected):
    day = dt.date(2024, 1, 1)
    claims = [
        Claim(day + dt.timedelta(days=i), actor, stance, "...")
        for i, (stance, actor) in enumerate(stances)
    ]
    assert claim_status(claims, actor1=actor1) == expected
    # date order decides, not list order
    assert claim_status(list(reversed(claims)), actor1=actor1) == expected


def test_shipped_claim_statuses(by_id):
    assert by_id["EST-2025-0001"].claim_status == "confirmed"  # Russia's denial left out
    assert by_id["UKR-2024-0001"].claim_status == "denied"  # Romania denied the downing claim
    assert by_id["POL-2023-0001"].claim_status == "attributed"


def test_report_is_json_serialisable(loaded, session_geocoder):
    plauru = _incident(loaded, "ROU-2023-0001")
    swapped = dataclasses.replace(plauru, latitude=plauru.longitude, longitude=plauru.latitude)
    _, report = enrich_incidents([swapped], geocoder=session_geocoder)
    assert json.loads(json.dumps(report))[0]["line"] == plauru.line
