"""``incidentmap track``: where a flight track was inside NATO airspace, and for how long."""

from __future__ import annotations

import logging
from pathlib import Path

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.options import date_option, echo_json, fmt_lat_lon, json_option, parse_on

logger = logging.getLogger(__name__)

_HINT = "FILE|INCIDENT_ID"


def find_track(source: str, *, tracks_dir=None, seeds_dir=None):
    """A Track from a file path, or from the seed tracks / incidents by track or incident id."""
    from incidentmap.geo.paths import seeds_folder
    from incidentmap.geo.track_files import load_seed_tracks, read_track
    from incidentmap.geo.tracks import make_track

    path = Path(source)
    if path.is_file():
        return read_track(path)
    key = source.strip().upper()
    try:
        folder = seeds_folder(seeds_dir)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint="--seeds") from None
    tracks_dir = Path(tracks_dir) if tracks_dir else folder.tracks
    seeds_dir = folder.incidents
    found = []
    if tracks_dir is not None and tracks_dir.is_dir():
        found = [t for t in load_seed_tracks(tracks_dir)
                 if key in ((t.name or "").upper(), (t.incident or "").upper())]
    if len(found) > 1:
        ids = ", ".join(t.name for t in found)
        raise IncidentMapError(f"{source!r} matches {len(found)} tracks ({ids}); give a track id")
    if found:
        return found[0]
    if seeds_dir.exists():
        from incidentmap.geo.incidents import load_incidents

        for inc in load_incidents(seeds_dir).incidents:
            if inc.event_id_cnty.upper() == key and inc.track:
                pts = inc.track
                times = [p.time for p in pts]
                return make_track(
                    [p.lon for p in pts], [p.lat for p in pts],
                    times if any(t is not None for t in times) else None,
                    name=inc.event_id_cnty, incident=inc.event_id_cnty, date=inc.event_date,
                    notes=tuple(p.note or "" for p in pts),
                )
    what = "no such file, and no track"
    raise IncidentMapError(
        f"{source!r}: {what} with that id in {tracks_dir or folder.root} or incident with a "
        "track in "
        f"{seeds_dir}; give a .geojson, .csv, .gpx or .yaml file or a track/incident id"
    )


def _minutes(seconds) -> str:
    return "?" if seconds is None else f"{seconds / 60:.1f} min"


def _when(c) -> str:
    if c.time:
        return f" at {c.time}"
    if c.time_from_start_s is not None:
        return f" at +{c.time_from_start_s / 60:.1f} min"
    return ""


def summary(a) -> str:
    """Readable lines for one :class:`~geo.airspace.TrackAnalysis`."""
    label = a.track or "track"
    flags = "approximate, " if a.approximate else ""
    basis = a.time_basis or "no times (give --speed KMH)"
    lines = [
        f"{label} ({flags}{a.n_points} points), NATO as of {a.on.isoformat()}; times: {basis}",
        f"  length {a.length_m / 1000:.2f} km, duration {_minutes(a.duration_s)}",
    ]
    if not a.pieces:
        lines.append("  never inside NATO airspace")
        return "\n".join(lines)
    lines.append(
        f"  inside NATO airspace: {a.distance_inside_m / 1000:.2f} km, "
        f"{_minutes(a.time_inside_s)}, in {len(a.pieces)} piece(s)"
    )
    for p in a.pieces:
        head = f"  {p.country_name} ({p.country}): {p.distance_m / 1000:.2f} km, "
        head += _minutes(p.duration_s)
        lines.append(head)
        if p.entry:
            e = p.entry
            lines.append(f"    entry {fmt_lat_lon(e.lat, e.lon)}{_when(e)} from {e.from_country}")
        else:
            lines.append("    starts inside")
        if p.exit:
            x = p.exit
            lines.append(f"    exit  {fmt_lat_lon(x.lat, x.lon)}{_when(x)} to {x.to_country}")
        else:
            lines.append("    ends inside")
        d = p.deepest
        lines.append(f"    deepest {d.depth_m / 1000:.2f} km from the NATO border at "
                     f"{fmt_lat_lon(d.lat, d.lon)}{_when(d)}")
    return "\n".join(lines)


@click.command()
@click.argument("source", metavar=_HINT)
@click.option("--speed", "speed_kmh", type=float, default=None, metavar="KMH",
              help="Time the track at this constant ground speed (instead of its timestamps).")
@click.option("--tracks", "tracks_dir", type=click.Path(exists=True, file_okay=False),
              default=None, help="Directory of track YAML files (default: the seeds folder's "
              "tracks/).")
@click.option("--seeds", "seeds_dir", type=click.Path(exists=True),
              default=None, help="Seeds folder (incidents/, tracks/; default: the shipped seeds).")
@date_option
@json_option
def track(source, speed_kmh, tracks_dir, seeds_dir, on, as_json):
    """Where the track in FILE (GeoJSON, CSV, GPX, YAML), or of a seeded track or incident,
    was inside NATO airspace: entries, exits, distance and time inside, deepest point.

    Example: incidentmap track ROU-2025-0002 --json
    """
    from incidentmap.geo.airspace import analyse_track
    from incidentmap.geo.tracks import check_speed_kmh

    day = parse_on(on) if on else None
    if speed_kmh is not None:
        try:
            check_speed_kmh(speed_kmh, what="--speed")
        except IncidentMapError as exc:
            raise click.BadParameter(str(exc), param_hint="--speed") from None
    try:
        t = find_track(source, tracks_dir=tracks_dir, seeds_dir=seeds_dir)
        result = analyse_track(t, on=day, speed_kmh=speed_kmh)
    except IncidentMapError as exc:
        raise click.BadParameter(str(exc), param_hint=_HINT) from None
    if as_json:
        payload = result.to_dict()
        payload["sources"] = list(t.sources)
        payload["method"] = t.method
        echo_json(payload)
    else:
        click.echo(summary(result))
