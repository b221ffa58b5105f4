"""The shipped maps in a real headless Chromium (Debian's ``chromium``), with no network.

Builds every map in maps/ offline (self-contained HTML, assets from the cache that
``incidentmap assets`` fills) from the shipped seeds plus one hostile-text incident, serves them
from 127.0.0.1, aborts any request that would leave localhost, and checks per map: no console
errors, Leaflet initialised, the layer control lists the layers, a layer switched off hides its
markers, a click on an incident opens its popup with its source link. Screenshots go to the build
directory (and to ``$INCIDENTMAP_SCREENSHOT_DIR`` when set).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pytest

from incidentmap.layers import mapbuild
from incidentmap.layers.assets import missing_packages
from incidentmap.layers.snapshot import CHROMIUM_ARGS, chromium_path, serve_directory
from tests.layers_support import GALATI, HOSTILE_NOTES, HOSTILE_PLACE, incident

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parents[1]
HOSTILE_ID = "ROU-2023-9999"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Build all shipped maps offline once; return (out_dir, {name: report})."""
    missing = missing_packages()
    assert not missing, (
        f"the offline asset cache lacks {missing}; run `incidentmap assets` first "
        "(CI: .ci/run does this before the tests)"
    )
    out = tmp_path_factory.mktemp("maps")
    enriched, left_out = mapbuild.load_enriched(REPO / "seeds" / "incidents")
    hostile = incident(
        HOSTILE_ID,
        "impact",
        GALATI,
        start=dt.date(2023, 9, 10),
        status="denied",
        location="Galați",
        location_as_reported=HOSTILE_PLACE,
        notes=HOSTILE_NOTES,
    )
    extra = pd.DataFrame([hostile])
    enriched = pd.concat([enriched, extra.astype(object)], ignore_index=True)
    enriched = enriched.set_geometry("geometry", crs="EPSG:4326")
    reports = {}
    for spec in mapbuild.load_specs(REPO / "maps"):
        reports[spec.name] = mapbuild.write_map(
            spec, enriched, out_dir=out, assets="inline", extra_left_out=left_out
        )
    return out, reports, enriched


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=chromium_path(), args=list(CHROMIUM_ARGS))
        yield chromium
        chromium.close()


class Page:
    """A loaded map page with its console errors and attempted outside requests."""

    def __init__(self, browser, base_url, name, viewport=(1400, 900)):
        self.errors, self.outside = [], []
        self.page = browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.route("**/*", self._route)
        self.page.goto(f"{base_url}/{name}.html", wait_until="load")
        self.page.wait_for_function("window.IncidentMap && window.IncidentMap.drawn !== undefined")
        self.page.wait_for_function("window.IncidentMap.settled === true")

    def _route(self, route):
        host = urlsplit(route.request.url).hostname
        if route.request.url.startswith("data:") or host in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            self.outside.append(route.request.url)
            route.abort()

    def count(self, selector):
        return self.page.locator(selector).count()


@pytest.fixture(scope="module")
def pages(built, browser):
    out, reports, _ = built
    with serve_directory(out) as base:
        loaded = {name: Page(browser, base, name) for name in reports}
        yield loaded
        for p in loaded.values():
            p.page.close()


def _screenshot(page: Page, out: Path, name: str):
    path = out / f"{name}.png"
    page.page.wait_for_timeout(800)
    page.page.screenshot(path=str(path))
    extra = os.environ.get("INCIDENTMAP_SCREENSHOT_DIR")
    if extra:
        Path(extra).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(extra) / path.name)
    return path


def test_three_maps_were_built_and_every_incident_accounted_for(built):
    out, reports, _ = built
    assert {"eastern_flank", "danube", "poland_2025_09_10"} <= set(reports)
    for report in reports.values():
        assert report.drawn, report.map
        assert (out / f"{report.map}.report.json").is_file()
    ids = {d["id"] for d in reports["danube"].drawn}
    assert HOSTILE_ID in ids
    left = {d["id"] for d in reports["poland_2025_09_10"].left_out}
    assert HOSTILE_ID in left  # 2023: outside that night's date range


