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
from functools import cache
from pathlib import Path

import numpy as np

import shapely

from incidentmap.geo import borders, history, nato, waters
from incidentmap.geo._answer_kernels import answer_step, cell_order
from incidentmap.geo._jit import compiled, for_batch
from incidentmap.geo.boundary import BoundarySegments, load_segments
from incidentmap.geo.coords import coordinate_problems, parse_date, validate_lonlat
from incidentmap.geo.territory_answers import (  # re-exported: the answer records
    CountryDistance,
    TerritoryAnswer,
    _labels,
)

log = logging.getLogger(__name__)

#: A batch size that callers looping over many points may use (every size is exact).
SMALL_BATCH = 2_000

#: From this many points on, :meth:`Territory.answer_codes` asks the indexes cell by cell
#: (:func:`geo._answer_kernels.cell_order`, cells of ``ORDER_CELL_DEG``, the indexes' own).
ORDER_FROM = 20_000
ORDER_CELL_DEG = 0.25

#: The polygons end at 85.05113° S (the Web Mercator limit); south of it is Antarctica's land.
ANTARCTIC_DATA_LIMIT_LAT = -85.05113

#: Zone codes; ``internal_waters`` are rivers and lakes inside the land (``geo.waters``).
ZONES = ("land", "territorial_sea", "international_waters", "internal_waters")
INTERNATIONAL_WATERS = "international_waters"


