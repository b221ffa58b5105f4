"""Geodesics on the WGS84 ellipsoid: the inverse and the direct problem, numba-compiled.

The inverse problem (distance and azimuths between two points) is solved with Vincenty's
iteration on the longitude of the auxiliary sphere, which converges in a few steps for all
but nearly antipodal points.  When it does not converge (nearly antipodal points), the line
is found instead by bisection on the
starting azimuth, over which the longitude reached at the second point's latitude is
monotone once the problem is brought into a canonical form (first point on the southern
hemisphere and farther from the equator than the second, eastward longitude difference);
the distance then follows from the same series.  The direct problem (where a line of given
start, azimuth and length ends) is Vincenty's, which converges everywhere.

Measured against pyproj's ``Geod(ellps="WGS84")`` (Karney's algorithm) on 200 k random pairs
per case: distances agree within 2 µm up to a few hundred km and within 0.08 mm everywhere,
near-antipodal pairs, poles and the antimeridian included (tests/test_geodesic.py).

Angles inside the kernels are radians; the public wrappers take and return degrees and metres.

>>> round(float(geodesic_distance_m(0.0, 0.0, 1.0, 0.0)), 3)
111319.491
>>> [round(float(v), 9) for v in geodesic_destination(0.0, 0.0, 90.0, 111319.49079327357)]
[1.0, 0.0]
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

from incidentmap.geo._ellipsoid import B_M, EP2, F, wrap_pi
from incidentmap.geo._jit import njit
from incidentmap.geo.errors import InvalidCoordinateError

__all__ = [
    "GeodesicInverse",
    "geodesic_destination",
    "geodesic_distance_m",
    "geodesic_inverse",
]

_TOL_RAD = 1e-13
_MAX_VINCENTY_STEPS = 40
_BISECTION_STEPS = 64


@njit(cache=True)
def _series_a_b(cos2_alpha0):
    """Vincenty's A and B series of the distance integral for a line with this cos² α0."""
    u2 = cos2_alpha0 * EP2
    a = 1.0 + u2 / 16384.0 * (4096.0 + u2 * (-768.0 + u2 * (320.0 - 175.0 * u2)))
    b = u2 / 1024.0 * (256.0 + u2 * (-128.0 + u2 * (74.0 - 47.0 * u2)))
    return a, b


@njit(cache=True)
def _arc_to_metres(sigma, sin_sigma, cos_sigma, cos_2sigma_m, cos2_alpha0):
    """Length in metres of a line spanning ``sigma`` radians on the auxiliary sphere."""
    a, b = _series_a_b(cos2_alpha0)
    c2 = cos_2sigma_m * cos_2sigma_m
    d_sigma = (
        b
        * sin_sigma
        * (
            cos_2sigma_m
            + b
            / 4.0
            * (
                cos_sigma * (-1.0 + 2.0 * c2)
                - b / 6.0 * cos_2sigma_m * (-3.0 + 4.0 * sin_sigma**2) * (-3.0 + 4.0 * c2)
            )
        )
    )
    return B_M * a * (sigma - d_sigma)


@njit(cache=True)
def _longitude_shift(sigma, sin_sigma, cos_sigma, cos_2sigma_m, sin_alpha0, cos2_alpha0):
    """Auxiliary-sphere longitude minus ellipsoidal longitude along a line (radians)."""
    c = F / 16.0 * cos2_alpha0 * (4.0 + F * (4.0 - 3.0 * cos2_alpha0))
    inner = cos_2sigma_m + c * cos_sigma * (-1.0 + 2.0 * cos_2sigma_m * cos_2sigma_m)
    return (1.0 - c) * F * sin_alpha0 * (sigma + c * sin_sigma * inner)


@njit(cache=True)
def reduced(lat):
    """sin and cos of the reduced (parametric) latitude."""
    beta = math.atan2((1.0 - F) * math.sin(lat), math.cos(lat))
    return math.sin(beta), math.cos(beta), beta


