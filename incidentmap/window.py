"""``incidentmap window``: minutes of flight from the NATO border to a target."""

from __future__ import annotations

import math

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.options import (
    POSITIONAL_NUMBERS,
    date_option,
    echo_json,
    fmt_lat_lon,
    json_option,
    parse_on,
    parse_point,
)


def summary(w) -> str:
    """Readable lines for one :class:`~geo.intercept.InterceptWindow`.

    The first line names the target once: ``Tulcea (45.1787 N, 28.8050 E)`` for a place,
    ``45.4353 N, 28.0500 E`` for coordinates.
    """
    position = fmt_lat_lon(w.lat, w.lon)
    where = f"{w.place} ({position})" if w.place else position
    lines = [f"{where} at {w.speed_kmh:g} km/h, NATO as of {w.on.isoformat()}"]
    if not w.inside_nato:
        lines.append("  " + w.explanation)
        return "\n".join(lines)
    for a in w.approaches:
        mark = "*" if a is w.nearest else " "
        bp = a.border_point
        side = ""
        if a.nato_country_name and a.nato_country != w.country:
            side = f", on {a.nato_country_name}'s border"
        lines.append(
            f" {mark} from {a.from_name} ({a.from_country}): {a.distance_km:.2f} km, "
            f"{a.minutes:.1f} min; border point {fmt_lat_lon(bp['lat'], bp['lon'])}{side}"
        )
    lines.append("  (* nearest; straight geodesic flight from the border: the shortest time)")
    return "\n".join(lines)


def out_of_reach_message(exc) -> str:
    """The CLI's words for :class:`~geo.intercept.BorderOutOfReachError` (``--radius`` advice).

    Example: ``no border with Russia (RUS) within 150 km of Tulcea; nearest is 1108.6 km via
    Lithuania's border at 54.3633 N, 22.7920 E (332.6 min at 200 km/h); raise --radius to
    1109 or more to use it``.
    """
    a = exc.approach
    bp = a.border_point
    via = f" via {a.nato_country_name}'s border" if a.nato_country_name else ""
    return (
        f"no border with {a.from_name} ({a.from_country}) within {exc.radius_km:g} km of "
        f"{exc.place}; nearest is {a.distance_km:.1f} km{via} at "
        f"{fmt_lat_lon(bp['lat'], bp['lon'])} ({a.minutes:.1f} min at "
        f"{exc.speed_kmh:g} km/h); raise --radius to "
        f"{math.ceil(a.distance_km)} or more to use it"
    )


@click.command(context_settings=POSITIONAL_NUMBERS)
@click.argument("point", nargs=-1, required=True, metavar="PLACE | LAT LON")
@click.option(
    "--speed",
    "speed_kmh",
    type=float,
    required=True,
    metavar="KMH",
    help="Ground speed of the threat, km/h (e.g. 200 for a Shahed-type drone).",
)
@click.option(
    "--from",
    "from_country",
    metavar="ISO3",
    help="Only the approach from this neighbour (or 'sea' for international "
    "waters); its border must be within --radius, else exit status 1.",
)
@click.option(
    "--radius",
    "radius_km",
    type=float,
    default=150.0,
    show_default=True,
    metavar="KM",
    help="List the neighbours whose border with NATO is this close "
    "(the nearest border is always listed); also the reach of --from.",
)
@date_option
@json_option
def window(point, speed_kmh, from_country, radius_km, on, as_json):
    """Minutes between crossing the NATO border and reaching PLACE (or LAT LON) at --speed,
    from each neighbour within reach.

    Every neighbour whose border with NATO lies within --radius km of the target is listed,
    and the nearest border always is. --from picks one neighbour; --radius still applies to
    it: if that neighbour's border is farther (Russia from Tulcea: only Kaliningrad, about
    1,100 km away), the command says how far it is and exits with status 1; raise --radius
    to compute that window anyway.

    \b
    Examples:
      incidentmap window Galați --speed 200
      incidentmap window 45.4353 28.05 --speed 200 --from UKR
      incidentmap window Tulcea --speed 200 --from RUS --radius 1200
    """
    from incidentmap.geo.errors import BorderOutOfReachError
    from incidentmap.geo.intercept import intercept_window
    from incidentmap.geo.tracks import check_speed_kmh

    try:
        check_speed_kmh(speed_kmh, what="--speed")
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--speed") from None
    if not radius_km > 0:
        raise click.BadParameter(
            f"{radius_km} must be a positive number of km", param_hint="--radius"
        )
    day = parse_on(on)
    lon, lat, place = parse_point(point)
    label = getattr(place, "name", None) if place is not None else None
    try:
        w = intercept_window(
            lon,
            lat,
            speed_kmh=speed_kmh,
            on=day,
            from_country=from_country,
            radius_km=radius_km,
            place=label,
        )
    except BorderOutOfReachError as exc:
        raise click.ClickException(out_of_reach_message(exc)) from None
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--from") from None
    if as_json:
        echo_json(w.to_dict())
    else:
        click.echo(summary(w))
