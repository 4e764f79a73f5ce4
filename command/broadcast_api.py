"""Broadcasts under /api/v1/: the command centre sends to a platform's units or to all units and lists
what it sent (supervisors read those reaching their platforms); a unit's crew lists those reaching
the unit and marks each read."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from command import broadcasts
from command.api import watched_unit
from command.models import Broadcast
from common.rest import validated_input
from common.roles import Role, access_of, roles
from platforms.models import Platform


class BroadcastInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500, error_messages={"blank": gettext_lazy("Write the message.")})
    platform = serializers.PrimaryKeyRelatedField(queryset=Platform.objects.all(), required=False, allow_null=True,
                                                  default=None, help_text="The platform whose units hear it; "
                                                                          "null or left out: every unit.")


class BroadcastSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    platform = serializers.IntegerField(allow_null=True, help_text="null: sent to every unit.")
    text = serializers.CharField()
    sent_at = serializers.DateTimeField()
    sender = serializers.CharField(allow_null=True)
    read_at = serializers.DateTimeField(allow_null=True, help_text="When this unit's crew read it (a unit's list).")


class SentBroadcastSerializer(BroadcastSerializer):
    units_read = serializers.IntegerField(help_text="How many units' crews have read it.")


class BroadcastsView(APIView):
    """Broadcasts of the last 24 hours, newest first, with how many units have read each; the command
    centre sends one to a platform's units or to all units."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.SUPERVISOR,))]

    @extend_schema(operation_id="broadcasts_list", responses=SentBroadcastSerializer(many=True))
    def get(self, request):
        return Response(broadcasts.broadcasts_sent(access_of(request).platform_ids))

    @extend_schema(operation_id="broadcast_send", request=BroadcastInSerializer, responses={201: BroadcastSerializer})
    def post(self, request):
        data = validated_input(BroadcastInSerializer, request)
        broadcast = broadcasts.broadcast_send(sender=request.user, text=data["text"], platform=data["platform"])
        return Response(broadcasts.broadcast_payload(broadcast), status=status.HTTP_201_CREATED)


class UnitBroadcastsView(APIView):
    """The broadcasts reaching a unit (its platform's and the all-units ones, last 24 hours), each with
    its read mark: the crew or the command centre."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.OFFICER,))]

    @extend_schema(operation_id="unit_broadcasts", responses=BroadcastSerializer(many=True))
    def get(self, request, unit_id: int):
        return Response(broadcasts.broadcasts_of(watched_unit(request, unit_id)))


class BroadcastReadView(APIView):
    """The unit's crew marks a broadcast read (the first reading counts)."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="unit_broadcast_read", request=None, responses=BroadcastSerializer)
    def post(self, request, unit_id: int, broadcast_id: int):
        unit = watched_unit(request, unit_id)  # an officer: only a unit they crew
        broadcast = get_object_or_404(Broadcast, pk=broadcast_id)
        read = broadcasts.broadcast_read(actor=request.user, broadcast=broadcast, unit=unit)
        return Response(broadcasts.broadcast_payload(broadcast, read_at=read.read_at))
