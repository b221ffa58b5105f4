"""``incidentmap assets``: fetch the map scripts and stylesheets from npm into a local cache."""

from __future__ import annotations

import json
import logging

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.layers.assets import ASSETS, default_cache_dir, fetch_assets, missing_packages
from incidentmap.options import summary

logger = logging.getLogger(__name__)


@click.command()
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to keep the npm tarballs "
    "(default: $INCIDENTMAP_ASSETS or ~/.cache/incidentmap/assets).",
)
@click.option("--force", is_flag=True, help="Download again even if cached.")
@click.option(
    "--list", "list_only", is_flag=True, help="Print the asset table as JSON lines; fetch nothing."
)
def assets(cache_dir, force, list_only):
    """Fetch the exact Leaflet/folium asset versions from the npm registry (npm pack).

    Needed once for `incidentmap build --offline` (self-contained HTML). Prints the cache
    directory on stdout.
    """
    cache = cache_dir or default_cache_dir()
    if list_only:
        for a in ASSETS:
            click.echo(
                json.dumps(
                    {"url": a.url, "package": a.package, "version": a.version, "path": a.path}
                )
            )
        return
    missing = missing_packages(cache_dir=cache)
    if not missing and not force:
        logger.info(
            "all %d packages already cached",
            len(set((a.package, a.version) for a in ASSETS if a.package)),
        )
    try:
        paths = fetch_assets(cache_dir=cache, force=force)
    except IncidentMapError as exc:
        raise click.ClickException(str(exc)) from None
    summary(f"{len(paths)} npm packages in {cache}")
    click.echo(str(cache))
