"""Evaluate ``incidentmap.news`` on a folder of articles against hand labels.

    python bench/extract_eval.py ../shared/articles bench/labels/articles.yaml
    python bench/extract_eval.py ARTICLES LABELS --verbose     # every miss and false positive
    python bench/extract_eval.py ARTICLES LABELS --json        # one JSON object

Prints, per article and over all:

* place precision and recall: distinct places reported vs labelled (a country matches by ISO3,
  anything else by its name, an alternate name in the labels, or the spelling in the text);
* resolution accuracy: of the labelled places that were found, those resolved right: towns,
  villages, bases and sites within 10 km (geodesic; a label's ``within_km`` can widen it where
  the labelled point itself is uncertain) of the labelled point, countries by ISO3,
  regions by country and name, rivers and seas by name;
* incident-site precision and recall (of the matched places);
* date accuracy: labelled date phrases whose extracted day range is exactly the labelled one;
* incident-date accuracy: labelled incidents for which a draft record at that place (or country)
  has exactly the labelled date range;
* records dated and valid: draft records that have an ``event_date``, and that pass the seeds
  validation of :func:`geo.incidents.load_incidents` as they are;
* time per article (the first one includes loading the gazetteer).

The publication date is taken from the article's date line, else from the labels (as a curator
would pass ``--published``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import tempfile
import time
from pathlib import Path

import yaml

import pyproj

from incidentmap.geo.geocoding.names import admin_names_match, fold
from incidentmap.geo.incidents import load_incidents
from incidentmap.news import extract_article, load_article
from incidentmap.news.inputs import read_articles
from incidentmap.news.serialize import to_yaml

_GEOD = pyproj.Geod(ellps="WGS84")
RESOLUTION_KM = 10.0


def _names(label: dict) -> set[str]:
    return {fold(label["name"]), *(fold(a) for a in label.get("aliases") or ())}


def _matches(label: dict, place: dict) -> bool:
    if label["type"] == "country":
        return place["type"] == "country" and place.get("country") == label["country"]
    if place["type"] == "country":
        return False
    spelled = {fold(place["name"]), *(fold(w) for w in place.get("as_written", ()))}
    if _names(label) & spelled:
        return True
    if label["type"] == "region" and place["type"] == "region" and place.get("admin1"):
        return place.get("country") == label.get("country") and admin_names_match(
            label.get("admin1") or label["name"], place["admin1"]
        )
    return False


def _resolved_right(label: dict, place: dict) -> bool:
    if place["status"] != "resolved":
        return False
    if "lon" in label and "lat" in label:
        if place.get("lon") is None:
            return False
        distance_m = _GEOD.inv(label["lon"], label["lat"], place["lon"], place["lat"])[2]
        return distance_m <= float(label.get("within_km", RESOLUTION_KM)) * 1000.0
    if label["type"] == "country":
        return place.get("country") == label["country"]
    if label["type"] == "region":
        if place.get("country") != label.get("country"):
            return False
        target = label.get("admin1") or label["name"]
        return admin_names_match(target, place.get("admin1") or "") or bool(
            _names(label) & {fold(place["name"])}
        )
    return fold(place["name"]) in _names(label)


def _normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def _site_names(want: dict, wanted: list[dict]) -> set[str]:
    names = {fold(want["site"])}
    for lab in wanted:
        if fold(lab["name"]) in names:
            names |= _names(lab)
    return names


def _record_at(record: dict, want: dict, names: set[str]) -> bool:
    """Whether a draft record is at a labelled incident site: within ``within_km`` (10 km by
    default) of a labelled point, in the labelled admin area, or in the labelled country."""
    if "lon" in want and "lat" in want:
        if record.get("longitude") is None:
            return False
        distance_m = _GEOD.inv(want["lon"], want["lat"], record["longitude"], record["latitude"])[2]
        return distance_m <= float(want.get("within_km", RESOLUTION_KM)) * 1000.0
    if record.get("country") != want.get("country"):
        return False
    if want.get("admin1"):
        spelled = {fold(record.get("location", "")), fold(record.get("location_as_reported", ""))}
        return admin_names_match(want["admin1"], record.get("admin1") or "") or bool(
            names & spelled
        )
    return True


def _in_range(record: dict, want: dict) -> bool:
    day = record.get("event_date") or record.get("date_start")
    return day is not None and want["start"] <= day <= want["end"]


def _claims_right(records: list[dict], want: dict, wanted: list[dict], incidents) -> bool:
    """A labelled claim is attached right when a record carrying a claim by that actor (a word
    of the name as labelled) is at the incident the claim is about."""
    actor = fold(want["actor"])
    site = next((i for i in incidents if fold(i["site"]) == fold(want["site"])), None)
    if site is None:
        site = {"site": want["site"], "country": None}
        for lab in wanted:
            if fold(lab["name"]) == fold(want["site"]):
                site = {"site": want["site"], **{k: lab[k] for k in ("country", "lon", "lat",
                        "admin1", "within_km") if k in lab}}  # fmt: skip
    names = _site_names(site, wanted)
    for record in records:
        if not _record_at(record, site, names):
            continue
        if any(actor in fold(c["actor"]) for c in record.get("claims") or ()):
            return True
    return False


def evaluate_article(article, labels: dict) -> dict:
    published = article.published
    if published is None and labels.get("published"):
        published = labels["published"]
    started = time.perf_counter()
    result = extract_article(article.text, published=published, path=article.path)
    seconds = time.perf_counter() - started
    places = [p.as_dict() for p in result.places]
    wanted = labels.get("places") or []

    matched: list[tuple[dict, dict]] = []
    used: set[int] = set()
    for label in wanted:
        hit = next((n for n, p in enumerate(places) if n not in used and _matches(label, p)), None)
        if hit is not None:
            used.add(hit)
            matched.append((label, places[hit]))
    false_positives = [p for n, p in enumerate(places) if n not in used]
    missed = [lab for lab in wanted if all(lab is not m[0] for m in matched)]
    resolved = [(lab, p) for lab, p in matched if _resolved_right(lab, p)]
    wrong = [(lab, p) for lab, p in matched if not _resolved_right(lab, p)]

    site_tp = sum(1 for lab, p in matched if lab["site"] and p["incident_site"])
    site_pred = sum(1 for _, p in matched if p["incident_site"])
    site_true = sum(1 for lab, _ in matched if lab["site"])

    phrase_ok, phrase_wrong = [], []
    for want in labels.get("dates") or []:
        expr = _normalise(want["expr"])
        found = [
            m for m in result.dates if expr in _normalise(m.text) or _normalise(m.text) in expr
        ]
        good = any(m.date_start == want["start"] and m.date_end == want["end"] for m in found)
        (phrase_ok if good else phrase_wrong).append(
            (want["expr"], [(str(m.date_start), str(m.date_end)) for m in found])
        )

    incidents = labels.get("incidents") or []
    site_ok, site_wrong, date_ok, date_wrong = [], [], [], []
    for want in incidents:
        names = _site_names(want, wanted)
        at = [r for r in result.records if _record_at(r, want, names)]
        got = [
            f"{r['location']} {r.get('latitude')},{r.get('longitude')} {r.get('event_date')}"
            for r in result.records
        ]
        (site_ok if at else site_wrong).append((want["site"], got))
        if want.get("start") is None:
            continue
        if "end" not in want:
            want = {**want, "end": want["start"]}
        good = any(_in_range(r, want) for r in at)
        (date_ok if good else date_wrong).append(
            (f"{want['site']} {want['start']}..{want['end']}", got)
        )
    claims = labels.get("claims") or []
    claims_ok = [c for c in claims if _claims_right(result.records, c, wanted, incidents)]

    return {
        "article": Path(article.path).name,
        "seconds": seconds,
        "records": len(result.records),
        "records_dated": sum(1 for r in result.records if r.get("event_date")),
        "records_valid": _valid_records(result.records),
        "labelled": len(wanted),
        "reported": len(places),
        "matched": len(matched),
        "resolved_right": len(resolved),
        "site_tp": site_tp,
        "site_pred": site_pred,
        "site_true": site_true,
        "phrases_labelled": len(phrase_ok) + len(phrase_wrong),
        "phrases_right": len(phrase_ok),
        "incidents_labelled": len(incidents),
        "incident_sites_right": len(site_ok),
        "dates_labelled": len(date_ok) + len(date_wrong),
        "dates_right": len(date_ok),
        "claims_labelled": len(claims),
        "claims_right": len(claims_ok),
        "false_positives": [
            f"{p['name']} ({p['type']}, {p.get('country')})" for p in false_positives
        ],
        "missed": [lab["name"] for lab in missed],
        "wrongly_resolved": [
            f"{lab['name']} -> {p['name']} {p['status']} {p.get('country')} "
            f"{p.get('lon')},{p.get('lat')}"
            for lab, p in wrong
        ],
        "phrases_wrong": [f"{e}: got {got or 'nothing'}" for e, got in phrase_wrong],
        "sites_wrong": [f"{s}: records {got or 'none'}" for s, got in site_wrong],
        "dates_wrong": [f"{s}: records {got or 'none'}" for s, got in date_wrong],
        "claims_wrong": [
            f"{c['actor']} {c['stance']} about {c['site']}" for c in claims if c not in claims_ok
        ],
    }


def _valid_records(records: list[dict]) -> int:
    """How many draft records pass :func:`geo.incidents.load_incidents` unchanged (one at a
    time: a record that makes the loader raise counts as invalid)."""
    valid = 0
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "draft.yaml"
        for record in records:
            path.write_text(to_yaml([record]), encoding="utf-8")
            try:
                valid += len(load_incidents(path, today=dt.date.today()).incidents)
            except Exception as exc:  # noqa: BLE001 - the loader's own bug, counted as invalid
                print(f"warning: load_incidents raised {exc!r}", file=sys.stderr)
    return valid


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def summarise(rows: list[dict]) -> dict:
    total = {k: sum(r[k] for r in rows) for k in rows[0] if isinstance(rows[0][k], int)}
    return {
        "articles": len(rows),
        "place_precision": _ratio(total["matched"], total["reported"]),
        "place_recall": _ratio(total["matched"], total["labelled"]),
        "resolution_accuracy_10km": _ratio(total["resolved_right"], total["matched"]),
        "site_precision": _ratio(total["site_tp"], total["site_pred"]),
        "site_recall": _ratio(total["site_tp"], total["site_true"]),
        "incident_sites_within_10km": _ratio(
            total["incident_sites_right"], total["incidents_labelled"]
        ),
        "incident_date_accuracy": _ratio(total["dates_right"], total["dates_labelled"]),
        "claims_attached_right": _ratio(total["claims_right"], total["claims_labelled"]),
        "date_phrase_accuracy": _ratio(total["phrases_right"], total["phrases_labelled"]),
        "records_dated": _ratio(total["records_dated"], total["records"]),
        "records_valid": _ratio(total["records_valid"], total["records"]),
        "counts": total,
        "first_article_seconds": round(rows[0]["seconds"], 3),
        "max_later_article_seconds": round(max((r["seconds"] for r in rows[1:]), default=0), 3),
        "mean_article_seconds": round(sum(r["seconds"] for r in rows) / len(rows), 4),
    }


def load_corpus(folder: Path) -> dict:
    """Articles of a folder by id: ``*.jsonl`` lines (``id``, ``text``, ``url``, ``published``,
    ``publisher``) and ``*.txt`` files (id = file name, also without ``.txt``)."""
    out = {}
    for path in sorted(folder.glob("*.jsonl")):
        for article in read_articles(path):
            out[article.ref] = article
    for path in sorted(folder.glob("*.txt")):
        article = load_article(path)
        out[path.name] = out[path.stem] = article
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("articles", type=Path, help="folder of articles (.txt, .jsonl)")
    parser.add_argument("labels", type=Path, help="labels YAML keyed by article id or file name")
    parser.add_argument("--split", default="all",
                        help="score only these parts of the labels, comma-separated "
                             "(dev, heldout, heldout2; default: all)")  # fmt: skip
    parser.add_argument("--verbose", "-v", action="store_true", help="list every error")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    args = parser.parse_args(argv)
    labels = yaml.safe_load(args.labels.read_text(encoding="utf-8"))
    splits = {part.strip() for part in args.split.split(",")}
    corpus = load_corpus(args.articles)
    rows = []
    for name in sorted(labels):
        if args.split != "all" and labels[name].get("split", "dev") not in splits:
            continue
        if name not in corpus:
            print(f"warning: {name} is labelled but not in {args.articles}; skipped",
                  file=sys.stderr)  # fmt: skip
            continue
        rows.append(evaluate_article(corpus[name], labels[name]))
    if not rows:
        print("no labelled article found", file=sys.stderr)
        return 1
    summary = summarise(rows)
    if args.json:
        print(json.dumps({"summary": summary, "articles": rows}, indent=2, default=str))
        return 0
    print(f"{'article':36} {'places':>6} {'found':>5} {'P':>6} {'R':>6} {'res':>6} "
          f"{'sites':>7} {'dates':>7} {'claims':>7} {'s':>6}")  # fmt: skip
    for r in rows:
        print(
            f"{r['article'][:36]:36} {r['labelled']:6d} {r['reported']:5d} "
            f"{_fmt(_ratio(r['matched'], r['reported']))} "
            f"{_fmt(_ratio(r['matched'], r['labelled']))} "
            f"{_fmt(_ratio(r['resolved_right'], r['matched']))} "
            f"{r['incident_sites_right']:3d}/{r['incidents_labelled']:<3d} "
            f"{r['dates_right']:3d}/{r['dates_labelled']:<3d} "
            f"{r['claims_right']:3d}/{r['claims_labelled']:<3d} {r['seconds']:6.3f}"
        )
        if args.verbose:
            for key in ("false_positives", "missed", "wrongly_resolved", "sites_wrong",
                        "dates_wrong", "claims_wrong", "phrases_wrong"):  # fmt: skip
                for item in r[key]:
                    print(f"    {key}: {item}")
    print()
    for key, value in summary.items():
        if key != "counts":
            print(f"{key:28} {value}")
    return 0


def _fmt(value: float | None) -> str:
    return f"{value:6.3f}" if value is not None else "     -"


if __name__ == "__main__":
    sys.exit(main())
