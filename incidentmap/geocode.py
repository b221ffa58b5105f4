"""``incidentmap geocode``: the best match for a place name and the other candidates."""

from __future__ import annotations

import json

import click

from incidentmap.geo.errors import (
    AmbiguousPlaceError,
    GeocoderConfigurationError,
    IncidentMapError,
    PlaceNotFoundError,
)
from incidentmap.geo.geocoding import Geocoder, OnlineGeocoder
from incidentmap.geo.geocoding.attribution import source_attribution


def _as_json(place) -> dict:
    """The place's fields, and the credit its data source requires (``attribution``)."""
    out = {key: value for key, value in place.as_dict().items() if value is not None}
    credit = source_attribution(place.source)
    if credit:
        out["attribution"] = credit
    return out


def _build_geocoder(places, cache_dir, online, service, user_agent) -> Geocoder:
    online_source = None
    if online:
        factory = OnlineGeocoder.nominatim if service == "nominatim" else OnlineGeocoder.photon
        try:
            online_source = factory(user_agent=user_agent, cache_dir=cache_dir)
        except GeocoderConfigurationError as exc:
            raise click.BadParameter(str(exc), param_hint="--user-agent") from None
    return Geocoder.default(places_yaml=places, cache_dir=cache_dir, online=online_source)


@click.command()
@click.argument("name", nargs=-1, required=True)
@click.option("--country", metavar="ISO", help="Country of the place: ISO3, ISO2 or name.")
@click.option(
    "--admin",
    multiple=True,
    metavar="NAME",
    help="Admin area (county, oblast, voivodeship, powiat, raion); repeatable.",
)
@click.option(
    "--online/--offline",
    default=False,
    show_default=True,
    help="Also ask an online geocoder when the offline sources find nothing (or little).",
)
@click.option(
    "--service",
    type=click.Choice(["nominatim", "photon"]),
    default="nominatim",
    show_default=True,
    help="Online geocoder used with --online.",
)
@click.option(
    "--user-agent",
    envvar="INCIDENTMAP_USER_AGENT",
    metavar="TEXT",
    help="Your application's user agent for --online (env INCIDENTMAP_USER_AGENT).",
)
@click.option(
    "--places",
    type=click.Path(dir_okay=False, exists=True),
    help="Curated places YAML (default: the shipped places.yaml).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Cache directory (default: $XDG_CACHE_HOME/incidentmap or ~/.cache/incidentmap).",
)
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def geocode(name, country, admin, online, service, user_agent, places, cache_dir, as_json):
    """Geocode NAME (e.g. "Plauru", "Plauru, Tulcea, Romania") and list the other candidates.

    An ambiguous name prints its candidates and exits with status 1.
    """
    query = " ".join(name)
    if not query.strip():  # a user mistake (exit 2), not a place that was not found (exit 1)
        raise click.BadParameter(
            f"empty place name {query!r}; give a place like Plauru", param_hint="NAME"
        )
    geocoder = _build_geocoder(places, cache_dir, online, service, user_agent)
    try:
        best = geocoder.geocode(query, country=country, admin=list(admin))
    except AmbiguousPlaceError as exc:
        if as_json:
            candidates = [_as_json(p) for p in exc.candidates]
            click.echo(
                json.dumps(
                    {"query": query, "status": "ambiguous", "candidates": candidates},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        else:
            for place in exc.candidates:
                click.echo(place.describe())
        first_line = str(exc).splitlines()[0]
        raise click.ClickException(first_line) from None
    except PlaceNotFoundError as exc:
        raise click.ClickException(str(exc)) from None
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc)) from None
    try:
        everything = geocoder.geocode(query, country=country, admin=list(admin), exactly_one=False)
    except IncidentMapError:
        everything = []
    others = [p for p in everything if p.ref != best.ref]
    if as_json:
        payload = {
            "query": query,
            "status": "ok",
            "best": _as_json(best),
            "others": [_as_json(p) for p in others],
        }
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    click.echo(best.describe())
    for place in others:
        click.echo(f"  also: {place.describe()}")
