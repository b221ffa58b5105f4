"""The first run after install: compile numba kernels in a second process meanwhile.

Building the persisted indexes (:mod:`geo.border_indexes`) the first time is mostly numba
compiling the build kernels, one after another, on one core. While the main process compiles
and runs the point-index pipeline in its order (bucketing, probes, row sweep, tree), this
helper process (``python -m incidentmap.geo._warmup``) compiles, into numba's disk cache, what
the main process needs later: the point-index tree builder (the last and largest kernel of that
pipeline: the steps before it run interpreted on two squares to hand it arguments of the real
types), the point lookup used to tag the border segments (on read-only arrays, as the
memory-mapped index has), and the distance index builders. When the main process gets there it
loads them from the cache; if it gets there first it compiles them itself, so the helper can
only save time, never change an answer. It is stopped when the main process exits.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys

import numpy as np

log = logging.getLogger(__name__)

#: Set to "0" to build without the helper process.
ENV_SWITCH = "INCIDENTMAP_WARMUP"


def start() -> subprocess.Popen | None:
    """Start the helper process (stopped at exit); None if switched off or it cannot start."""
    if os.environ.get(ENV_SWITCH, "1") == "0":
        return None
    from incidentmap.geo._jit import numba_cache_dir

    env = {**os.environ, "NUMBA_CACHE_DIR": numba_cache_dir(), ENV_SWITCH: "0"}
    try:
        proc = subprocess.Popen(
            [sys.executable, "-m", "incidentmap.geo._warmup"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env,
        )
    except OSError as exc:
        log.debug("no warm-up process: %s", exc)
        return None
    atexit.register(_stop, proc)
    return proc


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - stuck in native code
            proc.kill()


def _readonly(a: np.ndarray) -> np.ndarray:
    a = np.array(a)
    a.flags.writeable = False
    return a


def compile_kernels() -> None:
    """Compile (into numba's disk cache) the kernels a first build needs after the first ones."""
    from shapely.geometry import box

    from incidentmap.geo import _jit
    from incidentmap.geo import _pip_kernels as kern
    from incidentmap.geo.point_index import PolygonIndex
    from incidentmap.geo.segment_distance import SegmentDistanceIndex

    _jit.activate()
    squares = [box(0, 0, 10, 10), box(5, 5, 20, 20)]
    with _jit.interpreting_all_but(kern.build_tree):
        index = PolygonIndex(squares, cell_deg=4.0)  # few cells: quick to interpret
    x = np.linspace(-1.0, 21.0, _jit.INTERPRET_BELOW)
    out = np.empty(x.size, dtype=np.int32)
    _jit.compiled(kern.locate_serial)(
        x, x.copy(), out, float(index.x0), float(index.y0), float(index.cell_deg),
        int(index.nx), int(index.ny), int(index.n_polygons),
        _readonly(index.root), _readonly(index.slots), _readonly(index.blob),
    )  # fmt: skip
    SegmentDistanceIndex([0.0, 1.0], [0.0, 0.0], [1.0, 2.0], [0.0, 1.0])


if __name__ == "__main__":
    compile_kernels()
