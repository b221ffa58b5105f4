"""Import a file into a seeds folder: map, validate, filter, enrich, merge by id, write.

:func:`import_file` is the whole of ``incidentmap import``. Every input row ends in exactly
one of: ``imported`` (written to ``DIR/incidents/<ISO3>-<year>.yaml``), ``rejected`` (row
number, column, reason) or ``skipped`` by a filter (``--since``, ``--country``,
``--within-km``; counted, with the row numbers). The report (:class:`ImportReport`) is also
written to ``DIR/import-report.json``.

Re-importing into the same folder updates records by ``event_id_cnty``; ``prune=True`` drops
the folder's ids that the file no longer has. The folder's YAML is rewritten as a whole with
every text a double-quoted string (:mod:`geo.imports.yaml_out`).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import yaml

from incidentmap.geo import progress as steps
from incidentmap.geo.errors import DataFileError
from incidentmap.geo.imports import acled, plain, ucdp
from incidentmap.geo.imports.common import RowError, RowProblem
from incidentmap.geo.imports.read import read_rows
from incidentmap.geo.imports.yaml_out import dumps
from incidentmap.geo.paths import INCIDENTS
from incidentmap.geo.schema import Incident
from incidentmap.geo.seed_yaml import IMPORT_HEADER
from incidentmap.geo.validation import Problems, validate_record

__all__ = ["FORMATS", "REPORT", "ImportReport", "import_file"]

FORMATS = ("acled-csv", "ucdp-ged-csv", "csv", "geojson")
REPORT = "import-report.json"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class ImportReport:
    """What became of every row (see the module doc)."""

    file: str
    format: str
    rows: int = 0
    imported: int = 0
    added: int = 0
    updated: int = 0
    pruned: list[str] = field(default_factory=list)
    rejected: list[RowProblem] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    enrichment: dict = field(default_factory=dict)
    files: list[str] = field(default_factory=list)

    def summary(self) -> str:
        skipped = sum(len(v) for v in self.skipped.values())
        return (
            f"{self.file}: {self.rows} rows: {self.imported} imported ({self.added} new, "
            f"{self.updated} updated), {len(self.rejected)} rejected, {skipped} skipped by "
            f"filters; {len(self.pruned)} pruned"
        )

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "format": self.format,
            "rows": self.rows,
            "imported": self.imported,
            "added": self.added,
            "updated": self.updated,
            "pruned": self.pruned,
            "rejected": [p.as_dict() for p in self.rejected],
            "skipped": self.skipped,
            "enrichment": self.enrichment,
            "files": self.files,
        }


def _validated(m: dict, row: int, file: str, today: dt.date) -> list[RowProblem]:
    probs = Problems(file, m, m.get("event_id_cnty"), today)
    validate_record(Incident, m, probs, "incident")
    return [RowProblem(row, p.reason, p.field, m.get("event_id_cnty")) for p in probs.items]


def _found_countries(table, mapper) -> dict[int, str]:
    """Country under the coordinates of plain rows (by row number), for rows naming none."""
    from incidentmap.geo.territory import classify_many

    rows, lon, lat = [], [], []
    for n, row in table.rows:
        if mapper.cell(row, "country"):
            continue
        try:
            x = float(mapper.cell(row, "longitude"))
            y = float(mapper.cell(row, "latitude"))
        except ValueError:
            continue
        rows.append(n), lon.append(x), lat.append(y)
    if not rows:
        return {}
    ans = classify_many(lon, lat, distance=False)
    return {n: c for n, c in zip(rows, ans["country"], strict=True) if isinstance(c, str)}


def _map_rows(table, fmt, path, mapping, today, progress) -> tuple[list, list]:
    file = str(path)
    if fmt == "acled-csv":
        acled.check_header(table.header, path)
        mapper, required = (lambda row, n: acled.record(row, today)), acled.REQUIRED
    elif fmt == "ucdp-ged-csv":
        ucdp.check_header(table.header, path)
        mapper, required = (lambda row, n: ucdp.record(row, today)), ucdp.REQUIRED
    else:
        p = plain.Mapper(table.header, mapping, path)
        found = _found_countries(table, p)
        mapper, required = (lambda row, n: p.record(row, today, found.get(n))), ()
    for col in required:  # a whole column left empty is a mistake about the file, not rows
        if table.rows and all(not str(r.get(col) or "").strip() for _, r in table.rows):
            raise DataFileError(
                f"{path}: column {col!r} is empty in every row (rows 2–"
                f"{table.rows[-1][0]}); wrong file or a broken export?"
            )
    records, problems, seen = [], list(table.problems), {}
    total = len(table.rows)
    for i, (n, row) in enumerate(table.rows):
        if i % 1000 == 999:
            steps.step("validating rows", i + 1, total)
            if progress:
                progress(1000, total)
        try:
            m = mapper(row, n)
        except RowError as exc:
            rid = str(row.get("event_id_cnty") or row.get("id") or "").strip()[:40] or None
            problems.append(RowProblem(n, exc.reason, exc.column, rid))
            continue
        bad = _validated(m, n, file, today)
        if bad:
            problems.extend(bad)
            continue
        first = seen.get(m["event_id_cnty"])
        if first is not None:
            problems.append(
                RowProblem(
                    n,
                    f"duplicate id {m['event_id_cnty']!r}; first in row {first}",
                    "event_id_cnty",
                    m["event_id_cnty"],
                )
            )
            continue
        seen[m["event_id_cnty"]] = n
        records.append((n, m))
    steps.step("validating rows", total, total)
    if progress:
        progress(total % 1000, total)
    return records, problems


def _classify(records: list) -> dict:
    """Vectorised territory answers of the records with coordinates, one call per period
    of equal answers (:func:`geo.enrich.same_answers_day`: the member set and the status
    areas in force only change on a few days)."""
    from incidentmap.geo.enrich import same_answers_day
    from incidentmap.geo.territory import classify_many

    idx = [i for i, (_, m) in enumerate(records) if "latitude" in m]
    if not idx:
        return {}
    lon = np.array([records[i][1]["longitude"] for i in idx], dtype=float)
    lat = np.array([records[i][1]["latitude"] for i in idx], dtype=float)
    days = [records[i][1]["event_date"] for i in idx]
    same = same_answers_day(set(days))
    reps = sorted(set(same.values()))
    era = np.searchsorted(
        np.array(reps, dtype="datetime64[D]"),
        np.array([same[d] for d in days], dtype="datetime64[D]"),
    )
    out = {
        k: np.empty(len(idx), dtype=object)
        for k in ("country", "zone", "nato_member", "article_6_area")
    }
    out["distance_km"] = np.full(len(idx), np.nan)
    for e, day in enumerate(reps):
        sel = np.flatnonzero(era == e)
        ans = classify_many(lon[sel], lat[sel], on=day)
        steps.step("enriching (periods of equal answers)", e + 1, len(reps))
        out["distance_km"][sel] = ans["distance_to_nato_border_km"].astype(float).to_numpy()
        for k in ("country", "zone", "nato_member", "article_6_area"):
            out[k][sel] = ans[k].astype(object).to_numpy()
    return {i: {k: out[k][j] for k in out} for j, i in enumerate(idx)}


def _filter(records, answers, *, since, countries, within_km, report) -> list:
    kept = []
    countries = {c.upper() for c in countries or ()}
    for i, (n, m) in enumerate(records):
        reason = None
        if since is not None and m["event_date"] < since:
            reason = f"event_date before --since {since}"
        elif countries and m["country"] not in countries:
            reason = f"country not in --country {' '.join(sorted(countries))}"
        elif within_km is not None:
            ans = answers.get(i)
            if ans is None or not np.isfinite(ans["distance_km"]):
                reason = "no coordinates to measure --within-km"
            elif abs(ans["distance_km"]) > within_km:
                reason = f"farther than --within-km {within_km:g} from the NATO border"
        if reason:
            report.skipped.setdefault(reason, []).append(n)
        else:
            kept.append((n, m, answers.get(i)))
    return kept


def _enrichment(kept) -> dict:
    with_ans = [(m, a) for _, m, a in kept if a is not None]
    mismatch = [
        (m["event_id_cnty"], m["country"], a["country"])
        for m, a in with_ans
        if isinstance(a["country"], str) and a["country"] != m["country"]
    ]
    on_soil = Counter("yes" if a["nato_member"] else "no" for _, a in with_ans)
    return {
        "located": len(with_ans),
        "on_nato_member_territory": dict(on_soil),
        "article_6_area": sum(bool(a["article_6_area"]) for _, a in with_ans),
        "zones": dict(Counter(str(a["zone"]) for _, a in with_ans)),
        "within_25_km_of_nato_border": sum(abs(a["distance_km"]) <= 25 for _, a in with_ans),
        "country_mismatches": len(mismatch),
        "country_mismatch_examples": [
            {"event_id_cnty": i, "stated": s, "found": f} for i, s, f in mismatch[:20]
        ],
    }


HEADER = IMPORT_HEADER
# The first lines of a record as yaml_out writes it (id first, then event_date; schema order).
_RECORD = re.compile(r'^- event_id_cnty: ("(?:[^"\\]|\\.)*")\n  event_date: (\S+)\n', re.M)
_COUNTRY = re.compile(r'^  country: ("[A-Z]{3}")$', re.M)


@dataclass(frozen=True)
class _Chunk:
    """One record's YAML text, with the file it belongs in and its sort key."""

    file: str
    key: tuple[str, str]
    text: str