@pytest.mark.parametrize("name", ["eastern_flank", "danube", "poland_2025_09_10"])
def test_map_opens_offline_without_errors(pages, built, name):
    page = pages[name]
    out, reports, _ = built
    assert page.errors == []
    assert page.outside == []  # nothing but 127.0.0.1 was requested
    assert page.count(".leaflet-container") >= 1 and page.count(".leaflet-marker-icon") > 0
    assert page.page.evaluate("window.IncidentMap.drawn") == len(reports[name].drawn)
    labels = page.page.locator(".leaflet-control-layers label").all_inner_texts()
    labels = [label.strip() for label in labels]
    for expected in (
        "Offline basemap (no tiles)",
        "OpenStreetMap",
        "CartoDB Positron",
        "CartoDB Dark Matter",
        "Esri World Imagery",
        "Non-NATO neighbours",
        "Territorial seas",
        "Heat map of incidents",
    ):
        assert expected in labels, (expected, labels)
    kinds = {d["kind"] for d in reports[name].drawn}
    assert sum(label.startswith("Incidents: ") for label in labels) == len(kinds)
    assert any(label.startswith("NATO members on ") for label in labels)
    credit = page.page.locator(".leaflet-control-attribution").inner_text()
    assert "OpenStreetMap contributors (ODbL)" in credit
    # every source on the page with its licence, GeoNames also for the records geocoded from it
    assert "Natural Earth (public domain)" in credit and "GeoNames (CC BY 4.0)" in credit
    assert "geocoding" in credit
    assert any(label.startswith("Distance to NATO border") for label in labels)
    assert _screenshot(page, out, name).stat().st_size > 20_000


@pytest.mark.parametrize("name", ["eastern_flank", "danube", "poland_2025_09_10"])
def test_switching_an_incident_layer_off_hides_its_markers(pages, name):
    page = pages[name]
    label = page.page.locator(
        ".leaflet-control-layers-overlays label", has_text="Incidents: "
    ).first
    text = label.inner_text().strip()
    kind = page.page.evaluate(
        "(text) => IncidentMap.layers"
        ".find(l => text.startsWith('Incidents: ' + l.data.style.label))"
        "?.data.style.kind",
        text,
    )
    selector = f".im-k-{kind}, .im-cluster-{kind}"
    before = page.count(selector)
    checkbox = label.locator("input")
    checkbox.uncheck()
    assert before > 0 and page.count(selector) == 0
    checkbox.check()
    assert page.count(selector) == before


def _open_popup(page: Page, event_id: str):
    """Zoom until the incident is drawn on its own, click its marker, return the popup."""
    page.page.evaluate("void IncidentMap.layers[0].clusterer.map.closePopup()")
    page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
    found = page.page.evaluate(
        """(id) => {
            const marker = IncidentMap.reveal(id);
            if (!marker) return false;
            marker.setZIndexOffset(100000);  // above other kinds' clusters
            marker._icon.setAttribute('data-test-id', id);
            return true;
        }""",
        event_id,
    )
    assert found, event_id
    page.page.locator(f'[data-test-id="{event_id}"]').click()
    popup = page.page.locator(".leaflet-popup .im-popup")
    popup.wait_for(state="visible")
    return popup


@pytest.mark.parametrize("name", ["eastern_flank", "danube", "poland_2025_09_10"])
def test_clicking_an_incident_opens_its_popup_with_its_source_link(pages, built, name):
    page = pages[name]
    record = page.page.evaluate("() => IncidentMap.records().find(r => r[11].some(s => s[1]))")
    assert record is not None, f"no incident with a web source on {name}"
    popup = _open_popup(page, record[0])
    url = next(s[1] for s in record[11] if s[1])
    assert popup.locator(f'a.im-source-link[href="{url}"]').count() == 1
    assert record[0] in popup.inner_text() and "On NATO soil" in popup.inner_text()
    page.page.keyboard.press("Escape")


def test_hostile_text_shows_literally_and_runs_nothing(pages):
    page = pages["danube"]
    popup = _open_popup(page, HOSTILE_ID)
    text = popup.inner_text()
    assert HOSTILE_PLACE in text and HOSTILE_NOTES.strip() in text
    assert page.page.evaluate("window.__pwned") is None
    assert page.count('img[src="x"]') == 0
    assert page.errors == []


