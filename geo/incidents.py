"""Loading incident records from ``seeds/``: YAML files in, typed and validated records out.

The record and its fields are declared in :mod:`geo.schema` (re-exported here), checked by
:mod:`geo.validation`; YAML is read with line numbers by :mod:`geo.seed_yaml`. This module only
*reads and checks*: it never geocodes, never touches the network and never enriches a record.
Every problem is a :class:`Rejection` that names the file, the line, the field and the value,
and one bad record (or file) never stops the others from loading.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from incidentmap.geo import progress
from incidentmap.geo.errors import DataFileError
from incidentmap.geo.fieldtypes import show
from incidentmap.geo.places import CuratedPlace, PlacesResult, load_places
from incidentmap.geo.schema import (
    ACLED_EVENT_TYPES,
    CLAIM_STATUSES,
    FEATURES,
    KINDS,
    STANCES,
    Claim,
    Geocoding,
    Incident,
    Source,
    TrackPoint,
)
from incidentmap.geo.seed_yaml import read_yaml
from incidentmap.geo.validation import Problems, Rejection, Rejections, as_dict, validate_record

logger = logging.getLogger(__name__)

__all__ = [
    "ACLED_EVENT_TYPES",
    "CLAIM_STATUSES",
    "FEATURES",
    "KINDS",
    "STANCES",
    "Claim",
    "CuratedPlace",
    "Geocoding",
    "Incident",
    "LoadResult",
    "PlacesResult",
    "Rejection",
    "Source",
    "TrackPoint",
    "as_dict",
    "load_incidents",
    "load_places",
]


@dataclass(frozen=True)
class LoadResult(Rejections):
    """Incidents that passed validation and the rejections of the others."""

    incidents: tuple[Incident, ...]
    rejected: tuple[Rejection, ...]


def _incident(rec: Any, file: str, index: int, line: int | None, today: dt.date):
    if not isinstance(rec, dict):
        reason = f"item {index} is {show(rec)} ({type(rec).__name__}), expected a mapping"
        return None, [Rejection(file, line, None, reason, value=show(rec))]
    raw_id = rec.get("event_id_cnty")
    probs = Problems(file, rec, raw_id if isinstance(raw_id, str) else None, today)
    inc = validate_record(Incident, rec, probs, "incident", file=file, line=rec.line)
    return inc, probs.items


def _seed_files(paths_or_dir) -> list[Path]:
    if isinstance(paths_or_dir, (str, Path)):
        paths_or_dir = [paths_or_dir]
    files: list[Path] = []
    for p in paths_or_dir:
        p = Path(p)
        if p.is_dir():
            files.extend(sorted([*p.glob("*.yaml"), *p.glob("*.yml")]))
        elif p.exists():
            files.append(p)
        else:
            raise DataFileError(f"seed path {str(p)!r} does not exist")
    return files


def load_incidents(paths_or_dir, *, today: dt.date | None = None) -> LoadResult:
    """Load and validate incident records.

    Parameters
    ----------
    paths_or_dir : str, Path or iterable of them
        YAML files, or directories whose ``*.yaml``/``*.yml`` files are read (sorted).
    today : datetime.date, optional
        Dates after this day are rejected as "in the future"; default ``date.today()``.

    Returns
    -------
    LoadResult
        ``incidents`` in file order, and ``rejected`` with one :class:`Rejection` per problem
        (file, line, event id, reason, field, value). A malformed file is one rejection; the
        other files still load. The second record with an already used ``event_id_cnty`` is
        rejected, naming the first one's file and line.

    Raises
    ------
    DataFileError
        If a given path does not exist.
    """
    today = today or dt.date.today()
    incidents: list[Incident] = []
    rejected: list[Rejection] = []
    seen: dict[str, Incident] = {}
    files = _seed_files(paths_or_dir)
    sizes = [p.stat().st_size if p.is_file() else 0 for p in files]
    total_kb, done_kb = sum(sizes) // 1024, 0
    parsed: list[tuple[Path, list | Rejection]] = []
    for path, size in zip(files, sizes, strict=True):
        data, line, reason = read_yaml(path)
        done_kb += size // 1024
        progress.step("reading seeds (kB)", done_kb, total_kb)
        if reason is not None:
            parsed.append((path, Rejection(str(path), line, None, reason)))
            continue
        if data is None:
            logger.info("%s is empty", path)
            continue
        if not isinstance(data, list):
            parsed.append(
                (
                    path,
                    Rejection(
                        str(path),
                        getattr(data, "line", 1),
                        None,
                        f"top level is a {type(data).__name__}; expected a list "
                        "of incident records (start each with '- ')",
                    ),
                )
            )
            continue
        parsed.append((path, data))
    total = sum(len(data) for _, data in parsed if isinstance(data, list))
    done = 0
    for path, data in parsed:  # in file order, so the rejections are too
        if isinstance(data, Rejection):
            rejected.append(data)
            continue
        item_lines = getattr(data, "item_lines", [None] * len(data))
        for i, (rec, rec_line) in enumerate(zip(data, item_lines, strict=True), 1):
            done += 1
            if done % progress.every == 0:
                progress.step("validating seeds", done, total)
            inc, probs = _incident(rec, str(path), i, rec_line, today)
            if probs:
                rejected.extend(probs)
                continue
            first = seen.get(inc.event_id_cnty)
            if first is not None:
                rejected.append(
                    Rejection(
                        str(path),
                        inc.line,
                        inc.event_id_cnty,
                        f"duplicate event_id_cnty {inc.event_id_cnty!r}; first defined at "
                        f"{first.file}:{first.line}",
                        "event_id_cnty",
                        repr(inc.event_id_cnty),
                    )
                )
                continue
            seen[inc.event_id_cnty] = inc
            incidents.append(inc)
    progress.step("validating seeds", total, total)
    for inc in incidents:
        for other in inc.related:
            if other not in seen:
                logger.warning(
                    "%s:%s [%s] related id %r is not among the loaded incidents",
                    inc.file,
                    inc.line,
                    inc.event_id_cnty,
                    other,
                )
    logger.info("loaded %d incidents, rejected %d problem(s)", len(incidents), len(rejected))
    return LoadResult(tuple(incidents), tuple(rejected))
