"""From a map spec and enriched incidents to ``<name>.html`` and ``<name>.report.json``.

The rooms: :mod:`layers.spec` reads the spec, :mod:`layers.selection` picks the incidents and
writes the report, :mod:`geo.drawing` prepares the geometry, :mod:`layers.registry` lists the
layers (each drawing itself and its legend entries). This module only assembles them.
"""

from __future__ import annotations

import logging
import time
from pathlib import Path

import folium

from incidentmap.geo.drawing import DrawingData, view_boxes
from incidentmap.geo.drawing import drawing_data as _geo_drawing_data
from incidentmap.layers import attribution, basemaps, controls, labels
from incidentmap.layers.assets import UNUSED_FOLIUM_CSS, inline_assets, missing_packages
from incidentmap.layers.layer import MapContext
from incidentmap.layers.registry import CONTROLS, LAYERS, OVERLAYS
from incidentmap.layers.selection import BuildReport, load_enriched, select_incidents
from incidentmap.layers.spec import (
    ALL_LAYERS,
    MapSpec,
    MapSpecError,
    load_spec,
    load_specs,
    parse_spec,
)

__all__ = [
    "ALL_LAYERS",
    "BuildReport",
    "DrawingData",
    "MapSpec",
    "MapSpecError",
    "build_map",
    "choose_assets",
    "drawing_data",
    "load_enriched",
    "load_spec",
    "load_specs",
    "parse_spec",
    "render_html",
    "select_incidents",
    "write_map",
]

logger = logging.getLogger(__name__)

#: Credit for the border polygons every map draws (geo/data, from @geo-maps packages).
BORDER_ATTRIBUTION = attribution.BORDERS.text

#: folium.Map's default scripts and stylesheets that our maps keep.
MAP_JS = ("leaflet",)
MAP_CSS = ("leaflet_css", "awesome_markers_font_css")


def drawing_data(spec: MapSpec) -> DrawingData:
    """The geometry ``spec`` draws (:func:`geo.drawing.drawing_data`); bands only if needed."""
    with_bands = any(layer.needs_bands for layer in LAYERS if layer.name in spec.layers)
    return _geo_drawing_data(
        spec.bbox, as_of=spec.as_of, bands_km=spec.bands_km, with_bands=with_bands
    )


def _draw(layers, ctx: MapContext, m: folium.Map) -> None:
    for layer in layers:
        if layer.name not in ctx.spec.layers:
            continue
        elements = layer.draw(ctx)
        for element in elements:
            element.add_to(m)
        if elements and layer.legend is not None:
            ctx.legend.extend(layer.legend(ctx))


#: Steps of :func:`write_map` besides one per incident kind (for a progress bar).
WRITE_STEPS = 5


def build_map(
    spec: MapSpec,
    selected,
    drawing: DrawingData,
    *,
    offline: bool,
    tracks_dir=None,
    progress=None,
) -> folium.Map:
    """Assemble the folium map of ``spec`` from the selected incidents and drawing data.

    ``offline`` makes the vector basemap the selected base layer (no tile requests at all);
    ``tracks_dir`` is the folder of flight tracks (default: the shipped ones).
    """
    m = folium.Map(
        location=[(spec.south + spec.north) / 2, (spec.west + spec.east) / 2],
        zoom_start=6,
        tiles=None,
        control_scale=True,
        prefer_canvas=False,
    )
    m.options["max_zoom"] = 18  # folium keeps zoom limits only for its own tiles
    # never zoom or pan out past the drawn context: no hard edge of the data on screen
    context_box = view_boxes(spec.bbox)[1]
    # (but always at least three zoom levels out from the extent on a laptop screen)
    m.options["min_zoom"] = min(
        min_zoom_inside(context_box), max(3, min_zoom_inside(spec.bbox, screen_px=(1280, 800)) - 3)
    )
    west, south, east, north = context_box
    m.options["max_bounds"] = [[south, west], [north, east]]
    m.options["max_bounds_viscosity"] = 1.0
    # markers are redrawn at each zoom end; animating them meanwhile only costs time
    m.options["marker_zoom_animation"] = False
    # Our maps use Leaflet and Font Awesome only: folium's other defaults (jQuery, Bootstrap,
    # awesome-markers, glyphicons) would cost parse and style time on every page for nothing.
    m.default_js = [j for j in m.default_js if j[0] in MAP_JS]
    m.default_css = [c for c in m.default_css if c[0] in MAP_CSS and c[0] not in UNUSED_FOLIUM_CSS]
    # no favicon request (offline pages make none at all)
    m.get_root().header.add_child(folium.Element('<link rel="icon" href="data:,">'), name="favicon")
    controls.FitBounds([[spec.south, spec.west], [spec.north, spec.east]]).add_to(m)
    page_head(m, spec.title)

    # base layers: offline basemap (under the tiles) + four tile services
    entry, underlay = basemaps.offline_basemap(
        drawing.land,
        drawing.countries,
        selected=offline,
        context=drawing.context,
        bbox=spec.bbox,
    )
    for element in underlay:
        element.add_to(m)
    entry.add_to(m)
    for tile in basemaps.tile_base_layers(selected=None if offline else "OpenStreetMap"):
        tile.add_to(m)

    place_labels(spec, drawing, base=basemaps.OFFLINE_BASEMAP if offline else None).add_to(m)
    ctx = MapContext(
        spec=spec,
        selected=selected,
        drawing=drawing,
        offline=offline,
        tracks_dir=tracks_dir,
        progress=progress,
    )
    _draw(OVERLAYS, ctx, m)
    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    controls.Attribution("", credits=attribution.page_credits(selected)).add_to(m)
    controls.title_control(spec.title, spec.subtitle).add_to(m)
    _draw(CONTROLS, ctx, m)
    return m


