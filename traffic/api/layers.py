"""The console's traffic layers, the traffic clocks beside the 1/3/5 figures, the zones' measured
factors, and the hand-made congestion bands (overrides of the measured factors) under /api/v1/traffic/."""
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView
from shapely.geometry import shape

from common.rest import CheckedModelSerializer, EditableViewSet
from common.roles import Role, access_of, roles
from common.scoping import scoped
from dispatch.api.visibility import visible_incidents
from grid import congestion
from grid.models import CongestionBand, Zone
from traffic import selectors
from traffic.models import LiveZoneFactor, ZoneFactor
from traffic.models.speeds import MAX_FACTOR

LAYER_READERS = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADERSHIP, Role.OFFICER)
FIGURE_READERS = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.LEADERSHIP)


class JamSerializer(serializers.Serializer):
    incident = serializers.IntegerField()
    number = serializers.CharField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    status = serializers.CharField()
    address = serializers.CharField()
    received_at = serializers.DateTimeField()
    age_s = serializers.IntegerField(help_text="Seconds since the call.")
    arrived_at = serializers.DateTimeField(allow_null=True)
    cause = serializers.CharField(allow_null=True)
    lanes_affected = serializers.IntegerField(allow_null=True)
    flowing_at = serializers.DateTimeField(allow_null=True)


class CongestionLayerView(APIView):
    """Congestion incidents of the last two hours in the reader's scope, with their age and clock."""

    permission_classes = [roles(read=LAYER_READERS)]

    @extend_schema(operation_id="traffic_congestion_layer", responses=JamSerializer(many=True))
    def get(self, request):
        return Response(selectors.congestion_layer(access_of(request).platform_ids))


class SegmentSerializer(serializers.Serializer):
    start = serializers.ListField(child=serializers.FloatField(), help_text="[lon, lat]")
    end = serializers.ListField(child=serializers.FloatField(), help_text="[lon, lat]")
    speed_kmh = serializers.FloatField()
    free_flow_kmh = serializers.FloatField()
    factor = serializers.FloatField(help_text="Measured time over free-flow time (at least 1).")
    samples = serializers.IntegerField()


class SpeedLayerSerializer(serializers.Serializer):
    slot_start = serializers.DateTimeField()
    segments = SegmentSerializer(many=True)


class SpeedLayerView(APIView):
    """The fleet's measured speeds on the roads, this 15-minute slot and the one before."""

    permission_classes = [roles(read=LAYER_READERS)]

    @extend_schema(operation_id="traffic_speed_layer", responses=SpeedLayerSerializer)
    def get(self, request):
        return Response(selectors.speed_layer())


class FiguresQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate(self, attrs):
        if attrs["since"] and attrs["until"] and attrs["until"] <= attrs["since"]:
            raise ValidationError({"until": [_("The end must be after the start.")]})
        return attrs


class ClearanceFiguresView(APIView):
    """Beside the 1/3/5 figures: minor accidents handled within 10 minutes of arrival and congestion cleared
    within 5, per response class and overall, of the incidents this login sees (received in the period)."""

    permission_classes = [roles(read=FIGURE_READERS)]

    @extend_schema(operation_id="traffic_clearance_figures", parameters=[FiguresQuerySerializer],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        query = FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        incidents = visible_incidents(access_of(request))
        if query.validated_data["since"]:
            incidents = incidents.filter(received_at__gte=query.validated_data["since"])
        if query.validated_data["until"]:
            incidents = incidents.filter(received_at__lt=query.validated_data["until"])
        return Response(selectors.clearance_figures(incidents))


class ZoneFactorSerializer(serializers.Serializer):
    zone = serializers.IntegerField()
    code = serializers.CharField()
    now = serializers.FloatField(help_text="The factor ETAs to the zone use now (a band, else measured, else 1).")
    measured_now = serializers.FloatField(allow_null=True, help_text="From the last 15 minutes' speeds, if fresh.")
    usual = serializers.ListField(child=serializers.ListField(child=serializers.FloatField()),
                                  help_text="[weekday, slot, factor] learnt per weekday's 15-minute slot.")


class ZoneFactorsView(APIView):
    """Each zone's congestion factor now and per weekday slot."""

    permission_classes = [roles(read=FIGURE_READERS)]

    @extend_schema(operation_id="traffic_zone_factors", responses=ZoneFactorSerializer(many=True))
    def get(self, request):
        zones = scoped(Zone.objects.order_by("code"), access_of(request).platform_ids)
        live = dict(LiveZoneFactor.objects.values_list("zone_id", "factor"))
        usual: dict = {}
        for zone, weekday, slot, factor in ZoneFactor.objects.values_list("zone_id", "weekday", "slot", "factor"):
            usual.setdefault(zone, []).append([weekday, slot, factor])
        return Response([{"zone": z.pk, "code": z.code, "now": _now(z), "measured_now": live.get(z.pk),
                          "usual": sorted(usual.get(z.pk, []))} for z in zones])


def _now(zone: Zone) -> float:
    point = shape(zone.polygon).representative_point()
    return round(congestion.factor_at(point.x, point.y), 3)


class CongestionBandSerializer(CheckedModelSerializer):
    factor = serializers.FloatField(min_value=1.0, max_value=MAX_FACTOR, help_text=(
        "Travel-time factor, 1 to 5: congestion only slows (a factor below 1 would break the ETA's lower bound)."))

    class Meta:
        model = CongestionBand
        fields = ["id", "zone", "starts", "ends", "factor", "weekdays_only"]

    def validate(self, attrs):
        starts, ends = attrs.get("starts", getattr(self.instance, "starts", None)), attrs.get("ends", getattr(self.instance, "ends", None))
        if starts is not None and starts == ends:
            raise ValidationError({"ends": [_("A band needs a start and an end that differ.")]})
        return attrs


class CongestionBandViewSet(EditableViewSet):
    """Hand-made congestion bands: a zone's (or the city's) travel-time factor in a daily time band. They
    override what the fleet measured (grid/congestion.py); the demo seeds its rush hours."""

    queryset = CongestionBand.objects.select_related("zone")
    serializer_class = CongestionBandSerializer
    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.SUPERVISOR, Role.LEADERSHIP))]
    pagination_class = None
