"""Zones, key sites, must-patrol points and lines, routes, ETAs, isochrones and the road network as JSON;
geometry in and out as GeoJSON (lon, lat)."""
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.rest import CheckedModelSerializer
from grid import geometry, osrm_build, travel
from grid.models import KeySite, KeySiteKind, PatrolPoint, PatrolRoute, PlaceKind, ResponseClass, RoadNetwork, Zone
from grid.place_names import search_key


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


# --- travel times, routes, isochrones and the road network ---------------------------------------

from grid.roads import ATTRIBUTION  # noqa: E402  (one notice for every file and answer)

MAX_ETA_SOURCES = 5000  # one OSRM table of 5,000 x 1 takes ~0.5 s: a bigger fleet is asked in parts


@extend_schema_field({"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2,
                      "description": "[longitude, latitude], WGS84.", "example": [121.4737, 31.2304]})
class LonLatField(serializers.ListField):
    """[lon, lat]: two finite numbers in range."""

    def __init__(self, **kwargs):
        super().__init__(child=serializers.FloatField(), min_length=2, max_length=2, **kwargs)

    def to_internal_value(self, data):
        values = super().to_internal_value(data)
        self.run_validators(values)  # the length, before the pair is unpacked
        lon, lat = values
        try:
            return geometry.parse_lon_lat(lon, lat)
        except DjangoValidationError as error:
            raise serializers.ValidationError(error.messages) from None


def _lon(**kwargs):
    return serializers.FloatField(min_value=-180, max_value=180, **kwargs)


def _lat(**kwargs):
    return serializers.FloatField(min_value=-90, max_value=90, **kwargs)


def _profile():
    return serializers.ChoiceField(choices=osrm_build.BUILT_PROFILES, default="car",
                                   help_text="car (patrol cars and motorcycles) or foot.")


def on_network(point, profile: str, field: str):
    """The point, or a 400 on `field` saying how far it is from the nearest road."""
    try:
        travel.snap(*point, profile)
    except travel.OffNetwork as error:
        raise serializers.ValidationError({field: error.messages}) from None
    return point


class RouteQuerySerializer(serializers.Serializer):
    from_lon = _lon(help_text="Start longitude (WGS84).")
    from_lat = _lat(help_text="Start latitude.")
    to_lon = _lon(help_text="Destination longitude.")
    to_lat = _lat(help_text="Destination latitude.")
    profile = _profile()

    def validate(self, data):
        data["origin"] = on_network((data["from_lon"], data["from_lat"]), data["profile"], "from_lon")
        data["target"] = on_network((data["to_lon"], data["to_lat"]), data["profile"], "to_lon")
        return data


class RouteStepSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The street, empty when it has no name.")
    type = serializers.CharField(help_text="OSRM manoeuvre type: depart, turn, arrive, ...")
    modifier = serializers.CharField(help_text="left, right, straight, ... or empty.")
    distance_m = serializers.FloatField()
    duration_s = serializers.FloatField()
    location = serializers.ListField(child=serializers.FloatField(), help_text="[lon, lat] of the manoeuvre.")


class RouteSerializer(serializers.Serializer):
    duration_s = serializers.FloatField(help_text="Travel time, congestion included.")
    distance_m = serializers.FloatField()
    geometry = LineField()
    steps = RouteStepSerializer(many=True)
    estimated = serializers.BooleanField(help_text="True: a straight-line estimate, no road network is loaded.")


class EtaQuerySerializer(serializers.Serializer):
    target = LonLatField(help_text="Where the units are going.")
    sources = serializers.ListField(child=LonLatField(), max_length=MAX_ETA_SOURCES, help_text="Where they are.")
    profile = _profile()

    def validate(self, data):
        on_network(data["target"], data["profile"], "target")
        return data


class EtaSerializer(serializers.Serializer):
    durations_s = serializers.ListField(child=serializers.FloatField(allow_null=True),
                                        help_text="Seconds from each source, in order; null when it is off the network.")
    distances_m = serializers.ListField(child=serializers.FloatField(allow_null=True))
    estimated = serializers.BooleanField(help_text="True: straight-line estimates, no road network is loaded.")


class IsochroneQuerySerializer(serializers.Serializer):
    lon = _lon(help_text="Longitude of the start (WGS84).")
    lat = _lat(help_text="Latitude of the start.")
    seconds = serializers.FloatField(min_value=30, max_value=1800, help_text="Travel time, 30 to 1,800 s.")
    profile = _profile()

    def validate(self, data):
        data["origin"] = on_network((data["lon"], data["lat"]), data["profile"], "lon")
        return data


class IsochronePropertiesSerializer(serializers.Serializer):
    seconds = serializers.FloatField()
    profile = serializers.CharField()
    samples = serializers.IntegerField(help_text="Road points routed to draw the area.")
    reachable = serializers.IntegerField(help_text="Of those, the ones reached in time.")
    estimated = serializers.BooleanField(help_text="True: a straight-line disc, no road network is loaded.")


class IsochroneSerializer(serializers.Serializer):
    """A GeoJSON Feature, ready for the map."""

    type = serializers.CharField(help_text="Always Feature.")
    geometry = PolygonField()
    properties = IsochronePropertiesSerializer()