#: The largest screen the zoom limit is made for (CSS pixels).
SCREEN_PX = (1920, 1200)


def min_zoom_inside(box, *, screen_px=SCREEN_PX) -> int:
    """The lowest zoom (≥ 3) at which a ``screen_px`` screen fits inside ``box`` (west, south,
    east, north; Web Mercator tiles of 256 px).

    >>> min_zoom_inside((-152.4, -7.75, 180.0, 85.0)), min_zoom_inside((20.0, 40.0, 40.0, 50.0))
    (4, 8)
    """
    import math

    west, south, east, north = box

    def merc_y(lat):
        lat = max(min(lat, 85.05), -85.05)
        s = math.sin(math.radians(lat))
        return 0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)

    width = max((east - west) / 360.0, 1e-9)  # of the world's width
    height = max(merc_y(south) - merc_y(north), 1e-9)
    zoom = max(math.log2(screen_px[0] / (256 * width)), math.log2(screen_px[1] / (256 * height)))
    return max(3, math.ceil(zoom - 1e-9))


def place_labels(spec: MapSpec, drawing: DrawingData, *, base) -> labels.PlaceLabels:
    """The offline basemap's place labels over ``spec``'s extent (shown while ``base`` is on)."""
    from incidentmap.geo.geocoding.curated import CuratedPlaces

    curated = [(p.name, p.lon, p.lat) for p in CuratedPlaces.from_yaml().places]
    data = labels.label_points(spec.bbox, curated=curated, countries=drawing.countries)
    data["base"] = base or basemaps.OFFLINE_BASEMAP
    data["on"] = bool(base)
    return labels.PlaceLabels(data)


def page_head(m: folium.Map, title: str) -> None:
    """``<title>`` and ``lang`` of the page (the title is escaped text)."""
    from incidentmap.layers.escape import escape_text
    from incidentmap.layers.page import add_raw

    # verbatim (never compiled as a template); the text escaped for HTML
    add_raw(m.get_root(), "header", f"<title>{escape_text(title)}</title>", name="im_title")


def render_html(m: folium.Map, *, assets: str, cache_dir=None) -> str:
    """Render ``m`` to HTML; ``assets`` is ``"inline"`` (self-contained) or ``"cdn"`` (links)."""
    html = m.get_root().render()
    html = html.replace("<html>", '<html lang="en">', 1)
    if assets == "inline":
        html = inline_assets(html, cache_dir=cache_dir)
    elif assets != "cdn":
        raise ValueError(f"assets {assets!r} must be 'inline' or 'cdn'")
    return html


