"""``incidentmap validate``, ``incidents`` and ``export``: the incident catalog on the command line.

The conversions (:func:`acled_frame`, :func:`geojson_dict`, :func:`json_records`) are plain
functions of the enriched frame of :func:`geo.enrich.enrich_incidents`, so they can be used
without click.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import click

from incidentmap.errors import UserError
from incidentmap.geo.enrich import CatalogResult, enrich_incidents, load_catalog
from incidentmap.geo.errors import IncidentMapError
from incidentmap.geo.export import (
    ACLED_COLUMNS,
    DOMAIN_COLUMNS,
    TAG_FIELDS,
    acled_frame,
    flat_frame,
    geojson_dict,
    is_missing,
    json_records,
)
from incidentmap.geo.incidents import load_incidents
from incidentmap.geo.paths import seeds_folder
from incidentmap.geo.places import load_places
from incidentmap.geo.tabular import csv_text, write_csv
from incidentmap.options import summary
from incidentmap.progress import progress_bars

logger = logging.getLogger(__name__)


__all__ = [
    "ACLED_COLUMNS",
    "DOMAIN_COLUMNS",
    "TAG_FIELDS",
    "acled_frame",
    "export",
    "geojson_dict",
    "incidents",
    "json_records",
    "validate",
]


def _display_path(path) -> str:
    """``path`` relative to the working directory when it lies under it."""
    if path is None:
        return "?"
    try:
        rel = os.path.relpath(path)
    except ValueError:
        return str(path)
    return str(path) if rel.startswith("..") else rel


def _problem_line(item: dict) -> str:
    where = f"{_display_path(item.get('file'))}:{item.get('line')}"
    kind = "warning: " if item.get("level") == "warning" else ""
    return f"{where}: [{item.get('event_id_cnty')}] {kind}{item.get('reason')}"


def _rejection_line(rej) -> str:
    where = _display_path(rej.file) + (f":{rej.line}" if rej.line is not None else "")
    who = f" [{rej.event_id}]" if rej.event_id else ""
    return f"{where}:{who} {rej.reason}"


def _geocoder(places, cache_dir):
    """None (the process-wide default geocoder) unless the user chose places or a cache."""
    if places is None and cache_dir is None:
        return None
    from incidentmap.geo.geocoding import Geocoder

    return Geocoder.default(places_yaml=places, cache_dir=cache_dir)


def _seeds(path, hint="--seeds"):
    """The seeds folder at ``path`` (default: the shipped one); a bad path is a usage error."""
    try:
        return seeds_folder(path)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint=hint) from None


def _load(seeds, places, cache_dir) -> CatalogResult:
    folder = _seeds(seeds)
    try:
        if places is None and not folder.shipped:
            places = folder.places
        with progress_bars():
            result = load_catalog(folder.incidents, geocoder=_geocoder(places, cache_dir))
    except IncidentMapError as exc:
        raise UserError(str(exc)) from None
    for rej in result.rejected:
        click.echo(f"rejected: {_rejection_line(rej)}", err=True)
    for item in result.report:
        click.echo(
            ("not enriched: " if item["level"] == "error" else "") + _problem_line(item), err=True
        )
    return result


seeds_option = click.option(
    "--seeds",
    type=click.Path(exists=True),
    help="Seeds folder (incidents/*.yaml, optional places.yaml and tracks/), a folder of "
    "incident YAML files or one YAML file (default: the shipped seeds).",
)
places_option = click.option(
    "--places",
    type=click.Path(dir_okay=False, exists=True),
    help="Curated places YAML (default: the seeds folder's places.yaml, else the shipped one).",
)
cache_option = click.option(
    "--cache-dir",
    type=click.Path(file_okay=False),
    help="Cache directory of the GeoNames index (default: $INCIDENTMAP_CACHE_DIR, "
    "$XDG_CACHE_HOME/incidentmap or ~/.cache/incidentmap).",
)


# --------------------------------------------------------------------------- commands


@click.command()
@click.argument("path", required=False, type=click.Path(exists=True))
@click.option(
    "--schema-only",
    is_flag=True,
    help="Only check the records; skip geocoding their places and the border checks.",
)
@click.option("--strict", is_flag=True, help="Warnings (e.g. a country mismatch) fail too.")
@places_option
@cache_option
def validate(path, schema_only, strict, places, cache_dir):
    """Check incident records (PATH: a YAML file or a directory; default: the shipped seeds).

    Prints every problem as one line FILE:LINE: [ID] REASON (naming the field and value);
    exits with status 2 if there is any.
    Without PATH the curated places file is checked too. Unless --schema-only, every record
    without coordinates is geocoded (an unknown or ambiguous place is a problem) and every
    record is checked against the borders (coordinates in another country than the one
    the record states are a warning).
    """
    folder = _seeds(path, "PATH")
    target = folder.incidents
    try:
        with progress_bars():
            loaded = load_incidents(target)
    except IncidentMapError as exc:
        raise UserError(str(exc)) from None
    problems = [_rejection_line(r) for r in loaded.rejected]
    # the folder's own curated places are checked too (the shipped ones without PATH)
    own_places = folder.shipped or folder.places != seeds_folder().places
    places_file = Path(places) if places else (folder.places if own_places else None)
    if places is None and own_places and not folder.shipped:
        places = folder.places
    place_problems = []
    if places_file is not None:
        place_problems = [_rejection_line(r) for r in load_places(places_file).rejected]
        problems += place_problems
    warnings: list[str] = []
    failed_ids: set[str] = set()
    if place_problems and not schema_only:
        click.echo(
            f"{_display_path(places_file)}: geocoding and border checks skipped until the "
            "places file is fixed",
            err=True,
        )
    elif not schema_only and loaded.incidents:
        with progress_bars():
            _, report = enrich_incidents(loaded.incidents, geocoder=_geocoder(places, cache_dir))
        problems += [_problem_line(item) for item in report.failures]
        warnings += [_problem_line(item) for item in report.warnings]
        failed_ids = {item["event_id_cnty"] for item in report.failures}
    for line in problems + warnings:
        click.echo(line)
    rejected_ids = {r.event_id for r in loaded.rejected}
    ok = len([i for i in loaded.incidents if i.event_id_cnty not in failed_ids])
    click.echo(
        f"{_display_path(target)}: {ok} incident(s) ok, {len(problems)} problem(s), "
        f"{len(warnings)} warning(s) ({len(rejected_ids | failed_ids)} record(s) affected)",
        err=True,
    )
    if problems or (strict and warnings):
        raise SystemExit(2)


_TABLE = (
    ("ID", "event_id_cnty", 13),
    ("DATE", "event_date", 10),
    ("KIND", "kind", 18),
    ("LOCATION", "location", 22),
    ("IN", "found_country", 3),
    ("NATO SOIL", "on_nato_soil", 9),
    ("KM", "distance_to_nato_border_km", 8),
    ("±KM", "precision_m", 6),
    ("STATUS", "claim_status", 10),
    ("GEOCODE", "geocoding_source", 8),
)


def _cell(col: str, value) -> str:
    if is_missing(value):
        return "-"
    if col == "distance_to_nato_border_km":
        return f"{value:+.1f}"
    if col == "precision_m":
        return f"{value / 1000:.1f}"
    return str(value)


def _table(frame) -> str:
    header = "  ".join(h.rjust(w) if h in ("KM", "±KM") else h.ljust(w) for h, _, w in _TABLE)
    lines = [header.rstrip()]
    for _, row in frame.iterrows():
        cells = []
        for _, col, width in _TABLE:
            text = _cell(col, row[col])
            if len(text) > width:
                text = text[: width - 1] + "…"
            numeric = col in ("distance_to_nato_border_km", "precision_m")
            cells.append(text.rjust(width) if numeric else text.ljust(width))
        lines.append("  ".join(cells).rstrip())
    counts = frame["on_nato_soil"].value_counts()
    lines.append(
        f"{len(frame)} incident(s): on NATO soil yes {counts.get('yes', 0)}, "
        f"uncertain {counts.get('uncertain', 0)}, no {counts.get('no', 0)} "
        "(as of each incident's date; KM signed, positive inside NATO)"
    )
    return "\n".join(lines)


@click.command()
@click.option("--json", "fmt", flag_value="json", help="Print a JSON array of incidents.")
@click.option("--csv", "fmt", flag_value="csv", help="Print CSV (lists as JSON text).")
@seeds_option
@places_option
@cache_option
def incidents(fmt, seeds, places, cache_dir):
    """List all enriched incidents: a table by default, or --json / --csv.

    Problems (rejected records, places that could not be located, warnings) go to stderr.
    """
    frame = _load(seeds, places, cache_dir).frame
    if fmt == "json":
        click.echo(json.dumps(json_records(frame), ensure_ascii=False, indent=1))
    elif fmt == "csv":
        click.echo(csv_text(flat_frame(frame)), nl=False)
    else:
        click.echo(_table(frame))


def _write_atomic(path: Path, write: Callable[[Path], None]) -> None:
    """Write through a temporary file in the same directory, then rename over ``path``."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        write(tmp_path)
        os.replace(tmp_path, path)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["acled-csv", "geojson", "geoparquet"]),
    required=True,
    help="acled-csv: ACLED's columns then this project's; geojson: RFC 7946 points; "
    "geoparquet: the enriched table with its geometry.",
)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), required=True, help="File to write."
)
@click.option("--overwrite", is_flag=True, help="Replace OUTPUT if it exists.")
@seeds_option
@places_option
@cache_option
def export(fmt, output, overwrite, seeds, places, cache_dir):
    """Export all enriched incidents to a file (ACLED CSV, GeoJSON or GeoParquet)."""
    out = Path(output)
    if out.exists() and not overwrite:
        raise UserError(f"{output} exists; pass --overwrite to replace it")
    if not out.parent.exists():
        raise UserError(f"directory {out.parent} does not exist")
    frame = _load(seeds, places, cache_dir).frame
    if fmt == "acled-csv":
        table = acled_frame(frame)
        _write_atomic(out, lambda p: write_csv(table, p))
    elif fmt == "geojson":
        text = json.dumps(geojson_dict(frame), ensure_ascii=False, indent=1)
        _write_atomic(out, lambda p: p.write_text(text + "\n", encoding="utf-8"))
    else:
        import geopandas as gpd

        flat = gpd.GeoDataFrame(flat_frame(frame), geometry=frame.geometry.values, crs=frame.crs)
        _write_atomic(out, lambda p: flat.to_parquet(p, index=False))
    summary(f"wrote {len(frame)} incident(s) to {output} ({fmt})")
