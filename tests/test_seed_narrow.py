"""The import's narrow YAML reader (:func:`geo.seed_yaml.read_narrow`) gives exactly what the
YAML loader gives (values, types, containers, line numbers) on what the import writes, hostile
text included, and refuses (so the YAML parser reads it) anything outside that form."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

from incidentmap.geo import seed_yaml
from incidentmap.geo.imports.yaml_out import dumps
from incidentmap.geo.seed_yaml import IMPORT_HEADER, read_narrow, read_yaml

HOSTILE = [
    '"; DROP TABLE x; --',
    "<script>alert(1)</script>",
    '=HYPERLINK("http://x")',
    "key: value # not a comment",
    "- not a list",
    "&anchor *alias !!python/object:os.system",
    "line\nbreak\r\tand\x00nul\x85nel\u2028ls\u2029ps",
    "null",
    "2023-02-30",
    "1e-05",
    "{a: b}",
    "emoji 😀 and é",
    "\\u0041 backslash",
    "'single' \"double\"",
    "   leading and trailing   ",
]


def records():
    out = []
    for i, text in enumerate(HOSTILE):
        out.append(
            {
                "event_id_cnty": f"POL{i}",
                "event_date": dt.date(2024, 9, 8),
                "latitude": 50.5 + i * 1e-6,
                "longitude": 1e-05 if i % 2 else -0.0,
                "precision_m": 1e16,
                "count": i,
                "notes": text,
                "tags": [text, "x"] if i % 3 else [],
                "geocoding": {"source": text, "ref": None} if i % 2 else {},
                "claims": [{"date": dt.date(2024, 9, 8), "actor": text, "ok": True}],
            }
        )
    return out


def same(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (
            a.line == b.line
            and a.key_lines == b.key_lines
            and list(a) == list(b)
            and all(same(a[k], b[k]) for k in a)
        )
    if isinstance(a, list):
        return (
            a.line == b.line
            and a.item_lines == b.item_lines
            and len(a) == len(b)
            and all(same(x, y) for x, y in zip(a, b, strict=True))
        )
    return a == b or (a != a and b != b)


def by_yaml(text):
    return yaml.load(text, Loader=seed_yaml._LineLoader)


def test_narrow_reader_equals_the_yaml_loader_on_hostile_records():
    text = IMPORT_HEADER + dumps(records())
    got = read_narrow(text)
    assert got is not None
    assert same(got, by_yaml(text))
    assert got[9]["notes"] == "1e-05" and got[9]["longitude"] == 1e-05  # text stays text
    assert got[8]["notes"] == "2023-02-30"
    assert got[6]["notes"] == HOSTILE[6]


@pytest.mark.parametrize(
    "edit",
    [
        lambda t: t.replace('notes: "null"', "notes: null stays?"),  # a plain scalar
        lambda t: t.replace("  count: 1\n", "  count: 1 # comment\n"),
        lambda t: t.replace("  count: 1\n", "  count: 1\n  count: 2\n"),  # duplicate key
        lambda t: t.replace("  count: 1\n", "  yes: 1\n"),  # a key YAML reads as a boolean
        lambda t: t.replace("  count: 1\n", "  count: 0x1\n"),
        lambda t: t.replace("  count: 1\n", "\tcount: 1\n"),
        lambda t: t.replace("  count: 1\n", "   count: 1\n"),  # off by one space
        lambda t: t + "---\n- a: 1\n",
        lambda t: t.replace("  count: 1\n", "  count: &a 1\n"),
    ],
)
def test_text_outside_the_narrow_form_goes_to_the_yaml_parser(edit, tmp_path):
    text = edit(IMPORT_HEADER + dumps(records()))
    assert text != IMPORT_HEADER + dumps(records())
    assert read_narrow(text) is None
    path = tmp_path / "edited.yaml"
    path.write_text(text, encoding="utf-8")
    data, line, reason = read_yaml(path)
    try:
        expected = by_yaml(text)
    except yaml.YAMLError:
        assert data is None and reason.startswith("malformed YAML")
    else:
        assert reason is None and same(data, expected)


def test_comments_and_blank_lines_are_allowed(tmp_path):
    text = IMPORT_HEADER + "\n# a note\n" + dumps(records()[:2]) + "\n  # indented note\n"
    assert same(read_narrow(text), by_yaml(text))
