"""The resources' API: districts, platforms and their moves, squads, officers, vehicles, shifts, units.

Rosters belong to the supervisors (their own platforms only: other platforms' rows answer 404)
and the administrators; the command centre reads them all; an officer sees only their own units.
"""
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response

from command.models import Role
from command.rest import EditableViewSet, scoped, validated_input
from command.roles import access_of, roles
from platforms import filters, serializers, services
from platforms.models import District, Officer, Platform, Shift, Squad, Unit, Vehicle

ADMIN, DISPATCHER, SUPERVISOR = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR
PLACE_READERS = (DISPATCHER, SUPERVISOR, Role.CLERK)


class DistrictViewSet(EditableViewSet):
    """Branch bureaux (分局) that own platforms."""

    queryset = District.objects.all()
    serializer_class = serializers.DistrictSerializer
    permission_classes = [roles(ADMIN, read=PLACE_READERS)]
    filterset_fields = ["code"]
    ordering_fields = ["code", "name"]


class PlatformViewSet(EditableViewSet):
    """Mobile police platforms and fixed street posts."""

    queryset = Platform.objects.all()
    filterset_class = filters.PlatformFilter
    permission_classes = [roles(ADMIN, read=PLACE_READERS)]
    ordering_fields = ["code", "name", "moved_at"]

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return serializers.PlatformUpdateSerializer
        return serializers.PlatformSerializer

    @extend_schema(request=serializers.MoveOrderSerializer, responses={201: serializers.PlatformMoveSerializer})
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, SUPERVISOR)])
    def move(self, request, pk=None):
        """Relocate the platform; a supervisor moves only their own."""
        platform = self.get_object()
        platform_ids = access_of(request).platform_ids
        if platform_ids is not None and platform.pk not in platform_ids:
            raise PermissionDenied("You may move only your own platform.")
        data = validated_input(serializers.MoveOrderSerializer, request)
        move = services.platform_move(platform=platform, actor=request.user, **data)
        return Response(serializers.PlatformMoveSerializer(move).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=serializers.PlatformMoveSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def moves(self, request, pk=None):
        """Where the platform has been, newest move first."""
        page = self.paginate_queryset(self.get_object().moves.all())
        return self.get_paginated_response(serializers.PlatformMoveSerializer(page, many=True).data)


class RosterViewSet(EditableViewSet):
    """Rows owned by one platform: a scoped login sees and edits only its own platforms' rows."""

    platform_path = "platform_id"
    permission_classes = [roles(ADMIN, SUPERVISOR, read=(DISPATCHER,))]

    def get_queryset(self):
        return scoped(super().get_queryset(), access_of(self.request).platform_ids, self.platform_path)


class SquadViewSet(RosterViewSet):
    """Squads (班) of a platform, rotating through the shifts."""

    queryset = Squad.objects.select_related("platform")
    serializer_class = serializers.SquadSerializer
    filterset_class = filters.SquadFilter
    ordering_fields = ["number", "name"]


class OfficerViewSet(RosterViewSet):
    """Police officers, auxiliaries and traffic assistants."""

    queryset = Officer.objects.all()
    serializer_class = serializers.OfficerSerializer
    filterset_class = filters.OfficerFilter
    ordering_fields = ["badge_number", "name", "kind"]


class VehicleViewSet(RosterViewSet):
    """Patrol cars, motorcycles, platform trucks and foot trackers."""

    queryset = Vehicle.objects.all()
    serializer_class = serializers.VehicleSerializer
    filterset_class = filters.VehicleFilter
    ordering_fields = ["call_number", "kind"]


class ShiftViewSet(RosterViewSet):
    """Who is on duty when; the dispatch engine trusts only approved shifts."""

    queryset = Shift.objects.select_related("squad")
    serializer_class = serializers.ShiftSerializer
    filterset_class = filters.ShiftFilter
    platform_path = "squad__platform_id"
    ordering_fields = ["starts_at", "ends_at", "kind"]


class UnitViewSet(RosterViewSet):
    """Deployable crews for one shift; an officer sees only their own."""

    queryset = Unit.objects.select_related("shift").prefetch_related("officers")
    serializer_class = serializers.UnitSerializer
    filterset_class = filters.UnitFilter
    permission_classes = [roles(ADMIN, SUPERVISOR, read=(DISPATCHER, Role.OFFICER))]
    ordering_fields = ["call_sign", "status", "status_changed_at"]

    def get_queryset(self):
        access = access_of(self.request)
        if access.role == Role.OFFICER:
            return self.queryset.filter(officers=access.officer) if access.officer else Unit.objects.none()
        return super().get_queryset()

    @extend_schema(request=serializers.UnitStatusChangeSerializer, responses=serializers.UnitSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, SUPERVISOR)])
    def status(self, request, pk=None):
        """Set a unit available, unavailable or off duty, through the transition table."""
        unit = self.get_object()
        data = validated_input(serializers.UnitStatusChangeSerializer, request)
        unit = services.unit_set_status(unit=unit, status=data["status"], actor=request.user)
        return Response(self.get_serializer(unit).data)
