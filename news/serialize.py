"""YAML and JSON text of an extraction (dates as ISO strings, no YAML anchors)."""

from __future__ import annotations

import datetime as dt
import json

import yaml

__all__ = ["to_yaml", "to_json"]


class _PlainDumper(yaml.SafeDumper):
    """Writes repeated objects in full instead of as &anchors and *aliases."""

    def ignore_aliases(self, data) -> bool:
        return True


def to_yaml(data) -> str:
    """Block-style YAML, keys in their given order, Unicode kept."""
    return yaml.dump(data, Dumper=_PlainDumper, sort_keys=False, allow_unicode=True, width=100)


def _default(value):
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def to_json(data) -> str:
    """Indented JSON with ISO dates."""
    return json.dumps(data, ensure_ascii=False, indent=2, default=_default)
