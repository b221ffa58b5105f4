"""The answer records of :mod:`geo.territory` and the pure helpers that shape them: the
on-NATO-soil rule for imprecise places, and answer codes as pandas categoricals.

Re-exported by :mod:`geo.territory` (``from incidentmap.geo.territory import TerritoryAnswer``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from functools import cache

import numpy as np


@dataclass(frozen=True)
class TerritoryAnswer:
    """The answer for one point; field names are the CLI's JSON keys."""

    lat: float
    lon: float
    country: str | None
    country_name: str | None
    zone: str
    nato_member: bool
    nato_since: str | None
    article_6_area: bool
    status_note: str | None
    distance_to_nato_border_km: float | None
    nearest_border_point: dict | None
    across: str | None
    accuracy_m: int

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class CountryDistance:
    """Signed geodesic distance to one country's border (positive inside it)."""

    country: str
    distance_km: float
    inside: bool
    nearest_border_point: dict
    lat: float
    lon: float

    def to_dict(self) -> dict:
        return asdict(self)


def on_nato_soil(member, distance_km, precision_m) -> np.ndarray:
    """ "yes", "no", or "uncertain" where the place's precision circle crosses the NATO border.

    ``precision_m`` is the radius (m) within which the point lies (NaN or 0: exact point).

    >>> on_nato_soil([True, True, False], [12.0, 2.0, -0.5], [5000, 5000, 0]).tolist()
    ['yes', 'uncertain', 'no']
    """
    member = np.asarray(member, dtype=bool)
    distance_km = np.asarray(distance_km, dtype=float)
    precision_m = np.nan_to_num(np.asarray(precision_m, dtype=float), nan=0.0)
    straddles = np.isfinite(distance_km) & (np.abs(distance_km) * 1000.0 < precision_m)
    return np.where(straddles, "uncertain", np.where(member, "yes", "no"))


def _labels(codes, values):
    """``values[codes]`` as a categorical (code -1 → missing), without per-point strings."""
    import pandas as pd

    dtype, lut = _label_table(tuple(values))
    # codes are in range by construction (-1 or an index into values): no validation pass;
    # the lookup table has the integer width pandas keeps codes in, so nothing is converted
    return pd.Categorical.from_codes(lut[np.asarray(codes)], dtype=dtype, validate=False)


@cache
def _label_table(values: tuple):
    """The categorical dtype of the distinct labels, and the lookup from a code (-1 last) to
    a label's position (built once per table: a million answers then cost one gather)."""
    import pandas as pd

    uniq, inverse = np.unique(np.array([str(v) for v in values]), return_inverse=True)
    # one lookup table; its last entry (-1) serves code -1 and values that are None
    lut = np.append(np.where([v is not None for v in values], inverse, -1), -1)
    width = next(t for t in (np.int8, np.int16, np.int32) if len(uniq) < np.iinfo(t).max)
    return pd.CategoricalDtype(uniq), lut.astype(width)
