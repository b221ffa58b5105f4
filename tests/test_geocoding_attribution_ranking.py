"""Issue 12 follow-up: credits per geocoded source, ranking by peers and renown, fast
spelling suggestions (real cities500 index and the fixture gazetteers)."""

from __future__ import annotations

import difflib
import json
import shutil

import pytest
from click.testing import CliRunner

from incidentmap.geo.errors import AmbiguousPlaceError
from incidentmap.geo.geocoding import CuratedPlaces, Geocoder, attributions, source_attribution
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.gazetteer_index import InstalledGazetteer
from incidentmap.geo.geocoding.gazetteer_install import install_from_path
from incidentmap.geo.geocoding.names import SUGGESTION_CUTOFF, could_be_close
from incidentmap.geo.geocoding.ranking import choose
from incidentmap.geocode import geocode as geocode_command
from tests.geocoding_support import _SESSION, geonames_index_once, offline_geocoder
from tests.test_gazetteer_install import DATA


@pytest.fixture(scope="module")
def geonames_index(tmp_path_factory):
    return geonames_index_once(tmp_path_factory)


@pytest.fixture(scope="module")
def wof_cache(tmp_path_factory):
    cache = tmp_path_factory.mktemp("gazetteer")
    install_from_path(DATA / "wof", cache_dir=cache)
    return cache


def test_a_gazetteer_answer_names_its_source_and_the_credit_it_needs(geonames_index, wof_cache):
    chain = Geocoder([CuratedPlaces([]), InstalledGazetteer.open(wof_cache), geonames_index])
    place = chain.geocode("Chilia Veche", country="RO")
    assert place.source.startswith("gazetteer:wof@")
    credit = source_attribution(place.source)
    assert credit["provider"] == "wof" and "whosonfirst.org" in credit["url"]
    assert source_attribution(chain.geocode("Galați").source)["licence"] == "CC BY 4.0"
    assert source_attribution("curated") is None and source_attribution("seed") is None
    rows = ["seed", place.source, "geonames", "countries", None]
    assert [a["provider"] for a in attributions(rows)] == ["wof", "geonames", "openstreetmap"]


def test_the_cli_json_carries_the_attribution(geonames_index, wof_cache, tmp_path):
    places = tmp_path / "places.yaml"
    places.write_text("[]\n", encoding="utf-8")
    # a copy of the session's cache (its GeoNames index) with the fixture gazetteer installed
    cache = tmp_path / "cache"
    shutil.copytree(_SESSION["cache_dir"], cache)
    install_from_path(DATA / "wof", cache_dir=cache)
    result = CliRunner().invoke(
        geocode_command,
        [
            "Chilia Veche",
            "--json",
            "--places",
            str(places),
            "--cache-dir",
            str(cache),
        ],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    best = json.loads(result.stdout)["best"]
    assert best["source"].startswith("gazetteer:wof@")
    assert best["attribution"]["text"] == "Data from Who's On First"


def _village(name, population, lon, admin1="Olt"):
    return Match(Place(name, lon, 44.5, "ROU", admin1, population=population), "name")


def test_namesakes_of_unknown_size_are_judged_by_their_known_peers():
    # a qualified town of 3,599 over hamlets of the bare name: two of known size (313-349)
    # and one whose size no source gives: the town, with a qualified match's low confidence
    town = Match(Place("Chilia Veche", 29.29, 45.42, "ROU", "Tulcea", population=3599), "qualified")
    hamlets = [_village("Chilia", 349, 24.5), _village("Chilia", 313, 23.1, "Satu Mare"),
               _village("Chilia", None, 22.6, "Mehedinți")]  # fmt: skip
    chosen = choose([town, *hamlets], "Chilia")
    assert chosen.name == "Chilia Veche" and chosen.confidence <= 0.6
    # one known peer is too few to judge the unknown one by: ambiguous
    with pytest.raises(AmbiguousPlaceError):
        choose([town, hamlets[0], hamlets[2]], "Chilia")
    # and a namesake of the bare name as large as the town keeps it ambiguous too
    with pytest.raises(AmbiguousPlaceError):
        choose([town, *hamlets, _village("Chilia", 2500, 25.0)], "Chilia")


def test_a_better_known_place_abroad_needs_less_population_margin(geonames_index):
    offline = offline_geocoder(geonames_index)
    # Vancouver BC: 3.4x the people of Vancouver WA and far more names in other languages
    place = offline.geocode("Vancouver")
    assert place.country == "CAN" and place.confidence < 0.8
    # renown never adds margin at home (Oleśno 6x stays ambiguous) nor saves a close call
    for name in ("Oleśno", "Victoria", "Midland"):
        with pytest.raises(AmbiguousPlaceError):
            offline.geocode(name)


def test_suggestion_prefilter_keeps_every_name_difflib_would_suggest(geonames_index):
    every = geonames_index.folded.all()
    for key in ["hrubiezsow", "balintawak", "kogelo", "pibor", "galatzi", "izmayl", "odesa"]:
        pool = sorted({f for f in every if f[:1] == key[:1] and abs(len(f) - len(key)) <= 3})
        kept = [pool[i] for i in could_be_close(key, pool)]
        assert len(kept) < len(pool) / 10  # it does prune
        full = difflib.get_close_matches(key, pool, n=5, cutoff=SUGGESTION_CUTOFF)
        assert difflib.get_close_matches(key, kept, n=5, cutoff=SUGGESTION_CUTOFF) == full
