"""Writing imported seed records as YAML, fast, with every text value a quoted string.

PyYAML's representer (pure Python even with the C emitter) writes about 2,000 records a
second, too slow for a 200,000-row export, so the import writes the records itself. The form
is deliberately narrow: block mappings and sequences of the seed records, keys as plain
identifiers, ``null``, ``true``/``false``, integers and floats (``repr``), dates as
``YYYY-MM-DD``, and **every string double-quoted**, escaped as JSON escapes it plus the
characters YAML would read as line breaks or refuse (``U+0085``, ``U+2028``, ``U+2029``, other
non-printable characters). So no text can become a YAML tag, anchor, number, date or
structure: ``yaml.safe_load`` gives back exactly the records written (tested on hostile text).

>>> print(dumps([{"id": "A", "day": dt.date(2024, 9, 8), "tags": ["x: y"], "n": None}]), end="")
- id: "A"
  day: 2024-09-08
  tags:
  - "x: y"
  n: null
"""

from __future__ import annotations

import datetime as dt
import json
import re

__all__ = ["dumps"]

# Outside YAML's printable set, or a YAML line break; JSON leaves these unescaped.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")
_KEY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


#: json.dumps(text, ensure_ascii=False) without its per-call set-up (the same function).
_quote = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
#: Keys already checked against _KEY (the seed field names).
_CHECKED_KEYS: set[str] = set()


def _escape(match: re.Match) -> str:
    return f"\\u{ord(match.group()):04x}"


def _scalar(value) -> str:
    if isinstance(value, str):  # the common case first
        text = _quote(value)
        return _UNSAFE.sub(_escape, text) if _UNSAFE.search(text) else text
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"{value!r} cannot be written to the seeds")
        text = repr(value)  # "1e-05": YAML 1.1 reads a float only with a dot, "1.0e-05"
        return text if "." in text or "e" not in text else text.replace("e", ".0e", 1)
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value.isoformat()
    raise TypeError(f"cannot write a {type(value).__name__} to the seeds")


def _block(value, indent: str, out: list[str]) -> None:
    """Append the lines of ``value`` (a mapping or list) at ``indent``."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key not in _CHECKED_KEYS:
                if not isinstance(key, str) or not _KEY.match(key):
                    raise ValueError(f"key {key!r} is not a seed field name")
                if len(_CHECKED_KEYS) < 1000:
                    _CHECKED_KEYS.add(key)
            if isinstance(item, (dict, list, tuple)):
                if item:
                    out.append(f"{indent}{key}:\n")
                    _block(item, indent + ("  " if isinstance(item, dict) else ""), out)
                else:
                    out.append(f"{indent}{key}: {'{}' if isinstance(item, dict) else '[]'}\n")
            else:
                out.append(f"{indent}{key}: {_scalar(item)}\n")
    else:
        for item in value:
            if isinstance(item, dict) and item:
                first = len(out)
                _block(item, indent + "  ", out)
                out[first] = f"{indent}- " + out[first][len(indent) + 2 :]
            elif isinstance(item, (list, tuple)) and item:
                raise ValueError("nested lists are not part of the seed schema")
            else:
                out.append(f"{indent}- {_flow_empty(item)}\n")


def _flow_empty(value) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return _scalar(value)


def dumps(records: list[dict]) -> str:
    """The YAML text of a list of records (see the module doc)."""
    out: list[str] = []
    _block(records, "", out)
    return "".join(out) if out else "[]\n"
