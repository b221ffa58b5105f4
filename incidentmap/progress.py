"""Progress bars on stderr for the stages :mod:`geo.progress` reports (quiet with ``-q``).

A bar is drawn only for a stage with at least :data:`MIN_ITEMS` items (small seeds folders stay
silent); each stage gets its own labelled bar, closed when the stage is done or the next
begins.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterator

import click

from incidentmap.geo.progress import listening
from incidentmap.options import quiet

#: Stages with fewer items draw no bar.
MIN_ITEMS = 5000


class _Bars:
    def __init__(self, min_items: int):
        self.min_items = min_items
        self.stage: str | None = None
        self.bar = None
        self.done = 0
        self.finished: tuple[str, int] | None = None

    def __call__(self, stage: str, done: int, total: int) -> None:
        if quiet() or total < self.min_items or (stage, total) == self.finished:
            return
        if stage != self.stage:
            self.close()
            self.bar = click.progressbar(
                length=total, label=stage, show_pos=True, file=sys.stderr
            ).__enter__()
            self.stage, self.done = stage, 0
        self.bar.update(max(0, min(done, total) - self.done))
        self.done = min(done, total)
        if done >= total:
            self.close()
            self.finished = (stage, total)  # a repeated last step draws no second bar

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
        self.bar, self.stage = None, None


@contextlib.contextmanager
def progress_bars(min_items: int = MIN_ITEMS) -> Iterator[None]:
    """Draw the bars of the :func:`geo.progress.step` calls made inside the block."""
    bars = _Bars(min_items)
    with listening(bars):
        try:
            yield
        finally:
            bars.close()
