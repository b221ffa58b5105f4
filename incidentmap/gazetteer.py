"""``incidentmap gazetteer install|list|remove``: village-level gazetteers in the cache."""

from __future__ import annotations

import json
import time

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.geo.geocoding.gazetteer_formats import FORMATS
from incidentmap.geo.geocoding.gazetteer_index import index_path, list_installs, remove_installs
from incidentmap.geo.geocoding.gazetteer_install import install_downloaded, install_from_path
from incidentmap.options import summary


class BadGazetteerInput(click.ClickException):
    """A gazetteer file or download that cannot be used: one line, exit status 2."""

    exit_code = 2


_CACHE_OPTION = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Cache directory (default: $INCIDENTMAP_CACHE_DIR or ~/.cache/incidentmap).",
)


@click.group()
def gazetteer():
    """Install, list and remove offline gazetteers (Who's On First, GeoNames)."""


@gazetteer.command()
@click.argument("countries", nargs=-1, metavar="[COUNTRY]...")
@click.option(
    "--from",
    "from_path",
    type=click.Path(exists=True),
    help="A gazetteer file or folder (format detected); without it, download.",
)
@click.option(
    "--source",
    type=click.Choice(FORMATS),
    help="Only this source (with --from), or the one to download (default geonames).",
)
@click.option("--snapshot", metavar="DATE", help="Snapshot date to record (default: file date).")
@click.option(
    "--timeout", type=float, default=60.0, show_default=True, help="Download timeout (s)."
)
@_CACHE_OPTION
def install(countries, from_path, source, snapshot, timeout, cache_dir):
    """Install COUNTRY (ISO2: PL RO ...; all found with --from if none) into the local index."""
    started = time.perf_counter()
    try:
        if from_path:
            summaries = install_from_path(
                from_path, countries=countries, source=source, snapshot=snapshot,
                cache_dir=cache_dir,
            )  # fmt: skip
        else:
            with click.progressbar(
                length=0, label="downloading", file=click.get_text_stream("stderr")
            ) as bar:

                def progress(n, total):
                    if total and bar.length != total:
                        bar.length = total
                    bar.update(n)

                summaries = install_downloaded(
                    countries, source=source or "geonames", cache_dir=cache_dir,
                    timeout_s=timeout, progress=progress,
                )  # fmt: skip
    except IncidentMapError as exc:
        raise BadGazetteerInput(str(exc)) from None
    for s in summaries:
        click.echo(
            f"{s['country']}  {s['source']:<16} {s['records']:>7} places  snapshot {s['snapshot']}"
        )
    click.echo(
        f"installed {len(summaries)} country files into {index_path(cache_dir)} "
        f"in {time.perf_counter() - started:.1f} s",
        err=True,
    )


@gazetteer.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@_CACHE_OPTION
def list_(as_json, cache_dir):
    """Installed countries and sources, with snapshot date, licence and origin."""
    installs = list_installs(cache_dir)
    if as_json:
        click.echo(json.dumps(installs, ensure_ascii=False, indent=2))
        return
    if not installs:
        click.echo("no gazetteers installed (incidentmap gazetteer install --from PATH)", err=True)
        return
    for i in installs:
        click.echo(
            f"{i['country']}  {i['source']:<16} {i['records']:>7} places  snapshot {i['snapshot']}"
            f"  from {i['origin']}\n    licence: {i['licence']}"
        )


@gazetteer.command()
@click.argument("countries", nargs=-1, metavar="[COUNTRY]...")
@click.option("--source", type=click.Choice(FORMATS), help="Only this source.")
@click.option("--all", "everything", is_flag=True, help="Remove every installed gazetteer.")
@_CACHE_OPTION
def remove(countries, source, everything, cache_dir):
    """Remove installed COUNTRY (ISO2), or everything with --all."""
    if not countries and not everything and not source:
        raise click.UsageError("name the countries to remove, or pass --all")
    removed = remove_installs(countries, source=source, cache_dir=cache_dir)
    summary(f"removed {removed} installed country files")
