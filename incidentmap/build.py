"""``incidentmap build``: render every map in maps/ to HTML with a build report."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from incidentmap.errors import UserError
from incidentmap.geo.errors import IncidentMapError
from incidentmap.options import quiet, summary
from incidentmap.progress import BuildProgress, progress_bars

logger = logging.getLogger(__name__)


#: The default map of ``--seeds DIR`` draws at most this many incidents (about 0.76 kB of
#: page each: ~27 MB, inside the maps benchmark's 30 MB budget); the rest are left out, said.
MAX_DEFAULT_MAP_INCIDENTS = 35_000


def _nearest_to_border(enriched):
    """The incidents nearest the NATO border (either side) when there are more than
    :data:`MAX_DEFAULT_MAP_INCIDENTS`, and the left-out entries of the others (said on
    stderr with the counts and the distance kept)."""
    if len(enriched) <= MAX_DEFAULT_MAP_INCIDENTS:
        return enriched, []
    dist = enriched["distance_to_nato_border_km"].abs().fillna(float("inf"))
    order = dist.to_numpy().argsort(kind="stable")
    keep = sorted(order[:MAX_DEFAULT_MAP_INCIDENTS])
    km = float(dist.iloc[order[MAX_DEFAULT_MAP_INCIDENTS - 1]])
    dropped = order[MAX_DEFAULT_MAP_INCIDENTS:]
    reason = (
        f"the default map draws the {MAX_DEFAULT_MAP_INCIDENTS:,} incidents nearest the NATO "
        f"border (within {km:.1f} km) of {len(enriched):,}, to stay within the maps' 30 MB "
        "budget; choose with `import --within-km N`, --country, --since or a map spec"
    )
    click.echo(f"warning: {len(dropped):,} incidents left out: {reason}", err=True)
    ids = enriched["event_id_cnty"].to_numpy()
    return enriched.iloc[keep], [{"id": str(ids[i]), "reason": reason} for i in dropped]


@click.command()
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Where to write <name>.html and <name>.report.json (default: maps/ of the checkout, "
    "or ./maps for an installed package).",
)
@click.option(
    "--map",
    "names",
    multiple=True,
    metavar="NAME",
    help="Build only this map (repeatable); NAME is the spec file name without .toml.",
)
@click.option(
    "--maps-dir",
    type=click.Path(exists=True, file_okay=False),
    default=None,
    help="Directory of map specs (default: the shipped specs).",
)
@click.option(
    "--seeds",
    "seeds_dir",
    type=click.Path(exists=True),
    default=None,
    help="Seeds folder (incidents/*.yaml, optional places.yaml and tracks/; default: the "
    "shipped seeds).",
)
@click.option(
    "--offline",
    "asset_mode",
    flag_value="offline",
    help="Self-contained HTML with every script and stylesheet inline; "
    "fail if the asset cache is incomplete.",
)
@click.option(
    "--cdn",
    "asset_mode",
    flag_value="cdn",
    help="Link scripts and stylesheets from CDNs (smaller HTML; needs a network to open).",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    default=None,
    help="Asset cache filled by `incidentmap assets`.",
)
@click.option(
    "--png", is_flag=True, help="Also write screenshots/<name>.png of each map (headless Chromium)."
)
def build(out_dir, names, maps_dir, seeds_dir, asset_mode, cache_dir, png):
    """Build the maps defined in maps/*.toml from the shipped seeds.

    With --seeds DIR and neither --map nor --maps-dir, one map of DIR's incidents is built,
    fitted to their extent and dates, with every layer (named after DIR).

    Every map is one self-contained HTML file (all scripts and stylesheets inline) that opens
    with no network. The scripts come from a local cache of npm packages: the first build fills
    it (`npm pack`, the versions folium uses; the same as `incidentmap assets`) and later builds
    use no network at all. If the npm registry cannot be reached the HTML links CDNs instead,
    with a warning. --offline never uses the network and fails if the cache is incomplete;
    --cdn always links. The summary of drawn and left-out incidents goes to stderr; the paths of
    the written files to stdout.
    """
    from incidentmap.geo.errors import AssetError
    from incidentmap.geo.paths import default_build_dir, seeds_folder
    from incidentmap.geo.paths import maps_dir as resolve_maps_dir
    from incidentmap.layers import mapbuild
    from incidentmap.layers.spec import default_spec

    maps_arg = maps_dir
    try:
        maps_dir = resolve_maps_dir(maps_dir)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--maps-dir") from None
    try:
        seeds = seeds_folder(seeds_dir)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--seeds") from None
    out = Path(out_dir) if out_dir else default_build_dir()
    try:
        specs = mapbuild.load_specs(maps_dir)
        if names:
            known = {s.name for s in specs}
            unknown = [n for n in names if n not in known]
            if unknown:
                raise click.BadParameter(
                    f"no map spec {', '.join(unknown)} in {maps_dir}; "
                    f"known: {', '.join(sorted(known))}",
                    param_hint="--map",
                )
            specs = [s for s in specs if s.name in names]
        if not specs:
            raise click.UsageError(f"no map specs (*.toml) in {maps_dir}")
        assets, note = mapbuild.choose_assets(asset_mode or "auto", cache_dir=cache_dir)
        if note:
            click.echo(f"warning: {note}", err=True)
        progress = BuildProgress(1 + len(specs) * mapbuild.WRITE_STEPS, enabled=not quiet())
        progress.step("reading and enriching the seeds")
        with progress_bars():
            enriched, left_out = mapbuild.load_enriched(seeds.root if seeds_dir else None)
        if seeds_dir is not None and not names and maps_arg is None:
            enriched, capped = _nearest_to_border(enriched)
            left_out = [*left_out, *capped]
            name = seeds.root.resolve().name or "seeds"  # one map fitted to the user's seeds
            specs = [default_spec(enriched, name=name, title=f"Incidents: {name}")]
        written = []
        for spec in specs:
            report = mapbuild.write_map(
                spec,
                enriched,
                out_dir=out,
                assets=assets,
                cache_dir=cache_dir,
                extra_left_out=left_out,
                tracks_dir=seeds.tracks,
                progress=progress.step,
                more_steps=progress.add,
            )
            progress.close()
            summary(report.summary())
            html_path = out / report.html
            click.echo(str(html_path))
            written.append(html_path)
    except AssetError as exc:  # the machine lacks the assets: not a mistake in the input
        raise click.ClickException(str(exc)) from None
    except IncidentMapError as exc:  # a bad spec, seeds folder or option: exit 2
        raise UserError(str(exc)) from None
    if png:
        from incidentmap.layers.snapshot import write_pngs

        try:
            for path in write_pngs(written, out_dir=out / "screenshots"):
                click.echo(str(path))
        except IncidentMapError as exc:  # no Chromium here: the machine, not the input
            raise click.ClickException(str(exc)) from None
