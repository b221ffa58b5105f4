"""The flow reads one way: the CLI → layers → geo, and news → geo; geo imports none of them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

#: folder → the incidentmap sub-packages its modules must never import
FORBIDDEN = {
    "geo": ("incidentmap.layers", "incidentmap.news", "incidentmap.main", "folium", "click",
            "branca"),
    "layers": ("incidentmap.news", "incidentmap.main", "click"),
    "news": ("incidentmap.layers", "incidentmap.main", "folium", "click"),
}
#: the CLI package's own modules (the root package holds only the CLI)
CLI_MODULES = {p.stem for p in (REPO / "incidentmap").glob("*.py")} - {"__init__"}


def imports_of(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            if node.module == "incidentmap":
                names.update(f"incidentmap.{alias.name}" for alias in node.names)
    return names


@pytest.mark.parametrize("folder", sorted(FORBIDDEN))
def test_no_import_runs_back_up(folder):
    bad = []
    for path in sorted((REPO / folder).rglob("*.py")):
        for name in imports_of(path):
            cli = name.startswith("incidentmap.") and name.split(".")[1] in CLI_MODULES
            if cli or any(name == f or name.startswith(f + ".") for f in FORBIDDEN[folder]):
                bad.append(f"{path.relative_to(REPO)} imports {name}")
    assert not bad, "\n".join(bad)


def test_no_top_level_geo_layers_or_cli_imports():
    """Everything goes through the one namespace; a bare `import geo` would find a user's geo.py."""
    bad = []
    for path in sorted(REPO.rglob("*.py")):
        if ".venv" in path.parts or "build" in path.parts:
            continue
        for name in imports_of(path):
            if name.split(".")[0] in ("geo", "layers", "cli", "news", "seeds", "maps"):
                bad.append(f"{path.relative_to(REPO)} imports {name}")
    assert not bad, "\n".join(bad)
