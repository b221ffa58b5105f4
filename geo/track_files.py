"""Reading flight tracks from files: GeoJSON, CSV (through :mod:`geo.tabular`), GPX and the
seed records of ``seeds/tracks/*.yaml``. Every reader ends in :func:`geo.tracks.make_track`,
so the rules of :mod:`geo.tracks` hold for every file; a file that breaks them is refused
with a :class:`TrackError` (or :class:`DataFileError` when it cannot be read at all).
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from pathlib import Path

from incidentmap.geo.errors import DataFileError, IncidentMapError, TabularInputError, TrackError
from incidentmap.geo.tabular import read_csv_text
from incidentmap.geo.tracks import Track, make_track

__all__ = [
    "load_seed_tracks",
    "parse_csv_track",
    "parse_geojson_track",
    "parse_gpx_track",
    "read_track",
]

_LON_NAMES = ("lon", "lng", "long", "longitude", "x")
_LAT_NAMES = ("lat", "latitude", "y")
_TIME_NAMES = ("time", "timestamp", "datetime", "date_time", "utc", "time_utc")


# ----------------------------------------------------------------------------------- GeoJSON


def _geojson_geometry(obj) -> tuple[dict, dict]:
    """The single track geometry of a GeoJSON object and the properties next to it."""
    if not isinstance(obj, dict) or "type" not in obj:
        raise TrackError("not a GeoJSON object: expected a mapping with a 'type'")
    kind = obj["type"]
    if kind == "FeatureCollection":
        feats = obj.get("features") or []
        lines = [f for f in feats if (f.get("geometry") or {}).get("type") in
                 ("LineString", "MultiPoint")]
        if len(lines) == 1:
            return lines[0]["geometry"], lines[0].get("properties") or {}
        if len(lines) > 1:
            raise TrackError(
                f"the FeatureCollection holds {len(lines)} LineString/MultiPoint features; "
                "give one track per file"
            )
        points = [f for f in feats if (f.get("geometry") or {}).get("type") == "Point"]
        if len(points) >= 1:
            coords = [f["geometry"]["coordinates"] for f in points]
            times = [(f.get("properties") or {}).get("time") for f in points]
            props = {"times": times} if any(t is not None for t in times) else {}
            return {"type": "MultiPoint", "coordinates": coords}, props
        raise TrackError(
            "the FeatureCollection holds no LineString, MultiPoint or Point features"
        )
    if kind == "Feature":
        geom = obj.get("geometry")
        if not geom:
            raise TrackError("the GeoJSON Feature has no geometry")
        return geom, obj.get("properties") or {}
    return obj, {}


def parse_geojson_track(text_or_obj, **labels) -> Track:
    """A track from GeoJSON: a LineString or MultiPoint (bare, in a Feature or a collection).

    Times come from the properties ``times`` or ``coordTimes`` (one per coordinate), or the
    ``time`` property of Point features; ``speed_kmh``, ``name``, ``approximate`` and
    ``source`` properties are used when present.
    """
    if isinstance(text_or_obj, (str, bytes)):
        try:
            obj = json.loads(text_or_obj)
        except json.JSONDecodeError as exc:
            raise TrackError(f"not valid JSON: {exc}") from None
    else:
        obj = text_or_obj
    geom, props = _geojson_geometry(obj)
    kind = geom.get("type")
    if kind not in ("LineString", "MultiPoint"):
        hint = "; give one LineString per track" if kind == "MultiLineString" else ""
        raise TrackError(f"a track must be a LineString or MultiPoint, not a {kind}{hint}")
    coords = geom.get("coordinates")
    if not isinstance(coords, list) or not all(
        isinstance(c, (list, tuple)) and len(c) >= 2 for c in coords
    ):
        raise TrackError("GeoJSON coordinates must be a list of [lon, lat] positions")
    times = props.get("times", props.get("coordTimes"))
    kwargs = {
        "name": props.get("name"),
        "speed_kmh": props.get("speed_kmh"),
        "approximate": bool(props.get("approximate", False)),
        "note": props.get("note"),
    }
    if props.get("source"):
        kwargs["sources"] = (props["source"],) if isinstance(props["source"], dict) else (
            {"title": str(props["source"])},)
    kwargs.update({k: v for k, v in labels.items() if v is not None})
    return make_track([c[0] for c in coords], [c[1] for c in coords], times, **kwargs)


# --------------------------------------------------------------------------------------- CSV


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    folded = [h.strip().lower() for h in header]
    for n in names:
        if n in folded:
            return folded.index(n)
    return None


def parse_csv_track(text: str, **labels) -> Track:
    """A track from CSV text with a header: ``lon``/``lat`` (or longitude, latitude, lng, x, y)
    and optionally ``time``, one row per point in flight order. The file is read as every
    CSV of this project is (:func:`geo.tabular.read_csv_text`: delimiter sniffing, BOM)."""
    try:
        got = read_csv_text(text, "the CSV file")
    except TabularInputError as exc:
        raise TrackError(str(exc)) from None
    header = [str(c) for c in got.table.columns]
    i_lon, i_lat = _column(header, _LON_NAMES), _column(header, _LAT_NAMES)
    if i_lon is None or i_lat is None:
        raise TrackError(
            f"the CSV header {header!r} needs a longitude and a latitude column "
            "(named lon and lat, or longitude and latitude)"
        )
    i_time = _column(header, _TIME_NAMES)
    lon, lat, times = [], [], []
    for n, (r, problem) in enumerate(
        zip(got.table.itertuples(index=False), got.row_errors, strict=True), 2
    ):
        if problem:  # a field too many or too few: the columns may be shifted
            raise TrackError(f"CSV line {n}: {problem}")
        try:
            lon.append(float(r[i_lon]))
            lat.append(float(r[i_lat]))
        except ValueError:
            raise TrackError(f"CSV line {n}: {list(r)!r} has no numeric lon and lat") from None
        if i_time is not None:
            times.append(r[i_time].strip() or None)
    if not lon:
        raise TrackError("the CSV file has a header but no points")
    return make_track(lon, lat, times if i_time is not None else None, **labels)


# --------------------------------------------------------------------------------------- GPX


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def parse_gpx_track(text: str | bytes, **labels) -> Track:
    """A track from GPX: the points of the file's track (all its segments, in order), or of
    its route when it has no track. A file with neither, or with several tracks, is refused."""
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise TrackError(f"not valid GPX (XML): {exc}") from None
    if _local(root.tag) != "gpx":
        raise TrackError(f"not a GPX file: the root element is <{_local(root.tag)}>, not <gpx>")
    tracks = [e for e in root if _local(e.tag) == "trk"]
    routes = [e for e in root if _local(e.tag) == "rte"]
    if len(tracks) > 1:
        raise TrackError(f"the GPX file holds {len(tracks)} tracks; give one track per file")
    if tracks:
        points = [p for seg in tracks[0] if _local(seg.tag) == "trkseg"
                  for p in seg if _local(p.tag) == "trkpt"]
        source = tracks[0]
    elif len(routes) == 1:
        points = [p for p in routes[0] if _local(p.tag) == "rtept"]
        source = routes[0]
    else:
        n_wpt = sum(1 for e in root if _local(e.tag) == "wpt")
        what = f"{len(routes)} routes" if routes else f"only {n_wpt} waypoints (<wpt>)"
        raise TrackError(f"the GPX file has no track (<trk>); it holds {what}")
    lon, lat, times = [], [], []
    for i, p in enumerate(points, 1):
        try:
            lat.append(float(p.attrib["lat"]))
            lon.append(float(p.attrib["lon"]))
        except (KeyError, ValueError):
            raise TrackError(f"GPX point {i} lacks numeric lat and lon attributes") from None
        t = next((c.text for c in p if _local(c.tag) == "time"), None)
        times.append(t.strip() if t and t.strip() else None)
    name = next((c.text for c in source if _local(c.tag) == "name"), None)
    kwargs = {"name": name}
    kwargs.update({k: v for k, v in labels.items() if v is not None})
    return make_track(lon, lat, times if any(times) else None, **kwargs)


# ------------------------------------------------------------------------------- seed tracks


def _plain(value):
    """YAML values as JSON-ready ones (dates become ISO strings)."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _seed_record(rec, where: str) -> Track:
    if not isinstance(rec, dict):
        raise TrackError(f"{where}: a track record must be a mapping")
    for key in ("id", "points"):
        if key not in rec:
            raise TrackError(f"{where}: missing key {key!r}")
    points = rec["points"]
    if not isinstance(points, list):
        raise TrackError(f"{where}: points must be a list of {{lon, lat, time, note}}")
    lon, lat, times, notes = [], [], [], []
    for i, p in enumerate(points, 1):
        if not isinstance(p, dict) or "lon" not in p or "lat" not in p:
            raise TrackError(f"{where}: point {i} must be a mapping with lon and lat")
        lon.append(p["lon"])
        lat.append(p["lat"])
        t = p.get("time")
        times.append(t.isoformat() if isinstance(t, dt.datetime) else t)
        notes.append(p.get("note") or "")
    try:
        return make_track(
            lon, lat, times if any(t is not None for t in times) else None,
            speed_kmh=rec.get("speed_kmh"), name=str(rec["id"]), incident=rec.get("incident"),
            approximate=bool(rec.get("approximate", False)),
            sources=tuple(_plain(s) for s in rec.get("sources") or ()),
            note=rec.get("note"), date=rec.get("date"), notes=tuple(notes),
            method=rec.get("method"),
        )
    except IncidentMapError as exc:
        raise TrackError(f"{where} ({rec['id']}): {exc}") from None


