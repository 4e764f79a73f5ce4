"""110 incidents over the API: take a call, read its timeline and recommendation, close it out."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from common.rest import validated_input
from common.roles import access_of, roles
from dispatch import callers, closing, decisions, filters, notes, selectors, serializers, services
from dispatch.api.visibility import (
    ADMIN, DISPATCHER, IDEMPOTENCY_HEADER, OFFICER, SUPERVISOR, crew_unit, idempotency_key, visible_incidents,
)
from dispatch.inputs import (
    CallerInSerializer, CancelSerializer, CloseSerializer, DuplicateQuerySerializer, DuplicateSerializer,
    NoteInSerializer, ReasonSerializer, RevealedSerializer, RevealSerializer,
)


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

    @extend_schema(request=CloseSerializer, responses=serializers.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        """Close a cleared incident (结警) with its disposition and result; its figures are final."""
        data = validated_input(CloseSerializer, request)
        incident = closing.incident_close(actor=request.user, incident=self.get_object(), **data)
        return Response(self.get_serializer(incident).data)

    @extend_schema(request=CancelSerializer, responses=serializers.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        """Cancel a call that needs no unit (撤销: duplicate, false alarm, withdrawn, handled by phone)."""
        data = validated_input(CancelSerializer, request)
        incident = closing.incident_cancel(actor=request.user, incident=self.get_object(), **data)
        return Response(self.get_serializer(incident).data)

    @extend_schema(request=ReasonSerializer, responses=serializers.IncidentSerializer)
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Reopen a cleared, closed or cancelled incident: it waits for a unit again."""
        data = validated_input(ReasonSerializer, request)
        incident = closing.incident_reopen(actor=request.user, incident=self.get_object(), **data)
        return Response(self.get_serializer(incident).data)

    @extend_schema(request=NoteInSerializer, responses={201: serializers.IncidentEventSerializer})
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, OFFICER)])
    def notes(self, request, pk=None):
        """A timestamped note on the timeline, from the console or a crew sent to the incident."""
        incident = self.get_object()
        data = validated_input(NoteInSerializer, request)
        note = notes.incident_note_add(actor=request.user, incident=incident, text=data["text"],
                                       unit=crew_unit(access_of(request), incident))
        return Response(serializers.IncidentEventSerializer(note, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED)

    @extend_schema(request=CallerInSerializer, responses={201: serializers.IncidentSerializer})
    @action(detail=True, methods=["post"])
    def callers(self, request, pk=None):
        """Attach another caller about this incident (重复报警): on its timeline, no unit sent."""
        data = validated_input(CallerInSerializer, request)
        incident = self.get_object()
        callers.caller_attach(actor=request.user, incident=incident, name=data["caller_name"],
                              phone=data["caller_phone"], notes=data["notes"])
        incident.refresh_from_db()
        return Response(self.get_serializer(incident).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RevealSerializer, responses=RevealedSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-phone", permission_classes=[roles(ADMIN, DISPATCHER, OFFICER)])
    def reveal_phone(self, request, pk=None):
        """A caller's full phone number, for whoever must ring them: every reading is recorded."""
        data = validated_input(RevealSerializer, request)
        phone = callers.phone_reveal(user=request.user, incident=self.get_object(), caller=data["caller"])
        return Response({"phone": phone})

    @extend_schema(parameters=[DuplicateQuerySerializer], responses=DuplicateSerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[], pagination_class=None,
            permission_classes=[roles(ADMIN, DISPATCHER)])
    def duplicates(self, request):
        """Open incidents a new call at this point and of this category probably repeats (nearest first)."""
        query = DuplicateQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = callers.probable_duplicates(**query.validated_data)
        return Response([{"id": i.pk, "number": i.number, "category": i.category, "status": i.status,
                          "address": i.address, "received_at": i.received_at, "distance_m": round(d, 1)}
                         for i, d in found])

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
