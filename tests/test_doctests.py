"""The doctests of every module of the installed ``incidentmap`` namespace.

Run through the package (not by file path) so each module is imported once, under its one name.
"""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import incidentmap

#: The sub-packages laid over the top-level folders (an editable install maps each one on its
#: own, so they are not found by walking ``incidentmap.__path__``).
PARTS = ("geo", "layers", "news", "seeds", "maps")


def _modules() -> list[str]:
    names = {"incidentmap"}
    packages = [incidentmap] + [importlib.import_module(f"incidentmap.{p}") for p in PARTS]
    for package in packages:
        names.add(package.__name__)
        for info in pkgutil.walk_packages(package.__path__, prefix=package.__name__ + "."):
            names.add(info.name)
    return sorted(names)


MODULES = _modules()


def test_every_part_of_the_namespace_is_found():
    for package in ("geo", "layers", "news", "seeds", "maps", "main"):
        assert f"incidentmap.{package}" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name, globs=vars(module).copy()):
        runner.run(test)
    result = runner.summarize(verbose=False)
    assert result.failed == 0, f"{result.failed} doctest(s) failed in {name}"