def test_time_slider_respects_date_ranges(pages, built):
    page = pages["poland_2025_09_10"]
    _, reports, _ = built
    drawn = reports["poland_2025_09_10"].drawn
    day = "2025-09-10"
    expected = sum(d["date_start"] <= day <= d["date_end"] for d in drawn)
    days = (dt.date(2025, 9, 10) - dt.date(1970, 1, 1)).days
    page.page.evaluate("(d) => IncidentMap.slider.set(d, d)", days)
    assert page.page.evaluate("IncidentMap.shown") == expected
    s = "IncidentMap.slider"
    page.page.evaluate(f"{s}.set({s}.minDay, {s}.maxDay)")
    assert page.page.evaluate("IncidentMap.shown") == len(drawn)


def test_search_by_incident_id_opens_its_popup(pages):
    page = pages["danube"]
    page.page.keyboard.press("Escape")
    page.page.locator(".leaflet-control-search .search-button").click()
    page.page.locator(".leaflet-control-search input.search-input").press_sequentially(HOSTILE_ID)
    tip = page.page.locator(".leaflet-control-search .search-tip").first
    tip.wait_for(state="visible")
    assert HOSTILE_PLACE in tip.inner_text()  # the tip shows the place literally ...
    assert page.page.evaluate("window.__pwned") is None and page.count('img[src="x"]') == 0
    tip.click()
    popup = page.page.locator(".leaflet-popup .im-popup")
    popup.wait_for(state="visible")
    assert HOSTILE_ID in popup.inner_text()


def test_browser_rebuilds_exactly_the_python_popup_records(pages, built):
    from incidentmap.layers.incidents import popup_record

    page = pages["danube"]
    in_browser = {r[0]: r for r in page.page.evaluate("IncidentMap.records()")}
    enriched = built[2]
    checked = 0
    for row in enriched.to_dict("records"):
        if row["event_id_cnty"] in in_browser:
            assert in_browser[row["event_id_cnty"]] == popup_record(row), row["event_id_cnty"]
            checked += 1
    assert checked == len(in_browser) > 0


def test_controls_and_heat_map_work_offline(pages):
    page = pages["eastern_flank"]
    for selector in (
        ".leaflet-control-measure",
        ".leaflet-control-minimap",
        ".leaflet-control-search",
        ".im-timeslider",
        ".im-legend",
        ".im-title",
    ):
        assert page.count(selector) == 1, selector
    assert page.count("[class*=fullscreen]") >= 1
    assert page.count("canvas.leaflet-heatmap-layer") == 0
    heat = page.page.locator(".leaflet-control-layers label", has_text="Heat map of incidents")
    heat.locator("input").check()
    assert page.count("canvas.leaflet-heatmap-layer") == 1
    heat.locator("input").uncheck()
    assert page.errors == [] and page.outside == []


# -- issue 16 part A: controls out of the way, one clustering, search, labels, accessibility ----

MAPS = ["eastern_flank", "danube", "poland_2025_09_10"]

_CLEAR_OF_CONTROLS = """(sel) => {
    const map = IncidentMap.layers[0].clusterer.map, all = document.querySelectorAll(sel);
    const node = all[all.length - 1];  // a closed popup fades out for 200 ms
    const base = map.getContainer().getBoundingClientRect(), r = node.getBoundingClientRect();
    const p = {left: r.left - base.left, right: r.right - base.left,
               top: r.top - base.top, bottom: r.bottom - base.top};
    const size = map.getSize();
    const inside = p.left >= 0 && p.top >= 0 && p.right <= size.x && p.bottom <= size.y;
    const hit = IncidentMap.controlBoxes(map).filter(b => !b.node.contains(node) &&
        p.left < b.right && p.right > b.left && p.top < b.bottom && p.bottom > b.top)
        .map(b => b.node.className);
    return {inside, hit};
}"""


@pytest.fixture(scope="module")
def phone_pages(built, browser):
    out, reports, _ = built
    with serve_directory(out) as base:
        loaded = {name: Page(browser, base, name, viewport=(390, 844)) for name in reports}
        yield loaded
        for p in loaded.values():
            p.page.close()


