"""From a map spec (``maps/<name>.toml``) and enriched incidents to ``<name>.html`` and a report.

A spec names the title, the extent (west, south, east, north), the date range and the layers::

    title = "The Danube at Izmail, Reni, Plauru and Galați"
    extent = {west = 27.7, south = 45.0, east = 29.2, north = 45.65}
    dates = {start = 2022-02-24, end = 2026-12-31}
    layers = ["countries", "neighbours", "seas", "status_areas", "bands", "border",
              "incidents", "heatmap", "timeslider", "legend", "measure", "fullscreen",
              "minimap", "search"]
    bands_km = [5, 10, 25, 50]

Every incident is either drawn or left out with a reason (:class:`BuildReport`); nothing is
dropped silently.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import math
import tomllib
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

import folium
import shapely

from incidentmap.geo.errors import MapSpecError
from incidentmap.layers import areas, basemaps, borderbands, controls, countries, incidents
from incidentmap.layers.assets import UNUSED_FOLIUM_CSS, inline_assets, missing_packages

logger = logging.getLogger(__name__)

ALL_LAYERS = (
    "countries",
    "neighbours",
    "seas",
    "status_areas",
    "bands",
    "border",
    "flight_bands",
    "tracks",
    "incidents",
    "heatmap",
    "timeslider",
    "legend",
    "measure",
    "fullscreen",
    "minimap",
    "search",
)


#: Credit for the border polygons every map draws (geo/data, from @geo-maps packages).
BORDER_ATTRIBUTION = "Borders © OpenStreetMap contributors (ODbL), via geo-maps"

#: folium.Map's default scripts and stylesheets that our maps keep.
MAP_JS = ("leaflet",)
MAP_CSS = ("leaflet_css", "awesome_markers_font_css")


@dataclass(frozen=True)
class MapSpec:
    """What one map shows."""

    name: str
    title: str
    west: float
    south: float
    east: float
    north: float
    start: dt.date
    end: dt.date
    layers: tuple[str, ...] = ALL_LAYERS
    subtitle: str = ""
    nato_as_of: dt.date | None = None
    bands_km: tuple[float, ...] = (5.0, 10.0, 25.0, 50.0)
    kinds: tuple[str, ...] = incidents.KINDS
    flight_speed_kmh: float = 200.0
    flight_minutes: tuple[float, ...] = (2.0, 5.0, 10.0, 15.0)

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) in degrees."""
        return (self.west, self.south, self.east, self.north)

    @property
    def as_of(self) -> dt.date:
        """The date NATO membership is drawn for."""
        return self.nato_as_of or self.end


def _date(value, what: str, path) -> dt.date:
    if value == "today":
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise MapSpecError(f"{path}: {what} {value!r} is not a date like 2025-09-10") from None


def parse_spec(data: dict, *, name: str, path="<spec>") -> MapSpec:
    """Check a spec's dict (as read from TOML) and return a :class:`MapSpec`."""
    for key in ("title", "extent", "dates"):
        if key not in data:
            raise MapSpecError(f"{path}: missing key {key!r}")
    extent = data["extent"]
    try:
        west, south, east, north = (float(extent[k]) for k in ("west", "south", "east", "north"))
    except (KeyError, TypeError, ValueError):
        raise MapSpecError(
            f"{path}: extent {extent!r} needs numbers west, south, east, north (degrees)"
        ) from None
    if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
        hint = ""
        if max(abs(south), abs(north)) > 90 and max(abs(west), abs(east)) <= 90:
            hint = "; were longitude and latitude swapped?"
        raise MapSpecError(
            f"{path}: extent west={west} south={south} east={east} north={north} is not a box "
            f"with west < east in [-180, 180] and south < north in [-90, 90]{hint}"
        )
    dates = data["dates"]
    start = _date(dates.get("start"), "dates.start", path)
    end = _date(dates.get("end"), "dates.end", path)
    if end < start:
        raise MapSpecError(f"{path}: dates.end {end} is before dates.start {start}")
    layers = tuple(data.get("layers", ALL_LAYERS))
    unknown = [x for x in layers if x not in ALL_LAYERS]
    if unknown:
        raise MapSpecError(f"{path}: unknown layers {unknown}; known: {', '.join(ALL_LAYERS)}")
    kinds = tuple(data.get("kinds", incidents.KINDS))
    bad = [k for k in kinds if k not in incidents.KINDS]
    if bad:
        raise MapSpecError(f"{path}: unknown kinds {bad}; known: {', '.join(incidents.KINDS)}")
    bands_km = tuple(float(b) for b in data.get("bands_km", (5, 10, 25, 50)))
    flight = data.get("flight_bands", {})
    try:
        flight_speed_kmh = float(flight.get("speed_kmh", 200.0))
        flight_minutes = tuple(float(m) for m in flight.get("minutes", (2, 5, 10, 15)))
    except (AttributeError, TypeError, ValueError):
        raise MapSpecError(
            f"{path}: flight_bands {flight!r} needs speed_kmh (a number) and minutes (a list)"
        ) from None
    as_of = data.get("nato_as_of")
    return MapSpec(
        name=name,
        title=str(data["title"]),
        subtitle=str(data.get("subtitle", "")),
        west=west,
        south=south,
        east=east,
        north=north,
        start=start,
        end=end,
        layers=layers,
        nato_as_of=_date(as_of, "nato_as_of", path) if as_of is not None else None,
        bands_km=bands_km,
        kinds=kinds,
        flight_speed_kmh=flight_speed_kmh,
        flight_minutes=flight_minutes,
    )