class Territory:
    """The border data's codes and its persisted indexes. Use :func:`territory`.

    A warm process reads the indexes from the cache folder (:mod:`geo.border_indexes`); the
    GeoParquet border data is opened only to build them, or to draw.
    """

    def __init__(self, folder: Path | None = None):
        from incidentmap.geo.border_indexes import point_tables, untext

        self.folder = folder
        tables = point_tables(folder)
        self.a3 = untext(tables["a3"])
        self.codes = frozenset(c for c in self.a3 if c)  # for resolve_country_code
        self.names = untext(tables["names"])
        self.sovereign = untext(tables["sovereign"])
        self.locate = tables["countries"]
        self.land_accuracy_m = np.asarray(tables["land_accuracy_m"])
        self.locate_land = tables["land"]
        self.box = tuple(float(v) for v in tables["europe_turkey_box"])
        self.status_notes = untext(tables["status_notes"])
        self.locate_status = tables["status"]
        # hook (geo.history, geo.waters): member territory over time, the dated status areas,
        # inland water and the 10 m eastern-flank coast
        self.dated = history.DatedTerritory(folder, self.a3, self.sovereign)
        self.status_notes = self.dated.status.notes
        self.inland_waters = waters.InlandWaters(folder)
        self.fine_coast = waters.FineCoast(folder)
        self.river_borders = waters.RiverBorders(folder)
        self.row_notes = _territory_notes()
        notes = [self.row_notes.get(a) for a in self.a3]
        self.row_note = np.array(notes + [None], dtype=object)  # last entry: no row
        since = self.dated.row_since
        self.row_since = np.array([str(d) if d else None for d in since] + [None], dtype=object)
        self.antarctica = int(np.flatnonzero(self.a3 == "ATA")[0]) if "ATA" in self.a3 else -1
        n = len(self.a3)
        # label tables: code -1 is "missing"; see _labels
        river_notes = self.river_borders.notes
        self.note_values = np.concatenate([self.status_notes, self.row_note[:n], river_notes])
        self.river_note_base = len(self.status_notes) + n
        self._no_note = np.array([v is None for v in self.note_values] + [True])  # [-1]: none
        self.across_values = np.concatenate([self.a3, [INTERNATIONAL_WATERS]])
        self._segments: BoundarySegments | None = None
        self._nato_indexes: dict = {}
        self._country_indexes: dict = {}
        self._lock = threading.Lock()

    # -- boundary indexes ---------------------------------------------------------------
    def segments(self) -> BoundarySegments:
        with self._lock:
            if self._segments is None:
                # serial: compiling the threaded kernel would cost a first run more than it saves
                self._segments = load_segments(self.locate.index.locate, folder=self.folder)
            return self._segments

    def member_rows(self, on: dt.date) -> np.ndarray:
        return self.dated.member_rows(on)

    def answers_key(self, on: dt.date) -> bytes:
        """What the answers depend on about the date: the member territories and the status
        areas in force. Two days with the same key get the same answers at every point."""
        return self.member_rows(on).tobytes() + self.dated.status.in_force(on).tobytes()

    def nato_index(self, on: dt.date):
        """(segments, SegmentDistanceIndex) of the NATO border on ``on``; None if no members."""
        from incidentmap.geo.border_indexes import nato_border_index

        member = self.member_rows(on)
        key = member.tobytes()
        if key not in self._nato_indexes:
            self._nato_indexes[key] = nato_border_index(member, self.segments, folder=self.folder)
        return self._nato_indexes[key]

    def country_rows(self, iso3: str) -> np.ndarray:
        """Rows of a state: its own row and its dependent territories (NOR: NOR and SJM)."""
        code = borders.resolve_country_code(iso3, self.folder, codes=self.codes)
        return np.flatnonzero((self.a3 == code) | (self.sovereign == code))

    def country_index(self, rows: tuple[int, ...]):
        """Segments between the territory of ``rows`` and everything else."""
        if rows not in self._country_indexes:
            from incidentmap.geo.border_indexes import border_subset
            from incidentmap.geo.segment_distance import SegmentDistanceIndex

            segs = self.segments()
            member = np.zeros(len(self.a3), dtype=bool)
            member[list(rows)] = True
            sub = segs.subset(border_subset(segs, member, len(self.a3)))
            self._country_indexes[rows] = SegmentDistanceIndex(
                sub.lon0, sub.lat0, sub.lon1, sub.lat1
            )
        return self._country_indexes[rows]

    # -- answers --------------------------------------------------------------------------
    def status_rows(self, lon, lat, *, on: dt.date) -> np.ndarray:
        """The status area of each point on ``on`` (row of :attr:`status_notes`, -1: none).

        A status area's note outranks the territory row's own note. This is the one place
        that decides which status areas apply (the hook for dated status areas).
        """
        return self.dated.status.locate(lon, lat, on=on)

    def water_zones(self, lon, lat, row, zone, accuracy, note=None) -> None:
        """Hook (geo.waters), in place: land that only the 10 m eastern-flank coast has, then
        rivers and lakes (``internal_waters``, code 3) on what the land mask calls land, then
        the river-border note (into ``note``) where no other note applies."""
        # only territorial sea can turn into land: the 10 m coast is asked about those points
        added = np.zeros(len(zone), dtype=bool)
        sea = np.flatnonzero(zone == 1)
        if sea.size:
            sovereign = np.append(self.sovereign, None)[row[sea]]
            fine, fine_land = self.fine_coast.decide(lon[sea], lat[sea], sovereign)
            added[sea[fine & fine_land]] = True
            zone[added] = 0
            accuracy[added] = borders.SOVEREIGNTY_ACCURACY_M
        self.inland_zone(lon, lat, row, zone, keep=added)
        if note is not None:
            self.river_notes(lon, lat, row, zone, note)

    def inland_zone(self, lon, lat, row, zone, keep=None) -> None:
        """Hook (geo.waters), in place: ``internal_waters`` (code 3) for points of a territory
        row on a river or lake (the land mask says land, or sea where a river is open to it),
        except where the 10 m coast has just added land (``keep``): there the 100 m file's
        water is its misdrawn coast (Tornio's Suensaari), not a river."""
        maybe = (zone <= 1) & (row >= 0)
        if keep is not None:
            maybe &= ~keep
        maybe = np.flatnonzero(maybe)
        if maybe.size:
            zone[maybe[self.inland_waters.contains(lon[maybe], lat[maybe])]] = 3

    def river_notes(self, lon, lat, row, zone, note) -> None:
        """Hook (geo.waters), in place: the note of a river border (``geo.waters.RiverBorders``)
        for points of a territory, not on the high seas, with no other note."""
        maybe = np.flatnonzero((row >= 0) & (zone != 2) & self._no_note[note])
        if maybe.size:
            k = self.river_borders.locate(lon[maybe], lat[maybe])
            hit = k >= 0
            note[maybe[hit]] = self.river_note_base + k[hit]

    def answer_codes(self, lon, lat, *, on: dt.date, distance: bool = True) -> dict:
        """Answers as plain arrays: codes into the label tables plus numbers (no pandas).

        The three lookups (territory, land mask, :meth:`status_rows`) run on the point
        indexes; one fused pass (:func:`geo._answer_kernels.answer_step`) derives the rest.
        Keys: ``row`` (territory, -1 none), ``zone`` (into :data:`ZONES`), ``nato_member``,
        ``nato_since`` (row codes into :attr:`row_since`), ``article_6_area``, ``note`` (into
        :attr:`note_values`), ``accuracy_m``, and the distance columns (``across`` as codes
        into :attr:`across_values`).
        """
        lon = np.ascontiguousarray(lon, dtype=np.float64)
        lat = np.ascontiguousarray(lat, dtype=np.float64)
        n = len(lon)
        order = None
        if n >= ORDER_FROM:  # ask the indexes cell by cell; the answers are put back after
            order = compiled(cell_order)(lon, lat, ORDER_CELL_DEG)
            lon, lat = lon[order], lat[order]
        row = self.locate(lon, lat).astype(np.int64)
        land_row = self.locate_land(lon, lat)
        status_row = self.status_rows(lon, lat, on=on)
        zone = np.empty(n, dtype=np.int8)
        member = np.empty(n, dtype=bool)
        since, note = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
        accuracy = np.empty(n, dtype=np.int64)
        for_batch(answer_step, n)(
            lon, lat, row, land_row, status_row, self.member_rows(on), self.antarctica,
            ANTARCTIC_DATA_LIMIT_LAT, np.asarray(self.box, dtype=np.float64),
            int(self.land_accuracy_m[0]), int(self.land_accuracy_m[1]),
            borders.SOVEREIGNTY_ACCURACY_M, len(self.status_notes),
            zone, member, since, note, accuracy,
        )  # fmt: skip
        self.water_zones(lon, lat, row, zone, accuracy, note)
        out = {
            "row": row,
            "zone": zone,
            "nato_member": member,
            "nato_since": since,
            "article_6_area": _article_6(self.a3, row, lon, lat, member),
            "note": note,
            "accuracy_m": accuracy,
        }
        if distance and n:
            segs, index = self.nato_index(on)
            if index is not None:
                res = index.nearest(lon, lat)
                sign = np.where(member, 1.0, -1.0)
                out["distance_to_nato_border_km"] = sign * np.asarray(res.distance_m) / 1000.0
                out["nearest_border_lon"] = np.asarray(res.lon)
                out["nearest_border_lat"] = np.asarray(res.lat)
                seg = np.asarray(res.segment)
                other = np.where(member, segs.outside[seg], segs.inside[seg])
                # codes 0..n_rows-1 are territories, n_rows is international waters
                out["across"] = np.where(other >= 0, other, len(self.a3)).astype(np.int16)
        if order is not None:
            for key, value in out.items():
                back = np.empty_like(value)
                back[order] = value
                out[key] = back
        for key in ("distance_to_nato_border_km", "nearest_border_lon", "nearest_border_lat"):
            if key not in out:
                out[key] = np.full(n, np.nan)
        if "across" not in out:
            out["across"] = np.full(n, -1, dtype=np.int16)
        return out

    def classify_arrays(self, lon, lat, *, on: dt.date, distance: bool = True):
        """Answers for valid coordinate arrays (no validation here), as a DataFrame.

        Text columns are pandas categoricals built from per-row codes, so a million answers
        cost a few array operations.
        """
        import pandas as pd

        c = self.answer_codes(lon, lat, on=on, distance=distance)
        n_rows = len(self.a3)
        row = c["row"]
        across = c["across"]
        if not distance or (across < 0).all():
            across = _labels(across, (INTERNATIONAL_WATERS,))
        else:
            across = _labels(across, self.across_values)
        # one dict of arrays, no copies: no column is inserted afterwards
        columns = {
            "lat": np.ascontiguousarray(lat, dtype=np.float64),
            "lon": np.ascontiguousarray(lon, dtype=np.float64),
            "country": _labels(row, self.a3),
            "country_name": _labels(row, self.names),
            "zone": _labels(c["zone"], ZONES),
            "nato_member": c["nato_member"],
            "nato_since": _labels(c["nato_since"], self.row_since[:n_rows]),
            "article_6_area": c["article_6_area"],
            "status_note": _labels(c["note"], self.note_values),
            "distance_to_nato_border_km": c["distance_to_nato_border_km"],
            "nearest_border_lon": c["nearest_border_lon"],
            "nearest_border_lat": c["nearest_border_lat"],
            "across": across,
            "accuracy_m": c["accuracy_m"],
        }
        return pd.DataFrame(columns, copy=False)

    def answers(self, lon, lat, *, on: dt.date, distance: bool = True) -> list[TerritoryAnswer]:
        """One :class:`TerritoryAnswer` per valid point, without pandas (for a few points)."""
        c = self.answer_codes(lon, lat, on=on, distance=distance)

        def label(values, code):
            return None if code < 0 else values[code]

        out = []
        for i in range(len(c["row"])):
            row = int(c["row"][i])
            dist = float(c["distance_to_nato_border_km"][i])
            has_dist = math.isfinite(dist)
            point = None
            if has_dist:
                point = {
                    "lat": round(float(c["nearest_border_lat"][i]), 7),
                    "lon": round(float(c["nearest_border_lon"][i]), 7),
                }
            out.append(
                TerritoryAnswer(
                    lat=float(lat[i]),
                    lon=float(lon[i]),
                    country=label(self.a3, row),
                    country_name=label(self.names, row),
                    zone=ZONES[int(c["zone"][i])],
                    nato_member=bool(c["nato_member"][i]),
                    nato_since=label(self.row_since, int(c["nato_since"][i])),
                    article_6_area=bool(c["article_6_area"][i]),
                    status_note=label(self.note_values, int(c["note"][i])),
                    distance_to_nato_border_km=round(dist, 4) if has_dist else None,
                    nearest_border_point=point,
                    across=label(self.across_values, int(c["across"][i])) if has_dist else None,
                    accuracy_m=int(c["accuracy_m"][i]),
                )
            )
        return out


