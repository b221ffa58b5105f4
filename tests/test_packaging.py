"""The repository works on any machine: no absolute paths, every shipped file is package data,
and the shipped data is found through the one resolver (geo.paths)."""

from __future__ import annotations

import re
import subprocess
import tomllib
from pathlib import Path

import pytest

from incidentmap.geo import paths
from incidentmap.geo.errors import DataFileError

REPO = Path(__file__).resolve().parents[1]

#: An absolute POSIX path into a machine's own folders, or a Windows drive path. The shebang
#: ``#!/usr/bin/env`` is the one portable absolute path and is allowed.
ABSOLUTE = re.compile(
    r"(?<![\w.~-])(/(?:work|home|root|tmp|Users|mnt|opt|srv|var|usr|private|Volumes)/[\w.-]+"
    r"|\b[A-Z]:\\{1,2}[\w.-]+)"
)
ALLOWED = ("/usr/bin/env",)


def tracked_files() -> list[Path]:
    out = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False
    )
    if out.returncode == 0:
        return [REPO / name for name in out.stdout.decode().split("\0") if name]
    # not a git checkout (an unpacked sdist): every file but build outputs and environments
    skip = {".venv", "build", "dist", "__pycache__", ".pytest_cache", ".hypothesis", "maps"}
    return [p for p in REPO.rglob("*") if p.is_file() and not skip & set(p.parts)]


def test_no_tracked_file_holds_an_absolute_path_of_a_machine():
    found = []
    for path in tracked_files():
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, FileNotFoundError):
            continue  # binary data (parquet) or a file deleted in the working tree
        for number, line in enumerate(text.splitlines(), 1):
            for match in ABSOLUTE.finditer(line):
                if not line[match.start():].startswith(ALLOWED):
                    found.append(f"{path.relative_to(REPO)}:{number}: {match.group(0)}")
    assert not found, "absolute paths:\n" + "\n".join(found)


def test_the_pattern_catches_what_it_should():
    root = "/"  # built up, so that this file does not hold the paths it tests
    assert ABSOLUTE.search(f'DATA = Path("{root}work/cache/npm/map.geo.json")')
    assert ABSOLUTE.search(f"see {root}home/ana/data.csv")
    assert ABSOLUTE.search("C:" + "\\" + "Users")
    assert ABSOLUTE.search("C:" + "\\" * 2 + "Users")
    assert not ABSOLUTE.search("seeds/incidents/poland.yaml and ../shared/articles")
    assert not ABSOLUTE.search("https://example.org/tmp/x and 1/opt/2")


def _package_data() -> dict[str, list[str]]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-data"]


def _package_dirs() -> dict[str, str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    return config["tool"]["setuptools"]["package-dir"]


def _folder_of(package: str) -> Path:
    """The source folder of ``package`` under the package-dir mapping."""
    dirs = _package_dirs()
    parts = package.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in dirs:
            return REPO / dirs[prefix] / Path(*parts[n:])
    raise AssertionError(f"{package} is not mapped")


DATA_SUFFIXES = {".yaml", ".yml", ".toml", ".md", ".parquet", ".json", ".csv", ".js", ".css"}


def test_every_tracked_data_file_is_package_data():
    """A seed, spec or data file added to the tree is also in the wheel."""
    shipped = {
        p
        for package, globs in _package_data().items()
        for g in globs
        for p in _folder_of(package).glob(g)
        if p.is_file()
    }
    roots = [_folder_of(p) for p in _package_dirs()]
    tracked = {
        p for p in tracked_files()
        if p.suffix in DATA_SUFFIXES and any(p.is_relative_to(r) for r in roots)
    }
    assert shipped, "no package data found"
    assert tracked <= shipped, f"not packaged: {sorted(str(p) for p in tracked - shipped)}"


def test_only_one_top_level_package():
    packages = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    names = packages["tool"]["setuptools"]["packages"]
    assert {name.split(".")[0] for name in names} == {"incidentmap"}


def test_shipped_files_are_found_through_the_resolver():
    folder = paths.seeds_folder()
    assert folder.shipped
    assert sorted(p.name for p in folder.incidents.glob("*.yaml"))
    assert folder.places.is_file() and folder.tracks.is_dir()
    assert sorted(p.stem for p in paths.maps_dir().glob("*.toml")) == [
        "danube", "eastern_flank", "poland_2025_09_10",
    ]


def test_a_users_seeds_folder(tmp_path):
    (tmp_path / "incidents").mkdir()
    (tmp_path / "incidents" / "mine.yaml").write_text("[]\n", encoding="utf-8")
    folder = paths.seeds_folder(tmp_path)
    assert folder.incidents == tmp_path / "incidents"
    assert folder.places == paths.seeds_folder().places  # the shipped places, by default
    assert folder.tracks is None
    (tmp_path / "places.yaml").write_text("[]\n", encoding="utf-8")
    (tmp_path / "tracks").mkdir()
    folder = paths.seeds_folder(tmp_path)
    assert folder.places == tmp_path / "places.yaml" and folder.tracks == tmp_path / "tracks"
    # a folder of incident files, named incidents/, finds places and tracks beside it
    assert paths.seeds_folder(tmp_path / "incidents").tracks == tmp_path / "tracks"


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_a_bad_seeds_folder_is_a_loud_error(tmp_path, make):
    target = tmp_path / "nowhere" if make == "missing" else tmp_path
    with pytest.raises(DataFileError, match=re.escape(str(target))):
        paths.seeds_folder(target)


def test_a_bad_maps_folder_is_a_loud_error(tmp_path):
    with pytest.raises(DataFileError, match="holds no map specs"):
        paths.maps_dir(tmp_path)
    with pytest.raises(DataFileError, match="does not exist"):
        paths.maps_dir(tmp_path / "nowhere")