def load_spec(path) -> MapSpec:
    """Read ``maps/<name>.toml``."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise MapSpecError(f"{path}: not valid TOML: {exc}") from None
    return parse_spec(data, name=path.stem, path=path)


def load_specs(directory) -> list[MapSpec]:
    """Every ``*.toml`` spec in ``directory``, sorted by name."""
    return [load_spec(p) for p in sorted(Path(directory).glob("*.toml"))]


# -- selection and report ------------------------------------------------------------------------


@dataclass
class BuildReport:
    """Which incidents a map draws and which it leaves out, and why."""

    map: str
    title: str
    drawn: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    html: str | None = None
    html_bytes: int | None = None
    assets: str | None = None
    build_s: float | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line per map plus one line per reason, for stderr."""
        reasons: dict[str, int] = {}
        for item in self.left_out:
            key = item["reason"].split(":")[0]
            reasons[key] = reasons.get(key, 0) + 1
        lines = [
            f"{self.map}: {len(self.drawn)} incidents drawn, {len(self.left_out)} left out"
            + (
                f" -> {self.html} ({self.html_bytes / 1e6:.1f} MB, assets {self.assets})"
                if self.html
                else ""
            )
        ]
        lines += [f"  left out ({n}): {reason}" for reason, n in sorted(reasons.items())]
        lines += [f"  note: {n}" for n in self.notes]
        return "\n".join(lines)

    def to_json(self) -> str:
        """The report as JSON (dates as ISO strings)."""
        return json.dumps(asdict(self), indent=1, ensure_ascii=False, default=str)


def _day(value) -> dt.date | None:
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if hasattr(value, "date"):
        return value.date()
    return dt.date.fromisoformat(str(value)[:10])


def select_incidents(enriched, spec: MapSpec) -> tuple[object, BuildReport]:
    """Split enriched incidents into the rows the map draws and a report of the rest.

    Reasons, checked in this order: no coordinates; kind not on this map; outside the date
    range (the incident's ``[date_start, date_end]`` does not meet the map's); outside the extent.
    """
    report = BuildReport(map=spec.name, title=spec.title)
    keep = np.zeros(len(enriched), dtype=bool)
    geoms = enriched.geometry.values if len(enriched) else []
    for i, row in enumerate(enriched.itertuples(index=False)):
        ident = getattr(row, "event_id_cnty", None) or f"row {i}"
        geom = geoms[i]
        start = _day(getattr(row, "date_start", None)) or _day(getattr(row, "event_date", None))
        end = _day(getattr(row, "date_end", None)) or start
        reason = None
        if geom is None or geom.is_empty or not np.all(np.isfinite(shapely.get_coordinates(geom))):
            reason = "no coordinates: the place could not be geocoded"
        elif row.kind not in spec.kinds:
            reason = f"kind not on this map: {row.kind}"
        elif start is None or end < spec.start or start > spec.end:
            reason = (
                f"outside the date range: {start} – {end} does not meet {spec.start} – {spec.end}"
            )
        elif not (spec.west <= geom.x <= spec.east and spec.south <= geom.y <= spec.north):
            reason = f"outside the extent: ({geom.x:.4f}, {geom.y:.4f}) not in {spec.bbox}"
        if reason:
            report.left_out.append({"id": ident, "reason": reason})
            continue
        keep[i] = True
        report.drawn.append(
            {
                "id": ident,
                "kind": row.kind,
                "date_start": str(start),
                "date_end": str(end),
                "lon": round(float(geom.x), 6),
                "lat": round(float(geom.y), 6),
                "on_nato_soil": getattr(row, "on_nato_soil", None),
                "claim_status": getattr(row, "claim_status", None),
            }
        )
    return enriched[keep], report


