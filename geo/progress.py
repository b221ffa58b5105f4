"""Progress of long steps (reading, validating, enriching, writing), for whoever listens.

Library code calls :func:`step` with a stage name, how many items are done and how many there
are; nothing happens unless a listener was set with :func:`listening` (a context variable, so
a plain library call, or another thread, reports to no one). The CLI listens and draws a
progress bar on stderr for large inputs (``incidentmap/progress.py``).

>>> seen = []
>>> with listening(lambda stage, done, total: seen.append((stage, done, total))):
...     step("validating", 1000, 2000)
>>> step("validating", 2000, 2000)  # no listener any more
>>> seen
[('validating', 1000, 2000)]
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator

__all__ = ["active", "every", "listening", "step"]

_listener: contextvars.ContextVar[Callable[[str, int, int], None] | None] = contextvars.ContextVar(
    "incidentmap_progress", default=None
)

#: Report once per this many items (callers use ``i % every == 0``).
every = 2000


def step(stage: str, done: int, total: int) -> None:
    """Say that ``done`` of ``total`` items of ``stage`` are done (to the listener, if any)."""
    listener = _listener.get()
    if listener is not None:
        listener(stage, done, total)


def active() -> bool:
    """True when someone listens (so callers can skip work that only feeds progress)."""
    return _listener.get() is not None


@contextlib.contextmanager
def listening(callback: Callable[[str, int, int], None]) -> Iterator[None]:
    """Send the :func:`step` calls made inside the block to ``callback(stage, done, total)``."""
    token = _listener.set(callback)
    try:
        yield
    finally:
        _listener.reset(token)
