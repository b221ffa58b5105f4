"""Reading seed YAML with line numbers, never raising on bad input.

Mappings load as :class:`LineDict` (its own line and each key's line, 1-based) and lists as
:class:`LineList` (each item's line). Duplicate and unhashable keys are YAML errors. A scalar
that looks like a timestamp but is no real day (``2023-02-30``) stays text, so the schema can
reject that one field instead of the whole file failing with a ``ValueError``. Uses libyaml's
C parser when PyYAML has it (about 10× faster than the pure-Python one).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

__all__ = ["LineDict", "LineList", "read_yaml"]

_Base = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LineDict(dict):
    """A mapping that remembers its own start line and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict

    def line_of(self, key) -> int:
        return self.key_lines.get(key, self.line)


class LineList(list):
    """A list that remembers its own start line and the line of each item (1-based)."""

    line: int = 0
    item_lines: list


class _BadKey(yaml.MarkedYAMLError):
    pass


class _LineLoader(_Base):
    """Safe loader with line-aware containers; refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            seen = key in out
        except TypeError:  # a list or mapping used as a key
            raise _BadKey(
                "while constructing a mapping",
                node.start_mark,
                f"a {type(key).__name__} cannot be a key",
                key_node.start_mark,
            ) from None
        if seen:
            raise _BadKey(
                "while constructing a mapping",
                node.start_mark,
                f"duplicate key {key!r} (first at line {out.key_lines[key]})",
                key_node.start_mark,
            )
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = key_node.start_mark.line + 1
    return out


def _construct_sequence(loader: _LineLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


def _construct_timestamp(loader: _LineLoader, node: yaml.ScalarNode):
    try:
        return loader.construct_yaml_timestamp(node)
    except ValueError:  # 2023-02-30, 2023-13-01: left as text for the field check
        return loader.construct_scalar(node)


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
_LineLoader.add_constructor("tag:yaml.org,2002:timestamp", _construct_timestamp)


def _error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def read_yaml(path: Path) -> tuple[Any, int | None, str | None]:
    """``(data, None, None)``, or ``(None, line, reason)`` when the file cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, f"cannot read the file: {exc}"
    try:
        return yaml.load(text, Loader=_LineLoader), None, None  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        return None, _error_line(exc), f"malformed YAML: {problem}"
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. bad !!binary
        return None, None, f"malformed YAML: {type(exc).__name__}: {exc}"
