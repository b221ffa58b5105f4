"""Reading seed YAML with line numbers, never raising on bad input.

Mappings load as :class:`LineDict` (its own line and each key's line, 1-based) and lists as
:class:`LineList` (each item's line). Duplicate and unhashable keys are YAML errors. A scalar
that looks like a timestamp but is no real day (``2023-02-30``) stays text, so the schema can
reject that one field instead of the whole file failing with a ``ValueError``. Uses libyaml's
C parser when PyYAML has it (about 10× faster than the pure-Python one). Files that
``incidentmap import`` wrote (:data:`IMPORT_HEADER`) are read by :func:`read_narrow`, a
line reader of the import's narrow form (about N× faster than libyaml's loader here, which
still builds and resolves every node in Python); anything outside that form, e.g. after a
hand edit, goes to the YAML parser, so the result is always what YAML reads.
"""

from __future__ import annotations

import datetime as dt
import json
import json.decoder
import re
from pathlib import Path
from typing import Any

import yaml

from incidentmap.geo.errors import NotNarrowYaml

__all__ = ["IMPORT_HEADER", "LineDict", "LineList", "read_narrow", "read_yaml"]

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


# --------------------------------------------------------------------------- the import's form

#: First line of every file :mod:`geo.imports` writes; such files are read by :func:`read_narrow`.
IMPORT_HEADER = "# Written by `incidentmap import`; re-import to update.\n"

_TOKEN = re.compile(r"( *)(- )?(?:([A-Za-z_][A-Za-z0-9_]*):(?: (.+))?|(.+))")
_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_FLOAT = re.compile(r"-?[0-9]+\.[0-9]*(?:[eE][-+][0-9]+)?")  # PyYAML's YAML 1.1 float form
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# keys YAML 1.1 would read as booleans or null (PyYAML's resolver), in every case it accepts
_WORD_KEYS = frozenset(
    v
    for w in ("yes", "no", "on", "off", "true", "false", "null")
    for v in (w, w.capitalize(), w.upper())
)
_scanstring = json.decoder.scanstring  # a JSON string's body: libjson's C scanner


def _narrow_scalar(text: str, line: int):
    if text[0] == '"':
        try:
            value, end = _scanstring(text, 1)
        except ValueError:
            raise NotNarrowYaml from None
        if end != len(text) and text[end:].strip(" "):
            raise NotNarrowYaml
        return value
    if text == "null":
        return None
    if text == "true":
        return True
    if text == "false":
        return False
    if text == "[]":
        out = LineList()
        out.line, out.item_lines = line, []
        return out
    if text == "{}":
        out = LineDict()
        out.line, out.key_lines = line, {}
        return out
    if _INT.fullmatch(text):
        return int(text)
    if _FLOAT.fullmatch(text):
        return float(text)
    if _DAY.fullmatch(text):
        try:
            return dt.date.fromisoformat(text)
        except ValueError:  # 2023-02-30: text, as _construct_timestamp leaves it
            return text
    raise NotNarrowYaml


def _narrow_seq(toks, pos: int, col: int):
    out = LineList()
    out.line, out.item_lines = toks[pos][0], []
    while pos < len(toks):
        line, dash_col, dash, key, value, rest = toks[pos]
        if not dash or dash_col != col:
            break
        out.item_lines.append(line)
        if key is not None:
            item, pos = _narrow_map(toks, pos, col + 2)
        elif rest is not None:
            item, pos = _narrow_scalar(rest, line), pos + 1
        else:
            raise NotNarrowYaml
        out.append(item)
    return out, pos


def _narrow_map(toks, pos: int, col: int):
    out = LineDict()
    out.line, out.key_lines = toks[pos][0], {}
    first = True
    while pos < len(toks):
        line, dash_col, dash, key, value, rest = toks[pos]
        if first:
            first = False  # the "- key: ..." line of a list item, or a key at col
            if dash_col + (2 if dash else 0) != col:
                raise NotNarrowYaml
        elif dash:
            if dash_col < col:
                break
            raise NotNarrowYaml
        elif dash_col < col:
            break
        elif dash_col > col:
            raise NotNarrowYaml
        if key is None or key in out or key in _WORD_KEYS:
            raise NotNarrowYaml
        out.key_lines[key] = line
        if value is not None:
            out[key], pos = _narrow_scalar(value, line), pos + 1
            continue
        if pos + 1 >= len(toks):
            raise NotNarrowYaml
        nxt = toks[pos + 1]
        if nxt[2] and nxt[1] == col:
            out[key], pos = _narrow_seq(toks, pos + 1, col)
        elif not nxt[2] and nxt[1] == col + 2:
            out[key], pos = _narrow_map(toks, pos + 1, col + 2)
        else:
            raise NotNarrowYaml
    return out, pos


def read_narrow(text: str):
    """The records of a file written by the import (:data:`IMPORT_HEADER`), read without the
    YAML parser: block mappings and lists, plain keys, and the scalars the import writes
    (double-quoted JSON strings, ``null``, ``true``/``false``, integers, floats, days, ``[]``,
    ``{}``). Gives what :func:`read_yaml`'s loader gives (the same values, containers and line
    numbers); None for any text outside that form (the YAML parser then reads it)."""
    toks = []
    for no, raw in enumerate(text.split("\n"), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):  # blank or a comment
            continue
        m = _TOKEN.fullmatch(raw)
        if m is None:
            return None
        indent, dash, key, value, rest = m.groups()
        toks.append((no, len(indent), dash is not None, key, value, rest))
    if not toks:
        return None
    try:
        data, pos = _narrow_seq(toks, 0, 0)
    except (NotNarrowYaml, RecursionError):
        return None
    return data if pos == len(toks) and toks[0][2] and toks[0][1] == 0 else None


def _error_line(exc: yaml.YAMLError) -> int | None:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    return None if mark is None else mark.line + 1


def read_yaml(path: Path) -> tuple[Any, int | None, str | None]:
    """``(data, None, None)``, or ``(None, line, reason)`` when the file cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return None, None, f"cannot read the file: {exc}"
    if text.startswith(IMPORT_HEADER):
        data = read_narrow(text)
        if data is not None:
            return data, None, None
    try:
        return yaml.load(text, Loader=_LineLoader), None, None  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc)
        return None, _error_line(exc), f"malformed YAML: {problem}"
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # e.g. bad !!binary
        return None, None, f"malformed YAML: {type(exc).__name__}: {exc}"
