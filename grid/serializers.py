"""Zones, key sites and must-patrol points and lines as JSON; geometry in and out as GeoJSON (lon, lat)."""
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from command.rest import CheckedModelSerializer
from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone


def _geojson_schema(*types: str) -> dict:
    return {
        "type": "object",
        "description": f"GeoJSON {' or '.join(types)}, coordinates in (longitude, latitude) order, WGS84.",
        "properties": {"type": {"type": "string", "enum": list(types)},
                       "coordinates": {"type": "array", "items": {}}},
        "required": ["type", "coordinates"],
    }


# The model's clean() parses and checks the geometry (grid/geometry.py); these fields only carry it
# and describe it in the schema.
@extend_schema_field(_geojson_schema("Polygon", "MultiPolygon"))
class PolygonField(serializers.JSONField):
    pass


@extend_schema_field(_geojson_schema("LineString"))
class LineField(serializers.JSONField):
    pass


class ZoneSerializer(CheckedModelSerializer):
    polygon = PolygonField()
    target_s = serializers.IntegerField(read_only=True, help_text="Response target in seconds (180 or 300).")

    class Meta:
        model = Zone
        fields = ["id", "code", "name", "name_en", "platform", "response_class", "polygon", "min_cover_units",
                  "target_s", "updated_at"]


class KeySiteSerializer(CheckedModelSerializer):
    polygon = PolygonField(required=False, allow_null=True)
    target_s = serializers.IntegerField(read_only=True, help_text="Response target in seconds (60).")

    class Meta:
        model = KeySite
        fields = ["id", "code", "name", "name_en", "kind", "lon", "lat", "radius_m", "polygon", "target_s"]
        extra_kwargs = {"radius_m": {"min_value": 10, "max_value": 5000}}


class PatrolPointSerializer(CheckedModelSerializer):
    class Meta:
        model = PatrolPoint
        fields = ["id", "code", "name", "name_en", "platform", "lon", "lat", "radius_m", "dwell_s"]
        extra_kwargs = {"radius_m": {"min_value": 5, "max_value": 1000}}


class PatrolRouteSerializer(CheckedModelSerializer):
    line = LineField()

    class Meta:
        model = PatrolRoute
        fields = ["id", "code", "name", "name_en", "platform", "line", "corridor_m", "length_m"]
        read_only_fields = ["length_m"]
        extra_kwargs = {"corridor_m": {"min_value": 5, "max_value": 500}}


class LocateQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(help_text="Longitude (WGS84).")
    lat = serializers.FloatField(help_text="Latitude (WGS84).")


class LocationSerializer(serializers.Serializer):
    zone = serializers.IntegerField(allow_null=True, source="zone_id", help_text="The zone the point lies in.")
    key_site = serializers.IntegerField(allow_null=True, source="key_site_id",
                                        help_text="The key site whose area covers the point.")
    target_s = serializers.IntegerField(help_text="Response target in seconds: 60, 180 or 300.")