@pytest.mark.parametrize("name", MAPS)
def test_phone_opens_with_panels_collapsed_and_title_search_zoom_visible(phone_pages, built, name):
    page = phone_pages[name]
    assert page.errors == [] and page.outside == []
    assert page.count(".leaflet-control-layers-expanded") == 0
    assert page.page.evaluate("document.querySelector('.im-legend details').open") is False
    covered = page.page.evaluate(
        """() => {
            const map = IncidentMap.layers[0].clusterer.map, s = map.getSize();
            return IncidentMap.controlBoxes(map)
                .reduce((a, b) => a + (b.right - b.left) * (b.bottom - b.top), 0) / (s.x * s.y);
        }"""
    )
    assert covered < 0.3, covered  # was ~85 % with the expanded panel and legend
    for selector in (".im-title", ".leaflet-control-search", ".leaflet-control-zoom"):
        assert page.page.locator(selector).is_visible(), selector
    # the panel opens and closes again
    page.page.locator(".leaflet-control-layers-toggle").click()
    assert page.count(".leaflet-control-layers-expanded") == 1
    page.page.locator(".leaflet-control-layers .im-collapse").click()
    assert page.count(".leaflet-control-layers-expanded") == 0
    out, _, _ = built
    _screenshot(page, out, f"{name}-phone")


@pytest.mark.parametrize("name", MAPS)
def test_opening_view_shows_every_incident_clear_of_the_controls(pages, name):
    page = pages[name]
    page.page.evaluate(
        """() => { const m = IncidentMap.layers[0].clusterer.map; m.closePopup();
                   IncidentMap.openView(m, m._imOpenBounds); }"""
    )
    page.page.wait_for_function("IncidentMap.settled === true")
    covered = page.page.evaluate(
        """() => {
            const map = IncidentMap.layers[0].clusterer.map, boxes = IncidentMap.controlBoxes(map);
            const out = [];
            document.querySelectorAll('.im-marker, .im-cluster').forEach(icon => {
                const r = icon.getBoundingClientRect(), x = r.left + r.width / 2,
                      y = r.top + r.height / 2;
                const b = map.getContainer().getBoundingClientRect();
                if (boxes.some(c => x - b.left > c.left && x - b.left < c.right &&
                                    y - b.top > c.top && y - b.top < c.bottom))
                    out.push(icon.title);
            });
            return out;
        }"""
    )
    assert covered == []


@pytest.mark.parametrize("name", MAPS)
def test_popup_is_inside_the_viewport_and_clear_of_every_control(pages, name):
    page = pages[name]
    ids = page.page.evaluate("IncidentMap.records().map(r => r[0])")
    for event_id in ids[:4]:
        page.page.evaluate("void IncidentMap.layers[0].clusterer.map.closePopup()")
        page.page.wait_for_function("document.querySelectorAll('.leaflet-popup').length === 0")
        assert page.page.evaluate(
            "(id) => { const m = IncidentMap.reveal(id); if (m) m.openPopup(); return !!m; }",
            event_id,
        )
        page.page.wait_for_timeout(50)
        where = page.page.evaluate(_CLEAR_OF_CONTROLS, ".leaflet-popup")
        assert where == {"inside": True, "hit": []}, (event_id, where)
        page.page.keyboard.press("Escape")
        page.page.wait_for_timeout(250)


def _stacked(page):
    """Ids of incidents that share their exact point with an incident of another kind or id."""
    return page.page.evaluate(
        """() => {
            const at = {};
            IncidentMap.layers.forEach(l => { for (let i = 0; i < l.n; i++) {
                const key = l.data.lat[i] + ',' + l.data.lon[i];
                (at[key] = at[key] || []).push(IncidentMap.util.cell(l.data.pop.id, i));
            }});
            return Object.values(at).filter(ids => ids.length > 1);
        }"""
    )


def test_markers_of_different_kinds_cluster_together_with_their_mix(pages):
    page = pages["danube"]
    page.page.evaluate(
        "() => { const m = IncidentMap.layers[0].clusterer.map; m.setView([45.3, 28.7], 7); }"
    )
    mixed = page.page.evaluate(
        "Array.from(document.querySelectorAll('.im-cluster'))"
        ".filter(c => c.className.split(' ').filter(k => k.startsWith('im-cluster-')).length > 1)"
        ".map(c => [c.title, c.querySelectorAll('circle[stroke]').length])"
    )
    assert mixed and all(arcs > 1 and " incidents: " in title for title, arcs in mixed), mixed


