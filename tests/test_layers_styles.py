"""Pure style functions and the small layer builders (base, countries, areas, bands, controls)."""

import datetime as dt
import itertools
import math

import numpy as np
import pytest

import folium

from incidentmap.layers import (
    areas,
    basemaps,
    borderbands,
    controls,
    countries,
    flight_bands,
    incidents,
    legend,
    tracks,
)
from tests.layers_support import incident_frame, small_drawing


def _html(*elements):
    m = folium.Map(tiles=None)
    for e in elements:
        e.add_to(m)
    return m.get_root().render()


def test_member_style_differs_by_era_and_neighbours_are_hatched_and_dashed():
    fills = {countries.member_style(era)["fillColor"] for era in countries.ERA_COLORS}
    assert len(fills) == len(countries.ERA_COLORS)
    rus = countries.neighbour_style("RUS")
    assert rus["dashArray"] and rus["fillColor"] == "url(#im-hatch-RUS) #7f6f63"
    assert (
        countries.neighbour_style("UKR")["fillColor"]
        != countries.neighbour_style("RUS")["fillColor"]
    )
    assert not set(countries.NEIGHBOUR_COLORS.values()) & fills
    # an unknown code cannot break out of the url(#…) reference
    assert countries.hatch_id('x") <b>') == "im-hatch-xb"


# -- colour distances: CIEDE2000 between what readers see, with red-green colour blindness
# simulated (Machado, Oliveira & Fernandes 2009, severity 1), for fills painted over the land
# of the offline basemap and of OpenStreetMap tiles.

_OSM_LAND, _OSM_WATER = "#f2efe9", "#aad3df"  # openstreetmap-carto land and water
_CVD = {
    "normal": np.eye(3),
    "protan": np.array(
        [
            [0.152286, 1.052583, -0.204868],
            [0.114503, 0.786281, 0.099216],
            [-0.003882, -0.048116, 1.051998],
        ]
    ),
    "deutan": np.array(
        [
            [0.367322, 0.860646, -0.227968],
            [0.280085, 0.672501, 0.047413],
            [-0.011820, 0.042940, 0.968881],
        ]
    ),
}


def _seen_lab(hex_color: str, vision: str) -> np.ndarray:
    rgb = np.array([int(hex_color[i : i + 2], 16) for i in (1, 3, 5)]) / 255.0
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(_CVD[vision] @ linear, 0.0, 1.0)
    xyz = (
        np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
        @ linear
        / np.array([0.95047, 1.0, 1.08883])
    )
    f = np.where(xyz > (6 / 29) ** 3, np.cbrt(xyz), xyz / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def _ciede2000(lab1, lab2) -> float:
    (l1, a1, b1), (l2, a2, b2) = lab1, lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean**7 / (c_mean**7 + 25**7)))
    a1, a2 = (1 + g) * a1, (1 + g) * a2
    c1, c2 = math.hypot(a1, b1), math.hypot(a2, b2)
    h1, h2 = math.degrees(math.atan2(b1, a1)) % 360, math.degrees(math.atan2(b2, a2)) % 360
    dh = 0.0 if c1 * c2 == 0 else (h2 - h1 + 180) % 360 - 180
    d_h = 2 * math.sqrt(c1 * c2) * math.sin(math.radians(dh / 2))
    l_mean, c_mean = (l1 + l2) / 2, (c1 + c2) / 2
    if c1 * c2 == 0:
        h_mean = h1 + h2
    elif abs(h1 - h2) <= 180:
        h_mean = (h1 + h2) / 2
    else:
        h_mean = (h1 + h2 + 360) / 2 if h1 + h2 < 360 else (h1 + h2 - 360) / 2
    t = (
        1
        - 0.17 * math.cos(math.radians(h_mean - 30))
        + 0.24 * math.cos(math.radians(2 * h_mean))
        + 0.32 * math.cos(math.radians(3 * h_mean + 6))
        - 0.20 * math.cos(math.radians(4 * h_mean - 63))
    )
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c, s_h = 1 + 0.045 * c_mean, 1 + 0.015 * c_mean * t
    r_t = (
        -2
        * math.sqrt(c_mean**7 / (c_mean**7 + 25**7))
        * math.sin(math.radians(60 * math.exp(-(((h_mean - 275) / 25) ** 2))))
    )
    dl, dc, dhh = (l2 - l1) / s_l, (c2 - c1) / s_c, d_h / s_h
    return math.sqrt(dl**2 + dc**2 + dhh**2 + r_t * dc * dhh)


