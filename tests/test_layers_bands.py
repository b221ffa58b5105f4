"""geo.bands: geodesic distance bands within their stated error bound."""

import numpy as np
import pytest

import shapely
from pyproj import Geod

from geo.bands import BandError, buffer_error_bound_m, distance_bands

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
