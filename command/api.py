"""The command centre's own endpoints under /api/v1/: the snapshots the console and the tablet load on
(re)connect before applying only newer events (DESIGN §4), and point-to-point messages with units (the
crew's replies included). Broadcasts are in command.broadcast_api, on-view reports and photos in
command.on_view_api."""
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from command import messages
from command.live.scope import unit_watcher
from command.live.snapshots import snapshot, unit_snapshot
from command.models import UnitMessage
from common.rest import validated_input
from common.roles import Role, access_of, roles
from platforms.models import Unit


class ConsoleSnapshotView(APIView):
    """Open incidents, units on duty with live positions, active assignments, open alerts and the
    latest recommendation of each open incident, with versions and the server's time; a supervisor
    gets their platforms' share."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR)]

    @extend_schema(operation_id="console_snapshot", responses=OpenApiTypes.OBJECT)
    def get(self, request):
        return Response(snapshot(access_of(request)))


class UnitSnapshotView(APIView):
    """A tablet's unit and its active assignments with their incidents: the crew or the command centre."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.OFFICER,))]

    @extend_schema(operation_id="unit_snapshot", responses=OpenApiTypes.OBJECT)
    def get(self, request, unit_id: int):
        watched_unit(request, unit_id)
        return Response(unit_snapshot(unit_id))


class MessageInSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500, error_messages={"blank": gettext_lazy("Write the message.")})


# The messages come as a list of objects (the schema said one object).
MESSAGE_LIST = {"type": "array", "items": {"type": "object", "additionalProperties": True}}


class UnitMessagesView(APIView):
    """Messages to a unit: the command centre sends, the crew (and the command centre) read."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, read=(Role.OFFICER,))]

    @extend_schema(operation_id="unit_messages", responses={200: MESSAGE_LIST})
    def get(self, request, unit_id: int):
        watched_unit(request, unit_id)
        return Response(messages.messages_of(unit_id, limit=50))

    @extend_schema(operation_id="unit_message_send", request=MessageInSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, unit_id: int):
        unit = watched_unit(request, unit_id)
        data = validated_input(MessageInSerializer, request)
        message = messages.message_send(sender=request.user, unit=unit, text=data["text"])
        return Response(messages.message_payload(message), status=status.HTTP_201_CREATED)


class MessageReadView(APIView):
    """The crew marks a message read."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="unit_message_read", request=None, responses=OpenApiTypes.OBJECT)
    def post(self, request, message_id: int):
        message = crews_message(request, message_id)
        return Response(messages.message_payload(messages.message_read(message=message)))


class MessageReplyView(APIView):
    """The crew answers a message from the command centre: the reply reaches the consoles and raises an
    officer-message alert; the message is marked read."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="unit_message_reply", request=MessageInSerializer, responses={201: OpenApiTypes.OBJECT})
    def post(self, request, message_id: int):
        message = crews_message(request, message_id)
        data = validated_input(MessageInSerializer, request)
        reply = messages.message_reply(actor=request.user, message=message, text=data["text"])
        return Response(messages.message_payload(reply), status=status.HTTP_201_CREATED)


def crews_message(request, message_id: int) -> UnitMessage:
    message = get_object_or_404(UnitMessage.objects.select_related("unit"), pk=message_id)
    if unit_watcher(request.user, message.unit_id) != "crew":
        raise PermissionDenied(_("You may watch only a unit you crew."))
    return message


def watched_unit(request, unit_id: int) -> Unit:
    unit = get_object_or_404(Unit, pk=unit_id)
    if unit_watcher(request.user, unit_id) is None:
        raise PermissionDenied(_("You may watch only a unit you crew."))
    return unit