# -- drawing data ---------------------------------------------------------------------------------


def drawing_tolerance_m(bbox) -> float:
    """Simplification tolerance for an extent: about 1/2000 of its diagonal, 30 m to 1.5 km."""
    west, south, east, north = bbox
    lat = math.radians((south + north) / 2)
    width_km = (east - west) * 111.32 * math.cos(lat)
    height_km = (north - south) * 110.57
    return float(min(1500.0, max(30.0, math.hypot(width_km, height_km) * 1000.0 / 2000.0)))


@dataclass
class DrawingData:
    """The polygons and lines a map draws (lon/lat), clipped to boxes around its extent.

    Detailed layers cover ``detail_box``; beyond it, ``context`` (coarse outlines) fills the
    rest of what a screen shows at the opening zoom and the minimap.
    """

    detail_box: tuple[float, float, float, float]
    countries: object
    land: object
    status_areas: object
    bands: object | None
    border: object | None
    context: object
    coarse_outlines_geojson: str


def _clamp(box):
    west, south, east, north = box
    return (max(-180.0, west), max(-85.0, south), min(180.0, east), min(85.0, north))


def view_boxes(bbox, *, aspect: float = 1.9) -> tuple[tuple, tuple]:
    """(detail_box, context_box) for an extent: what a screen of ``aspect`` (w/h) shows, padded.

    Leaflet fits the extent at a whole zoom level, so the screen may show up to twice the
    extent: the detail box is two such views wide, the context box six.
    """
    west, south, east, north = bbox
    cos_lat = max(math.cos(math.radians((south + north) / 2)), 0.1)
    width, height = east - west, north - south
    view_w = max(width, aspect * height / cos_lat)  # Mercator: a degree of lat ~ 1/cos(lat)
    view_h = max(height, width * cos_lat / aspect)
    cx, cy = (west + east) / 2, (south + north) / 2
    detail = _clamp((cx - 1.1 * view_w, cy - 1.1 * view_h, cx + 1.1 * view_w, cy + 1.1 * view_h))
    context = _clamp((cx - 3.0 * view_w, cy - 3.0 * view_h, cx + 3.0 * view_w, cy + 3.0 * view_h))
    return detail, context


def _rounded(gdf, decimals: int):
    """Round coordinates for drawing (4 decimals ≈ 11 m) so the HTML stays small."""
    out = gdf.copy()
    geoms = shapely.set_precision(out.geometry.values, 10.0**-decimals)
    polygons = shapely.get_dimensions(geoms) == 2
    out["geometry"] = np.where(polygons, areas.polygonal(geoms), geoms)
    return out[~out.geometry.is_empty]


def drawing_data(spec: MapSpec) -> DrawingData:
    """Load and clip the shipped border data for ``spec`` (uses :mod:`geo.borders`)."""
    from incidentmap.geo import bands as geo_bands
    from incidentmap.geo import borders

    box, context_box = view_boxes(spec.bbox)
    tolerance_m = drawing_tolerance_m(spec.bbox)
    tolerance_deg = tolerance_m / 111_320.0
    decimals = 4 if tolerance_m < 200 else 3
    world = _rounded(borders.countries_for_drawing(bbox=box, tolerance_m=tolerance_m), decimals)
    land = borders.load_land()
    land_parts = shapely.clip_by_rect(land.geometry.values, *box)  # simplify before union: faster
    land_geom = shapely.union_all(
        shapely.simplify(land_parts, tolerance_deg, preserve_topology=False)
    )
    land_df = _rounded(
        type(world)({"geometry": [land_geom]}, geometry="geometry", crs="EPSG:4326"), decimals
    )
    status = borders.load_status_areas()
    status = status[shapely.intersects(status.geometry.values, shapely.box(*box))].copy()
    status["geometry"] = shapely.simplify(
        shapely.clip_by_rect(status.geometry.values, *box), tolerance_deg
    )
    status = _rounded(status, decimals)
    bands = border = None
    if "bands" in spec.layers or "border" in spec.layers:
        bands, border = geo_bands.nato_distance_bands(
            on=spec.as_of, bbox=box, distances_km=spec.bands_km, simplify_m=tolerance_m / 2
        )
        bands = _rounded(bands, decimals)
    coarse = borders.countries_for_drawing(bbox=context_box, tolerance_m=5000.0)
    coarse = _rounded(coarse, 2)
    context = coarse.copy()
    context["geometry"] = shapely.difference(context.geometry.values, shapely.box(*box))
    context = context[~context.geometry.is_empty]
    return DrawingData(
        detail_box=box,
        countries=world,
        land=land_df,
        status_areas=status,
        bands=bands,
        border=border,
        context=context,
        coarse_outlines_geojson=coarse[["geometry"]].to_json(),
    )


