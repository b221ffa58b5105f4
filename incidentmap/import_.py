"""``incidentmap import``: a user's ACLED, UCDP GED, CSV or GeoJSON file into a seeds folder."""

from __future__ import annotations

import datetime as dt
import os

import click

from incidentmap.errors import UserError
from incidentmap.geo.errors import IncidentMapError


def _day(ctx, param, value):
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2024-09-08") from None


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False))
@click.option(
    "--format",
    "fmt",
    required=True,
    type=click.Choice(["acled-csv", "ucdp-ged-csv", "csv", "geojson"]),
    help="The file's format.",
)
@click.option(
    "-o",
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False),
    help="The seeds folder to write (created; re-importing updates it by id).",
)
@click.option(
    "--map-columns",
    metavar="SPEC",
    help='For csv/geojson: "field=column,…" (seed field names) or a TOML file with '
    "a [columns] table.",
)
@click.option(
    "--country",
    "countries",
    multiple=True,
    metavar="ISO3",
    help="Keep only events in this country (repeatable).",
)
@click.option(
    "--within-km",
    type=click.FloatRange(min=0),
    metavar="N",
    help="Keep only events within N km of the NATO border (either side).",
)
@click.option("--since", callback=_day, metavar="DATE", help="Keep only events on or after DATE.")
@click.option(
    "--prune", is_flag=True, help="Remove the folder's records whose ids are no longer in the file."
)
def import_(file, fmt, out_dir, map_columns, countries, within_km, since, prune):
    """Import FILE into the seeds folder DIR (-o) that every command reads with --seeds DIR.

    Every row is imported, or rejected with its row number and reason (stderr and
    DIR/import-report.json), or skipped by a filter (counted in the report). Exit status:
    0 all rows imported or skipped by filters, 1 some rejected, 2 a mistake about the file
    or the options.
    """
    from incidentmap.geo.imports import REPORT, import_file

    if not os.path.isfile(file):
        raise UserError(f"import file {file!r} does not exist (or is not a file)")
    for c in countries:
        if len(c) != 3 or not c.isalpha():
            raise UserError(f"--country {c!r} is not an ISO 3166-1 alpha-3 code (e.g. POL)")
    from incidentmap.progress import progress_bars

    with progress_bars():
        try:
            report = import_file(
                file,
                fmt,
                out_dir,
                map_columns=map_columns,
                countries=countries,
                within_km=within_km,
                since=since,
                prune=prune,
            )
        except IncidentMapError as exc:
            raise UserError(str(exc)) from None
    for problem in report.rejected:
        click.echo(problem.line(file), err=True)
    click.echo(report.summary(), err=True)
    click.echo(os.path.join(out_dir, REPORT))
    if report.rejected:
        raise SystemExit(1)
