"""Member territory that changes over time, not only membership.

Most territory rows count as NATO territory exactly while their sovereign is a member. Rows
listed in ``geo/data/territory_history.csv`` follow their own periods instead: the former GDR
with Berlin (its own row of Germany, ``part`` "former GDR and Berlin") from reunification on
1990-10-03; Algeria while its departments were French and in the treaty area (1949-08-24 to
1962-07-03). Before the treaty entered into force on 1949-08-24 nothing is NATO territory,
which the member table gives by itself.
"""

from __future__ import annotations

import csv
import datetime as dt
from functools import cache
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from incidentmap.geo import nato


class Period(NamedTuple):
    member_of: str
    start: dt.date
    end: dt.date  # exclusive; date.max when open
    source: str


@cache
def periods() -> dict[tuple[str, str], tuple[Period, ...]]:
    """The table, keyed by (territory code, part)."""
    text = (
        resources.files("incidentmap.geo")
        .joinpath("data")
        .joinpath("territory_history.csv")
        .read_text(encoding="utf-8")
    )
    out: dict[tuple[str, str], list[Period]] = {}
    for r in csv.DictReader(text.splitlines()):
        end = dt.date.fromisoformat(r["member_until"]) if r["member_until"] else dt.date.max
        p = Period(r["member_of"], dt.date.fromisoformat(r["member_from"]), end, r["source"])
        out.setdefault((r["a3"], r["part"]), []).append(p)
    return {k: tuple(v) for k, v in out.items()}


def _own(p: Period, on: dt.date) -> bool:
    return p.start <= on < p.end and nato.is_member(p.member_of, on=on)


def member_rows(a3, sovereign, part, *, on: dt.date) -> np.ndarray:
    """Per territory row: was it NATO member territory on ``on``?

    >>> import datetime as dt
    >>> member_rows(["DEU", "DEU", "DZA"], ["DEU", "DEU", "DZA"],
    ...             ["", "former GDR and Berlin", ""], on=dt.date(1960, 1, 1)).tolist()
    [True, False, True]
    """
    table = periods()
    current = nato.members(on=on)
    out = []
    for code, sov, p in zip(a3, sovereign, part, strict=True):
        own = table.get((code, p or ""))
        out.append(any(_own(x, on) for x in own) if own else sov in current)
    return np.array(out, dtype=bool)


def row_since(a3, sovereign, part) -> list[dt.date | None]:
    """Per row: the first day it was NATO territory (shown as ``nato_since`` while it is)."""
    table = periods()
    out = []
    for code, sov, p in zip(a3, sovereign, part, strict=True):
        own = table.get((code, p or ""))
        if own:
            starts = [max(x.start, nato.member_since(x.member_of) or dt.date.max) for x in own]
            out.append(min(starts))
        else:
            out.append(nato.member_since(sov))
    return out


class DatedTerritory:
    """What :class:`~incidentmap.geo.territory.Territory` asks about dates, in one place:
    which rows are member territory on a day, since when, and the status areas in force."""

    def __init__(self, folder, a3, sovereign):
        from incidentmap.geo.status_areas import StatusAreas

        self.a3 = list(a3)
        self.sovereign = list(sovereign)
        self.part = _parts(folder, len(self.a3))
        self.status = StatusAreas(folder)
        self.row_since = row_since(self.a3, self.sovereign, self.part)
        self._members: dict[dt.date, np.ndarray] = {}

    def member_rows(self, on: dt.date) -> np.ndarray:
        if on not in self._members:
            if len(self._members) > 256:
                self._members.clear()
            self._members[on] = member_rows(self.a3, self.sovereign, self.part, on=on)
        return self._members[on]


def _parts(folder, n: int) -> list[str]:
    """The ``part`` column of the territory rows (sidecar ``countries_part.npz``)."""
    from incidentmap.geo import borders

    path = Path(folder or borders.data_dir()) / "countries_part.npz"
    if not path.exists():
        return [""] * n
    with np.load(path, allow_pickle=False) as z:
        return [str(p) for p in z["part"]]