# -- the map --------------------------------------------------------------------------------------


def _flight_bands_layer(spec: MapSpec):
    """Minutes of flight from the NATO border at the spec's speed (geo.intercept)."""
    from incidentmap.geo.intercept import flight_time_bands
    from incidentmap.layers.flight_bands import flight_bands_layer

    bands, _ = flight_time_bands(
        speed_kmh=spec.flight_speed_kmh, bbox=spec.bbox, minutes=spec.flight_minutes, on=spec.as_of
    )
    return flight_bands_layer(bands)


def _tracks_layer(spec: MapSpec, tracks_dir=None):
    """The seeded flight tracks that touch the extent and fly within the date range.

    ``tracks_dir``: the folder of track YAML files (default: the shipped seeds' tracks).
    """
    from incidentmap.geo.paths import seeds_folder
    from incidentmap.geo.track_files import load_seed_tracks
    from incidentmap.layers.tracks import analysed_tracks, tracks_layer

    tracks_dir = Path(tracks_dir) if tracks_dir is not None else seeds_folder().tracks
    if tracks_dir is None or not tracks_dir.is_dir():
        return None
    tracks = [
        t
        for t in load_seed_tracks(tracks_dir)
        if t.date is None or spec.start <= t.date <= spec.end
    ]
    items = analysed_tracks(tracks, bbox=spec.bbox)
    return tracks_layer(items) if items else None