def choose_assets(mode: str, *, cache_dir=None, fetch=None) -> tuple[str, str | None]:
    """Resolve the ``--offline`` / ``--cdn`` / default choice to ``inline`` or ``cdn``.

    ``mode``:

    * ``"offline"``: inline; the cache must be complete (no network at all), else an error
      that says to run ``incidentmap assets``;
    * ``"cdn"``: link the CDNs;
    * ``"auto"`` (the default of ``incidentmap build``): inline when the cache is complete;
      otherwise fill it first with ``fetch`` (default :func:`layers.assets.fetch_assets`, i.e.
      ``npm pack`` from the npm registry, logged) and inline; if that fails (no npm, no
      network), link the CDNs and say so.

    Returns ``(choice, note)``; ``note`` is a warning for the user or ``None``.
    """
    from incidentmap.geo.errors import AssetError, AssetMissingError
    from incidentmap.layers.assets import fetch_assets

    if mode == "cdn":
        return "cdn", None
    missing = missing_packages(cache_dir=cache_dir)
    if not missing:
        return "inline", None
    if mode == "offline":
        raise AssetMissingError(
            f"--offline needs the map assets in the local cache, and {len(missing)} npm packages "
            f"are missing ({', '.join(missing[:3])}{' …' if len(missing) > 3 else ''}); "
            "run `incidentmap assets` once while the npm registry is reachable"
        )
    if mode != "auto":
        raise ValueError(f"asset mode {mode!r} must be 'auto', 'offline' or 'cdn'")
    logger.warning(
        "first build: fetching %d npm packages (Leaflet and plugins, the versions folium uses) "
        "into the asset cache; later builds use the cache",
        len(missing),
    )
    try:
        (fetch or fetch_assets)(cache_dir=cache_dir)
    except AssetError as exc:
        return "cdn", (
            f"could not fetch the map assets ({exc}); the HTML links Leaflet and plugins from "
            "CDNs and needs a network to open. Run `incidentmap assets` when the npm registry "
            "is reachable for self-contained offline maps"
        )
    still = missing_packages(cache_dir=cache_dir)
    if still:
        return "cdn", f"asset cache still lacks {', '.join(still)}; the HTML links CDNs"
    return "inline", None


def write_map(
    spec: MapSpec,
    enriched,
    *,
    out_dir,
    assets: str = "inline",
    cache_dir=None,
    drawing: DrawingData | None = None,
    extra_left_out=(),
    tracks_dir=None,
    progress=None,
    more_steps=None,
) -> BuildReport:
    """Select, build, render and write ``<out_dir>/<name>.html`` and ``<name>.report.json``.

    ``progress(text)`` (optional) is called at each of the :data:`WRITE_STEPS` steps, and once
    more per incident kind drawn, announced first through ``more_steps(n)``.
    """
    step = progress or (lambda text: None)
    t0 = time.perf_counter()
    step(f"{spec.name}: selecting incidents")
    selected, report = select_incidents(enriched, spec)
    report.left_out.extend(extra_left_out)
    step(f"{spec.name}: borders, bands and basemap")
    drawing = drawing or drawing_data(spec)
    kinds = [k for k in spec.kinds if len(selected) and (selected["kind"] == k).any()]
    if more_steps is not None and "incidents" in spec.layers:
        more_steps(len(kinds))
    step(f"{spec.name}: layers")
    m = build_map(
        spec,
        selected,
        drawing,
        offline=(assets == "inline"),
        tracks_dir=tracks_dir,
        progress=progress if "incidents" in spec.layers else None,
    )
    step(f"{spec.name}: rendering {len(selected)} incidents to HTML")
    html = render_html(m, assets=assets, cache_dir=cache_dir)
    step(f"{spec.name}: writing the page and the report")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"{spec.name}.html"
    html_path.write_text(html, encoding="utf-8")
    report.html = html_path.name  # relative to the report, which sits next to it
    report.html_bytes = html_path.stat().st_size
    report.assets = assets
    report.build_s = round(time.perf_counter() - t0, 2)
    if drawing.bands is not None and len(drawing.bands):
        report.notes.append(
            "distance bands geodesic within "
            f"{float(drawing.bands['error_bound_m'].max()):.1f} m (piecewise azimuthal equidistant)"
        )
    (out_dir / f"{spec.name}.report.json").write_text(report.to_json(), encoding="utf-8")
    logger.info("wrote %s (%d bytes)", html_path, report.html_bytes)
    return report