def test_an_incident_stacked_under_others_is_spread_out_and_clickable(pages):
    page = pages["danube"]
    stacks = _stacked(page)
    assert stacks, "the shipped Danube seeds have incidents sharing one point"
    for event_id in stacks[0]:
        popup = _open_popup(page, event_id)
        assert event_id in popup.inner_text()
        # the marker was on top where it is drawn (not hidden under another icon)
        assert page.page.evaluate(
            """(id) => { const icon = document.querySelector(`[data-test-id="${id}"]`);
                         const r = icon.getBoundingClientRect();
                         const top = document.elementFromPoint(r.left + r.width / 2,
                                                               r.top + r.height / 2);
                         return icon.contains(top) || top.closest('.leaflet-popup') !== null; }""",
            event_id,
        )
        page.page.keyboard.press("Escape")
        page.page.wait_for_timeout(250)
    assert page.page.evaluate("IncidentMap.layers[0].clusterer.spider !== null")


def _search(page, text):
    page.page.keyboard.press("Escape")
    page.page.evaluate("void IncidentMap.layers[0].clusterer.map.closePopup()")
    page.page.wait_for_timeout(250)
    box = page.page.locator(".leaflet-control-search input.search-input")
    if not box.is_visible():
        page.page.locator(".leaflet-control-search .search-button").click()
    box.fill("")
    box.press_sequentially(text)
    page.page.locator(".leaflet-control-search .search-tip").first.wait_for(state="visible")
    return box


def test_search_for_an_id_sharing_a_point_opens_its_popup_on_enter(pages):
    page = pages["danube"]
    event_id = _stacked(page)[0][-1]
    _search(page, event_id).press("Enter")
    popup = page.page.locator(".leaflet-popup .im-popup")
    popup.wait_for(state="visible")
    assert event_id in popup.inner_text()


def test_search_folds_diacritics_and_enter_takes_the_best_match(pages):
    page = pages["danube"]
    box = _search(page, "Galati")
    tips = page.page.locator(".leaflet-control-search .search-tip").all_inner_texts()
    assert tips and all("Gala" in t for t in tips) and any("Galați" in t for t in tips), tips
    box.press("Enter")
    popup = page.page.locator(".leaflet-popup .im-popup")
    popup.wait_for(state="visible")
    assert tips[0].split(" ")[0] in popup.inner_text()
    assert page.page.evaluate("IncidentMap.searchMatches('GALAȚI').length") == len(tips)


def test_town_scale_basemap_has_place_labels_and_the_danube(pages, built):
    page = pages["danube"]
    page.page.keyboard.press("Escape")
    page.page.evaluate(
        "() => { const m = IncidentMap.layers[0].clusterer.map; m.closePopup();"
        " m.setView([45.43, 28.05], 11, {animate: false}); }"
    )
    names = page.page.evaluate(
        "Array.from(document.querySelectorAll('.im-lbl'), e => e.textContent)"
    )
    folded = {n.replace("ţ", "ț").replace("ş", "ș") for n in names}
    assert "Galați" in folded and len(names) >= 10, names
    # water: river areas in the basemap pane at this scale
    assert page.count(".leaflet-im-basemap-pane path") > 3
    out, _, _ = built
    _screenshot(page, out, "danube-zoom11-galati")


@pytest.mark.parametrize("name", MAPS)
def test_page_title_lang_focusable_markers_and_no_focusable_polygons(pages, name):
    page = pages[name]
    assert page.page.title()
    assert page.page.evaluate("document.documentElement.lang") == "en"
    icons = page.page.evaluate(
        "Array.from(document.querySelectorAll('.im-marker, .im-cluster'),"
        " e => [e.tabIndex, e.getAttribute('aria-label') || ''])"
    )
    assert icons and all(t == 0 and label for t, label in icons), icons
    assert page.page.evaluate(
        "Array.from(document.querySelectorAll('.leaflet-pane svg path')).every(p => p.tabIndex < 0)"
    )
    unlabelled = page.page.evaluate(
        """() => Array.from(
                document.querySelectorAll('.leaflet-control input, .leaflet-control select'))
             .filter(e => e.type !== 'hidden' && !e.getAttribute('aria-label')
                          && !e.closest('label')
                          && !(e.id && document.querySelector(`label[for="${e.id}"]`)))
             .map(e => e.className)"""
    )
    assert unlabelled == []
    assert page.errors == []
