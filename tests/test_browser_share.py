"""Issue 16 part B in headless Chromium with no network: the time range filters every layer,
the view round-trips through the URL hash, the CSV download (formulas neutralised), the side
list by keyboard, precision halos, claim stance symbols."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from incidentmap.layers import mapbuild
from incidentmap.layers.snapshot import serve_directory
from tests.layers_support import GALATI, incident
from tests.test_browser import REPO, Page, browser  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

EPOCH = dt.date(1970, 1, 1)
LUBLIN_250_KM = "POL-2025-0002"  # "within 250 km" of Lublin
PLAURU_500_M = "ROU-2023-0001"
FORMULA_ID = "ROU-2023-9998"
FORMULA_PLACE = '=HYPERLINK("http://example.invalid","x")'
FORMULA_NOTES = "@SUM(A1:A9) then -2+3"
NUMBER = re.compile(r"-(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The Danube and Poland maps, offline, from the shipped seeds plus one incident whose
    free text starts with spreadsheet formula characters."""
    out = tmp_path_factory.mktemp("maps_share")
    enriched, left_out = mapbuild.load_enriched(REPO / "seeds" / "incidents")
    extra = incident(
        FORMULA_ID,
        "debris_found",
        GALATI,
        start=dt.date(2023, 9, 12),
        location=FORMULA_PLACE,
        location_as_reported=FORMULA_PLACE,
        notes=FORMULA_NOTES,
    )
    enriched = pd.concat([enriched, pd.DataFrame([extra]).astype(object)], ignore_index=True)
    enriched = enriched.set_geometry("geometry", crs="EPSG:4326")
    reports = {}
    for spec in mapbuild.load_specs(REPO / "maps"):
        if spec.name in ("danube", "poland_2025_09_10"):
            reports[spec.name] = mapbuild.write_map(
                spec, enriched, out_dir=out, assets="inline", extra_left_out=left_out
            )
    return out, reports, enriched


@pytest.fixture(scope="module")
def site(built, browser):  # noqa: F811
    out, reports, _ = built
    with serve_directory(out) as base:
        yield base, reports


def _open(browser, site, name, hash_=""):  # noqa: F811
    base, _ = site
    page = Page(browser, base, name)
    if hash_:
        page.page.goto(f"{base}/{name}.html#{hash_}", wait_until="load")
        page.page.reload(wait_until="load")
        page.page.wait_for_function("window.IncidentMap && window.IncidentMap.sharing")
    return page


def _day(text: str) -> int:
    return (dt.date.fromisoformat(text) - EPOCH).days


def _layer_counts(page) -> dict:
    labels = page.page.locator(".leaflet-control-layers label").all_inner_texts()
    return {t.strip().split(" (")[0]: t.strip() for t in labels}


def _night_spans(drawn) -> dict:
    """{id: (m0, m1)} of the drawn Poland incidents, from the shipped seeds' times of day."""
    from incidentmap.geo.incidents import load_incidents
    from incidentmap.geo.paths import seeds_folder
    from incidentmap.layers.timed import minute_span

    records = {r.event_id_cnty: r for r in load_incidents(seeds_folder().incidents).incidents}
    out = {}
    for d in drawn:
        r = records[d["id"]]
        out[d["id"]] = minute_span(r.date_start, r.date_end, r.event_time, r.event_time_end)
    return out


def _hour(text: str) -> int:
    """Hours since 1970 of "YYYY-MM-DDTHH" (the hourly slider's values)."""
    return _day(text[:10]) * 24 + int(text[11:13])


