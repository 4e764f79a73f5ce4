"""Callback surveys over REST: the clerk's phone-callback queue (the call script's summary, the number
revealed and recorded, each call's outcome), the supervisor's follow-ups, and satisfaction figures.
A clerk sees the survey summary of their platform's incidents, never the incident's notes."""
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from services import callbacks, selectors, surveys
from services.api import serializers as s
from services.models import CallbackSurvey

ADMIN, SUPERVISOR, CLERK = Role.ADMINISTRATOR, Role.SUPERVISOR, Role.CLERK


class SurveyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Callback surveys of the platforms in scope; `?status=callback` is the phone-callback queue."""

    serializer_class = s.CallbackSurveySerializer
    permission_classes = [roles(ADMIN, CLERK, read=(SUPERVISOR,))]
    filterset_fields = ["status", "platform", "channel"]

    def get_queryset(self):
        surveys_ = CallbackSurvey.objects.select_related("incident").order_by("-created_at", "-id")
        return scoped(surveys_, access_of(self.request).platform_ids)

    @extend_schema(responses=s.CallbackSurveySerializer(many=True))
    @action(detail=False, methods=["get"], filter_backends=[])
    def callbacks(self, request):
        """The phone-callback queue, longest waiting first, with the tries made."""
        queue = selectors.callback_queue(access_of(request).platform_ids)
        page = self.paginate_queryset(queue)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(request=None, responses=s.RevealedPhoneSerializer)
    @action(detail=True, methods=["post"], url_path="reveal-phone", permission_classes=[roles(ADMIN, CLERK)])
    def reveal_phone(self, request, pk=None):
        """The caller's full number, to dial from the callback queue; the reading is recorded."""
        return Response({"phone": surveys.survey_phone_reveal(actor=request.user, survey=self.get_object())})

    @extend_schema(request=s.CallbackAttemptSerializer, responses=s.CallbackSurveySerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, CLERK)])
    def attempts(self, request, pk=None):
        """A call's outcome: the answers taken down, no answer (unreachable after three), or declined."""
        data = validated_input(s.CallbackAttemptSerializer, request)
        survey = callbacks.callback_record(actor=request.user, survey=self.get_object(), **data)
        return Response(self.get_serializer(survey).data)


class FollowUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Unsatisfied answers for the platform's supervisor: what was done, then closed with a note."""

    serializer_class = s.FollowUpSerializer
    permission_classes = [roles(ADMIN, SUPERVISOR)]
    filterset_fields = ["status", "platform"]

    def get_queryset(self):
        return selectors.follow_ups(access_of(self.request).platform_ids).order_by("-opened_at", "-id")

    @extend_schema(request=s.FollowUpNoteInputSerializer, responses={201: s.FollowUpNoteSerializer})
    @action(detail=True, methods=["post"])
    def notes(self, request, pk=None):
        data = validated_input(s.FollowUpNoteInputSerializer, request)
        note = callbacks.follow_up_note(actor=request.user, follow_up=self.get_object(), text=data["text"])
        return Response(s.FollowUpNoteSerializer(note).data, status=201)

    @extend_schema(request=s.FollowUpCloseSerializer, responses=s.FollowUpSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        data = validated_input(s.FollowUpCloseSerializer, request)
        follow_up = callbacks.follow_up_close(actor=request.user, follow_up=self.get_object(), note=data["note"])
        return Response(self.get_serializer(follow_up).data)


class SatisfactionView(APIView):
    permission_classes = [roles(ADMIN, read=(SUPERVISOR, CLERK))]

    @extend_schema(parameters=[s.SatisfactionQuerySerializer], responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        """Satisfaction per platform, unit, category or day over a period: surveys, answered, satisfied,
        basically satisfied, unsatisfied (the worst of the three answers) and the rate (满意率)."""
        query = s.SatisfactionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = selectors.satisfaction(access_of(request).platform_ids, **query.validated_data)
        return Response({"group_by": query.validated_data["group_by"], "rows": rows})