def _delta_e(c1: str, c2: str, visions=("normal", "protan", "deutan")) -> float:
    """The smallest CIEDE2000 difference between two colours over the given visions."""
    return min(_ciede2000(_seen_lab(c1, v), _seen_lab(c2, v)) for v in visions)


def test_colour_difference_helpers_on_known_values():
    assert _ciede2000([50, 2.6772, -79.7751], [50, 0, -82.7485]) == pytest.approx(2.0425, 1e-4)
    assert _delta_e("#000000", "#ffffff") == pytest.approx(100.0, abs=0.01)
    assert legend.blend_hex("#332288", 0.5, "#f3f0e8") == "#9389b8"
    assert legend.blend_hex("#ffffff", 0.0, "#123456") == "#123456"
    # red and green look alike to a deuteranope, not to normal vision
    assert _delta_e("#d62728", "#2ca02c", ("normal",)) > 50 > _delta_e("#d62728", "#2ca02c")


def _member_fill(era: str, under: str) -> str:
    s = countries.member_style(era)
    return legend.blend_hex(s["fillColor"], s["fillOpacity"], under)


def test_every_accession_era_stands_out_from_the_sea_and_from_plain_land():
    """QA: the 1999-2004 members (Romania, Poland, the Baltics) were a pale blue like the sea."""
    for era in countries.ERA_COLORS:
        offline = _member_fill(era, legend.LAND_COLOR)
        on_osm = _member_fill(era, _OSM_LAND)
        assert _delta_e(offline, legend.SEA_BACKGROUND) >= 12, era
        assert _delta_e(on_osm, _OSM_WATER) >= 8, era
        assert _delta_e(offline, legend.LAND_COLOR) >= 9, era  # a member is not blank land
    # sea and land themselves differ by about 10.5: the 1999-2004 indigo is twice that
    pcw = _member_fill("post-Cold War (1999-2004)", legend.LAND_COLOR)
    assert _delta_e(pcw, legend.SEA_BACKGROUND) > 19


def test_accession_eras_differ_from_each_other():
    fills = {era: _member_fill(era, legend.LAND_COLOR) for era in countries.ERA_COLORS}
    for (e1, c1), (e2, c2) in itertools.combinations(fills.items(), 2):
        assert _delta_e(c1, c2, ("normal",)) >= 15, (e1, e2)
    # neighbours on the map stay apart for red-green colour-blind readers too
    for e1, e2 in [
        ("Cold War (1952-1982)", "post-Cold War (1999-2004)"),  # Germany - Poland
        ("founding (1949)", "Nordic (2023-2024)"),  # Norway - Sweden
        ("post-Cold War (1999-2004)", "Balkans (2009-2020)"),  # Hungary - Croatia
        ("founding (1949)", "Cold War (1952-1982)"),  # Denmark - Germany
    ]:
        assert _delta_e(fills[e1], fills[e2]) >= 8, (e1, e2)


def test_eastern_flank_members_differ_from_the_neighbours_they_border():
    pcw = _member_fill("post-Cold War (1999-2004)", legend.LAND_COLOR)
    wash, stripe = countries.NEIGHBOUR_HATCH
    for a3 in countries.NEIGHBOURS:
        color = countries.neighbour_color(a3)
        for opacity in (wash, stripe):  # both parts of the hatching
            seen = legend.blend_hex(color, opacity, legend.LAND_COLOR)
            assert _delta_e(pcw, seen) >= 10, (a3, opacity)