@njit(cache=True)
def _line_from_azimuth(sb1, cb1, sb2, cb2, alp1):
    """Longitude difference, length and end azimuth of the line leaving point 1 at ``alp1``.

    Canonical form only: ``sb1 <= 0`` and ``cb2 >= cb1``; the line is followed until it
    reaches the second latitude while heading north.
    """
    sa1 = math.sin(alp1)
    ca1 = math.cos(alp1)
    sa0 = sa1 * cb1
    cos2_a0 = 1.0 - sa0 * sa0
    sa2 = sa0 / cb2
    ca2 = math.sqrt(max(0.0, (ca1 * cb1) ** 2 + (cb2 - cb1) * (cb2 + cb1))) / cb2
    sig1 = math.atan2(sb1, ca1 * cb1)
    sig2 = math.atan2(sb2, ca2 * cb2)
    ssig1, csig1 = math.sin(sig1), math.cos(sig1)
    ssig2, csig2 = math.sin(sig2), math.cos(sig2)
    sig12 = math.atan2(max(0.0, csig1 * ssig2 - ssig1 * csig2), csig1 * csig2 + ssig1 * ssig2)
    omg1 = math.atan2(sa0 * sb1, ca1 * cb1)
    omg2 = math.atan2(sa0 * sb2, ca2 * cb2)
    omg12 = omg2 - omg1
    while omg12 < -0.5 * math.pi:
        omg12 += 2.0 * math.pi
    while omg12 > 1.5 * math.pi:
        omg12 -= 2.0 * math.pi
    c2sm = math.cos(sig1 + sig2)
    ss12, cs12 = math.sin(sig12), math.cos(sig12)
    lam12 = omg12 - _longitude_shift(sig12, ss12, cs12, c2sm, sa0, cos2_a0)
    s12 = _arc_to_metres(sig12, ss12, cs12, c2sm, cos2_a0)
    return lam12, s12, math.atan2(sa2, ca2)


@njit(cache=True)
def _inverse_by_bisection(lat1, lat2, lon12):
    """Inverse problem for (nearly) antipodal points: bisection on the start azimuth."""
    swap = abs(lat1) < abs(lat2)
    if swap:
        lat1, lat2, lon12 = lat2, lat1, -lon12
    lat_sign = 1.0 if lat1 <= 0.0 else -1.0
    lat1 *= lat_sign
    lat2 *= lat_sign
    lon_sign = 1.0 if lon12 >= 0.0 else -1.0
    lon12 *= lon_sign
    sb1, cb1, _ = reduced(lat1)
    sb2, cb2, _ = reduced(lat2)
    cb2 = max(cb2, cb1)  # |lat2| <= |lat1|; guard against rounding
    lo, hi = 0.0, math.pi
    for _ in range(_BISECTION_STEPS):
        mid = 0.5 * (lo + hi)
        lam12, _, _ = _line_from_azimuth(sb1, cb1, sb2, cb2, mid)
        if lam12 < lon12:
            lo = mid
        else:
            hi = mid
    alp1 = 0.5 * (lo + hi)
    _, s12, alp2 = _line_from_azimuth(sb1, cb1, sb2, cb2, alp1)
    alp1 *= lon_sign
    alp2 *= lon_sign
    if lat_sign < 0.0:
        alp1 = math.pi - alp1
        alp2 = math.pi - alp2
    if swap:
        alp1, alp2 = alp2 + math.pi, alp1 + math.pi
    return s12, wrap_pi(alp1), wrap_pi(alp2)