def _article_6(a3, row, lon, lat, member) -> np.ndarray:
    """Article 6 area of each point: :func:`geo.nato.article_6_area_by_row`, asked only for
    the points on member territory (the answer is False for every other point)."""
    out = np.zeros(len(row), dtype=bool)
    at = np.flatnonzero(member)
    if at.size == len(row):
        return nato.article_6_area_by_row(a3, row, lon, lat)
    if at.size:
        out[at] = nato.article_6_area_by_row(a3, row[at], lon[at], lat[at])
    return out


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


def classify(lon, lat, *, on=None, distance: bool = True) -> TerritoryAnswer:
    """Answer for one point (lon, lat) as of date ``on`` (default today).

    Raises InvalidCoordinateError / InvalidDateError for bad input.
    """
    p = validate_lonlat(lon, lat)
    day = parse_date(on)
    return territory().answers(np.array([p.lon]), np.array([p.lat]), on=day, distance=distance)[0]


def usable_coordinates(lon, lat) -> np.ndarray:
    """True where (lon, lat) is a finite point in range: exactly the rows for which
    :func:`geo.coords.coordinate_problems` gives no reason (one vectorised pass)."""
    with np.errstate(invalid="ignore"):
        return (np.abs(lat) <= 90.0) & (np.abs(lon) <= 180.0)  # False for NaN and inf