def test_status_areas_have_their_own_hatched_dashed_style():
    occupied = areas.status_area_style("Crimea: occupied by Russia since 2014")
    special = areas.status_area_style("Åland: autonomous, demilitarised region of Finland")
    assert occupied["fillColor"].startswith("url(#im-hatch-status-occupied)")
    assert special["fillColor"].startswith("url(#im-hatch-status-special)")
    assert occupied["dashArray"] and special["dashArray"]
    outlines = {occupied["color"], special["color"]}
    assert len(outlines) == 2
    # QA: Åland was drawn in the Balkans purple; no status colour is an era or neighbour colour
    taken = set(countries.ERA_COLORS.values()) | set(countries.NEIGHBOUR_COLORS.values())
    assert not outlines & {c.lower() for c in taken}
    eras = [_member_fill(era, legend.LAND_COLOR) for era in countries.ERA_COLORS]
    for color in outlines:  # the stripes as painted, against every era fill as painted
        stripes = legend.blend_hex(color, areas.STATUS_HATCH[1], legend.LAND_COLOR)
        assert min(_delta_e(stripes, era, ("normal",)) for era in eras) >= 14, color
    # inside a hatched neighbour (Crimea in Ukraine) the stripes cross: a texture, not a colour
    assert areas.STATUS_HATCH_ANGLE % 180 != countries.NEIGHBOUR_HATCH_ANGLE % 180
    assert areas.STATUS_HATCH[0] < 0.15  # a light fill: the land shows through


def test_band_style_darkest_at_the_border():
    assert borderbands.band_style(0)["fillColor"] != borderbands.band_style(1)["fillColor"]
    assert borderbands.band_style(99) == borderbands.band_style(5)


def test_tile_layers_are_the_four_named_providers_without_placeholder_keys():
    layers = basemaps.tile_base_layers(selected="OpenStreetMap", api_keys={})
    assert [t.tile_name for t in layers] == [n for n, _ in basemaps.TILE_PROVIDERS]
    assert all("{apikey}" not in t.tiles and "insert your" not in t.tiles for t in layers)
    assert [t.show for t in layers] == [True, False, False, False]
    keyed = basemaps.tile_base_layers(selected=None, api_keys={"CartoDB": "k123"})
    assert "key=k123" in keyed[1].tiles


def test_offline_basemap_sits_below_the_tile_pane():
    d = small_drawing()
    entry, underlay = basemaps.offline_basemap(d.land, d.countries, selected=True)
    html = _html(*underlay, entry)
    assert basemaps.BASEMAP_PANE_Z < 200  # Leaflet's tile pane
    assert f'"{basemaps.BASEMAP_PANE}"' in html and entry.layer_name == basemaps.OFFLINE_BASEMAP


def test_member_tooltips_give_the_accession_date_escaped():
    d = small_drawing()
    html = _html(countries.nato_members_layer(d.countries, on=dt.date(2025, 9, 10)))
    assert "Romania: NATO member since 2004-03-29" in html
    assert "Ukraine: NATO member" not in html
    assert "Ukraine: not a NATO member" in _html(countries.neighbours_layer(d.countries))


def test_area_tooltips_escape_names_and_notes():
    d = small_drawing()
    html = _html(areas.status_areas_layer(d.status_areas))
    # folium writes the GeoJSON with \\u-escapes; the tooltip text itself is HTML-escaped
    assert (
        "Test \\u0026lt;area\\u0026gt;: occupied by \\u0026#36;\\u0026#123;x\\u0026#125; since 2014"
        in html
    )
    assert "<area>" not in html and "${x}" not in html
    seas = areas.territorial_seas(d.countries, d.land)
    assert len(seas) == 2 and all(g.geom_type == "Polygon" for g in seas.geometry)


def test_bands_layer_names_its_distances():
    d = small_drawing()
    layer = borderbands.bands_layer(d.bands)
    assert layer.layer_name == "Distance to NATO border (5, 10 km)"
    assert "0\\u20135 km from the border" in _html(
        layer, borderbands.border_line_layer(d.border, on=dt.date(2025, 1, 1))
    )


