"""Options, argument parsing and output helpers shared by the subcommands."""

from __future__ import annotations

import json
import math

import click

from incidentmap.geo.coords import parse_date, validate_lonlat
from incidentmap.geo.errors import IncidentMapError
from incidentmap.geo.geocoding import resolve_place_or_coords

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


def parse_point(words: tuple[str, ...]):
    """``LAT LON`` or ``LAT,LON`` → (lon, lat, place); other words are taken as a place name."""
    for word in words:
        if word.startswith("--") or (len(word) > 1 and word[0] == "-" and word[1].isalpha()):
            raise click.UsageError(f"no such option: {word} (see --help)")
    text = " ".join(words).strip()
    if not text:
        raise click.UsageError("give a point as LAT LON (e.g. 45.4353 28.05) or a place name")
    parts = text.replace(",", " ").split()
    numbers = []
    for p in parts:
        try:
            numbers.append(float(p))
        except ValueError:
            numbers = None
            break
    if numbers is not None:
        if len(numbers) != 2:
            raise click.BadParameter(
                f"expected two numbers, LAT then LON, got {len(numbers)}: {text!r}",
                param_hint="LAT LON",
            )
        lat, lon = numbers
        try:
            p = validate_lonlat(lon, lat)
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="LAT LON") from None
        return p.lon, p.lat, None
    return resolve_place(text)


def resolve_place(text: str):
    """Resolve a place name with the offline geocoder; ambiguity is a usage error."""
    try:
        lon, lat, place = resolve_place_or_coords(text)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="PLACE") from None
    return lon, lat, place


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
