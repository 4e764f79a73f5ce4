"""The dispatch API: incidents (110 calls) with their timeline, and assignments of units to them.

Who sees what: the command centre everything; a supervisor the incidents in their platforms' zones
and their units' assignments; an officer only their own units' assignments and those incidents.
"""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.fields import CharField
from rest_framework.response import Response

from command.models import Role
from command.rest import scoped, validated_input
from command.roles import access_of, roles
from dispatch import filters, serializers, services
from dispatch.models import Assignment, Incident

ADMIN, DISPATCHER, SUPERVISOR, OFFICER = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR, Role.OFFICER
IDEMPOTENCY_HEADER = OpenApiParameter(
    "Idempotency-Key", OpenApiTypes.STR, OpenApiParameter.HEADER,
    description="Makes a retried POST safe: the same key returns the first incident with 200.")
_KEY_FIELD = CharField(max_length=100)


def visible_incidents(access):
    incidents = Incident.objects.all()
    if access.role == OFFICER:
        if access.officer is None:
            return incidents.none()
        return incidents.filter(assignments__unit__officers=access.officer).distinct()
    return scoped(incidents, access.platform_ids, "zone__platform_id")


def visible_assignments(access):
    assignments = Assignment.objects.all()
    if access.role == OFFICER:
        return assignments.filter(unit__officers=access.officer) if access.officer else assignments.none()
    return scoped(assignments, access.platform_ids, "unit__platform_id")


def idempotency_key(request, body_key: str | None) -> str | None:
    """The key from the Idempotency-Key header or the body field; both given must agree."""
    header = request.headers.get("Idempotency-Key")
    if header is None:
        return body_key
    try:
        header = _KEY_FIELD.run_validation(header)
    except ValidationError as error:
        raise ValidationError({"idempotency_key": error.detail}) from None
    if body_key is not None and body_key != header:
        raise ValidationError({"idempotency_key": ["The Idempotency-Key header and the idempotency_key field differ."]})
    return header


class IncidentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    """110 incidents; the caller's name and phone only for the command centre."""

    serializer_class = serializers.IncidentSerializer
    filterset_class = filters.IncidentFilter
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR, OFFICER))]
    ordering_fields = ["received_at", "priority", "status", "number"]

    def get_queryset(self):
        return visible_incidents(access_of(self.request))

    @extend_schema(request=serializers.IncidentCallSerializer, parameters=[IDEMPOTENCY_HEADER],
                   responses={201: serializers.IncidentSerializer, 200: serializers.IncidentSerializer})
    def create(self, request, *args, **kwargs):
        """Take a call: 201 with the new incident, or 200 with the first one for a repeated key."""
        data = dict(validated_input(serializers.IncidentCallSerializer, request))
        data["idempotency_key"] = idempotency_key(request, data.pop("idempotency_key"))
        incident, created = services.incident_create(actor=request.user, **data)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return Response(self.get_serializer(incident).data, status=code)

    @extend_schema(responses=serializers.IncidentEventSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def events(self, request, pk=None):
        """The incident's timeline, oldest step first."""
        events = self.get_object().events.all()
        context = self.get_serializer_context()
        return Response(serializers.IncidentEventSerializer(events, many=True, context=context).data)


class AssignmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """Units sent to incidents; an officer sees and advances only their own."""

    serializer_class = serializers.AssignmentSerializer
    filterset_class = filters.AssignmentFilter
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR, OFFICER))]
    ordering_fields = ["assigned_at", "status"]

    def get_queryset(self):
        return visible_assignments(access_of(self.request))

    @extend_schema(request=serializers.AssignmentOrderSerializer, responses={201: serializers.AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        """Send a unit: 409 when the unit was taken meanwhile (another dispatcher or the engine)."""
        data = validated_input(serializers.AssignmentOrderSerializer, request)
        assignment = services.assignment_create(actor=request.user, **data)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=serializers.AssignmentProgressSerializer, responses=serializers.AssignmentSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, OFFICER)])
    def status(self, request, pk=None):
        """Acknowledge, en route, on scene, cleared; 409 when the step no longer fits."""
        assignment = self.get_object()
        data = validated_input(serializers.AssignmentProgressSerializer, request)
        assignment = services.assignment_advance(actor=request.user, assignment=assignment, **data)
        return Response(self.get_serializer(assignment).data)
