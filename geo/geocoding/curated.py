"""Curated places from ``seeds/places.yaml``: the first source of the chain.

These are places the offline gazetteer lacks or gets wrong (villages under 500 inhabitants
such as Plauru), each with coordinates from a cited source and its own ``precision_m``.
The file is read and validated by :func:`geo.places.load_places` (the schema's
:class:`~geo.schema.CuratedPlace`); this module indexes the places by name.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from incidentmap.geo.errors import DataFileError
from incidentmap.geo.geocoding.base import Match, Place
from incidentmap.geo.geocoding.names import fold, name_variants
from incidentmap.geo.paths import seeds_folder
from incidentmap.geo.places import CuratedPlace, load_places
from incidentmap.geo.validation import as_dict

__all__ = ["CuratedPlaces", "default_places_yaml"]

logger = logging.getLogger(__name__)


def default_places_yaml() -> Path:
    """The shipped curated places (``places.yaml`` of the shipped seeds folder)."""
    return seeds_folder().places



def _geocoder_place(place: CuratedPlace) -> Place:
    """The geocoder's :class:`Place` of a validated curated place."""
    return Place(
        name=place.name,
        lon=place.lon,
        lat=place.lat,
        country=place.country,
        admin1=place.admin1,
        admin2=place.admin2,
        feature=place.feature,
        source="curated",
        precision_m=place.precision_m,
        confidence=0.0,
        ref=place.source.url or place.name,
        raw=as_dict(place),
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

        Read and checked by :func:`geo.places.load_places`, the one places loader (so
        ``incidentmap validate`` and the geocoder accept the same files). A missing file, the
        shipped one included, is an error naming the path; any problem in the file raises
        :class:`SeedValidationError` listing each with its line.
        """
        path = Path(path) if path is not None else default_places_yaml()
        if not path.exists():
            raise DataFileError(f"curated places file {str(path)!r} does not exist")
        loaded = load_places(path)
        loaded.raise_if_rejected()
        return cls([_geocoder_place(p) for p in loaded.places])

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
