"""Installing gazetteers from hand-made fixtures in the published formats (tests/data/gazetteer)."""

from __future__ import annotations

import gzip
import http.server
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from incidentmap.geo.errors import DataFileError, GeocoderServiceError
from incidentmap.geo.geocoding import CuratedPlaces, Geocoder
from incidentmap.geo.geocoding.gazetteer_formats import detect_files, read_file
from incidentmap.geo.geocoding.gazetteer_index import (
    InstalledGazetteer,
    index_path,
    list_installs,
    remove_installs,
)
from incidentmap.geo.geocoding.gazetteer_install import install_downloaded, install_from_path
from incidentmap.main import cli

DATA = Path(__file__).parent / "data" / "gazetteer"


@pytest.fixture
def installed(tmp_path):
    for folder in ("wof", "geonames", "postal"):
        install_from_path(DATA / folder, cache_dir=tmp_path)
    return tmp_path


def test_detects_each_format():
    found = {
        p.name: fmt
        for folder in ("wof", "geonames", "postal")
        for p, fmt in detect_files(DATA / folder)
    }
    assert found["pl.geojsonl"] == "wof"
    assert found["MD.txt"] == "geonames"
    assert found["RO.txt"] == "geonames-postal"
    assert "admin1CodesASCII.txt" not in found  # a side file of the dump


def test_wof_rules_native_names_ancestors_and_current_records():
    records = {r.name: r for r in read_file(DATA / "wof" / "pl.geojsonl", "wof")}
    # superseded record skipped; native Polish spelling shown; ancestors resolved
    assert "Kosciaszyn Stary" not in records
    przewodow = records["Przewodów"]
    assert "Przewodow" in przewodow.alternates
    assert (przewodow.admin1, przewodow.admin2, przewodow.admin3) == (
        "lubelskie",
        "Hrubieszowski",  # "powiat hrubieszowski" is not a spelling of it: kept as a name
        "Dołhobyczów",
    )
    assert {"Lublin Voivodeship", "powiat hrubieszowski"} <= set(przewodow.admin_names)
    assert (przewodow.lon, przewodow.lat) == (23.9275, 50.474444)
    ro = [r.name for r in read_file(DATA / "wof" / "ro.geojsonl", "wof")]
    assert ro == ["Chilia Veche"]  # C. A. Rosetti is deprecated


def test_geonames_dump_reads_admin_names_and_drops_codes(installed):
    gazetteer = InstalledGazetteer.open(installed)
    [match] = gazetteer.candidates("Giurgiulesti", country="MDA")
    assert match.place.admin1 == "Cahul"
    assert match.place.source.startswith("gazetteer:geonames@")
    assert gazetteer.candidates("MDGIU") == []  # an alternate that is a code never matches


def test_list_records_source_snapshot_licence(installed):
    installs = {(i["country"], i["source"]): i for i in list_installs(installed)}
    assert set(installs) == {("PL", "wof"), ("RO", "wof"), ("UA", "wof"), ("MD", "geonames"),
                             ("RO", "geonames-postal")}  # fmt: skip
    assert "CC BY 4.0" in installs[("MD", "geonames")]["licence"]
    assert "whosonfirst.org/docs/licenses" in installs[("PL", "wof")]["licence"]
    assert installs[("RO", "geonames-postal")]["records"] == 2  # two codes of one village, once


def test_postal_duplicate_of_wof_village_is_hidden(installed):
    gazetteer = InstalledGazetteer.open(installed)
    [match] = gazetteer.candidates("Chilia Veche", country="ROU")
    assert match.place.source.startswith("gazetteer:wof")
    # the postal record without a WOF twin stays
    [rosetti] = gazetteer.candidates("C. A. Rosetti")
    assert rosetti.place.source.startswith("gazetteer:geonames-postal")


def test_transliteration_both_ways(installed):
    gazetteer = InstalledGazetteer.open(installed)
    [by_latin] = gazetteer.candidates("Reni")
    [by_cyrillic] = gazetteer.candidates("Рені")
    assert by_latin.place.ref == by_cyrillic.place.ref
    assert by_latin.place.name == "Reni"  # shown in Latin script
    assert gazetteer.candidates("Стара Кілія")[0].place.name == "Chilia Veche"


