"""Installing gazetteers: from files the user has (``--from``), or downloaded.

:func:`install_from_path` detects the formats under a path (see
:mod:`geo.geocoding.gazetteer_formats`) and installs every country found (or the ones asked
for). :func:`download` fetches the canonical files of the named countries into the cache,
with a timeout and a progress callback; :func:`install_downloaded` chains the two.
The only network calls of this module are in :func:`download`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import shutil
import tarfile
import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from incidentmap.geo.errors import DataFileError, GeocoderServiceError
from incidentmap.geo.geocoding.cache import default_cache_dir
from incidentmap.geo.geocoding.gazetteer_formats import GazetteerRecord, detect_files, read_file
from incidentmap.geo.geocoding.gazetteer_index import install_records

__all__ = ["install_from_path", "download", "install_downloaded", "CANONICAL_URLS"]

logger = logging.getLogger(__name__)

# Where each source publishes one country ({cc}: ISO2 upper case, {cc_lower}: lower case).
CANONICAL_URLS = {
    "geonames": "https://download.geonames.org/export/dump/{cc}.zip",
    "geonames-postal": "https://download.geonames.org/export/zip/{cc}.zip",
    "wof": "https://github.com/whosonfirst-data/whosonfirst-data-admin-{cc_lower}"
    "/archive/refs/heads/master.tar.gz",
}
DOWNLOAD_TIMEOUT_S = 60.0  # per network read; a stalled server fails instead of hanging
_CHUNK = 1 << 16


def _snapshot_of(path: Path) -> str:
    """The file's modification date, as the snapshot date of what it holds."""
    return dt.date.fromtimestamp(path.stat().st_mtime).isoformat()


def install_from_path(
    path: str | os.PathLike,
    *,
    countries: Iterable[str] = (),
    source: str | None = None,
    snapshot: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    progress: Callable[[int], None] | None = None,
) -> list[dict]:
    """Install every gazetteer file under ``path`` (only ``countries``, ISO2, if given; only
    files of format ``source`` if given). Returns one summary a (country, source)."""
    wanted = {c.upper() for c in countries}
    files = detect_files(path)
    if source:
        files = [(p, f) for p, f in files if f == source or (source == "wof" and f == "wof-repo")]
        if not files:
            raise DataFileError(f"no {source} gazetteer files under {path}")
    by_group: dict[tuple[str, str], list[GazetteerRecord]] = defaultdict(list)
    origins: dict[tuple[str, str], tuple[str, str]] = {}
    for file_path, fmt in files:
        logger.info("reading %s (%s)", file_path, fmt)
        for record in read_file(file_path, fmt):
            if wanted and record.country not in wanted:
                continue
            key = (record.country, record.source)
            by_group[key].append(record)
            origins[key] = (str(file_path), snapshot or _snapshot_of(file_path))
    if wanted - {country for country, _ in by_group}:
        missing = ", ".join(sorted(wanted - {country for country, _ in by_group}))
        raise DataFileError(f"no records for {missing} in the gazetteer files under {path}")
    groups = [
        (country, src, origins[(country, src)][1], origins[(country, src)][0], records)
        for (country, src), records in sorted(by_group.items())
    ]
    return install_records(groups, cache_dir=cache_dir, progress=progress)


def download(
    countries: Iterable[str],
    *,
    source: str = "geonames",
    cache_dir: str | os.PathLike | None = None,
    urls: dict[str, str] | None = None,
    timeout_s: float = DOWNLOAD_TIMEOUT_S,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download the ``source`` files of ``countries`` into a folder of the cache; return it.

    ``progress(bytes_read, total_or_None)`` is called as data arrives. An unreachable server
    raises :class:`~geo.errors.GeocoderServiceError` naming the URL.
    """
    template = (urls or CANONICAL_URLS)[source]
    folder = Path(cache_dir or default_cache_dir()) / "downloads" / source
    folder.mkdir(parents=True, exist_ok=True)
    for country in countries:
        cc = country.upper()
        url = template.format(cc=cc, cc_lower=cc.lower())
        target = folder / (f"{cc}.tar.gz" if url.endswith(".tar.gz") else f"{cc}.zip")
        partial = target.with_name(target.name + ".partial")
        request = urllib.request.Request(url, headers={"User-Agent": "incidentmap-gazetteer"})
        try:
            with urllib.request.urlopen(request, timeout=timeout_s) as response:
                total = response.headers.get("Content-Length")
                total_bytes = int(total) if total and total.isdigit() else None
                with open(partial, "wb") as out:
                    while chunk := response.read(_CHUNK):
                        out.write(chunk)
                        if progress:
                            progress(len(chunk), total_bytes)
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            partial.unlink(missing_ok=True)
            reason = getattr(exc, "reason", exc)
            raise GeocoderServiceError(
                f"could not download {url} ({reason}); is the network reachable? "
                "Without one, install from files: incidentmap gazetteer install --from PATH"
            ) from None
        os.replace(partial, target)
        if target.name.endswith(".tar.gz"):
            _extract_repo(target, folder / cc)
    return folder


def _extract_repo(archive: Path, into: Path) -> None:
    """Unpack a downloaded Who's On First repository (its data/**/*.geojson only)."""
    if into.exists():
        shutil.rmtree(into)
    try:
        with tarfile.open(archive) as tar:
            members = [m for m in tar.getmembers() if m.isfile() and "/data/" in m.name]
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, EOFError) as exc:
        raise DataFileError(f"{archive}: truncated or corrupt archive ({exc})") from None
    archive.unlink()
    roots = [p for p in into.iterdir() if p.is_dir()]
    if len(roots) == 1:  # github archives hold one top folder: <repo>-master/data/...
        for child in roots[0].iterdir():
            child.rename(into / child.name)
        roots[0].rmdir()


def install_downloaded(
    countries: Iterable[str],
    *,
    source: str = "geonames",
    cache_dir: str | os.PathLike | None = None,
    urls: dict[str, str] | None = None,
    timeout_s: float = DOWNLOAD_TIMEOUT_S,
    progress: Callable[[int, int | None], None] | None = None,
) -> list[dict]:
    """Download then install ``countries`` from ``source`` (snapshot: today's date)."""
    countries = [c.upper() for c in countries]
    if not countries:
        raise DataFileError("name the countries to download (ISO2 codes such as PL RO)")
    folder = download(
        countries, source=source, cache_dir=cache_dir, urls=urls, timeout_s=timeout_s,
        progress=progress,
    )  # fmt: skip
    today = dt.date.today().isoformat()
    summaries = []
    for cc in countries:
        path = folder / cc if source == "wof" else folder / f"{cc}.zip"
        summaries += install_from_path(
            path, countries=[cc], source=source, snapshot=today, cache_dir=cache_dir
        )
    return summaries
