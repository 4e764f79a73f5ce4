"""Local metric projection for the demo city, centred on People's Square (see grid.geometry)."""
from grid.geometry import LocalProjection

ORIGIN_LON, ORIGIN_LAT = 121.4696, 31.2316
_DEMO = LocalProjection(ORIGIN_LON, ORIGIN_LAT)

to_metres = _DEMO.to_metres
to_lonlat = _DEMO.to_lonlat
distance_m = _DEMO.distance_m
