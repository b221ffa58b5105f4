"""One exception tree: every error class of the package lives in geo/errors.py, under one root,
with a docstring, and each leaf is also the built-in it is a kind of."""

from __future__ import annotations

import ast
import inspect
from pathlib import Path

from incidentmap.geo import errors

REPO = Path(__file__).resolve().parents[1]
PACKAGE_DIRS = ("geo", "layers", "news", "incidentmap")
#: Deliberate exceptions: a private YAML error carrying the parser's mark, which the seed loader
#: turns into SeedValidationError; and click's exceptions, through which the CLI words its exit
#: (printing, not a library error).
FOREIGN_BASES = ("yaml.MarkedYAMLError", "yaml.YAMLError", "click.ClickException",
                 "click.UsageError", "click.BadParameter")


def _classes():
    return [c for _, c in inspect.getmembers(errors, inspect.isclass)
            if issubclass(c, Exception) and c.__module__ == errors.__name__]


def test_every_error_is_under_the_root_with_a_docstring_and_a_builtin():
    classes = _classes()
    assert len(classes) >= 25
    for cls in classes:
        assert issubclass(cls, errors.IncidentMapError), cls
        assert (cls.__doc__ or "").strip(), cls
        leaf = not any(other is not cls and issubclass(other, cls) for other in classes)
        builtins = [b for b in cls.__mro__ if b.__module__ == "builtins"
                    and b not in (Exception, BaseException, object)]
        if leaf and cls is not errors.IncidentMapError:
            assert builtins, f"{cls.__name__} inherits no built-in besides Exception"


def test_no_exception_class_is_defined_outside_errors_py():
    found = []
    for folder in PACKAGE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            if path == REPO / "geo" / "errors.py":
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ClassDef):
                    bases = {ast.unparse(b) for b in node.bases}
                    if bases & set(FOREIGN_BASES):
                        continue
                    if any(b.endswith(("Error", "Exception")) for b in bases):
                        found.append(f"{path.relative_to(REPO)}:{node.lineno} {node.name}")
    assert found == []


def test_moved_errors_are_still_importable_where_they_are_raised():
    from incidentmap.geo.bands import BandError
    from incidentmap.geo.intercept import BorderOutOfReachError
    from incidentmap.layers.assets import AssetFetchError, AssetMissingError
    from incidentmap.layers.mapbuild import MapSpecError
    from incidentmap.layers.snapshot import BrowserNotFoundError

    assert BandError is errors.BandError and MapSpecError is errors.MapSpecError
    assert BorderOutOfReachError is errors.BorderOutOfReachError
    assert AssetMissingError is errors.AssetMissingError
    assert AssetFetchError is errors.AssetFetchError
    assert BrowserNotFoundError is errors.BrowserNotFoundError
    assert issubclass(errors.AssetMissingError, FileNotFoundError)
