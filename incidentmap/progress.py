"""Progress on stderr (quiet with ``-q``): bars for the stages :mod:`geo.progress` reports,
and :class:`BuildProgress`, the step bar of ``incidentmap build``.

A bar is drawn only for a stage with at least :data:`MIN_ITEMS` items (small seeds folders stay
silent); each stage gets its own labelled bar, closed when the stage is done or the next
begins.
"""

from __future__ import annotations

import contextlib
import sys
import time
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


class BuildProgress:
    """A progress bar of the build on stderr (nothing with ``-q``).

    The build is a fixed list of steps: reading and enriching the seeds, then for each map
    selecting, drawing the geometry and the layers (one step per incident kind), rendering and
    writing. On a terminal the bar is redrawn in place; otherwise (a log, a pipe) each step is
    one line. ``step(text)`` starts the next step.
    """

    WIDTH = 24

    def __init__(self, total: int, *, stream=None, enabled: bool = True):
        self.total = max(int(total), 1)
        self.done = 0
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.t0 = time.perf_counter()
        self.tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def add(self, steps: int) -> None:
        """``steps`` more steps than planned (a map's kinds, known once it is selected)."""
        self.total += max(int(steps), 0)

    def step(self, text: str) -> None:
        if not self.enabled:
            return
        self.done = min(self.done + 1, self.total)
        filled = round(self.WIDTH * (self.done - 1) / self.total)
        bar = "#" * filled + "." * (self.WIDTH - filled)
        line = (
            f"build [{bar}] {self.done}/{self.total} {text} ({time.perf_counter() - self.t0:.0f} s)"
        )
        if self.tty:
            self.stream.write("\r\x1b[K" + line)
        else:
            self.stream.write(line + "\n")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self.tty:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