def test_the_time_range_filters_every_layer(browser, site):  # noqa: F811
    page = _open(browser, site, "poland_2025_09_10")
    drawn = site[1]["poland_2025_09_10"].drawn
    spans = _night_spans(drawn)
    p = page.page
    assert p.evaluate("IncidentMap.slider.hourly")  # the night plays hour by hour
    p.locator(".leaflet-control-layers label", has_text="Heat map").locator("input").check()
    tracks_all = p.evaluate("document.querySelectorAll('path.leaflet-interactive').length")
    assert p.evaluate("IncidentMap.heat.shown") == len(drawn)

    def meeting(hour):
        return {i for i, (a, b) in spans.items() if b >= hour * 60 and a <= hour * 60 + 59}

    # 9 September, 23:00-00:00: the drones of the night, not the house hit at about 06:30
    h = _hour("2025-09-09T23")
    p.evaluate("(h) => IncidentMap.slider.setValues(h, h)", h)
    expected = meeting(h)
    assert 0 < len(expected) < len(drawn)
    assert p.evaluate("IncidentMap.shown") == len(expected)
    assert p.evaluate("IncidentMap.heat.shown") == len(expected)
    shown_markers = p.evaluate(
        "IncidentMap.layers.reduce((n, l) => n + l.visible.reduce((a, b) => a + b, 0), 0)"
    )
    assert shown_markers == len(expected)
    counts = " ".join(_layer_counts(page).values())
    assert " of " in counts  # "Incidents: … (k of n)"
    in_list = p.evaluate("IncidentMap.list.items().map(x => x.id)")
    assert set(in_list) <= expected
    # 06:00-07:00 on 10 September: everything, the house at Wyryki too
    h = _hour("2025-09-10T06")
    p.evaluate("(h) => IncidentMap.slider.setValues(h, h)", h)
    assert p.evaluate("IncidentMap.shown") == len(meeting(h)) == len(drawn)
    # 07:00 on (past the slider's last hour): the night is over, the tracks go too
    h = _hour("2025-09-10T07")
    assert p.evaluate("IncidentMap.slider.maxValue") == h - 1
    p.evaluate("(h) => IncidentMap.filterMinutes(h * 60, h * 60 + 59)", h)
    assert p.evaluate("IncidentMap.shown") == len(meeting(_hour("2025-09-10T07")))
    assert p.evaluate("document.querySelectorAll('path.leaflet-interactive').length") < tracks_all
    # a range with nothing in it (days after the last): no marker, cluster, heat, row
    p.evaluate("(d) => IncidentMap.filterDays(d, d)", _day("2025-09-11") + 5)
    assert p.evaluate("IncidentMap.shown") == 0 and p.evaluate("IncidentMap.heat.shown") == 0
    assert page.count(".im-marker, .im-cluster") == 0 and page.count(".im-list-item") == 0
    # play moves the window forward an hour a second and stops at the end
    p.evaluate(
        "IncidentMap.slider.setValues(IncidentMap.slider.minValue, IncidentMap.slider.minValue)"
    )
    p.locator(".im-ts-play").click()
    p.wait_for_function(
        "IncidentMap.slider.play.getAttribute('aria-pressed') === 'false'", timeout=30_000
    )
    assert p.evaluate("+IncidentMap.slider.to.value") == p.evaluate("IncidentMap.slider.maxValue")
    assert page.errors == [] and page.outside == []
    page.page.close()


def test_view_round_trips_through_the_url_hash(browser, site):  # noqa: F811
    page = _open(browser, site, "danube")
    p = page.page
    p.evaluate("void IncidentMap.map.setView([45.3, 28.4], 10, {animate: false})")
    p.evaluate(
        "(d) => IncidentMap.slider.set(d[0], d[1])", [_day("2023-09-01"), _day("2023-09-30")]
    )
    p.locator(".leaflet-control-layers label", has_text="Heat map").locator("input").check()
    p.evaluate("(id) => IncidentMap.openIncident(id)", PLAURU_500_M)
    p.locator(".leaflet-popup .im-popup").wait_for(state="visible")
    link = p.locator(".leaflet-popup .im-permalink").get_attribute("href")
    hash_ = p.evaluate("location.hash")
    assert f"i={PLAURU_500_M}" in hash_ and "t=2023-09-01,2023-09-30" in hash_
    assert link.endswith(f"i={PLAURU_500_M}") and "#c=" in link
    state = p.evaluate(
        "[IncidentMap.map.getZoom(), IncidentMap.shown, IncidentMap.heat._map !== undefined"
        " && IncidentMap.heat._map !== null]"
    )
    page.page.close()

    again = _open(browser, site, "danube", link.split("#", 1)[1])
    q = again.page
    q.locator(".leaflet-popup .im-popup").wait_for(state="visible")
    assert PLAURU_500_M in q.locator(".leaflet-popup .im-popup").inner_text()
    got = q.evaluate(
        "[IncidentMap.map.getZoom(), IncidentMap.shown, IncidentMap.heat._map !== undefined"
        " && IncidentMap.heat._map !== null]"
    )
    assert got[1:] == state[1:] and got[0] >= state[0]  # opening may zoom in to reveal it
    assert q.evaluate("[+IncidentMap.slider.from.value, +IncidentMap.slider.to.value]") == [
        _day("2023-09-01"),
        _day("2023-09-30"),
    ]
    assert again.errors == [] and again.outside == []
    q.close()


def _download(page, selector):
    with page.page.expect_download() as info:
        page.page.locator(selector).click()
    return Path(info.value.path()).read_text("utf-8")


