"""The one cache helper: build arrays once, keep them in the cache folder, reuse them.

Every persisted index of incidentmap (the point indexes of the territory, the tagged boundary
segments, the NATO distance index per membership epoch, the GeoNames index) goes through
:func:`cached_arrays`::

    arrays = cached_arrays("segments", build, inputs=[countries_parquet], code=[boundary],
                           what="tagging the border segments", expected_s=5)

An entry is a folder ``<cache>/<name>-<key>/`` holding one ``.npy`` file per array (plain
arrays, never pickles) and ``meta.json``. The key is a hash of the content of the ``inputs``
files, of the source of the ``code`` modules and of the package version, so new data or new
code never meets an old index. Entries are written into a temporary folder and renamed into
place (atomic: a concurrent reader never sees half an entry; two first runs at once both
build, one wins). On load every file's size, dtype and shape is checked against
``meta.json``; a damaged, truncated or foreign entry is logged, removed and rebuilt, never
trusted. With ``mmap=True`` arrays are memory-mapped read-only, so a process pays only for the
pages it touches.

A build that takes long says so on stderr (a WARNING, shown unless ``-q``): what it prepares,
about how long it takes, and how long it took.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable
from pathlib import Path

import numpy as np

from incidentmap.geo.paths import default_cache_dir

log = logging.getLogger(__name__)

#: Version of the entry layout below; part of every key.
LAYOUT = "incidentmap-cache-1"
_DIGESTS = "file-digests.json"


def _file_digest(path: Path, memo: dict) -> str:
    """blake2b of a file's bytes, remembered per (path, size, mtime) so warm runs only stat."""
    st = path.stat()
    stamp = f"{path.resolve()}:{st.st_size}:{st.st_mtime_ns}"
    if stamp not in memo:
        h = hashlib.blake2b(digest_size=16)
        with open(path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                h.update(block)
        memo[stamp] = h.hexdigest()
    return memo[stamp]


def _version() -> str:
    # from the distribution's metadata, not the CLI package (geo never imports upwards)
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("incidentmap")
    except PackageNotFoundError:
        return "0+unknown"


def cache_key(inputs: Iterable[Path], code: Iterable, params: str = "", *, folder: Path) -> str:
    """Hash of the inputs' content, the code modules' source, the version and ``params``."""
    memo_path = folder / _DIGESTS
    try:
        memo = json.loads(memo_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        memo = {}
    before = len(memo)
    h = hashlib.blake2b(digest_size=10)
    h.update(f"{LAYOUT}|{_version()}|{params}".encode())
    for path in inputs:
        h.update(_file_digest(Path(path), memo).encode())
    for module in code:
        source = Path(module.__file__) if hasattr(module, "__file__") else Path(module)
        h.update(_file_digest(source, memo).encode())
    if len(memo) != before:
        _write_text(memo_path, json.dumps(memo, indent=0, sort_keys=True))
    return h.hexdigest()


def _write_text(path: Path, text: str) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, path)
    except OSError as exc:
        log.debug("could not write %s: %s", path, exc)


def _read_entry(entry: Path, key: str, mmap: bool) -> dict[str, np.ndarray]:
    """The arrays of an entry; raises ValueError/OSError if anything does not match."""
    meta = json.loads((entry / "meta.json").read_text(encoding="utf-8"))
    if meta.get("layout") != LAYOUT or meta.get("key") != key:
        raise ValueError(f"written for another key ({meta.get('key')!r})")
    out = {}
    for name, spec in meta["arrays"].items():
        path = entry / f"{name}.npy"
        if path.stat().st_size != spec["bytes"]:
            raise ValueError(f"{path.name} has {path.stat().st_size} bytes, not {spec['bytes']}")
        arr = np.load(path, mmap_mode="r" if mmap else None, allow_pickle=False)
        if str(arr.dtype) != spec["dtype"] or list(arr.shape) != spec["shape"]:
            raise ValueError(f"{path.name} is {arr.dtype}{arr.shape}, not {spec}")
        out[name] = arr
    return out


def _write_entry(entry: Path, key: str, arrays: dict[str, np.ndarray]) -> None:
    entry.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=entry.parent, prefix=f".{entry.name}."))
    try:
        spec = {}
        for name, arr in arrays.items():
            arr = np.ascontiguousarray(arr)
            if arr.dtype == object:
                raise TypeError(f"array {name!r} has dtype object; store str as a 'U' array")
            np.save(tmp / f"{name}.npy", arr, allow_pickle=False)
            size = (tmp / f"{name}.npy").stat().st_size
            spec[name] = {"dtype": str(arr.dtype), "shape": list(arr.shape), "bytes": size}
        meta = {"layout": LAYOUT, "key": key, "arrays": spec}
        (tmp / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
        try:
            os.rename(tmp, entry)
        except OSError:  # another process was first (or a damaged entry is in the way)
            _remove(entry)
            os.rename(tmp, entry)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)


def _remove(entry: Path) -> None:
    """Move an entry aside, then delete it (readers that mapped it keep their copy)."""
    if not entry.exists():
        return
    trash = entry.with_name(f".{entry.name}.trash.{os.getpid()}.{time.monotonic_ns()}")
    try:
        os.rename(entry, trash)
    except OSError:
        return
    shutil.rmtree(trash, ignore_errors=True)


def cached_arrays(
    name: str,
    build: Callable[[], dict[str, np.ndarray]],
    *,
    inputs: Iterable[Path] = (),
    code: Iterable = (),
    params: str = "",
    what: str | None = None,
    expected_s: float | None = None,
    mmap: bool = False,
    folder: Path | None = None,
    rebuild: bool = False,
) -> dict[str, np.ndarray]:
    """The arrays ``build()`` returns, from the cache folder when an entry matches.

    Parameters
    ----------
    name
        Short name of the entry (``"territory-index"``); the folder is ``<name>-<key>``.
    build
        Returns a dict of numpy arrays (no object arrays: text as ``'U'`` arrays).
    inputs, code, params
        What the arrays are derived from: data files (hashed by content), modules or source
        files (hashed by source), and any other parameters as a string.
    what, expected_s
        Said on stderr before a build ("preparing <what> (once, about <expected_s> s)").
    mmap
        Memory-map the arrays read-only instead of reading them.
    folder
        The cache folder (default :func:`geo.paths.default_cache_dir`).
    rebuild
        Build (and replace the entry) even if a matching one exists.
    """
    folder = Path(folder) if folder is not None else default_cache_dir()
    key = cache_key(inputs, code, params, folder=folder)
    entry = folder / f"{name}-{key}"
    if rebuild and entry.exists():
        _remove(entry)
    if entry.exists():
        try:
            return _read_entry(entry, key, mmap)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            log.warning("cache entry %s is damaged (%s); rebuilding it", entry, exc)
            _remove(entry)
    started = time.perf_counter()
    if what:
        about = f", about {expected_s:g} s" if expected_s else ""
        log.warning("preparing %s (once, cached in %s%s) ...", what, folder, about)
    arrays = build()
    if what:
        log.warning("prepared %s in %.1f s", what, time.perf_counter() - started)
    try:
        _write_entry(entry, key, arrays)
    except OSError as exc:
        log.warning("could not cache %s in %s: %s", name, folder, exc)
        return arrays
    if mmap:
        try:
            return _read_entry(entry, key, mmap)
        except (OSError, ValueError, KeyError) as exc:  # pragma: no cover - raced away
            log.debug("re-reading %s failed: %s", entry, exc)
    return arrays
