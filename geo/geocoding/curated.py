"""Curated places from ``seeds/places.yaml``: the first source of the chain.

These are places the offline gazetteer lacks or gets wrong (villages under 500 inhabitants
such as Plauru), each with coordinates from a cited source and its own ``precision_m``.
The file format is described in the seeds schema; this module reads only what geocoding
needs and checks it at the boundary.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

import yaml

from incidentmap.geo.coords import validate_lonlat
from incidentmap.geo.errors import DataFileError, InvalidCoordinateError, SeedValidationError
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.names import fold, name_variants
from incidentmap.geo.paths import seeds_folder

__all__ = ["CuratedPlaces", "default_places_yaml"]

logger = logging.getLogger(__name__)


def default_places_yaml() -> Path:
    """The shipped curated places (``places.yaml`` of the shipped seeds folder)."""
    return seeds_folder().places



def _place_from_record(record: dict, position: int, path: Path) -> Place:
    where = f"{path}, entry {position + 1}"
    if not isinstance(record, dict):
        raise SeedValidationError(f"{where}: expected a mapping, got {type(record).__name__}")
    missing = [key for key in ("name", "country", "lon", "lat") if record.get(key) is None]
    if missing:
        raise SeedValidationError(f"{where} ({record.get('name')!r}): missing {', '.join(missing)}")
    try:
        lon, lat = validate_lonlat(record["lon"], record["lat"])
    except InvalidCoordinateError as exc:
        raise SeedValidationError(f"{where} ({record['name']!r}): {exc}") from None
    country = str(record["country"])
    if len(country) != 3 or not country.isalpha() or not country.isupper():
        raise SeedValidationError(
            f"{where} ({record['name']!r}): country {country!r} is not an ISO 3166-1 "
            "alpha-3 code such as 'ROU'"
        )
    precision_m = float(record.get("precision_m") or 1000.0)
    source = record.get("source") or {}
    return Place(
        name=str(record["name"]),
        lon=lon,
        lat=lat,
        country=country,
        admin1=record.get("admin1"),
        admin2=record.get("admin2"),
        feature=record.get("feature"),
        population=record.get("population"),
        source="curated",
        precision_m=precision_m,
        confidence=0.0,
        ref=(source.get("url") if isinstance(source, dict) else None) or str(record["name"]),
        raw=record,
    )


class CuratedPlaces:
    """Name index over curated places; the ``"curated"`` source of the chain.

    Parameters
    ----------
    places
        The places, e.g. from :meth:`from_yaml`.
    """

    name = "curated"

    def __init__(self, places: list[Place]):
        self.places = list(places)
        self._by_key: dict[str, list[tuple[int, str]]] = {}
        for i, place in enumerate(self.places):
            self._add(fold(place.name), i, "name")
            for alternate in (place.raw or {}).get("alt_names") or ():
                self._add(fold(alternate), i, "alternate")

    def _add(self, key: str, i: int, how: str) -> None:
        entries = self._by_key.setdefault(key, [])
        if all(j != i for j, _ in entries):
            entries.append((i, how))

    @classmethod
    def from_yaml(cls, path: str | os.PathLike | None = None) -> CuratedPlaces:
        """Read a places YAML (default: the shipped ``places.yaml``).

        A missing file, the shipped one included, is an error naming the path.
        """
        path = Path(path) if path is not None else default_places_yaml()
        if not path.exists():
            raise DataFileError(f"curated places file {str(path)!r} does not exist")
        try:
            records = yaml.safe_load(path.read_text(encoding="utf-8")) or []
        except yaml.YAMLError as exc:
            raise SeedValidationError(f"{path} is not valid YAML: {exc}") from None
        if not isinstance(records, list):
            raise SeedValidationError(f"{path}: expected a YAML list of places")
        return cls([_place_from_record(r, i, path) for i, r in enumerate(records)])

    def __len__(self) -> int:
        return len(self.places)

    def candidates(self, name: str, *, country: str | None = None) -> list[Match]:
        """Curated places named ``name`` (exact folded name, then article variants)."""
        entries = self._by_key.get(fold(name), [])
        if not entries:
            for variant in name_variants(name):
                entries = [(i, "variant") for i, _ in self._by_key.get(variant, [])]
                if entries:
                    break
        out = []
        for i, how in entries:
            place = self.places[i]
            if country is None or place.country == country:
                admin = tuple(a for a in (place.admin1, place.admin2) if a)
                out.append(Match(place, how, admin))
        return out

    def suggestion_pool(self, key: str, *, country: str | None = None) -> list[tuple[str, str]]:
        """(folded name, "Name (ISO3)") of the curated places, for spelling suggestions."""
        return [
            (fold(p.name), f"{p.name} ({p.country})")
            for p in self.places
            if country is None or p.country == country
        ]
