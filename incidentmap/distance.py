"""``incidentmap distance``: geodesic distance to the NATO border or to one country's border."""

from __future__ import annotations

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.geo.territory import distance_to_country_border
from incidentmap.options import (
    POSITIONAL_NUMBERS,
    date_option,
    echo_json,
    fmt_lat_lon,
    json_option,
    parse_on,
    parse_query,
    place_dict,
)

#: The keys of ``distance --json`` (NATO border); the same names as in ``check --json``.
NATO_KEYS = (
    "lat", "lon", "as_of", "distance_to_nato_border_km", "nearest_border_point", "across",
    "nato_member", "on_nato_soil", "place", "hint",
)  # fmt: skip


@click.command(context_settings=POSITIONAL_NUMBERS)
@click.argument("point", nargs=-1, required=True, metavar="LAT LON | PLACE")
@click.option("--to", "to_iso3", metavar="ISO3", help="Distance to this country's border instead.")
@date_option
@json_option
def distance(point, to_iso3, on, as_json):
    """Signed geodesic distance (km) from LAT LON to the NATO border (positive inside NATO),
    or with --to ISO3 to that country's border (positive inside that country)."""
    day = parse_on(on)
    query = parse_query(point)
    lon, lat = query.lon, query.lat
    if to_iso3:
        try:
            res = distance_to_country_border(lon, lat, to_iso3)
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="--to") from None
        if as_json:
            echo_json(
                {
                    "lat": lat,
                    "lon": lon,
                    "as_of": day.isoformat(),
                    "to": res.country,
                    "distance_km": res.distance_km,
                    "inside": res.inside,
                    "nearest_border_point": res.nearest_border_point,
                    "place": place_dict(query.place),
                }
            )
        else:
            side = "inside" if res.inside else "outside"
            near = res.nearest_border_point
            click.echo(
                f"{abs(res.distance_km):.3f} km {side} {res.country}; nearest border point "
                f"{fmt_lat_lon(near['lat'], near['lon'])}"
            )
        return
    from incidentmap.check import answer_dict

    a = answer_dict(query, day)
    if as_json:
        echo_json({k: a[k] for k in NATO_KEYS})
    else:
        d = a["distance_to_nato_border_km"]
        if d is None:
            click.echo(f"no NATO territory existed on {day.isoformat()}")
            return
        near = a["nearest_border_point"]
        side = "inside" if a["nato_member"] else "outside"
        click.echo(
            f"{abs(d):.3f} km {side} NATO territory (as of {day.isoformat()}); nearest "
            f"border point {fmt_lat_lon(near['lat'], near['lon'])}, across: {a['across']}"
        )
    if a["hint"]:
        from incidentmap.options import summary

        summary(f"note: {a['hint']}")
