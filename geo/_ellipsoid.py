"""WGS84 constants and small numba kernels shared by the geodesic and distance modules.

Everything here works in radians and metres; the public modules convert from degrees.
"""

from __future__ import annotations

import math

from incidentmap.geo._jit import njit

#: WGS84 semi-major axis (m) and flattening.
A_M = 6378137.0
F = 1.0 / 298.257223563
#: Semi-minor axis (m), first and second eccentricity squared.
B_M = A_M * (1.0 - F)
E2 = F * (2.0 - F)
EP2 = E2 / (1.0 - E2)
#: Largest radius of curvature of the ellipsoid (at the poles), a²/b.  Every normal curvature
#: is at least 1/R_MAX_M, which is what makes ``chord <= 2 R sin(s / 2R)`` hold (see
#: :mod:`geo.segment_distance`).
R_MAX_M = A_M * A_M / B_M


@njit(cache=True)
def ecef(lon_rad, lat_rad):
    """Earth-centred, earth-fixed (x, y, z) in metres of a point on the ellipsoid surface."""
    sin_lat = math.sin(lat_rad)
    cos_lat = math.cos(lat_rad)
    n = A_M / math.sqrt(1.0 - E2 * sin_lat * sin_lat)
    return (
        n * cos_lat * math.cos(lon_rad),
        n * cos_lat * math.sin(lon_rad),
        n * (1.0 - E2) * sin_lat,
    )


@njit(cache=True)
def radii(lat_rad):
    """Meridional (M) and prime-vertical (N) radii of curvature in metres at a latitude."""
    sin_lat = math.sin(lat_rad)
    w2 = 1.0 - E2 * sin_lat * sin_lat
    n = A_M / math.sqrt(w2)
    return n * (1.0 - E2) / w2, n


@njit(cache=True)
def wrap_pi(x):
    """An angle in radians brought into [-pi, pi)."""
    if -math.pi <= x < math.pi:
        return x
    return (x + math.pi) % (2.0 * math.pi) - math.pi