@njit(cache=True)
def inverse_core(lat1, su1, cu1, u1, lat2, su2, cu2, u2, lon12):
    """Inverse problem on precomputed reduced latitudes (see :func:`reduced`).

    Returns ``(s12, y1, x1, y2, x2)``: the distance in metres and, for each end, a vector
    (east, north), not normalised, along the forward azimuth; both are zero for coincident
    points, and at a pole the vector is the limit along the line.
    """
    s_du = math.sin(u2 - u1)
    lam = lon12
    converged = False
    ss = cs = sig = sa = c2a = c2sm = 0.0
    sl = cl = 0.0
    for _ in range(_MAX_VINCENTY_STEPS):
        sl = math.sin(lam)
        cl = math.cos(lam)
        sh = math.sin(0.5 * lam)
        t1 = cu2 * sl
        t2 = s_du + 2.0 * su1 * cu2 * sh * sh  # cu1 su2 - su1 cu2 cos(lam), without cancellation
        ss = math.hypot(t1, t2)
        cs = su1 * su2 + cu1 * cu2 * cl
        if ss == 0.0:
            if cs > 0.0:
                return 0.0, 0.0, 0.0, 0.0, 0.0
            break  # exactly antipodal: Vincenty's iteration is undefined
        sig = math.atan2(ss, cs)
        sa = cu1 * cu2 * sl / ss
        c2a = 1.0 - sa * sa
        c2sm = cs - 2.0 * su1 * su2 / c2a if c2a > 0.0 else 0.0
        lam_next = lon12 + _longitude_shift(sig, ss, cs, c2sm, sa, c2a)
        if abs(lam_next) > math.pi:
            break
        if abs(lam_next - lam) < _TOL_RAD:
            converged = True
            break
        lam = lam_next
    if not converged:
        s12, a1, a2 = _inverse_by_bisection(lat1, lat2, lon12)
        return s12, math.sin(a1), math.cos(a1), math.sin(a2), math.cos(a2)
    s12 = _arc_to_metres(sig, ss, cs, c2sm, c2a)
    return s12, cu2 * sl, t2, cu1 * sl, -su1 * cu2 + cu1 * su2 * cl


@njit(cache=True)
def inverse_rad(lon1, lat1, lon2, lat2):
    """Geodesic distance (m) and forward azimuths at both ends (rad) between two points.

    Inputs in radians.  ``azi2`` is the direction of travel at the second point (pointing
    away from the first).  Coincident points give ``(0, 0, 0)``.
    """
    su1, cu1, u1 = reduced(lat1)
    su2, cu2, u2 = reduced(lat2)
    s12, y1, x1, y2, x2 = inverse_core(lat1, su1, cu1, u1, lat2, su2, cu2, u2, wrap_pi(lon2 - lon1))
    return s12, math.atan2(y1, x1), math.atan2(y2, x2)


@njit(cache=True)
def direct_rad(lon1, lat1, azi1, s12):
    """End point (lon, lat) and forward azimuth there of a line; radians and metres."""
    su1, cu1, _ = reduced(lat1)
    sa1 = math.sin(azi1)
    ca1 = math.cos(azi1)
    sig1 = math.atan2(su1, cu1 * ca1)
    sa0 = cu1 * sa1
    c2a = 1.0 - sa0 * sa0
    a, b = _series_a_b(c2a)
    first = s12 / (B_M * a)
    sig = first
    c2sm = ss = cs = 0.0
    for _ in range(_MAX_VINCENTY_STEPS):
        c2sm = math.cos(2.0 * sig1 + sig)
        ss = math.sin(sig)
        cs = math.cos(sig)
        c2 = c2sm * c2sm
        d_sig = (
            b
            * ss
            * (
                c2sm
                + b
                / 4.0
                * (
                    cs * (-1.0 + 2.0 * c2)
                    - b / 6.0 * c2sm * (-3.0 + 4.0 * ss * ss) * (-3.0 + 4.0 * c2)
                )
            )
        )
        sig_next = first + d_sig
        done = abs(sig_next - sig) < _TOL_RAD
        sig = sig_next
        if done:
            break
    c2sm = math.cos(2.0 * sig1 + sig)
    ss = math.sin(sig)
    cs = math.cos(sig)
    tmp = su1 * ss - cu1 * cs * ca1
    lat2 = math.atan2(su1 * cs + cu1 * ss * ca1, (1.0 - F) * math.hypot(sa0, tmp))
    lam = math.atan2(ss * sa1, cu1 * cs - su1 * ss * ca1)
    lon2 = wrap_pi(lon1 + lam - _longitude_shift(sig, ss, cs, c2sm, sa0, c2a))
    azi2 = math.atan2(sa0, -tmp)
    return lon2, lat2, azi2


@njit(cache=True)
def _inverse_many(lon1, lat1, lon2, lat2, out_s, out_a1, out_a2):
    for i in range(lon1.size):
        s, a1, a2 = inverse_rad(lon1[i], lat1[i], lon2[i], lat2[i])
        out_s[i] = s
        out_a1[i] = a1
        out_a2[i] = a2


