"""Territory checks: which country, land or sea, NATO or not (as of a date), and how far from
the NATO border — for one point or a million.

Sovereignty and distances use the 10 m territory partition (``geo.borders``); land versus
territorial sea uses the land mask (100 m in Europe and Turkey, 1 km elsewhere). Distances are
geodesic on the WGS84 ellipsoid (``geo.segment_distance``), signed: positive inside NATO
territory (members' land plus territorial sea on that date), negative outside.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import threading
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

import shapely

from incidentmap.geo import borders, nato
from incidentmap.geo.boundary import BoundarySegments, load_segments
from incidentmap.geo.coords import coordinate_problems, parse_date, validate_lonlat

log = logging.getLogger(__name__)

#: Below this many points, locate with an STRtree instead of building the grid index.
SMALL_BATCH = 2_000
#: From this many points on, the grid index runs on all cores.
PARALLEL_BATCH = 100_000

#: The polygons end at 85.05113° S (the Web Mercator limit); south of it is Antarctica's land.
ANTARCTIC_DATA_LIMIT_LAT = -85.05113

ZONES = ("land", "territorial_sea", "international_waters")
INTERNATIONAL_WATERS = "international_waters"


@dataclass(frozen=True)
class TerritoryAnswer:
    """The answer for one point; field names are the CLI's JSON keys."""

    lat: float
    lon: float
    country: str | None
    country_name: str | None
    zone: str
    nato_member: bool
    nato_since: str | None
    article_6_area: bool
    status_note: str | None
    distance_to_nato_border_km: float | None
    nearest_border_point: dict | None
    across: str | None
    accuracy_m: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CountryDistance:
    """Signed geodesic distance to one country's border (positive inside it)."""

    country: str
    distance_km: float
    inside: bool
    nearest_border_point: dict
    lat: float
    lon: float

    def to_dict(self) -> dict:
        return asdict(self)


class _Locator:
    """Exact point-in-polygon over a fixed list of polygons (lowest row wins)."""

    def __init__(self, geoms):
        self.geoms = np.asarray(geoms, dtype=object)
        self._tree = None
        self._index = None
        self._lock = threading.Lock()

    def _small(self, lon, lat):
        """Exact shapely predicate: STRtree candidates, then prepared ``intersects``."""
        if self._tree is None:
            shapely.prepare(self.geoms)
            self._tree = shapely.STRtree(self.geoms)
        out = np.full(len(lon), -1, dtype=np.int32)
        pts = shapely.points(lon, lat)
        p_idx, g_idx = self._tree.query(pts)
        hit = shapely.intersects(self.geoms[g_idx], pts[p_idx])
        p_idx, g_idx = p_idx[hit], g_idx[hit]
        order = np.lexsort((g_idx, p_idx))  # by point, then lowest row first
        p_idx, g_idx = p_idx[order], g_idx[order]
        first = np.ones(len(p_idx), dtype=bool)
        first[1:] = p_idx[1:] != p_idx[:-1]
        out[p_idx[first]] = g_idx[first]
        return out

    def __call__(self, lon, lat) -> np.ndarray:
        lon = np.ascontiguousarray(lon, dtype=np.float64)
        lat = np.ascontiguousarray(lat, dtype=np.float64)
        if len(lon) < SMALL_BATCH and self._index is None:
            return self._small(lon, lat)
        with self._lock:
            if self._index is None:
                from incidentmap.geo.point_index import PolygonIndex

                self._index = PolygonIndex(self.geoms)
        # numba threads pay off on large batches only
        return self._index.locate(lon, lat, parallel=len(lon) >= PARALLEL_BATCH)


