"""``incidentmap check``: is a point on NATO soil, and how far from the border?

``check -`` reads one ``LAT LON`` or place name per line from stdin and answers each as one
JSON line, with the indexes loaded once; a bad line gets an error object and the others go on.
"""

from __future__ import annotations

import sys

import click

from incidentmap.geo.errors import IncidentMapError
from incidentmap.options import (
    POSITIONAL_NUMBERS,
    date_option,
    echo_json,
    fmt_lat_lon,
    json_option,
    parse_on,
    parse_query,
    place_dict,
    point_or_place,
    quiet,
    summary,
)


def answer_dict(query, day) -> dict:
    """The JSON answer for a :class:`~incidentmap.options.PointQuery` on ``day``.

    The territory answer's keys, plus ``as_of``, ``on_nato_soil`` ("yes", "no", or
    "uncertain" when the matched place's precision circle crosses the NATO border),
    ``place`` (what a place name matched, else null) and ``hint`` (e.g. swapped axes).
    """
    from incidentmap.geo.coords import LngLat, swapped_hint
    from incidentmap.geo.territory import classify
    from incidentmap.geo.territory_answers import on_nato_soil

    answer = classify(query.lon, query.lat, on=day)
    out = answer.to_dict()
    precision = query.place.precision_m if query.place is not None else 0.0
    d = answer.distance_to_nato_border_km
    soil = on_nato_soil([answer.nato_member], [float("nan") if d is None else d], [precision])
    out["on_nato_soil"] = str(soil[0])
    out["as_of"] = day.isoformat()
    out["place"] = place_dict(query.place)
    out["hint"] = None
    if not query.fixed_order and answer.distance_to_nato_border_km is not None:

        def distance_km(lon, lat):
            d = classify(lon, lat, on=day).distance_to_nato_border_km
            return None if d is None else abs(d)

        out["hint"] = swapped_hint(LngLat(query.lon, query.lat), distance_km)
    return out


def summary_text(a: dict) -> str:
    """A few readable lines for one answer of :func:`answer_dict`."""
    where = fmt_lat_lon(a["lat"], a["lon"])
    lines = [f"{where} (as of {a['as_of']})"]
    if a["place"]:
        p = a["place"]
        admin = ", ".join(x for x in (p["admin2"], p["admin1"], p["country"]) if x)
        lines.insert(0, f"{p['name']} ({admin}) [{p['source']}, ±{p['precision_m']:,.0f} m]")
    if a["country"]:
        member = f"NATO member since {a['nato_since']}" if a["nato_member"] else "not a NATO member"
        zone = a["zone"].replace("_", " ")
        lines.append(f"  {a['country_name']} ({a['country']}), {zone}: {member}")
    else:
        lines.append("  international waters: no country's territory, not NATO soil")
    lines.append(
        f"  on NATO soil: {a['on_nato_soil']}; "
        f"Article 6 area: {'yes' if a['article_6_area'] else 'no'}"
    )
    if a["status_note"]:
        lines.append(f"  note: {a['status_note']}")
    d = a["distance_to_nato_border_km"]
    if d is not None:
        side = "inside" if a["nato_member"] else "outside"
        near = a["nearest_border_point"]
        lines.append(
            f"  {abs(d):.3f} km {side} NATO territory; nearest border point "
            f"{fmt_lat_lon(near['lat'], near['lon'])}, across it: {a['across']}"
        )
    lines.append(f"  accuracy: {a['accuracy_m']} m")
    return "\n".join(lines)


def _hint_on_stderr(answer: dict) -> None:
    if answer.get("hint") and not quiet():
        click.echo(f"note: {answer['hint']}", err=True)


def check_lines(lines, day) -> tuple[int, int]:
    """Answer each line as one JSON line on stdout; returns (answered, failed)."""
    answered = failed = 0
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or text.startswith("#"):
            continue
        try:
            answer = {"query": text, **answer_dict(point_or_place(text), day)}
            answered += 1
        except IncidentMapError as exc:
            answer = {"query": text, "line": number, "error": str(exc)}
            failed += 1
        echo_json(answer)
        sys.stdout.flush()
    return answered, failed


@click.command(context_settings=POSITIONAL_NUMBERS)
@click.argument("point", nargs=-1, required=True, metavar="LAT LON | PLACE | -")
@date_option
@json_option
def check(point, on, as_json):
    """Is LAT LON (or a PLACE) on NATO soil, and how far is it from the NATO border?

    LAT LON may be decimal (45.4353 28.05), with hemisphere letters (45.43N 28.05E) or in
    degrees and minutes (45°26'N 28°03'E). With "-", reads one point or place per line from
    stdin and prints one JSON object per line (exit status 2 if any line failed).

    Example: incidentmap check 45.4353 28.05 --date 2023-09-04
    """
    day = parse_on(on)
    if point == ("-",):
        answered, failed = check_lines(sys.stdin, day)
        summary(f"{answered} answered, {failed} failed")
        if failed:
            raise SystemExit(2)
        return
    answer = answer_dict(parse_query(point), day)
    _hint_on_stderr(answer)
    if as_json:
        echo_json(answer)
    else:
        click.echo(summary_text(answer))