def answer_columns(lon, lat, *, on=None, distance: bool = True, not_point=None) -> dict:
    """The :data:`ANSWER_COLUMNS` of every point, as pandas arrays of full length.

    Text columns are categoricals (built from per-row codes), ``nato_member`` and
    ``article_6_area`` nullable booleans, ``accuracy_m`` nullable integers, the distances
    floats (NaN: none), ``error`` an object array (None, or the reason). Rows with unusable
    coordinates, and rows where ``not_point`` is True ("geometry is not a point"), get the
    reason and missing answers. No Python object is made per row.
    """
    import pandas as pd

    lon = np.ascontiguousarray(lon, dtype=np.float64).ravel()
    lat = np.ascontiguousarray(lat, dtype=np.float64).ravel()
    if lon.shape != lat.shape:
        raise ValueError(f"lon has {lon.size} values but lat has {lat.size}")
    day = parse_date(on)
    n = lon.size
    ok = usable_coordinates(lon, lat)
    if not_point is not None:
        ok &= ~np.asarray(not_point, dtype=bool)
    t = territory()
    everywhere = bool(ok.all())
    c = t.answer_codes(
        lon if everywhere else lon[ok], lat if everywhere else lat[ok], on=day, distance=distance
    )
    if not everywhere:  # scatter the answers of the usable rows; the others get "missing"
        at = np.flatnonzero(ok)
        for key, value in c.items():
            if value.dtype.kind == "f":
                fill = np.full(n, np.nan)
            elif value.dtype == bool:
                fill = np.zeros(n, dtype=bool)
            else:
                fill = np.full(n, -1 if key != "accuracy_m" else 0, dtype=value.dtype)
            fill[at] = value
            c[key] = fill
    missing = ~ok
    across = c["across"]
    if not distance or (across < 0).all():
        across = _labels(across, (INTERNATIONAL_WATERS,))
    else:
        across = _labels(across, t.across_values)
    n_rows = len(t.a3)
    error = np.full(n, None, dtype=object)
    if not everywhere:
        bad = np.flatnonzero(missing)
        error[bad] = coordinate_problems(lon[bad], lat[bad])
        if not_point is not None:
            error[np.asarray(not_point, dtype=bool)] = NOT_A_POINT
    return {
        "country": _labels(c["row"], t.a3),
        "country_name": _labels(c["row"], t.names),
        "zone": _labels(c["zone"], ZONES),
        "nato_member": pd.arrays.BooleanArray(c["nato_member"], missing),
        "nato_since": _labels(c["nato_since"], t.row_since[:n_rows]),
        "article_6_area": pd.arrays.BooleanArray(c["article_6_area"], missing),
        "status_note": _labels(c["note"], t.note_values),
        "distance_to_nato_border_km": c["distance_to_nato_border_km"],
        "nearest_border_lat": c["nearest_border_lat"],
        "nearest_border_lon": c["nearest_border_lon"],
        "across": across,
        "accuracy_m": pd.arrays.IntegerArray(c["accuracy_m"].astype(np.int64, copy=False), missing),
        "error": error,
    }


