"""Options, argument parsing and output helpers shared by the subcommands."""

from __future__ import annotations

import json
import logging
import math
from typing import NamedTuple

import click

from incidentmap.geo.coords import parse_date, parse_lat_lon, validate_lonlat
from incidentmap.geo.errors import IncidentMapError, InvalidCoordinateError

#: Lets negative coordinates such as ``-5.35`` through as arguments, not options.
POSITIONAL_NUMBERS = {"ignore_unknown_options": True}

date_option = click.option(
    "--date",
    "on",
    metavar="YYYY-MM-DD",
    default=None,
    help="Answer as of this date (default: today).",
)
json_option = click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")


def parse_on(value):
    try:
        return parse_date(value, what="--date")
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--date") from None


class PointQuery(NamedTuple):
    """A point as asked: (lon, lat), the matched place (or None), and whether hemisphere
    letters fixed the axis order (so no swap hint applies)."""

    lon: float
    lat: float
    place: object
    fixed_order: bool


def parse_point(words: tuple[str, ...]):
    """``LAT LON`` in any form :func:`geo.coords.parse_lat_lon` reads → (lon, lat, None);
    other words are taken as a place name → (lon, lat, Place)."""
    query = parse_query(words)
    return query.lon, query.lat, query.place


def parse_query(words: tuple[str, ...]) -> PointQuery:
    """The command-line words of a point or place as a :class:`PointQuery` (click errors)."""
    for word in words:
        if word.startswith("--") or (len(word) > 1 and word[0] == "-" and word[1].isalpha()):
            raise click.UsageError(f"no such option: {word} (see --help)")
    text = " ".join(words).strip()
    if not text:
        raise click.UsageError("give a point as LAT LON (e.g. 45.4353 28.05) or a place name")
    try:
        point = point_or_place(text)
    except IncidentMapError as exc:
        hint = "LAT LON" if isinstance(exc, InvalidCoordinateError) else "PLACE"
        raise click.BadParameter(str(exc), param_hint=hint) from None
    return point


def point_or_place(text: str) -> PointQuery:
    """Coordinates (the one parser, :func:`geo.coords.parse_lat_lon`) or a geocoded place.

    Raises the library's errors (InvalidCoordinateError, PlaceNotFoundError, ...).
    """
    text = text.strip()
    if not text:
        raise InvalidCoordinateError("empty line: expected LAT LON or a place name")
    found = parse_lat_lon(text)
    if found is not None:
        point, fixed = found
        return PointQuery(point.lon, point.lat, None, fixed)
    words = text.replace(",", " ").split()
    numbers = [w for w in words if _is_number(w)]
    if len(numbers) == 2 == len(words):  # nan, inf: numbers, but not coordinates
        point = validate_lonlat(numbers[1], numbers[0])
        return PointQuery(point.lon, point.lat, None, False)
    if numbers and len(numbers) == len(words):
        raise InvalidCoordinateError(
            f"expected two numbers, LAT then LON, got {len(numbers)}: {text!r}"
        )
    from incidentmap.geo.geocoding import geocode  # only for place names

    place = geocode(text)
    return PointQuery(place.lon, place.lat, place, True)


def _is_number(word: str) -> bool:
    try:
        float(word)
    except ValueError:
        return False
    return True


def place_dict(place) -> dict | None:
    """What was matched for a place name: name, admin area, country, source, precision."""
    if place is None:
        return None
    return {
        "name": place.name,
        "admin1": place.admin1,
        "admin2": place.admin2,
        "country": place.country,
        "source": place.source,
        "precision_m": place.precision_m,
        "lat": place.lat,
        "lon": place.lon,
    }


# -- -v / -q, on the group and after every subcommand ----------------------------------------
_LEVELS = (logging.WARNING, logging.INFO, logging.DEBUG)


def _verbosity_state() -> dict:
    ctx = click.get_current_context(silent=True)
    if ctx is None:
        return {"verbose": 0, "quiet": False}
    return ctx.find_root().meta.setdefault("incidentmap.verbosity", {"verbose": 0, "quiet": False})


def _set_verbosity(ctx, param, value):
    state = _verbosity_state()
    if param.name == "verbose":
        state["verbose"] += int(value or 0)
    elif value:
        state["quiet"] = True
    level = logging.ERROR if state["quiet"] else _LEVELS[min(state["verbose"], 2)]
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger().setLevel(level)
    return value


def verbosity_options(command):
    """Add ``-v/--verbose`` (count) and ``-q/--quiet`` to a click command or function."""
    opts = [
        click.Option(["-v", "--verbose"], count=True, expose_value=False, callback=_set_verbosity,
                     help="More log output on stderr (-vv for debug)."),
        click.Option(["-q", "--quiet"], is_flag=True, expose_value=False, callback=_set_verbosity,
                     help="Only errors on stderr (no progress, no summaries)."),
    ]  # fmt: skip
    if isinstance(command, click.Command):
        have = {o for p in command.params for o in getattr(p, "opts", [])}
        if "-v" not in have and "-q" not in have:
            command.params.extend(opts)
        return command
    params = getattr(command, "__click_params__", [])
    command.__click_params__ = params + opts[::-1]
    return command


def quiet() -> bool:
    """True when ``-q`` was given (on the group or after the subcommand)."""
    return _verbosity_state()["quiet"]


def summary(text: str) -> None:
    """A summary line on stderr, unless ``-q``."""
    if not quiet():
        click.echo(text, err=True)


def clean(value):
    """JSON-safe value: NaN → None, numpy scalars → Python."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def echo_json(obj) -> None:
    click.echo(json.dumps(obj, ensure_ascii=False, default=clean))


def fmt_lat_lon(lat: float, lon: float) -> str:
    return f"{abs(lat):.4f} {'N' if lat >= 0 else 'S'}, {abs(lon):.4f} {'E' if lon >= 0 else 'W'}"
