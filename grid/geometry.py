"""GeoJSON in, shapely out, with a clear message for every way input can be wrong.

Coordinates are GeoJSON order (lon, lat), WGS84. Metres and seconds everywhere.
"""
import math

import numpy as np
import shapely
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon, shape
from shapely.validation import explain_validity

EARTH_RADIUS_M = 6_371_008.8
POLYGON_TYPES = ("Polygon", "MultiPolygon")


def parse_lon_lat(lon, lat) -> tuple[float, float]:
    """Two finite numbers in WGS84 range, or a ValidationError naming the problem."""
    try:
        lon, lat = float(lon), float(lat)
    except (TypeError, ValueError):
        raise ValidationError(_("Coordinates must be numbers."), code="not_a_number") from None
    if not (math.isfinite(lon) and math.isfinite(lat)):
        raise ValidationError(_("Coordinates must be finite numbers (NaN and infinity are not places)."), code="not_finite")
    if not (-180 <= lon <= 180 and -90 <= lat <= 90):
        raise ValidationError(_("Longitude must lie in [-180, 180] and latitude in [-90, 90]."), code="out_of_range")
    return lon, lat


def _coordinates_finite(geometry) -> bool:
    coords = shapely.get_coordinates(geometry)
    return bool(len(coords)) and bool(((coords == coords) & (abs(coords) != float("inf"))).all())


def parse_geojson(value, allowed: tuple[str, ...]):
    """Parse a GeoJSON geometry dict of one of the `allowed` types into a valid shapely geometry."""
    if not isinstance(value, dict) or "type" not in value or not isinstance(value.get("coordinates"), list):
        # coordinates must be a list: shapely reads {} (or a string) by key and raised KeyError (a 500).
        raise ValidationError(_("Expected a GeoJSON geometry object with 'type' and 'coordinates'."), code="not_geojson")
    if not isinstance(value["type"], str) or value["type"] not in allowed:
        raise ValidationError(
            _("Expected a GeoJSON %(allowed)s, got %(got)s."), code="wrong_type",
            params={"allowed": " or ".join(allowed), "got": value["type"]},
        )
    try:
        geometry = shape(value)
    except (ValueError, TypeError, AttributeError, IndexError, KeyError, RecursionError,
            shapely.errors.GEOSException) as error:
        raise ValidationError(_("Malformed GeoJSON coordinates: %(error)s"), code="malformed", params={"error": error}) from None
    _require_sound(geometry)
    return geometry


def _require_sound(geometry) -> None:
    if geometry.is_empty:
        raise ValidationError(_("The geometry is empty."), code="empty")
    if not _coordinates_finite(geometry):
        raise ValidationError(_("Coordinates must be finite numbers (NaN and infinity are not places)."), code="not_finite")
    min_lon, min_lat, max_lon, max_lat = geometry.bounds
    if min_lon < -180 or max_lon > 180 or min_lat < -90 or max_lat > 90:
        raise ValidationError(_("Longitude must lie in [-180, 180] and latitude in [-90, 90]."), code="out_of_range")
    if not geometry.is_valid:
        raise ValidationError(_("Invalid geometry: %(reason)s"), code="invalid", params={"reason": explain_validity(geometry)})
    if isinstance(geometry, (Polygon,)) and geometry.area == 0:
        raise ValidationError(_("The polygon has no area."), code="no_area")


def parse_polygon(value):
    return parse_geojson(value, POLYGON_TYPES)


def parse_line(value) -> LineString:
    line = parse_geojson(value, ("LineString",))
    if line.length == 0:
        raise ValidationError(_("The line has no length."), code="no_length")
    return line


def distance_m(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Great-circle (haversine) distance in metres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    d_phi, d_lambda = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(d_phi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(d_lambda / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def line_length_m(line: LineString) -> float:
    coords = list(line.coords)
    return sum(distance_m(*a, *b) for a, b in zip(coords, coords[1:]))


def circle(lon: float, lat: float, radius_m: float) -> Polygon:
    """A radius around a point as a lon/lat polygon (local equirectangular scaling)."""
    d_lat = math.degrees(radius_m / EARTH_RADIUS_M)
    d_lon = d_lat / math.cos(math.radians(lat))
    return affinity.scale(Point(lon, lat).buffer(1.0), xfact=d_lon, yfact=d_lat, origin=(lon, lat))


class LocalProjection:
    """An equirectangular projection to metres around an origin: over a city's ~20 km its scale
    error stays under 0.1 %, enough for outlines, buffers and lower bounds, with nothing but shapely."""

    def __init__(self, origin_lon: float, origin_lat: float):
        self.origin_lon, self.origin_lat = origin_lon, origin_lat
        self.m_per_deg_lat = 110_574.0
        self.m_per_deg_lon = 111_320.0 * math.cos(math.radians(origin_lat))

    def _forward(self, coords):
        return np.column_stack([(coords[:, 0] - self.origin_lon) * self.m_per_deg_lon,
                                (coords[:, 1] - self.origin_lat) * self.m_per_deg_lat])

    def _inverse(self, coords):
        return np.column_stack([coords[:, 0] / self.m_per_deg_lon + self.origin_lon,
                                coords[:, 1] / self.m_per_deg_lat + self.origin_lat])

    def to_metres(self, geom):
        """A lon/lat shapely geometry in local metres (x east, y north)."""
        return shapely.transform(geom, self._forward)

    def to_lonlat(self, geom):
        return shapely.transform(geom, self._inverse)

    def distance_m(self, lon1, lat1, lon2, lat2) -> float:
        return math.hypot((lon1 - lon2) * self.m_per_deg_lon, (lat1 - lat2) * self.m_per_deg_lat)