def _chunk(rec: dict) -> _Chunk:
    day = rec.get("event_date")
    year = day.year if isinstance(day, dt.date) else "undated"
    file = f"{rec.get('country', 'XXX')}-{year}.yaml"
    return _Chunk(file, (str(day), str(rec.get("event_id_cnty"))), dumps([rec]))


def _existing(folder: Path) -> dict[str, _Chunk]:
    """The folder's records by id, as text: files this module wrote are split at their record
    starts (no YAML parsing, so re-importing a 200,000-record folder is quick); any other
    YAML file is parsed and its records re-written in the same form."""
    out: dict[str, _Chunk] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise DataFileError(f"{path}: cannot re-read the seeds folder: {exc}") from None
        if text.startswith(HEADER):
            starts = list(_RECORD.finditer(text))
            for m, nxt in zip(starts, [*starts[1:], None], strict=True):
                body = text[m.start() : nxt.start() if nxt else len(text)]
                country = _COUNTRY.search(body)
                iso = json.loads(country.group(1)) if country else "XXX"
                event_id, day = json.loads(m.group(1)), m.group(2)
                out[event_id] = _Chunk(f"{iso}-{day[:4]}.yaml", (day, event_id), body)
            continue
        try:
            data = yaml.load(text, Loader=_Loader) or []
        except yaml.YAMLError as exc:
            raise DataFileError(f"{path}: cannot re-read the seeds folder: {exc}") from None
        for rec in data if isinstance(data, list) else []:
            if isinstance(rec, dict) and isinstance(rec.get("event_id_cnty"), str):
                out[rec["event_id_cnty"]] = _chunk(rec)
    return out