class Territory:
    """The loaded border data and its lazily built indexes. Use :func:`territory`."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder
        countries = borders.load_countries(folder)
        self.a3 = countries.a3.to_numpy(dtype=object)
        self.names = countries["name"].to_numpy(dtype=object)
        self.sovereign = countries.sovereign.to_numpy(dtype=object)
        self.locate = _Locator(countries.geometry.values)
        land = borders.load_land(folder)
        self.land_accuracy_m = land.accuracy_m.to_numpy()
        self.locate_land = _Locator(land.geometry.values)
        self.box = borders.europe_turkey_box(folder)
        status = borders.load_status_areas(folder)
        self.status_notes = status.status_note.to_numpy(dtype=object)
        self.locate_status = _Locator(status.geometry.values)
        self.row_notes = _territory_notes()
        notes = [self.row_notes.get(a) for a in self.a3]
        self.row_note = np.array(notes + [None], dtype=object)  # last entry: no row
        since = [nato.member_since(s) for s in self.sovereign]
        self.row_since = np.array([str(d) if d else None for d in since] + [None], dtype=object)
        self.antarctica = int(np.flatnonzero(self.a3 == "ATA")[0]) if "ATA" in self.a3 else -1
        self._segments: BoundarySegments | None = None
        self._nato_indexes: dict = {}
        self._country_indexes: dict = {}
        self._lock = threading.Lock()

    # -- boundary indexes ---------------------------------------------------------------
    def segments(self) -> BoundarySegments:
        with self._lock:
            if self._segments is None:
                self._segments = load_segments(self.locate, folder=self.folder)
            return self._segments

    def member_rows(self, on: dt.date) -> np.ndarray:
        current = nato.members(on=on)
        return np.array([s in current for s in self.sovereign], dtype=bool)

    def nato_index(self, on: dt.date):
        """(segments, SegmentDistanceIndex) of the NATO border on ``on``; None if no members."""
        member = self.member_rows(on)
        key = member.tobytes()
        if key not in self._nato_indexes:
            from incidentmap.geo.segment_distance import SegmentDistanceIndex

            segs = self.segments()
            out_member = np.where(segs.outside >= 0, member[np.maximum(segs.outside, 0)], False)
            mask = member[segs.inside] & ~out_member & (segs.outside != -2)
            sub = segs.subset(mask)
            log.info("NATO border on %s: %d segments", on, len(sub))
            index = None
            if len(sub):
                index = SegmentDistanceIndex(sub.lon0, sub.lat0, sub.lon1, sub.lat1)
            self._nato_indexes[key] = (sub, index)
        return self._nato_indexes[key]

    def country_rows(self, iso3: str) -> np.ndarray:
        """Rows of a state: its own row and its dependent territories (NOR: NOR and SJM)."""
        code = borders.resolve_country_code(iso3, self.folder)
        return np.flatnonzero((self.a3 == code) | (self.sovereign == code))

    def country_index(self, rows: tuple[int, ...]):
        """Segments between the territory of ``rows`` and everything else."""
        if rows not in self._country_indexes:
            from incidentmap.geo.segment_distance import SegmentDistanceIndex

            segs = self.segments()
            member = np.zeros(len(self.a3) + 1, dtype=bool)
            member[list(rows)] = True
            outside = np.where(segs.outside >= 0, segs.outside, len(self.a3))
            sub = segs.subset(member[segs.inside] & ~member[outside] & (segs.outside != -2))
            self._country_indexes[rows] = SegmentDistanceIndex(
                sub.lon0, sub.lat0, sub.lon1, sub.lat1
            )
        return self._country_indexes[rows]

    # -- answers --------------------------------------------------------------------------
    def zones(self, lon, lat, row) -> tuple[np.ndarray, np.ndarray]:
        """Zone codes (indexes into :data:`ZONES`) and the accuracy (m) of each answer."""
        land_row = self.locate_land(lon, lat)
        on_land = (land_row >= 0) | (lat < ANTARCTIC_DATA_LIMIT_LAT)
        zone = np.where(row < 0, 2, np.where(on_land, 0, 1)).astype(np.int8)
        west, south, east, north = self.box
        in_box = (lon >= west) & (lon <= east) & (lat >= south) & (lat <= north)
        coast_acc = np.where(in_box, self.land_accuracy_m[0], self.land_accuracy_m[1])
        accuracy = np.where(row < 0, borders.SOVEREIGNTY_ACCURACY_M, coast_acc)
        return zone, accuracy.astype(int)

    def classify_arrays(self, lon, lat, *, on: dt.date, distance: bool = True) -> pd.DataFrame:
        """Answers for valid coordinate arrays (no validation here).

        Text columns are pandas categoricals built from per-row codes, so a million answers
        cost a few array operations.
        """
        lon = np.ascontiguousarray(lon, dtype=np.float64)
        lat = np.ascontiguousarray(lat, dtype=np.float64)
        n = len(lon)
        row = self.locate(lon, lat)
        # The data stops at the Web Mercator limit; south of it lies only Antarctica.
        row = np.where((lat < ANTARCTIC_DATA_LIMIT_LAT) & (row < 0), self.antarctica, row)
        has = row >= 0
        safe = np.maximum(row, 0)
        member_rows = self.member_rows(on)
        member = has & member_rows[safe]
        art6 = member & nato.article_6_area_by_row(self.a3, np.where(has, row, -1), lon, lat)
        zone, accuracy = self.zones(lon, lat, row)
        status_row = self.locate_status(lon, lat)
        n_rows = len(self.a3)
        # notes: status areas first (codes 0..k-1), then per-row notes (codes k + row)
        note_code = np.where(status_row >= 0, status_row, len(self.status_notes) + row)
        note_code = np.where((status_row < 0) & ~has, -1, note_code)
        out = pd.DataFrame(
            {
                "lat": lat,
                "lon": lon,
                "country": _labels(row, self.a3),
                "country_name": _labels(row, self.names),
                "zone": _labels(zone, np.array(ZONES, dtype=object)),
                "nato_member": member,
                "nato_since": _labels(np.where(member, row, -1), self.row_since[:n_rows]),
                "article_6_area": art6,
                "status_note": _labels(
                    note_code, np.concatenate([self.status_notes, self.row_note[:n_rows]])
                ),
            }
        )
        dist = np.full(n, np.nan)
        near_lon = np.full(n, np.nan)
        near_lat = np.full(n, np.nan)
        across = _labels(np.full(n, -1), np.array([INTERNATIONAL_WATERS], dtype=object))
        if distance and n:
            segs, index = self.nato_index(on)
            if index is not None:
                res = index.nearest(lon, lat)
                sign = np.where(member, 1.0, -1.0)
                dist = sign * np.asarray(res.distance_m) / 1000.0
                near_lon, near_lat = np.asarray(res.lon), np.asarray(res.lat)
                seg = np.asarray(res.segment)
                other = np.where(member, segs.outside[seg], segs.inside[seg])
                # codes 0..n_rows-1 are territories, n_rows is international waters
                across = _labels(
                    np.where(other >= 0, other, n_rows),
                    np.concatenate([self.a3, [INTERNATIONAL_WATERS]]),
                )
        out["distance_to_nato_border_km"] = dist
        out["nearest_border_lon"] = near_lon
        out["nearest_border_lat"] = near_lat
        out["across"] = across
        out["accuracy_m"] = accuracy
        return out


def _labels(codes, values) -> pd.Categorical:
    """``values[codes]`` as a categorical (code -1 → missing), without per-point strings."""
    values = np.asarray(values, dtype=object)
    uniq, inverse = np.unique(np.array([str(v) for v in values]), return_inverse=True)
    # one lookup table; its last entry (-1) serves code -1 and values that are None
    lut = np.append(np.where([v is not None for v in values], inverse, -1), -1)
    return pd.Categorical.from_codes(lut[np.asarray(codes)], categories=uniq)


@cache
def territory(folder: str | None = None) -> Territory:
    """The shared :class:`Territory` for the shipped data (or ``folder``)."""
    return Territory(Path(folder) if folder else None)


@cache
def _territory_notes() -> dict[str, str]:
    import csv
    from importlib import resources

    text = (
        resources.files("incidentmap.geo")
        .joinpath("data")
        .joinpath("territories.csv")
        .read_text(encoding="utf-8")
    )
    return {r["a3"]: r["status_note"] for r in csv.DictReader(text.splitlines())}


def _answer_from_row(r) -> TerritoryAnswer:
    def opt(v):
        return None if v is None or (isinstance(v, float) and math.isnan(v)) else v

    dist = opt(r["distance_to_nato_border_km"])
    point = None
    if dist is not None:
        point = {
            "lat": round(float(r["nearest_border_lat"]), 7),
            "lon": round(float(r["nearest_border_lon"]), 7),
        }
    return TerritoryAnswer(
        lat=float(r["lat"]),
        lon=float(r["lon"]),
        country=opt(r["country"]),
        country_name=opt(r["country_name"]),
        zone=r["zone"],
        nato_member=bool(r["nato_member"]),
        nato_since=opt(r["nato_since"]),
        article_6_area=bool(r["article_6_area"]),
        status_note=opt(r["status_note"]),
        distance_to_nato_border_km=None if dist is None else round(float(dist), 4),
        nearest_border_point=point,
        across=opt(r["across"]),
        accuracy_m=int(r["accuracy_m"]),
    )


def classify(lon, lat, *, on=None, distance: bool = True) -> TerritoryAnswer:
    """Answer for one point (lon, lat) as of date ``on`` (default today).

    Raises InvalidCoordinateError / InvalidDateError for bad input.
    """
    p = validate_lonlat(lon, lat)
    day = parse_date(on)
    df = territory().classify_arrays(
        np.array([p.lon]), np.array([p.lat]), on=day, distance=distance
    )
    return _answer_from_row(df.iloc[0])


def classify_many(lon, lat, *, on=None, distance: bool = True) -> pd.DataFrame:
    """Vectorised answers; rows with unusable coordinates get a reason in column ``error``.

    Exactly as many rows out as in, in the same order.
    """
    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"lon has {lon.size} values but lat has {lat.size}")
    day = parse_date(on)
    problems = coordinate_problems(lon, lat)
    ok = np.array([p is None for p in problems], dtype=bool)
    good = territory().classify_arrays(lon[ok], lat[ok], on=day, distance=distance)
    good.index = np.flatnonzero(ok)
    out = good.reindex(range(len(lon)))
    out["lat"] = lat
    out["lon"] = lon
    out["error"] = pd.Series(problems, index=out.index, dtype=object)
    for col in ("nato_member", "article_6_area"):
        out[col] = out[col].astype(object).where(ok, None)
    out["accuracy_m"] = out["accuracy_m"].astype(object).where(ok, None)
    return out


#: Columns :func:`classify_frame` adds (the nearest border point is split in two).
ANSWER_COLUMNS = (
    "country",
    "country_name",
    "zone",
    "nato_member",
    "nato_since",
    "article_6_area",
    "status_note",
    "distance_to_nato_border_km",
    "nearest_border_lat",
    "nearest_border_lon",
    "across",
    "accuracy_m",
    "error",
)


def classify_frame(frame, *, on=None, distance: bool = True):
    """The rows of a GeoDataFrame of points with the answers added as columns.

    Same rows, same order; a row whose geometry is missing or not a point gets a reason in
    ``error`` instead of answers. The input is not modified.
    """
    geoms = np.asarray(frame.geometry.values, dtype=object)
    is_point = np.array(
        [g is not None and not g.is_empty and g.geom_type == "Point" for g in geoms], dtype=bool
    )
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    if is_point.any():
        xy = shapely.get_coordinates(geoms[is_point])
        lon[is_point], lat[is_point] = xy[:, 0], xy[:, 1]
    answers = classify_many(lon, lat, on=on, distance=distance)
    answers.loc[~is_point, "error"] = "geometry is not a point"
    out = frame.copy()
    for col in ANSWER_COLUMNS:
        out[col] = answers[col].to_numpy()
    return out


def distance_to_country_border(lon, lat, iso3: str) -> CountryDistance:
    """Signed geodesic distance from (lon, lat) to the border of a state (positive inside).

    The state's territory includes its dependent territories (Norway: Svalbard and Jan Mayen;
    Denmark: Greenland and the Faroes). ``iso3`` may also be an alpha-2 code or a name.
    """
    p = validate_lonlat(lon, lat)
    t = territory()
    rows = tuple(int(r) for r in t.country_rows(iso3))
    res = t.country_index(rows).nearest(np.array([p.lon]), np.array([p.lat]))
    inside = int(t.locate(np.array([p.lon]), np.array([p.lat]))[0]) in rows
    d_km = float(np.asarray(res.distance_m)[0]) / 1000.0
    return CountryDistance(
        country=borders.resolve_country_code(iso3, t.folder),
        distance_km=round(d_km if inside else -d_km, 4),
        inside=inside,
        nearest_border_point={
            "lat": round(float(np.asarray(res.lat)[0]), 7),
            "lon": round(float(np.asarray(res.lon)[0]), 7),
        },
        lat=p.lat,
        lon=p.lon,
    )


def nato_border_lines(*, on=None, bbox=None, facing: str = "all"):
    """The NATO border on ``on`` as a shapely MultiLineString (for drawing), clipped to bbox.

    ``facing="countries"`` keeps only the parts that face a non-member country (land or sea
    borders) and leaves out coasts facing international waters.
    """
    if facing not in ("all", "countries"):
        raise ValueError(f"facing {facing!r} must be 'all' or 'countries'")
    segs, _ = territory().nato_index(parse_date(on))
    keep = np.ones(len(segs), dtype=bool) if facing == "all" else segs.outside >= 0
    if bbox is not None:
        keep &= segs.touching(bbox)
    merged = shapely.line_merge(shapely.multilinestrings(segs.subset(keep).lines()))
    if merged.geom_type == "LineString":
        merged = shapely.MultiLineString([merged])
    return merged
