"""Map specs: ``maps/<name>.toml`` read and checked into a :class:`MapSpec`.

A spec names the title, the extent (west, south, east, north), the date range and the layers::

    title = "The Danube at Izmail, Reni, Plauru and Galați"
    extent = {west = 27.7, south = 45.0, east = 29.2, north = 45.65}
    dates = {start = 2022-02-24, end = 2026-12-31}
    layers = ["countries", "neighbours", "seas", "status_areas", "bands", "border",
              "incidents", "heatmap", "timeslider", "legend", "measure", "fullscreen",
              "minimap", "search"]
    bands_km = [5, 10, 25, 50]

Every mistake is a :class:`MapSpecError` (exit status 2 in the CLI) whose one-line message names
the file, the key and the value. The title and subtitle are untrusted text: they reach the page
as data only (see :mod:`layers.page`).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from pathlib import Path

from incidentmap.geo.errors import MapSpecError
from incidentmap.layers.incidents import KINDS
from incidentmap.layers.registry import LAYER_NAMES

#: Every layer a spec may name (the registry's, in drawing order).
ALL_LAYERS = LAYER_NAMES


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
    kinds: tuple[str, ...] = KINDS
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
        raise MapSpecError(
            f"{path}: {what} {value!r} is not a date like 2025-09-10 (or 'today')"
        ) from None


def _table(data: dict, key: str, path, *, required: bool = True) -> dict:
    value = data.get(key, {} if not required else None)
    if not isinstance(value, dict):
        raise MapSpecError(f"{path}: {key} {value!r} must be a table like {key} = {{...}}")
    return value


def _words(data: dict, key: str, default, path) -> tuple[str, ...]:
    value = data.get(key, default)
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise MapSpecError(f'{path}: {key} {value!r} must be a list like {key} = ["..."]')
    bad = [v for v in value if not isinstance(v, str)]
    if bad:
        raise MapSpecError(f"{path}: {key} has items that are not strings: {bad!r}")
    return tuple(value)


def _numbers(value, what: str, path, *, positive: bool = True) -> tuple[float, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise MapSpecError(f"{path}: {what} {value!r} must be a list of numbers")
    out = []
    for v in value:
        if isinstance(v, bool) or not isinstance(v, int | float) or (positive and not v > 0):
            raise MapSpecError(f"{path}: {what} has {v!r}, which is not a positive number")
        out.append(float(v))
    return tuple(out)


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
    dates = _table(data, "dates", path)
    start = _date(dates.get("start"), "dates.start", path)
    end = _date(dates.get("end"), "dates.end", path)
    if end < start:
        raise MapSpecError(f"{path}: dates.end {end} is before dates.start {start}")
    layers = _words(data, "layers", list(ALL_LAYERS), path)
    unknown = [x for x in layers if x not in ALL_LAYERS]
    if unknown:
        raise MapSpecError(f"{path}: unknown layers {unknown}; known: {', '.join(ALL_LAYERS)}")
    kinds = _words(data, "kinds", list(KINDS), path)
    bad = [k for k in kinds if k not in KINDS]
    if bad:
        raise MapSpecError(f"{path}: unknown kinds {bad}; known: {', '.join(KINDS)}")
    bands_km = _numbers(data.get("bands_km", [5, 10, 25, 50]), "bands_km", path)
    flight = _table(data, "flight_bands", path, required=False)
    speed = flight.get("speed_kmh", 200.0)
    if isinstance(speed, bool) or not isinstance(speed, int | float) or not speed > 0:
        raise MapSpecError(f"{path}: flight_bands.speed_kmh {speed!r} is not a positive number")
    flight_minutes = _numbers(flight.get("minutes", [2, 5, 10, 15]), "flight_bands.minutes", path)
    as_of = data.get("nato_as_of")
    for key in ("title", "subtitle"):
        if key in data and not isinstance(data[key], str):
            raise MapSpecError(f"{path}: {key} {data[key]!r} must be a string")
    return MapSpec(
        name=name,
        title=data["title"],
        subtitle=data.get("subtitle", ""),
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
        flight_speed_kmh=float(speed),
        flight_minutes=flight_minutes,
    )


def load_spec(path) -> MapSpec:
    """Read ``maps/<name>.toml``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MapSpecError(f"{path}: no such map spec") from None
    except UnicodeDecodeError as exc:
        raise MapSpecError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise MapSpecError(f"{path}: not valid TOML: {exc}") from None
    return parse_spec(data, name=path.stem, path=path)


def load_specs(directory) -> list[MapSpec]:
    """Every ``*.toml`` spec in ``directory``, sorted by name."""
    return [load_spec(p) for p in sorted(Path(directory).glob("*.toml"))]


def default_spec(enriched, *, name: str, title: str) -> MapSpec:
    """A map of all ``enriched`` incidents with every layer: their extent padded by a quarter
    of its size (at least 0.5°) and the days from the earliest ``date_start`` to the latest
    ``date_end`` (what ``build --seeds DIR`` draws when no map spec is chosen)."""
    if len(enriched) == 0:
        raise MapSpecError(f"{name}: no incidents to fit a map to")
    lon, lat = enriched.geometry.x, enriched.geometry.y
    pad_x = max(0.5, float(lon.max() - lon.min()) / 4)
    pad_y = max(0.5, float(lat.max() - lat.min()) / 4)
    extent = {
        "west": max(-180.0, float(lon.min()) - pad_x),
        "east": min(180.0, float(lon.max()) + pad_x),
        "south": max(-90.0, float(lat.min()) - pad_y),
        "north": min(90.0, float(lat.max()) + pad_y),
    }
    dates = {"start": min(enriched["date_start"]), "end": max(enriched["date_end"])}
    return parse_spec({"title": title, "extent": extent, "dates": dates}, name=name)
