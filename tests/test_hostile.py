"""Hostile text is data everywhere: at build time (no template ever sees it) and in the browser.

The fixture ``tests/data/hostile`` puts template syntax (``{{ 7*7 }}``, ``{% raw %}``,
``{# #}``), a Jinja sandbox escape that would ``touch`` a marker file, HTML/JS and spreadsheet
formulas in every free-text field of a seed record and in a map spec's title and subtitle. The
map is built with the real ``incidentmap build`` command; the marker must never appear, every
payload must reach the page's data literally, and headless Chromium must open no dialog and
hold no injected element.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from incidentmap.main import cli

DATA = Path(__file__).parent / "data" / "hostile"
DRAWN_ID, REJECTED_ID = "ROU-2023-9990", "ROU-2023-9991"
_BLOCK = re.compile(r'<script type="application/json" id="(\w+)">(.*?)</script>', re.S)


def _strings(value):
    """Every string inside a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _payloads(record) -> dict[str, str]:
    """field label -> hostile text, for every string of a seed record that carries one."""
    return {s.split(":")[0]: s for s in _strings(record) if "{{ 7*7 }}" in s and ": " in s}


@pytest.fixture(scope="module")
def hostile_build(tmp_path_factory):
    """Build the hostile spec from the hostile seeds with ``incidentmap build``."""
    tmp = tmp_path_factory.mktemp("hostile")
    marker = tmp / "MARKER"
    for sub in ("incidents", "maps"):
        (tmp / sub).mkdir()
        for f in (DATA / sub).iterdir():
            (tmp / sub / f.name).write_text(
                f.read_text(encoding="utf-8").replace("@MARKER@", str(marker)), encoding="utf-8"
            )
    out = tmp / "out"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--maps-dir",
            str(tmp / "maps"),
            "--seeds",
            str(tmp / "incidents"),
            "--out",
            str(out),
            "--cdn",
        ],
    )
    seeds = yaml.safe_load((tmp / "incidents" / "hostile.yaml").read_text(encoding="utf-8"))
    spec_text = (tmp / "maps" / "hostile.toml").read_text(encoding="utf-8")
    return tmp, result, out, seeds, spec_text


def test_build_succeeds_and_runs_nothing(hostile_build):
    tmp, result, out, _, _ = hostile_build
    assert result.exit_code == 0, result.output
    assert (out / "hostile.html").is_file()
    assert list(tmp.glob("MARKER*")) == []  # no sandbox escape ran a shell command


def test_every_shown_payload_reaches_the_page_literally(hostile_build):
    _, _, out, seeds, _ = hostile_build
    html = (out / "hostile.html").read_text(encoding="utf-8")
    blocks = [json.loads(text) for _, text in _BLOCK.findall(html)]
    in_page = [s for b in blocks for s in _strings(b)]
    joined = "\n".join(in_page)
    record = next(r for r in seeds if r["event_id_cnty"] == DRAWN_ID)
    payloads = _payloads(record)
    shown = (
        "weapon",
        "location_as_reported",
        "claim_actor",
        "claim_summary",
        "source_publisher",
        "source_title",
        "notes",
    )
    for field in shown:
        assert payloads[field] in joined, field  # exactly as written: not evaluated, not mangled
    for field in payloads:
        assert f"{field}: 49" not in html, field  # no {{ 7*7 }} was evaluated anywhere
    assert "<script>window.__pwned" not in html and "<img src=x" not in html
    # the quote-breaking URL is a link target only as data; it never closes an attribute
    assert 'onerror="window.__pwned=5' not in html


def test_hostile_title_and_subtitle_are_data(hostile_build):
    _, _, out, _, spec_text = hostile_build
    html = (out / "hostile.html").read_text(encoding="utf-8")
    import tomllib

    spec = tomllib.loads(spec_text)
    blocks = [json.loads(text) for _, text in _BLOCK.findall(html)]
    titles = [b for b in blocks if isinstance(b, dict) and "title" in b and "subtitle" in b]
    assert titles == [{"title": spec["title"], "subtitle": spec["subtitle"]}]
    assert "title: 49" not in html and "subtitle: 49" not in html


