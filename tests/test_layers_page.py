"""Property: any text (template syntax, markup, script breakers, formulas) reaches the page's
data exactly as given, through the whole map build, and nothing renders it as a template."""

from __future__ import annotations

import datetime as dt
import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import folium

from incidentmap.layers.escape import escape_text
from incidentmap.layers.mapbuild import build_map, parse_spec
from incidentmap.layers.page import DataBlock
from tests.layers_support import GALATI, incident, incident_frame, small_drawing

_BLOCK = re.compile(r'<script type="application/json" id="(\w+)">(.*?)</script>', re.S)
#: The characters that matter: Jinja ({ } % #), HTML (< > & " '), JS template strings
#: (` $ \), line separators, formula starters (= + - @ tab CR) and some non-ASCII.
_SPECIAL = "{}%#<>&\"'`$\\\u2028\u2029=+-@\t\r\n /*!()[]Ä"
TEXT = st.text(
    alphabet=st.one_of(st.sampled_from(_SPECIAL), st.characters(codec="utf-8")), max_size=40
)
FRAGMENTS = st.sampled_from(
    ["{{ 7*7 }}", "{% raw %}", "{# x #}", "</script>", "<!--", "${x}", "{{", "}}", "{%", "=1+1"]
)
HOSTILE = st.lists(st.one_of(TEXT, FRAGMENTS), max_size=6).map("".join)
SPEC = {
    "extent": {"west": 27.0, "south": 44.5, "east": 30.0, "north": 46.0},
    "dates": {"start": dt.date(2022, 1, 1), "end": dt.date(2026, 1, 1)},
    "layers": ["incidents", "legend", "search", "timeslider"],
}


def _blocks(html: str) -> list:
    return [json.loads(text) for _, text in _BLOCK.findall(html)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=HOSTILE, place=HOSTILE, notes=HOSTILE, actor=HOSTILE, weapon=HOSTILE)
def test_any_text_round_trips_literally_into_the_page_data(title, place, notes, actor, weapon):
    row = incident(
        "ROU-2023-0042",
        "impact",
        GALATI,
        start=dt.date(2023, 9, 10),
        location=place,
        location_as_reported=place,
        notes=notes,
        weapon=weapon,
        claims=[
            {"date": dt.date(2023, 9, 10), "actor": actor, "stance": "claimed", "summary": notes}
        ],
    )
    spec = parse_spec({**SPEC, "title": title, "subtitle": place}, name="p")
    selected = incident_frame([row])
    html = build_map(spec, selected, small_drawing(), offline=True).get_root().render()
    blocks = _blocks(html)
    assert {"title": title, "subtitle": place} in blocks
    (payload,) = [b for b in blocks if isinstance(b, dict) and "pop" in b]
    pop = payload["pop"]
    assert pop["place"] == [place] and pop["notes"] == [notes]
    assert pop["weapon"] == [weapon]
    assert pop["claims"][0][0][1] == actor and pop["claims"][0][0][3] == notes


def test_a_data_block_is_never_compiled_as_a_template():
    m = folium.Map(tiles=None)
    text = "{{ 7*7 }} {% raw %} {# c #} </script><script>alert(1)</script>"
    block = DataBlock({"t": text})
    block.add_to(m)
    html = m.get_root().render()
    assert [b for b in _blocks(html) if b == {"t": text}]
    assert "</script><script>alert(1)" not in html and "49" not in html.split(block.dom_id)[1][:80]


@given(HOSTILE)
def test_escaped_text_has_no_template_syntax_and_unescapes_to_itself(text):
    import html as html_module

    out = escape_text(text)
    assert not set(out) & set("{}<>`$\\\"'")  # no Jinja delimiter, no markup, no JS specials
    assert html_module.unescape(out) == text
