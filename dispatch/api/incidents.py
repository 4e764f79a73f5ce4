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

from common.rest import validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from dispatch import decisions, filters, mobilization, selectors, serializers, services
from dispatch.models import Alert, Assignment, Incident, Mobilization, Recommendation

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

    @extend_schema(responses={200: serializers.RecommendationSerializer})
    @action(detail=True, methods=["get"], filter_backends=[], pagination_class=None)
    def recommendation(self, request, pk=None):
        """The latest ranked units for the incident (404 before the engine has answered)."""
        latest = selectors.latest_recommendation(self.get_object())
        if latest is None:
            return Response({"detail": "The engine has not ranked units for this incident yet."}, status=404)
        return Response(serializers.RecommendationSerializer(latest).data)

    @extend_schema(request=None, responses={200: serializers.RecommendationSerializer, 204: None})
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def recommend(self, request, pk=None):
        """Rank again now (units moved); 204 when the incident needs no more units."""
        fresh = decisions.incident_dispatch(incident_id=self.get_object().pk, reason="requested")
        if fresh is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(serializers.RecommendationSerializer(fresh).data)

    @extend_schema(request=serializers.NoteSerializer, responses=serializers.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a cleared incident; its response figures are final."""
        data = validated_input(serializers.NoteSerializer, request)
        incident = services.incident_close(actor=request.user, incident=self.get_object(), **data)
        return Response(self.get_serializer(incident).data)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a call that needs no unit (duplicate, hoax); its units are released."""
        data = validated_input(serializers.ReasonSerializer, request)
        incident = services.incident_cancel(actor=request.user, incident=self.get_object(), **data)
        return Response(self.get_serializer(incident).data)

    @extend_schema(parameters=[serializers.FiguresQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None)
    def figures(self, request):
        """The 1/3/5 figures of the incidents this login sees, per target class and overall."""
        query = serializers.FiguresQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        incidents = self.get_queryset()
        if query.validated_data["since"]:
            incidents = incidents.filter(received_at__gte=query.validated_data["since"])
        if query.validated_data["until"]:
            incidents = incidents.filter(received_at__lt=query.validated_data["until"])
        return Response(selectors.response_figures(incidents))


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


class RecommendationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The engine's ranked units per incident; the dispatcher accepts one in one action."""

    serializer_class = serializers.RecommendationSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    filterset_fields = ["incident"]

    def get_queryset(self):
        incidents = visible_incidents(access_of(self.request))
        return Recommendation.objects.filter(incident__in=incidents).order_by("-created_at", "-id")

    @extend_schema(request=serializers.AcceptSerializer, responses={201: serializers.AssignmentSerializer(many=True)})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """Send the proposed units (or the ranked ones picked); 409 if a newer ranking exists or a unit was taken."""
        data = validated_input(serializers.AcceptSerializer, request)
        made = decisions.recommendation_accept(actor=request.user, recommendation=self.get_object(), **data)
        return Response(serializers.AssignmentSerializer(made, many=True).data, status=status.HTTP_201_CREATED)


class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """What the dispatcher must act on: not acknowledged, at risk, no unit, pre-empted."""

    serializer_class = serializers.AlertSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    filterset_fields = {"kind": ["exact"], "incident": ["exact"], "closed_at": ["isnull"]}

    def get_queryset(self):
        access = access_of(self.request)
        alerts = Alert.objects.all()
        if access.platform_ids is not None:
            alerts = alerts.filter(incident__in=visible_incidents(access))
        return alerts

    @extend_schema(request=None, responses=serializers.AlertSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Mark the alert seen and handled."""
        alert = services.alert_close(actor=request.user, alert=self.get_object())
        return Response(self.get_serializer(alert).data)


class MobilizationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Mass musters (集结): propose by ETA keeping zone cover, then confirm to dispatch."""

    serializer_class = serializers.MobilizationSerializer
    permission_classes = [roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))]
    queryset = Mobilization.objects.all()

    @extend_schema(request=serializers.MobilizationOrderSerializer, responses={201: serializers.MobilizationSerializer})
    def create(self, request, *args, **kwargs):
        """Propose a muster: the units by ETA, the arrival curve, who stays for zone cover."""
        data = validated_input(serializers.MobilizationOrderSerializer, request)
        proposed = mobilization.mobilization_propose(actor=request.user, **data)
        return Response(self.get_serializer(proposed).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=serializers.MobilizationSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request, pk=None):
        """Dispatch the proposed units under one mass-event incident."""
        confirmed = mobilization.mobilization_confirm(actor=request.user, mobilization=self.get_object())
        return Response(self.get_serializer(confirmed).data)

    @extend_schema(request=None, responses=serializers.MobilizationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        cancelled = mobilization.mobilization_cancel(actor=request.user, mobilization=self.get_object())
        return Response(self.get_serializer(cancelled).data)