def test_chain_answers_with_admin_context_in_native_and_english_forms(installed):
    geocoder = Geocoder([CuratedPlaces([]), InstalledGazetteer.open(installed)])
    for admin in ("Lubelskie", "Lublin Voivodeship", "województwo lubelskie"):
        place = geocoder.geocode("Przewodow", admin=admin)
        assert place.name == "Przewodów"
        assert (place.lon, place.lat) == (23.9275, 50.474444)
        assert place.precision_m == 1500.0  # a village
        assert place.confidence >= 0.9
    with pytest.raises(Exception, match="lies in"):
        geocoder.geocode("Przewodów", admin="Tulcea County")


def test_reinstall_replaces_and_remove_undoes(installed):
    install_from_path(DATA / "wof" / "pl.geojsonl", cache_dir=installed)
    gazetteer = InstalledGazetteer.open(installed)
    assert len(gazetteer.candidates("Przewodów")) == 1
    assert remove_installs(["PL"], cache_dir=installed) == 1
    assert InstalledGazetteer.open(installed).candidates("Przewodów") == []
    assert ("PL", "wof") not in {(i["country"], i["source"]) for i in list_installs(installed)}
    assert remove_installs(cache_dir=installed) == 4
    assert not index_path(installed).exists()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("places.txt", r"places\.txt, line 1: unknown gazetteer format"),
        ("RO.txt", r"RO\.txt, line 2: expected 12 tab-separated columns \(GeoNames postal\)"),
    ],
)
def test_bad_files_named_with_line_and_old_index_kept(installed, name, message):
    before = index_path(installed).read_bytes()
    with pytest.raises(DataFileError, match=message):
        install_from_path(DATA / "bad" / name, cache_dir=installed)
    assert index_path(installed).read_bytes() == before
    assert list(installed.glob("*.partial")) == []


def test_truncated_gzip_names_the_file(tmp_path):
    data = gzip.compress((DATA / "wof" / "pl.geojsonl").read_bytes())
    broken = tmp_path / "pl.geojsonl.gz"
    broken.write_bytes(data[: len(data) // 2])
    with pytest.raises(DataFileError, match=r"pl\.geojsonl\.gz: truncated or corrupt gzip"):
        install_from_path(broken, cache_dir=tmp_path / "cache")


def test_cli_install_list_and_bad_input_exit_2(tmp_path):
    runner = CliRunner()
    cache = ["--cache-dir", str(tmp_path)]
    result = runner.invoke(cli, ["gazetteer", "install", "--from", str(DATA / "wof"), *cache])
    assert result.exit_code == 0, result.output
    assert "PL  wof" in result.output
    listing = runner.invoke(cli, ["gazetteer", "list", *cache])
    assert "Who's On First" in listing.output and "snapshot" in listing.output
    bad = runner.invoke(
        cli, ["gazetteer", "install", "--from", str(DATA / "bad" / "RO.txt"), *cache]
    )
    assert bad.exit_code == 2
    assert "RO.txt, line 2" in bad.output and "Traceback" not in bad.output


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def http_root(tmp_path):
    root = tmp_path / "www"
    (root / "dump").mkdir(parents=True)
    with zipfile.ZipFile(root / "dump" / "MD.zip", "w") as archive:
        archive.write(DATA / "geonames" / "MD.txt", "MD.txt")
    shutil.copy(DATA / "geonames" / "admin1CodesASCII.txt", root / "dump")
    handler = lambda *a, **k: _Quiet(*a, directory=str(root), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_download_from_a_local_server_with_progress(http_root, tmp_path):
    seen = []
    summaries = install_downloaded(
        ["MD"],
        source="geonames",
        cache_dir=tmp_path / "cache",
        urls={"geonames": http_root + "/dump/{cc}.zip"},
        progress=lambda n, total: seen.append((n, total)),
    )
    assert summaries[0]["records"] == 1
    size = (tmp_path / "cache" / "downloads" / "geonames" / "MD.zip").stat().st_size
    assert sum(n for n, _ in seen) == size and seen[-1][1] == size
    gazetteer = InstalledGazetteer.open(tmp_path / "cache")
    assert gazetteer.candidates("Giurgiulești")[0].place.lat == 45.483


def test_unreachable_download_is_a_clear_error(tmp_path):
    with pytest.raises(GeocoderServiceError, match=r"could not download http://127\.0\.0\.1:9/"):
        install_downloaded(
            ["MD"],
            cache_dir=tmp_path,
            urls={"geonames": "http://127.0.0.1:9/{cc}.zip"},
            timeout_s=2,
        )
    assert not index_path(tmp_path).exists()
