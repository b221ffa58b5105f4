"""``incidentmap check``: is a point on NATO soil, and how far from the border?"""

from __future__ import annotations

import click

from incidentmap.geo.territory import classify
from incidentmap.options import (
    POSITIONAL_NUMBERS,
    date_option,
    echo_json,
    fmt_lat_lon,
    json_option,
    parse_on,
    parse_point,
)


def summary(answer, on) -> str:
    """A few readable lines for one :class:`~geo.territory.TerritoryAnswer`."""
    a = answer
    where = fmt_lat_lon(a.lat, a.lon)
    lines = [f"{where} (as of {on.isoformat()})"]
    if a.country:
        member = f"NATO member since {a.nato_since}" if a.nato_member else "not a NATO member"
        zone = a.zone.replace("_", " ")
        lines.append(f"  {a.country_name} ({a.country}), {zone}: {member}")
    else:
        lines.append("  international waters: no country's territory, not NATO soil")
    lines.append(
        f"  on NATO soil: {'yes' if a.nato_member else 'no'}; "
        f"Article 6 area: {'yes' if a.article_6_area else 'no'}"
    )
    if a.status_note:
        lines.append(f"  note: {a.status_note}")
    if a.distance_to_nato_border_km is not None:
        d = a.distance_to_nato_border_km
        side = "inside" if a.nato_member else "outside"
        near = a.nearest_border_point
        lines.append(
            f"  {abs(d):.3f} km {side} NATO territory; nearest border point "
            f"{fmt_lat_lon(near['lat'], near['lon'])}, across it: {a.across}"
        )
    lines.append(f"  accuracy: {a.accuracy_m} m")
    return "\n".join(lines)


@click.command(context_settings=POSITIONAL_NUMBERS)
@click.argument("point", nargs=-1, required=True, metavar="LAT LON | PLACE")
@date_option
@json_option
def check(point, on, as_json):
    """Is LAT LON (or a PLACE) on NATO soil, and how far is it from the NATO border?

    Example: incidentmap check 45.4353 28.05 --date 2023-09-04
    """
    day = parse_on(on)
    lon, lat, _place = parse_point(point)
    answer = classify(lon, lat, on=day)
    if as_json:
        echo_json(answer.to_dict())
    else:
        click.echo(summary(answer, day))