def test_csv_and_geojson_downloads_hold_the_filtered_incidents(browser, site):  # noqa: F811
    page = _open(browser, site, "danube")
    drawn = site[1]["danube"].drawn
    text = _download(page, ".im-download-csv")
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert {r["event_id_cnty"] for r in rows} == {d["id"] for d in drawn}
    formula = next(r for r in rows if r["event_id_cnty"] == FORMULA_ID)
    assert formula["location"] == "'" + FORMULA_PLACE and formula["notes"] == "'" + FORMULA_NOTES
    for row in rows:
        for value in row.values():
            risky = value[:1] in ("=", "+", "-", "@", "\t", "\r")
            assert not risky or NUMBER.fullmatch(value), value
    assert float(formula["longitude"]) == pytest.approx(GALATI[0], abs=1e-4)
    p = page.page
    cases = {
        "=1+1": "'=1+1",
        "-3.5": "-3.5",
        "-x": "'-x",
        "@SUM(A1)": "'@SUM(A1)",
        "\tx": "'\tx",
        "+1": "'+1",
        "'q": "''q",
        "plain": "plain",
    }
    for raw, want in cases.items():
        assert p.evaluate("(t) => IncidentMap.neutraliseCell(t)", raw) == want, raw
    # the download follows the time range
    p.evaluate(
        "(d) => IncidentMap.slider.set(d[0], d[1])", [_day("2023-09-01"), _day("2023-09-30")]
    )
    in_sept = {
        d["id"] for d in drawn if d["date_start"] <= "2023-09-30" and d["date_end"] >= "2023-09-01"
    }
    rows = list(csv.DictReader(io.StringIO(_download(page, ".im-download-csv"), newline="")))
    assert {r["event_id_cnty"] for r in rows} == in_sept
    geo = json.loads(_download(page, ".im-download-geojson"))
    assert {f["properties"]["event_id_cnty"] for f in geo["features"]} == in_sept
    f = geo["features"][0]
    assert len(f["geometry"]["coordinates"]) == 2 and -180 <= f["geometry"]["coordinates"][0] <= 180
    assert page.errors == [] and page.outside == []
    p.close()


def test_side_list_is_keyboard_navigable_and_opens_popups(browser, site):  # noqa: F811
    page = _open(browser, site, "danube")
    p = page.page
    items = p.locator(".im-list-item")
    assert items.count() == p.evaluate("IncidentMap.list.items().length") > 1
    dates = [t.split(" ")[0] for t in p.locator(".im-list-date").all_inner_texts()]
    assert dates == sorted(dates)
    p.locator(".im-list-items").focus()
    p.keyboard.press("ArrowDown")
    p.keyboard.press("ArrowDown")
    second = items.nth(1)
    assert second.get_attribute("aria-selected") == "true"
    wanted = second.get_attribute("data-id")
    p.keyboard.press("Enter")
    popup = p.locator(".leaflet-popup .im-popup")
    popup.wait_for(state="visible")
    assert wanted in popup.inner_text()
    assert p.evaluate("document.activeElement.className") == "im-list-items"
    p.keyboard.press("ArrowUp")
    assert items.nth(0).get_attribute("aria-selected") == "true"
    assert page.errors == []
    p.close()


def test_precision_halo_for_an_imprecise_incident_only(browser, site):  # noqa: F811
    page = _open(browser, site, "poland_2025_09_10")
    halos = {i: r for ids, r in page.page.evaluate("IncidentMap.halos()") for i in ids}
    assert halos[LUBLIN_250_KM] == 250_000  # drawn 250 km wide, not as a pin
    assert page.count("path.im-precision") == len(page.page.evaluate("IncidentMap.halos()"))
    # the halo follows the time range too
    page.page.evaluate("(d) => IncidentMap.filterDays(d, d)", _day("2025-09-11") + 5)
    assert page.page.evaluate("IncidentMap.halos()") == [] and page.count("path.im-precision") == 0
    page.page.close()
    danube = _open(browser, site, "danube")
    danube.page.evaluate("(id) => IncidentMap.openIncident(id)", PLAURU_500_M)
    halos = [i for ids, _ in danube.page.evaluate("IncidentMap.halos()") for i in ids]
    assert PLAURU_500_M not in halos and len(halos) > 0  # 500 m: a pin says enough
    assert danube.errors == []
    danube.page.close()


def test_claim_stances_look_different(browser, site):  # noqa: F811
    page = _open(browser, site, "danube")
    looks = page.page.evaluate(
        """() => ['confirmed', 'claimed', 'attributed', 'denied'].map((s) => {
            const d = document.createElement('div'); d.className = 'im-s-' + s;
            const pin = document.createElement('span'); pin.className = 'im-pin';
            d.appendChild(pin); document.body.appendChild(d);
            const cs = getComputedStyle(pin), after = getComputedStyle(pin, '::after');
            const look = [cs.borderStyle, cs.backgroundColor, after.content].join('|');
            d.remove(); return look; })"""
    )
    assert len(set(looks)) == 4, looks
    page.page.close()
