"""Pure style functions and the small layer builders (base, countries, areas, bands, controls)."""

import datetime as dt

import folium

from layers import areas, basemaps, borderbands, controls, countries
from tests.layers_support import incident_frame, small_drawing


def _html(*elements):
    m = folium.Map(tiles=None)
    for e in elements:
        e.add_to(m)
    return m.get_root().render()


def test_member_style_differs_by_era_and_neighbours_are_dashed():
    fills = {countries.member_style(era)["fillColor"] for era in countries.ERA_COLORS}
    assert len(fills) == len(countries.ERA_COLORS)
    assert countries.neighbour_style("RUS")["dashArray"]
    assert (
        countries.neighbour_style("UKR")["fillColor"]
        != countries.neighbour_style("RUS")["fillColor"]
    )
    assert countries.neighbour_style("UKR")["fillColor"] not in fills


def test_band_style_darkest_at_the_border():
    assert borderbands.band_style(0)["fillColor"] != borderbands.band_style(1)["fillColor"]
    assert borderbands.band_style(99) == borderbands.band_style(5)


def test_status_area_style_marks_occupation():
    assert areas.status_area_style("occupied by Russia since 2014")["fillColor"] == "#d32f2f"
    assert areas.status_area_style("demilitarised")["fillColor"] != "#d32f2f"


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
    html = controls.legend_html(
        kinds=["impact"], era_colors={"<era>": "#000000"}, band_edges_km=(5, 10)
    )
    assert "&lt;era&gt;" in html and "Impact" in html and "5, 10 km" in html
    rendered = _html(controls.title_control("Title </script><script>alert(1)", "`sub`"))
    assert "</script><script>alert(1)" not in rendered


def test_heat_layer_uses_latlon():
    frame = incident_frame()
    frame = frame[frame.geometry.notna()]
    html = _html(controls.heat_layer(frame))
    assert "[45.3456, 28.6789]" in html  # Plauru as (lat, lon)


def test_attribution_is_escaped_and_links_only_web_urls():
    html = _html(
        controls.Attribution("Borders © OSM <b>", url="https://www.openstreetmap.org/copyright")
    )
    assert "addAttribution" in html and "<b>" not in html
    assert "https://www.openstreetmap.org/copyright" in html
    assert "javascript" not in _html(controls.Attribution("x", url="javascript:alert(1)"))