class RoadNetworkSerializer(serializers.ModelSerializer):
    bbox = serializers.SerializerMethodField(help_text="[min_lon, min_lat, max_lon, max_lat] of its roads.")
    attribution = serializers.SerializerMethodField(help_text="Credit due for the map data.")

    class Meta:
        model = RoadNetwork
        fields = ["name", "sha256", "bbox", "road_km", "roads", "named_roads", "profiles", "algorithm", "max_speed_kmh",
                  "build_s", "measurements", "imported_at", "attribution"]

    def get_bbox(self, network) -> list[float]:
        return [network.min_lon, network.min_lat, network.max_lon, network.max_lat]

    def get_attribution(self, network) -> str:
        return ATTRIBUTION


# --- address lookup: search, reverse lookup and the point's zone / key site / target ---------------

MAX_PLACE_QUERY, MAX_PLACES = 100, 20


class PlaceQuerySerializer(serializers.Serializer):
    q = serializers.CharField(max_length=MAX_PLACE_QUERY, help_text=(
        "What the caller said: a place, a street, a junction (\"西藏南路与复兴东路交叉口\", \"西藏南路复兴东路口\", "
        "\"西藏南路/复兴东路\"), a house number, or any of these in pinyin or initials (\"xznl fxdl\")."), error_messages={
        "required": _("Type a place to look for: a street, a junction, a house number or a named place."),
        "blank": _("Type a place to look for: a street, a junction, a house number or a named place."),
        "max_length": _("A place to look for is at most {max_length} characters.")})
    limit = serializers.IntegerField(min_value=1, max_value=MAX_PLACES, default=8, error_messages={
        key: format_lazy(_("Ask for 1 to {} places."), MAX_PLACES) for key in ("invalid", "min_value", "max_value",
                                                                                "max_string_length")})

    def validate_q(self, value: str) -> str:
        if not search_key(value):
            raise serializers.ValidationError(self.fields["q"].error_messages["blank"])
        return value


class PointQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(help_text="Longitude (WGS84).", error_messages={
        key: _("Give the point as two numbers, longitude and latitude.") for key in ("required", "invalid", "max_string_length")})
    lat = serializers.FloatField(help_text="Latitude (WGS84).", error_messages={
        key: _("Give the point as two numbers, longitude and latitude.") for key in ("required", "invalid", "max_string_length")})


class PlaceSerializer(serializers.Serializer):
    """A place of the gazetteer."""

    id = serializers.IntegerField(source="pk")
    name = serializers.CharField(help_text="As a dispatcher writes it in the address.")
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    kind_label = serializers.CharField(source="get_kind_display", help_text="The kind, in the reader's language.")
    street = serializers.CharField(help_text="The street it is on, where known (a junction's first street).")
    cross_street = serializers.CharField(help_text="A junction's second street.")
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class PlaceHitSerializer(PlaceSerializer):
    """A place found for a query, and how it was matched."""

    match = serializers.ChoiceField(choices=["exact", "prefix", "contains", "sound", "similar", "junction", "address",
                                             "street"], help_text=(
        "exact, prefix, contains (the name), sound (a homophone), similar (a typo), junction (two streets "
        "recognised), address (a house number, or the nearest one), street (the street of a house number)."))
    score = serializers.FloatField(help_text="Higher is better: 100 exact, 80 prefix, ...")

    def to_representation(self, hit):
        return {**PlaceSerializer(hit.place).data, "match": hit.match, "score": round(hit.score, 2)}


class NearbySerializer(PlaceSerializer):
    distance_m = serializers.FloatField(help_text="From the point asked about, in metres.")

    def to_representation(self, nearby):
        return {**PlaceSerializer(nearby.place).data, "distance_m": nearby.distance_m}


class AddressSerializer(serializers.Serializer):
    address = serializers.CharField(help_text=(
        "The address to write: a junction or house number at the point, else the street with the nearest named "
        "place or junction (\"西藏南路（复兴东路附近）\"), else the street; empty when nothing is named near."))
    street = serializers.CharField(help_text="The named road nearest the point (within 150 m), or empty.")
    street_distance_m = serializers.FloatField(allow_null=True)
    nearest = NearbySerializer(allow_null=True, help_text="The junction or named place the address was made from.")
    lon = serializers.FloatField()
    lat = serializers.FloatField()


class ZoneBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    response_class = serializers.ChoiceField(choices=ResponseClass.choices)
    response_class_label = serializers.CharField()


class KeySiteBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.ChoiceField(choices=KeySiteKind.choices)
    kind_label = serializers.CharField()


class PointPreviewSerializer(serializers.Serializer):
    """Where a point falls, before a call placed there is saved."""

    lon = serializers.FloatField()
    lat = serializers.FloatField()
    zone = ZoneBriefSerializer(allow_null=True)
    key_site = KeySiteBriefSerializer(allow_null=True)
    target_s = serializers.IntegerField(help_text="Response target in seconds: 60 (key site), 180 or 300.")
    target_label = serializers.CharField(help_text="Why that target, in the reader's language.")
