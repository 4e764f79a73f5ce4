"""Snapshots the console and the tablet load on (re)connect, then apply only newer events (DESIGN §4)."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from command import live
from command.models import Role
from command.roles import access_of, roles
from platforms.models import Unit


class ConsoleSnapshotView(APIView):
    """Open incidents, units on duty with live positions, active assignments, open alerts and the
    latest recommendation of each open incident, with versions and the server's time; a supervisor
    gets their platforms' share."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR)]

    @extend_schema(operation_id="console_snapshot", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(live.snapshot(access_of(request)))


class UnitSnapshotView(APIView):
    """A tablet's unit and its active assignments with their incidents: the crew or the command centre."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.OFFICER,))]

    @extend_schema(operation_id="unit_snapshot", responses=OpenApiTypes.OBJECT)
    def get(self, request, unit_id: int):
        get_object_or_404(Unit, pk=unit_id)
        if live.unit_watcher(request.user, unit_id) is None:
            raise PermissionDenied(_("You may watch only a unit you crew."))
        return Response(live.unit_snapshot(unit_id))
