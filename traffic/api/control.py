"""Traffic control points and road closures under /api/v1/traffic/: placed, changed and cancelled by a
supervisor (their platform's) or the command centre; read by every role that works the streets (a closure
changes everyone's routes). Closures are drawn as two points along a road."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from platforms.models import Platform, Unit
from traffic import control, events, selectors
from traffic.models import ControlPoint, ControlReason, RoadClosure

PLACERS = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR)
VIEWERS = (Role.OFFICER, Role.LEADERSHIP)


class ControlPointInSerializer(serializers.Serializer):
    platform = serializers.PrimaryKeyRelatedField(queryset=Platform.objects.all(), required=False, allow_null=True,
                                                  default=None, help_text="A supervisor's own when not given.")
    name = serializers.CharField(max_length=100)
    reason = serializers.ChoiceField(choices=ControlReason.choices, default=ControlReason.EVENT)
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False, default=list)
    notes = serializers.CharField(max_length=300, required=False, default="", allow_blank=True)


class ControlPointChangeSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100, required=False)
    lon = serializers.FloatField(min_value=-180, max_value=180, required=False)
    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    starts_at = serializers.DateTimeField(required=False)
    ends_at = serializers.DateTimeField(required=False)
    units = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), many=True, required=False)
    notes = serializers.CharField(max_length=300, required=False, allow_blank=True)


class ClosureSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    control_point = serializers.IntegerField()
    line = serializers.DictField(help_text="GeoJSON LineString of the closed segments.")
    length_m = serializers.IntegerField()
    road_name = serializers.CharField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    cancelled = serializers.BooleanField()


class ControlPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    reason = serializers.CharField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    platform = serializers.IntegerField()
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    cancelled = serializers.BooleanField()
    active = serializers.BooleanField(required=False)
    units = serializers.ListField(child=serializers.IntegerField())
    closures = ClosureSerializer(many=True)
    version = serializers.IntegerField()


def _platform_of(request, platform) -> Platform:
    """The platform a point is placed for: the supervisor's own (one of theirs), any for the command centre."""
    access = access_of(request)
    if platform is None:
        if access.platform_ids is None or len(access.platform_ids) != 1:
            raise serializers.ValidationError({"platform": [_("Choose the platform the point belongs to.")]})
        return Platform.objects.get(pk=next(iter(access.platform_ids)))
    if access.platform_ids is not None and platform.pk not in access.platform_ids:
        raise PermissionDenied(_("You may place control points only for your own platforms."))
    return platform


def _placeable(request, point_id: int) -> ControlPoint:
    return get_object_or_404(scoped(ControlPoint.objects.all(), access_of(request).platform_ids), pk=point_id)


class ControlPointsView(APIView):
    """Control points not over yet (active or upcoming) with their closures; a new one placed."""

    permission_classes = [roles(*PLACERS, read=VIEWERS)]

    @extend_schema(operation_id="traffic_control_points", responses=ControlPointSerializer(many=True))
    def get(self, request):
        return Response(selectors.control_layer())

    @extend_schema(operation_id="traffic_control_point_place", request=ControlPointInSerializer,
                   responses={201: ControlPointSerializer})
    def post(self, request):
        data = dict(validated_input(ControlPointInSerializer, request))
        data["platform"] = _platform_of(request, data["platform"])
        point = control.control_point_place(actor=request.user, **data)
        return Response(events.control_payload(point), status=status.HTTP_201_CREATED)


class ControlPointView(APIView):
    permission_classes = [roles(*PLACERS)]

    @extend_schema(operation_id="traffic_control_point_change", request=ControlPointChangeSerializer,
                   responses=ControlPointSerializer)
    def patch(self, request, point_id: int):
        point = _placeable(request, point_id)
        data = validated_input(ControlPointChangeSerializer, request)
        point = control.control_point_change(actor=request.user, point=point, **data)
        return Response(events.control_payload(point))


class ControlPointCancelView(APIView):
    """The point and its closures end now."""

    permission_classes = [roles(*PLACERS)]

    @extend_schema(operation_id="traffic_control_point_cancel", request=None, responses=ControlPointSerializer)
    def post(self, request, point_id: int):
        point = control.control_point_cancel(actor=request.user, point=_placeable(request, point_id))
        return Response(events.control_payload(point))


class ClosureInSerializer(serializers.Serializer):
    from_lon = serializers.FloatField(min_value=-180, max_value=180)
    from_lat = serializers.FloatField(min_value=-90, max_value=90)
    to_lon = serializers.FloatField(min_value=-180, max_value=180)
    to_lat = serializers.FloatField(min_value=-90, max_value=90)
    starts_at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                          help_text="The control point's start when not given.")
    ends_at = serializers.DateTimeField(required=False, allow_null=True, default=None)


class ClosuresView(APIView):
    """A stretch of road closed from one point to the other (the car's road between them), both ways."""

    permission_classes = [roles(*PLACERS)]

    @extend_schema(operation_id="traffic_closure_add", request=ClosureInSerializer, responses={201: ClosureSerializer})
    def post(self, request, point_id: int):
        point = _placeable(request, point_id)
        data = validated_input(ClosureInSerializer, request)
        closure = control.closure_add(actor=request.user, point=point, origin=(data["from_lon"], data["from_lat"]),
                                      target=(data["to_lon"], data["to_lat"]), starts_at=data["starts_at"],
                                      ends_at=data["ends_at"])
        return Response(events.closure_payload(closure), status=status.HTTP_201_CREATED)


class ClosureCancelView(APIView):
    permission_classes = [roles(*PLACERS)]

    @extend_schema(operation_id="traffic_closure_cancel", request=None, responses=ClosureSerializer)
    def post(self, request, closure_id: int):
        platforms = access_of(request).platform_ids
        closure = get_object_or_404(scoped(RoadClosure.objects.all(), platforms, "control_point__platform_id"),
                                    pk=closure_id)
        closure = control.closure_cancel(actor=request.user, closure=closure)
        return Response(events.closure_payload(closure))
