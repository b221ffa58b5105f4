"""Escaping of text that reaches popups, tooltips and inline scripts."""

import json

from hypothesis import given
from hypothesis import strategies as st

from incidentmap.layers.escape import escape_text, json_for_script, safe_url

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "${alert(1)}",
    "`; alert(1); `",
    "\\`${alert(1)}",
    "</div><svg onload=alert(1)>",
    '" onmouseover="alert(1)',
]


def test_escape_text_leaves_no_markup_or_template_syntax():
    for text in HOSTILE:
        escaped = escape_text(text)
        for bad in ("<", ">", "`", "${", '"', "\\"):
            assert bad not in escaped, (text, escaped)


def test_escape_text_of_missing_values_is_empty():
    assert escape_text(None) == ""
    assert escape_text(float("nan")) == ""
    assert escape_text("Galați") == "Galați"


@given(st.text())
def test_escape_text_round_trips_through_html_unescape(text):
    import html

    assert html.unescape(escape_text(text)) == text


def test_safe_url_accepts_only_http_and_https():
    assert safe_url("https://www.reuters.com/a?b=1") == "https://www.reuters.com/a?b=1"
    assert safe_url("http://example.org") == "http://example.org"
    for bad in (
        "javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "data:text/html,<b>",
        "//evil.org",
        "ftp://example.org",
        "https://",
        "https://exa mple.org",
        "java\nscript:x",
        None,
        42,
    ):
        assert safe_url(bad) is None, bad


@given(
    st.recursive(
        st.text() | st.integers() | st.booleans(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=8,
    )
)
def test_json_for_script_round_trips_and_cannot_close_a_script(value):
    text = json_for_script(value)
    assert "</" not in text and "<!--" not in text and "`" not in text and "${" not in text
    assert json.loads(text) == value


def test_json_for_script_escapes_line_separators():
    assert "\u2028" not in json_for_script({"a": "x\u2028y"})
