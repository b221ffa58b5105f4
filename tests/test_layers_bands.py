"""incidentmap.geo.bands: geodesic distance bands within their stated error bound."""

import numpy as np
import pytest

import shapely
from pyproj import Geod

from incidentmap.geo.bands import BandError, buffer_error_bound_m, distance_bands

GEOD = Geod(ellps="WGS84")


def _distance_to_meridian_m(lon, lat, meridian):
    lats = np.linspace(lat - 1.0, lat + 1.0, 4001)
    _, _, d = GEOD.inv(
        np.full(lats.size, lon), np.full(lats.size, lat), np.full(lats.size, meridian), lats
    )
    return d.min()


def test_band_edges_are_at_the_geodesic_distance():
    # Romania-like box west of a 28° E meridian border, 445 km long (several pieces)
    inside = shapely.box(22.0, 44.0, 28.0, 48.0)
    border = shapely.LineString([(28.0, 44.0), (28.0, 48.0)])
    bands = distance_bands(inside, border, distances_km=[5, 25, 50])
    assert list(bands["band_min_km"]) == [0, 5, 25] and list(bands["band_max_km"]) == [5, 25, 50]
    for k, target_km in enumerate([5, 25, 50]):
        outer = shapely.union_all(bands.geometry.values[: k + 1])
        xy = np.asarray(outer.exterior.coords)
        edge = xy[(xy[:, 0] < 27.99) & (xy[:, 1] > 44.6) & (xy[:, 1] < 47.4)]
        assert len(edge) > 10
        errors = [abs(_distance_to_meridian_m(x, y, 28.0) - target_km * 1000) for x, y in edge[::7]]
        bound = buffer_error_bound_m(target_km) + 1.0  # + densification of the 2 km segments
        assert max(errors) <= bound, (target_km, max(errors), bound)


def test_bands_do_not_overlap_and_stay_inside():
    inside = shapely.box(22.0, 44.0, 28.0, 48.0)
    bands = distance_bands(
        inside, shapely.LineString([(28.0, 44.0), (28.0, 48.0)]), distances_km=[10, 20]
    )
    a, b = bands.geometry.values
    assert shapely.area(shapely.intersection(a, b)) < 1e-9
    assert shapely.area(shapely.difference(shapely.union(a, b), inside)) < 1e-9


def test_error_bound_is_small_for_default_pieces():
    assert buffer_error_bound_m(50.0) < 5.0
    assert buffer_error_bound_m(50.0, chunk_km=1000.0) > buffer_error_bound_m(50.0)


def test_bad_distances_are_refused():
    inside = shapely.box(0, 0, 1, 1)
    line = shapely.LineString([(1, 0), (1, 1)])
    with pytest.raises(BandError, match="strictly increasing"):
        distance_bands(inside, line, distances_km=[10, 5])
    with pytest.raises(ValueError):
        distance_bands(inside, line, distances_km=[0, 5])


def test_empty_border_gives_empty_bands():
    bands = distance_bands(shapely.box(0, 0, 1, 1), shapely.MultiLineString(), distances_km=[5])
    assert bands.geometry.values[0].is_empty


def test_bands_on_real_borders_agree_with_the_territory_distance():
    """Danube: band membership from geo.bands matches geo.territory's signed distance."""
    import datetime as dt

    from incidentmap.geo.bands import nato_distance_bands
    from incidentmap.geo.territory import classify_many

    bbox = (27.9, 45.15, 28.9, 45.55)  # Galați to Plauru, Romania north bank vs Ukraine/Moldova
    bands, border = nato_distance_bands(
        on=dt.date(2025, 9, 10), bbox=bbox, distances_km=[2, 5, 10], simplify_m=20.0
    )
    assert border.length > 0 and len(bands) == 3
    rng = np.random.default_rng(7)
    lon = rng.uniform(bbox[0], bbox[2], 400)
    lat = rng.uniform(bbox[1], bbox[3], 400)
    answers = classify_many(lon, lat, on=dt.date(2025, 9, 10))
    distance_km = answers["distance_to_nato_border_km"].to_numpy()
    checked = 0
    for x, y, d in zip(lon, lat, distance_km, strict=True):
        if not 0.15 < d < 9.85 or min(abs(d - 2), abs(d - 5)) < 0.15:
            continue  # outside NATO, beyond the bands, or too near a band edge to call
        expected = 0 if d < 2 else 1 if d < 5 else 2
        point = shapely.Point(x, y)
        hits = [k for k, g in enumerate(bands.geometry.values) if g.contains(point)]
        assert hits == [expected], (x, y, d, hits)
        checked += 1
    assert checked > 50