def test_rejected_record_is_listed_with_its_reason(hostile_build):
    _, _, out, _, _ = hostile_build
    report = json.loads((out / "hostile.report.json").read_text(encoding="utf-8"))
    assert [d["id"] for d in report["drawn"]] == [DRAWN_ID]
    reasons = " | ".join(d["reason"] for d in report["left_out"] if d["id"] == REJECTED_ID)
    assert "'javascript:" in reasons and "'data:text/html" in reasons
    assert "not an http(s) address" in reasons


@pytest.mark.browser
def test_hostile_map_in_chromium_opens_no_dialog_and_injects_nothing(hostile_build):
    from playwright.sync_api import sync_playwright

    from incidentmap.layers.snapshot import CHROMIUM_ARGS, chromium_path, serve_directory

    tmp, _, out, seeds, spec_text = hostile_build
    if shutil.which("chromium") is None:
        pytest.fail("headless Chromium is needed (Debian: apt-get install chromium)")
    # offline build of the same inputs, so the page needs no network
    offline = tmp / "offline"
    result = CliRunner().invoke(
        cli,
        [
            "build",
            "--maps-dir",
            str(tmp / "maps"),
            "--seeds",
            str(tmp / "incidents"),
            "--out",
            str(offline),
            "--offline",
        ],
    )
    assert result.exit_code == 0, result.output
    record = next(r for r in seeds if r["event_id_cnty"] == DRAWN_ID)
    payloads = _payloads(record)
    dialogs, errors = [], []
    with sync_playwright() as pw, serve_directory(offline) as base:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        try:
            page = browser.new_page(viewport={"width": 1200, "height": 800})
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.route(
                "**/*",
                lambda r: r.continue_() if r.request.url.startswith((base, "data:")) else r.abort(),
            )
            page.goto(f"{base}/hostile.html", wait_until="load")
            page.wait_for_function("window.IncidentMap && window.IncidentMap.drawn === 1")
            title = page.locator(".im-title").inner_text()
            clickable = page.evaluate(
                """(id) => {
                    const m = IncidentMap.reveal(id);
                    if (!m) return false;
                    m._icon.setAttribute('data-test-id', id);
                    return true;
                }""",
                DRAWN_ID,
            )
            assert clickable
            page.locator(f'[data-test-id="{DRAWN_ID}"]').click()
            popup = page.locator(".leaflet-popup .im-popup")
            popup.wait_for(state="visible")
            text = popup.inner_text()
            links = popup.locator("a.im-source-link").count()
            page.locator(".leaflet-control-search .search-button").click()
            page.locator(".leaflet-control-search input.search-input").press_sequentially(
                "location_as"
            )
            tip = page.locator(".leaflet-control-search .search-tip").first
            tip.wait_for(state="visible")
            tip_text = tip.inner_text()
            page.wait_for_timeout(300)
            pwned = page.evaluate("window.__pwned")
            injected = page.evaluate(
                "document.querySelectorAll('img[src=\"x\"], [onerror]').length"
            )
            own_scripts = page.evaluate(
                "[...document.querySelectorAll('script:not([src]):not([type])')]"
                ".filter(s => s.textContent.includes('__pwned')).length"
            )
        finally:
            browser.close()
    assert dialogs == [] and pwned is None and errors == []
    assert own_scripts == 0  # no script element carries a payload
    assert injected == 0  # no <img src=x>, no element with an onerror handler
    assert "title: {{ 7*7 }} {% raw %} {# hidden #}" in title and "title: 49" not in title
    assert "<script>window.__pwned=1;alert(1)</script>" in title
    for field in ("location_as_reported", "weapon", "claim_actor", "claim_summary", "notes"):
        assert payloads[field] in text, field
    assert payloads["location_as_reported"] in tip_text
    assert payloads["source_title"] in text
    assert links == 0  # the quote-breaking URL (spaces, quotes) is refused as a link