def _as_objects(array) -> np.ndarray:
    """A nullable boolean or integer array as an object array, missing as None."""
    out = np.asarray(array._data).astype(object)
    out[np.asarray(array._mask)] = None
    return out


def _plain(columns: dict) -> dict:
    """:func:`answer_columns` in the dtypes :func:`classify_many` has always returned (the
    booleans and the accuracy as objects, None where missing)."""
    import pandas as pd

    for col in ("nato_member", "article_6_area", "accuracy_m"):
        columns[col] = _as_objects(columns[col])
    columns["error"] = pd.Series(columns["error"], dtype=object, copy=False)  # None stays None
    return columns


def classify_many(lon, lat, *, on=None, distance: bool = True):
    """Vectorised answers; rows with unusable coordinates get a reason in column ``error``.

    Exactly as many rows out as in, in the same order.
    """
    import pandas as pd

    lon = np.asarray(lon, dtype=float).ravel()
    lat = np.asarray(lat, dtype=float).ravel()
    columns = _plain(answer_columns(lon, lat, on=on, distance=distance))
    return pd.DataFrame({"lat": lat, "lon": lon, **columns}, copy=False)


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
#: The reason a row without a usable point geometry gets.
NOT_A_POINT = "geometry is not a point"


def point_lonlat(geoms) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``(lon, lat, is_point)`` of an array of shapely geometries (NaN where not a point):
    a row is a point when it is not missing, not empty and of type Point (vectorised)."""
    geoms = np.asarray(geoms, dtype=object)
    is_point = shapely.get_type_id(geoms) == 0  # -1 for None
    is_point[is_point] = ~shapely.is_empty(geoms[is_point])
    lon = np.full(len(geoms), np.nan)
    lat = np.full(len(geoms), np.nan)
    if is_point.any():
        xy = shapely.get_coordinates(geoms[is_point])
        lon[is_point], lat[is_point] = xy[:, 0], xy[:, 1]
    return lon, lat, is_point


def classify_frame(frame, *, on=None, distance: bool = True):
    """The rows of a GeoDataFrame of points with the answers added as columns.

    Same rows, same order; a row whose geometry is missing or not a point gets a reason in
    ``error`` instead of answers. The input is not modified.
    """
    lon, lat, is_point = point_lonlat(frame.geometry.values)
    columns = _plain(answer_columns(lon, lat, on=on, distance=distance, not_point=~is_point))
    out = frame.copy(deep=False)  # the answers are new columns: the input's stay shared
    columns["error"].index = frame.index
    for col in ANSWER_COLUMNS:
        out[col] = columns[col]
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
        country=borders.resolve_country_code(iso3, t.folder, codes=t.codes),
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