def load_seed_tracks(paths_or_dir) -> list[Track]:
    """All track records of YAML files (or a directory of them) in ``seeds/tracks`` format."""
    import yaml

    paths = [paths_or_dir] if isinstance(paths_or_dir, (str, Path)) else list(paths_or_dir)
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        elif p.exists():
            files.append(p)
        else:
            raise DataFileError(f"track path {str(p)!r} does not exist")
    out: list[Track] = []
    for f in files:
        try:
            data = yaml.safe_load(f.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise TrackError(f"{f}: not valid YAML: {exc}") from None
        if data is None:
            continue
        records = data if isinstance(data, list) else [data]
        for i, rec in enumerate(records, 1):
            out.append(_seed_record(rec, f"{f} record {i}"))
    return out


def read_track(path, *, name: str | None = None) -> Track:
    """Read one track from a file, by extension: .geojson/.json, .csv, .gpx, .yaml/.yml."""
    p = Path(path)
    if not p.is_file():
        raise DataFileError(f"track file {str(p)!r} does not exist")
    suffix = p.suffix.lower()
    labels = {"name": name or p.stem}
    if suffix in (".yaml", ".yml"):
        tracks = load_seed_tracks(p)
        if len(tracks) != 1:
            ids = ", ".join(t.name or "?" for t in tracks)
            raise TrackError(f"{p} holds {len(tracks)} tracks ({ids}); give one of the ids")
        return tracks[0]
    try:
        text = p.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise DataFileError(f"cannot read track file {p}: {exc}") from None
    if suffix in (".geojson", ".json"):
        return parse_geojson_track(text, **labels)
    if suffix == ".csv":
        return parse_csv_track(text, **labels)
    if suffix == ".gpx":
        return parse_gpx_track(text.encode("utf-8"), **labels)
    raise TrackError(
        f"unknown track file type {suffix!r} for {p.name}; use .geojson, .json, .csv, .gpx or .yaml"
    )