def _write(folder: Path, chunks: dict[str, _Chunk]) -> list[str]:
    groups: dict[str, list[_Chunk]] = {}
    for c in chunks.values():
        groups.setdefault(c.file, []).append(c)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.yaml"):
        if old.name not in groups:
            old.unlink()
    total, done = len(chunks), 0
    for name, group in sorted(groups.items()):
        done += len(group)
        steps.step("writing records", done, total)
        group.sort(key=lambda c: c.key)
        tmp = folder / f".{name}.tmp"
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(HEADER)
            handle.writelines(c.text for c in group)
        tmp.replace(folder / name)
    return sorted(groups)


def import_file(
    path,
    fmt: str,
    out_dir,
    *,
    map_columns: str | None = None,
    countries=(),
    within_km: float | None = None,
    since: dt.date | None = None,
    prune: bool = False,
    today: dt.date | None = None,
    progress=None,
) -> ImportReport:
    """Import ``path`` (format ``fmt``, one of :data:`FORMATS`) into the seeds folder
    ``out_dir``; ``progress(n, total)`` is called as rows are mapped.

    Raises
    ------
    DataFileError
        For mistakes about the file as a whole (missing, not UTF-8, wrong delimiter, a
        missing or empty column, an unreadable mapping or seeds folder).
    """
    if fmt not in FORMATS:
        raise DataFileError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    today = today or dt.date.today()
    mapping = plain.parse_mapping(map_columns) if fmt in ("csv", "geojson") else {}
    if map_columns and not mapping and fmt not in ("csv", "geojson"):
        raise DataFileError(f"--map-columns is for --format csv or geojson, not {fmt}")
    size = Path(path).stat().st_size if Path(path).is_file() else 0
    steps.step("reading file (kB)", 0, size // 1000)
    table = read_rows(path, fmt)
    steps.step("reading file (kB)", size // 1000, size // 1000)
    report = ImportReport(file=str(path), format=fmt, rows=len(table.rows) + len(table.problems))
    records, report.rejected = _map_rows(table, fmt, path, mapping, today, progress)
    answers = _classify(records)
    kept = _filter(
        records, answers, since=since, countries=countries, within_km=within_km, report=report
    )
    report.enrichment = _enrichment(kept)
    folder = Path(out_dir) / INCIDENTS
    existing = _existing(folder) if folder.is_dir() else {}
    new_ids = {m["event_id_cnty"] for _, m, _ in kept}
    if prune:
        in_file = {m["event_id_cnty"] for _, m in records}
        in_file |= {p.event_id for p in report.rejected if p.event_id}
        report.pruned = sorted(i for i in existing if i not in in_file)
        for i in report.pruned:
            del existing[i]
    report.updated = len(new_ids & set(existing))
    report.added = len(new_ids) - report.updated
    report.imported = len(new_ids)
    for i, (_, m, _) in enumerate(kept, 1):
        if i % 2000 == 0:
            steps.step("formatting records", i, len(kept))
        existing[m["event_id_cnty"]] = _chunk(m)
    steps.step("formatting records", len(kept), len(kept))
    report.files = [f"{INCIDENTS}/{name}" for name in _write(folder, existing)]
    report.rejected.sort(key=lambda p: p.row)
    (Path(out_dir) / REPORT).write_text(
        json.dumps(report.as_dict(), ensure_ascii=False, indent=1, default=str), encoding="utf-8"
    )
    return report
