"""``incidentmap window``: minutes of flight from the NATO border to a target."""

from __future__ import annotations

import click

from cli.options import (
    POSITIONAL_NUMBERS,
    date_option,
    echo_json,
    fmt_lat_lon,
    json_option,
    parse_on,
    parse_point,
)
from geo.errors import IncidentMapError


def summary(w) -> str:
    """Readable lines for one :class:`~geo.intercept.InterceptWindow`."""
    where = w.place or fmt_lat_lon(w.lat, w.lon)
    lines = [f"{where} ({fmt_lat_lon(w.lat, w.lon)}) at {w.speed_kmh:g} km/h, "
             f"NATO as of {w.on.isoformat()}"]
    if not w.inside_nato:
        lines.append("  " + w.explanation)
        return "\n".join(lines)
    for a in w.approaches:
        mark = "*" if a is w.nearest else " "
        bp = a.border_point
        lines.append(
            f" {mark} from {a.from_name} ({a.from_country}): {a.distance_km:.2f} km, "
            f"{a.minutes:.1f} min; border point {fmt_lat_lon(bp['lat'], bp['lon'])}"
        )
    lines.append("  (* nearest; straight geodesic flight from the border: the shortest time)")
    return "\n".join(lines)


@click.command(context_settings=POSITIONAL_NUMBERS)
@click.argument("point", nargs=-1, required=True, metavar="PLACE | LAT LON")
@click.option("--speed", "speed_kmh", type=float, required=True, metavar="KMH",
              help="Ground speed of the threat, km/h (e.g. 200 for a Shahed-type drone).")
@click.option("--from", "from_country", metavar="ISO3",
              help="Only the approach from this neighbour (or 'sea' for international waters).")
@click.option("--radius", "radius_km", type=float, default=150.0, show_default=True,
              metavar="KM", help="List the neighbours whose border with NATO is this close.")
@date_option
@json_option
def window(point, speed_kmh, from_country, radius_km, on, as_json):
    """Minutes between crossing the NATO border and reaching PLACE (or LAT LON) at --speed,
    from each neighbour within reach.

    Example: incidentmap window Galați --speed 200
    """
    from geo.intercept import intercept_window
    from geo.tracks import check_speed_kmh

    try:
        check_speed_kmh(speed_kmh, what="--speed")
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--speed") from None
    if not radius_km > 0:
        raise click.BadParameter(f"{radius_km} must be a positive number of km",
                                 param_hint="--radius")
    day = parse_on(on)
    lon, lat, place = parse_point(point)
    label = getattr(place, "name", None) if place is not None else None
    try:
        w = intercept_window(lon, lat, speed_kmh=speed_kmh, on=day, from_country=from_country,
                             radius_km=radius_km, place=label)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--from") from None
    if as_json:
        echo_json(w.to_dict())
    else:
        click.echo(summary(w))
