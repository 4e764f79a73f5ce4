"""Trackers' API (platforms.trackers): administrators register, rotate and revoke; a supervisor reads
their own platforms' trackers. A secret is in the answer of the call that made it, and nowhere else."""
from django.db.models import Q
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import validated_input
from common.roles import Role, access_of, roles
from platforms import trackers
from platforms.models import Officer, TrackerDevice, Vehicle


class TrackerSerializer(serializers.ModelSerializer):
    active = serializers.BooleanField(read_only=True)

    class Meta:
        model = TrackerDevice
        fields = ["id", "identifier", "vehicle", "officer", "active", "created_at", "created_by", "rotated_at",
                  "revoked_at", "revoked_by"]
        read_only_fields = fields


class IssuedSerializer(TrackerSerializer):
    secret = serializers.CharField(read_only=True, help_text="The device's key: shown once, never stored in clear.")

    class Meta(TrackerSerializer.Meta):
        fields = [*TrackerSerializer.Meta.fields, "secret"]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    identifier = serializers.CharField(max_length=64, help_text="What the device sends as `id`.")
    vehicle = serializers.PrimaryKeyRelatedField(queryset=Vehicle.objects.all(), required=False, allow_null=True)
    officer = serializers.PrimaryKeyRelatedField(queryset=Officer.objects.all(), required=False, allow_null=True)


def _issued(issued: trackers.Issued) -> dict:
    return {**TrackerSerializer(issued.tracker).data, "secret": issued.secret}


class TrackerDeviceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Tracker devices (OsmAnd / Traccar Client at /osmand/), each with its own key."""

    serializer_class = TrackerSerializer
    permission_classes = [roles(Role.ADMINISTRATOR, read=(Role.SUPERVISOR,))]
    filterset_fields = ["vehicle", "officer"]
    ordering_fields = ["identifier", "created_at"]

    def get_queryset(self):
        queryset = TrackerDevice.objects.all()
        platform_ids = access_of(self.request).platform_ids
        if platform_ids is not None:
            queryset = queryset.filter(Q(vehicle__platform_id__in=platform_ids) | Q(officer__platform_id__in=platform_ids))
        return queryset.order_by("identifier")

    @extend_schema(request=RegisterSerializer, responses={201: IssuedSerializer})
    def create(self, request):
        """Register a device for a vehicle or an officer: its key comes back in this answer only."""
        data = validated_input(RegisterSerializer, request)
        issued = trackers.tracker_register(actor=request.user, identifier=data["identifier"],
                                           vehicle=data.get("vehicle"), officer=data.get("officer"))
        return Response(_issued(issued), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=IssuedSerializer)
    @action(detail=True, methods=["post"])
    def rotate(self, request, pk=None):
        """A new key (the old one stops at once); a revoked device reports again with it."""
        return Response(_issued(trackers.tracker_rotate(actor=request.user, tracker=self.get_object())))

    @extend_schema(request=None, responses=TrackerSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        """The device's reports are refused from now on."""
        return Response(TrackerSerializer(trackers.tracker_revoke(actor=request.user, tracker=self.get_object())).data)
