"""Local metric projection for the demo city: lon/lat <-> metres.

An equirectangular projection centred on People's Square; over the ~15 km of the
demo city its scale error is below 0.1 %, enough for areas, lengths and
distances in tests and seeding, and it needs nothing beyond shapely.
"""
import math

import numpy as np
import shapely

ORIGIN_LON, ORIGIN_LAT = 121.4696, 31.2316
_M_PER_DEG_LAT = 110_574.0
_M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(ORIGIN_LAT))


def _forward(coords):
    return np.column_stack([(coords[:, 0] - ORIGIN_LON) * _M_PER_DEG_LON,
                            (coords[:, 1] - ORIGIN_LAT) * _M_PER_DEG_LAT])


def _inverse(coords):
    return np.column_stack([coords[:, 0] / _M_PER_DEG_LON + ORIGIN_LON,
                            coords[:, 1] / _M_PER_DEG_LAT + ORIGIN_LAT])


def to_metres(geom):
    """A lon/lat shapely geometry in local metres (x east, y north)."""
    return shapely.transform(geom, _forward)


def to_lonlat(geom):
    """Inverse of to_metres."""
    return shapely.transform(geom, _inverse)


def distance_m(lon1, lat1, lon2, lat2):
    return math.hypot((lon1 - lon2) * _M_PER_DEG_LON, (lat1 - lat2) * _M_PER_DEG_LAT)