def build_map(
    spec: MapSpec, selected, drawing: DrawingData, *, offline: bool, tracks_dir=None
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
    m.options["min_zoom"] = 3
    # markers are redrawn at each zoom end; animating them meanwhile only costs time
    m.options["marker_zoom_animation"] = False
    # Our maps use Leaflet and Font Awesome only: folium's other defaults (jQuery, Bootstrap,
    # awesome-markers, glyphicons) would cost parse and style time on every page for nothing.
    m.default_js = [j for j in m.default_js if j[0] in MAP_JS]
    m.default_css = [c for c in m.default_css if c[0] in MAP_CSS and c[0] not in UNUSED_FOLIUM_CSS]
    # no favicon request (offline pages make none at all)
    m.get_root().header.add_child(folium.Element('<link rel="icon" href="data:,">'), name="favicon")
    controls.FitBounds([[spec.south, spec.west], [spec.north, spec.east]]).add_to(m)
    layers = set(spec.layers)

    # base layers: offline basemap (under the tiles) + four tile services
    entry, underlay = basemaps.offline_basemap(
        drawing.land, drawing.countries, selected=offline, context=drawing.context
    )
    for element in underlay:
        element.add_to(m)
    entry.add_to(m)
    for tile in basemaps.tile_base_layers(selected=None if offline else "OpenStreetMap"):
        tile.add_to(m)

    # overlays, bottom to top
    if "countries" in layers:
        countries.nato_members_layer(drawing.countries, on=spec.as_of).add_to(m)
    if "neighbours" in layers:
        countries.neighbours_layer(drawing.countries).add_to(m)
    if "seas" in layers:
        seas = areas.territorial_seas(drawing.countries, drawing.land)
        areas.territorial_seas_layer(seas).add_to(m)
    if "status_areas" in layers:
        areas.status_areas_layer(drawing.status_areas).add_to(m)
    if "bands" in layers and drawing.bands is not None:
        borderbands.bands_layer(drawing.bands).add_to(m)
    if "border" in layers and drawing.border is not None:
        borderbands.border_line_layer(drawing.border, on=spec.as_of).add_to(m)
    if "flight_bands" in layers:
        _flight_bands_layer(spec).add_to(m)
    tracks_drawn = False
    if "tracks" in layers:
        group = _tracks_layer(spec, tracks_dir)
        if group is not None:
            group.add_to(m)
            tracks_drawn = True
    if "heatmap" in layers:
        controls.heat_layer(selected).add_to(m)
    if "incidents" in layers:
        for group in incidents.incident_layers(selected, kinds=spec.kinds):
            group.add_to(m)

    folium.LayerControl(collapsed=False, position="topright").add_to(m)
    controls.Attribution(BORDER_ATTRIBUTION, url="https://www.openstreetmap.org/copyright").add_to(
        m
    )
    controls.title_control(spec.title, spec.subtitle).add_to(m)
    if "legend" in layers:
        html = controls.legend_html(
            kinds=[k for k in spec.kinds if (selected["kind"] == k).any()] if len(selected) else (),
            era_colors=countries.ERA_COLORS if "countries" in layers else None,
            band_edges_km=spec.bands_km if "bands" in layers and drawing.bands is not None else (),
            neighbours=(
                countries.neighbours_present(drawing.countries) if "neighbours" in layers else ()
            ),
            status_kinds=(
                areas.status_kinds_present(drawing.status_areas) if "status_areas" in layers else ()
            ),
            territorial_seas="seas" in layers,
            border_line="border" in layers and drawing.border is not None,
            tracks=tracks_drawn,
            flight_minutes=spec.flight_minutes if "flight_bands" in layers else (),
            flight_speed_kmh=spec.flight_speed_kmh,
        )
        controls.legend_control(html).add_to(m)
    if "timeslider" in layers and len(selected):
        first = min(_day(d) for d in selected["date_start"])
        last = max(_day(d) for d in selected["date_end"])
        controls.TimeSlider(first, last).add_to(m)
    if "search" in layers:
        controls.IncidentSearch().add_to(m)
    if "measure" in layers:
        controls.measure_control().add_to(m)
    if "fullscreen" in layers:
        controls.fullscreen_control().add_to(m)
    if "minimap" in layers:
        controls.VectorMiniMap(drawing.coarse_outlines_geojson).add_to(m)
    return m


def render_html(m: folium.Map, *, assets: str, cache_dir=None) -> str:
    """Render ``m`` to HTML; ``assets`` is ``"inline"`` (self-contained) or ``"cdn"`` (links)."""
    html = m.get_root().render()
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
) -> BuildReport:
    """Select, build, render and write ``<out_dir>/<name>.html`` and ``<name>.report.json``."""
    import time

    t0 = time.perf_counter()
    selected, report = select_incidents(enriched, spec)
    report.left_out.extend(extra_left_out)
    drawing = drawing or drawing_data(spec)
    m = build_map(spec, selected, drawing, offline=(assets == "inline"), tracks_dir=tracks_dir)
    html = render_html(m, assets=assets, cache_dir=cache_dir)
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


def load_enriched(seeds_dir=None):
    """Load, validate and enrich the seed incidents (:func:`geo.enrich.load_catalog`).

    Returns ``(enriched, left_out)``: ``left_out`` lists records that never reach a map
    (rejected by the seed loader or by enrichment), each with its reason, so that every build
    report accounts for them.
    """
    from incidentmap.geo.enrich import load_catalog
    from incidentmap.geo.geocoding import Geocoder
    from incidentmap.geo.paths import seeds_folder

    folder = seeds_folder(seeds_dir)
    geocoder = None if folder.shipped else Geocoder.default(places_yaml=folder.places)
    catalog = load_catalog(folder.incidents, geocoder=geocoder)
    left_out = [
        {
            "id": r.event_id or f"{r.file}:{r.line}",
            "reason": f"rejected by the seed loader: {r.reason} ({r.file}:{r.line})",
        }
        for r in catalog.rejected
    ]
    left_out.extend(_enrich_failures(catalog.report))
    return catalog.frame, left_out


def _enrich_failures(enrich_report) -> list[dict]:
    """Failures listed by :func:`geo.enrich.enrich_incidents`'s report, whatever its shape."""
    failures = getattr(enrich_report, "failures", None)
    if failures is None and isinstance(enrich_report, dict):
        failures = enrich_report.get("failures") or enrich_report.get("failed")
    out = []
    for f in failures or ():
        ident = f.get("event_id_cnty") if isinstance(f, dict) else getattr(f, "event_id", None)
        reason = f.get("reason") if isinstance(f, dict) else getattr(f, "reason", str(f))
        out.append({"id": ident, "reason": f"not enriched: {reason}"})
    return out