def test_legend_and_title_are_escaped():
    html = legend.legend_html(
        incidents.legend_entries(["impact"])
        + countries.members_legend({"<era>": "#000000"})
        + borderbands.bands_legend((5, 10))
    )
    assert "&lt;era&gt;" in html and "Impact" in html and "<era>" not in html
    assert "Distance to the NATO border" in html and ">5</span>" in html
    rendered = _html(controls.title_control("Title </script><script>alert(1)", "`sub`"))
    assert "</script><script>alert(1)" not in rendered


def test_legend_lists_only_the_layers_on_the_map():
    bare = legend.legend_html(incidents.legend_entries(["impact"]))
    for words in (
        "accession era",
        "Not NATO",
        "Occupied",
        "Special status",
        "Territorial sea",
        "NATO border with non-members",
        "Distance to",
        "Minutes of flight",
        "Flight track",
    ):
        assert words not in bare, words
    # each layer declares its own entries; the legend only lays them out
    full = legend.legend_html(
        incidents.legend_entries(["impact", "debris_found"])
        + countries.members_legend(countries.ERA_COLORS)
        + borderbands.bands_legend((5, 10, 25))
        + countries.neighbours_legend(("UKR", "RUS"))
        + areas.status_legend(("occupied", "special"))
        + areas.seas_legend()
        + borderbands.border_legend()
        + tracks.tracks_legend()
        + flight_bands.flight_legend((2, 5), 200)
    )
    for words in (
        "NATO members, by accession era",
        "post-Cold War (1999-2004)",
        "Not NATO (hatched)",
        "Ukraine",
        "Russia",
        "Occupied (e.g. Crimea",
        "Special status (e.g. demilitarised Åland)",
        "Territorial sea (12 nmi)",
        "NATO border with non-members",
        "Distance to the NATO border",
        "Minutes of flight from the border at 200 km/h",
        "Flight track",
    ):
        assert words in full, words
    assert "Belarus" not in full and "Moldova" not in full
    # swatches show the map's colours: the era fill as painted over the land, the hatching
    pcw = legend.blend_hex("#332288", countries.MEMBER_FILL_OPACITY, legend.LAND_COLOR)
    assert f"background:{pcw}" in full
    assert "repeating-linear-gradient" in full and "dashed #c62828" in full
    assert full.startswith("<details open>")  # collapsible, open on arrival


def test_hatch_patterns_reach_the_page_with_the_layers_that_use_them():
    d = small_drawing()
    html = _html(countries.neighbours_layer(d.countries), areas.status_areas_layer(d.status_areas))
    assert '<pattern id="im-hatch-UKR"' in html and "url(#im-hatch-UKR)" in html
    assert '<pattern id="im-hatch-status-occupied"' in html
    assert 'patternTransform="rotate(45.0)"' in html and 'patternTransform="rotate(-45.0)"' in html
    assert "im-hatch-ROU" not in html  # members are not hatched
    with pytest.raises(ValueError, match="not a #rrggbb"):
        countries.HatchPatterns({"x": ('red"/><script>', 0.2, 0.5)})


def test_heat_layer_uses_latlon():
    frame = incident_frame()
    frame = frame[frame.geometry.notna()]
    html = _html(controls.heat_layer(frame))
    # Plauru as (lat, lon), columnar with its days (the runtime draws the heat in the time range)
    assert '{"lat":[45.3456,' in html and '"lon":[28.6789,' in html and '"d0":[19603,' in html
    assert "IncidentMap.timedHeat(" in html


def test_attribution_is_escaped_and_links_only_web_urls():
    html = _html(
        controls.Attribution("Borders © OSM <b>", url="https://www.openstreetmap.org/copyright")
    )
    assert "addAttribution" in html and "<b>" not in html
    assert "https://www.openstreetmap.org/copyright" in html
    assert "javascript" not in _html(controls.Attribution("x", url="javascript:alert(1)"))