@njit(cache=True)
def _direct_many(lon1, lat1, azi1, s12, out_lon, out_lat):
    for i in range(lon1.size):
        lon, lat, _ = direct_rad(lon1[i], lat1[i], azi1[i], s12[i])
        out_lon[i] = lon
        out_lat[i] = lat


def check_lonlat_arrays(lon, lat, *, what: str = "point") -> tuple[np.ndarray, np.ndarray]:
    """Broadcast to float arrays and raise on the first non-finite or out-of-range value."""
    lon, lat = np.broadcast_arrays(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))
    bad = ~(np.isfinite(lon) & np.isfinite(lat) & (np.abs(lat) <= 90.0) & (np.abs(lon) <= 540.0))
    if bad.any():
        i = int(np.flatnonzero(bad.ravel())[0])
        x, y = float(lon.ravel()[i]), float(lat.ravel()[i])
        hint = ""
        if abs(y) > 90.0 and abs(x) <= 90.0:
            hint = "; were latitude and longitude swapped?"
        raise InvalidCoordinateError(
            f"{what} {i} has longitude {x}, latitude {y}: not a finite (lon, lat) in degrees "
            f"with latitude in [-90, 90] and longitude in [-540, 540]{hint}"
        )
    return lon, lat


class GeodesicInverse(NamedTuple):
    """Solution of the inverse problem: distance and forward azimuths (degrees from north)."""

    distance_m: np.ndarray
    azimuth1_deg: np.ndarray
    azimuth2_deg: np.ndarray


def geodesic_inverse(lon1, lat1, lon2, lat2) -> GeodesicInverse:
    """Distance in metres and forward azimuths between point arrays (broadcast).

    ``azimuth2_deg`` is the direction of travel at the second point, as in pyproj's
    ``Geod.inv`` (whose back azimuth is this plus 180).
    """
    lon1, lat1 = check_lonlat_arrays(lon1, lat1, what="first point")
    lon2, lat2 = check_lonlat_arrays(lon2, lat2, what="second point")
    arrays = np.broadcast_arrays(*(np.radians(v) for v in (lon1, lat1, lon2, lat2)))
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(v).ravel() for v in arrays]
    out = [np.empty(flat[0].size) for _ in range(3)]
    _inverse_many(*flat, *out)
    s, a1, a2 = (v.reshape(shape) for v in out)
    return GeodesicInverse(s[()], np.degrees(a1)[()], np.degrees(a2)[()])


def geodesic_distance_m(lon1, lat1, lon2, lat2) -> np.ndarray:
    """Geodesic (WGS84) distance in metres between point arrays (broadcast).

    >>> round(float(geodesic_distance_m(28.05, 45.43, 28.19, 45.35)), 1)
    14115.6
    """
    return geodesic_inverse(lon1, lat1, lon2, lat2).distance_m


def geodesic_destination(lon, lat, azimuth_deg, distance_m) -> tuple[np.ndarray, np.ndarray]:
    """End (lon, lat) of the geodesics leaving (lon, lat) at ``azimuth_deg`` for ``distance_m``.

    Longitudes come back in [-180, 180).
    """
    lon, lat = check_lonlat_arrays(lon, lat, what="start point")
    arrays = np.broadcast_arrays(
        np.radians(lon),
        np.radians(lat),
        np.radians(np.asarray(azimuth_deg, dtype=float)),
        np.asarray(distance_m, dtype=float),
    )
    if not (np.isfinite(arrays[2]).all() and np.isfinite(arrays[3]).all()):
        raise InvalidCoordinateError("azimuth_deg and distance_m must be finite numbers")
    shape = arrays[0].shape
    flat = [np.ascontiguousarray(v).ravel() for v in arrays]
    out_lon, out_lat = np.empty(flat[0].size), np.empty(flat[0].size)
    _direct_many(*flat, out_lon, out_lat)
    return np.degrees(out_lon).reshape(shape)[()], np.degrees(out_lat).reshape(shape)[()]
