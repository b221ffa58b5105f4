"""The README's module map (its Design section) names every module of the tree, and nothing
that is not there."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FOLDERS = ("geo", "geo/geocoding", "geo/imports", "layers", "news")


def design_section() -> str:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    start = text.index("\n## Design")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else len(text)]


def test_every_module_is_in_the_module_map():
    design = design_section()
    named = set(re.findall(r"`([\w/]+?)(?:\.py)?`", design))
    missing = []
    for folder in FOLDERS:
        for path in sorted((REPO / folder).glob("*.py")):
            if path.stem.startswith("_"):
                continue  # private helpers of the module that names them
            if path.stem not in named and f"{folder}/{path.stem}" not in named:
                missing.append(f"{folder}/{path.name}")
    assert not missing, f"not in the README's module map: {missing}"


def test_the_module_map_names_no_module_that_is_gone():
    design = design_section()
    gone = [
        f"{folder}/{name}.py"
        for folder, name in re.findall(r"`(geo|layers|news|geo/geocoding)/(\w+)\.py`", design)
        if not (REPO / folder / f"{name}.py").is_file()
    ]
    assert not gone, f"the module map names missing files: {gone}"
