"""The rosters' and patrol plans' API (platforms.rosters, platforms.patrol).

Supervisors generate, adjust and approve the rosters of their own platforms (other platforms'
rows answer 404) and the administrators of all; the command centre reads them. Patrol tasks are
what the tablet shows: an officer sees only their own units' tasks.
"""
from datetime import time, timedelta

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import EditableViewSet
from common.roles import Role, access_of, roles
from common.scoping import scoped
from platforms import patrol, rosters, rotation
from platforms import roster_serializers as s
from platforms.models import PatrolBand, PatrolPlan, PatrolTask, Platform, RosterPeriod
from platforms.roster_checks import roster_checks

ADMIN, DISPATCHER, SUPERVISOR = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR
ROSTER_ROLES = roles(ADMIN, SUPERVISOR, read=(DISPATCHER,))


def _input(serializer_class, request, **context) -> dict:
    serializer = serializer_class(data=request.data, context={"request": request, **context})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def _findings(findings) -> dict:
    return {"violations": [f.as_json() for f in findings if f.hard], "warnings": [f.as_json() for f in findings if not f.hard]}


class RosterPeriodViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Roster periods (usually a week): generate, check, adjust, approve, delete a draft. The dispatch
    engine uses only approved shifts; any adjustment of an approved period withdraws the approval."""

    queryset = RosterPeriod.objects.select_related("platform")
    permission_classes = [ROSTER_ROLES]
    filterset_fields = ["platform", "status", "starts_on"]
    ordering_fields = ["starts_on"]

    def get_queryset(self):
        return scoped(super().get_queryset(), access_of(self.request).platform_ids)

    def get_serializer_class(self):
        return s.RosterPeriodDetailSerializer if self.action == "retrieve" else s.RosterPeriodSerializer

    @extend_schema(request=s.RosterGenerateSerializer, responses={201: s.RosterPeriodDetailSerializer})
    def create(self, request):
        """Generate the rotation over the days and crew every shift: a draft to check and approve."""
        data = _input(s.RosterGenerateSerializer, request)
        period = rosters.roster_generate(actor=request.user, **data)
        return Response(s.RosterPeriodDetailSerializer(period).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={204: None, 409: dict})
    def destroy(self, request, pk=None):
        """Delete a draft period with its shifts and crews (409 once approved: it is history)."""
        rosters.roster_delete(period=self.get_object(), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(responses=s.ChecksSerializer)
    @action(detail=True, methods=["get"], filter_backends=[])
    def checks(self, request, pk=None):
        """What approval would say: hard violations (refused) and warnings."""
        period = self.get_object()
        return Response({"version": period.version, **_findings(roster_checks(period))})

    @extend_schema(request=s.ApproveSerializer, responses={200: s.RosterPeriodSerializer, 400: s.ChecksSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve after the checks; refused (400, with each reason) while a hard violation remains."""
        period = self.get_object()
        given = s.ApproveSerializer(data=request.data, context={"request": request})
        if not given.is_valid():  # answered in the checks' shape the schema gives for 400, with the field's message
            return Response({"detail": " ".join(str(m) for messages in given.errors.values() for m in messages),
                             "version": period.version, "violations": [], "warnings": [], **given.errors},
                            status=status.HTTP_400_BAD_REQUEST)
        data = given.validated_data
        try:
            period, warnings = rosters.roster_approve(period=period, actor=request.user, version=data.get("version"))
        except rosters.RosterRefused as refused:
            reasons = " ".join(v.message for v in refused.violations)
            return Response({"detail": _("The roster cannot be approved: %(reasons)s") % {"reasons": reasons},
                             "version": period.version, **_findings(refused.violations + refused.warnings)},
                            status=status.HTTP_400_BAD_REQUEST)
        return Response({**s.RosterPeriodSerializer(period).data, "warnings": [w.as_json() for w in warnings]})

    @extend_schema(request=s.SwapSerializer, responses=s.RosterPeriodDetailSerializer)
    @action(detail=True, methods=["post"])
    def swap(self, request, pk=None):
        """Two shifts still to come exchange their squads."""
        period = self.get_object()
        data = _input(s.SwapSerializer, request, period=period)
        period = rosters.roster_swap(period=period, shift_a=data["shift_a"].pk, shift_b=data["shift_b"].pk, actor=request.user)
        return Response(s.RosterPeriodDetailSerializer(period).data)

    @extend_schema(request=s.AbsenceInputSerializer, responses={201: s.AbsenceSerializer})
    @action(detail=True, methods=["post"])
    def absences(self, request, pk=None):
        """Mark leave or sickness: the officer comes off the crews it overlaps."""
        period = self.get_object()
        data = _input(s.AbsenceInputSerializer, request, period=period)
        absence = rosters.roster_mark_absence(period=period, actor=request.user, **data)
        return Response(s.AbsenceSerializer(absence).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.OvertimeInputSerializer, responses={201: s.OvertimeSerializer})
    @action(detail=True, methods=["post"])
    def overtime(self, request, pk=None):
        """An officer joins another crew for its shift, as overtime."""
        period = self.get_object()
        data = _input(s.OvertimeInputSerializer, request, period=period)
        overtime = rosters.roster_add_overtime(period=period, actor=request.user, **data)
        return Response(s.OvertimeSerializer(overtime).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.RosterChangeSerializer(many=True))
    @action(detail=True, methods=["get"], filter_backends=[])
    def changes(self, request, pk=None):
        """The period's record: generation, every adjustment and approval, by whom and when."""
        page = self.paginate_queryset(self.get_object().changes.all())
        return self.get_paginated_response(s.RosterChangeSerializer(page, many=True).data)


DATE_PARAMETER = OpenApiParameter("date", str, description="Only shifts starting on this day (local), YYYY-MM-DD.")


def _on_day(queryset, request, path: str):
    value = request.query_params.get("date")
    if not value:
        return queryset
    field = s.serializers.DateField()
    try:
        day = field.to_internal_value(value)
    except s.serializers.ValidationError as error:
        raise ValidationError({"date": error.detail}) from None
    start = rotation.local_datetime(day, time(0))
    return queryset.filter(**{f"{path}__gte": start, f"{path}__lt": start + timedelta(days=1)})


@extend_schema(parameters=[DATE_PARAMETER])
class PatrolPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Each shift's patrol plan: time bands with their mode and the units' tasks."""

    serializer_class = s.PatrolPlanSerializer
    permission_classes = [ROSTER_ROLES]
    filterset_fields = {"shift": ["exact"], "shift__squad__platform": ["exact"]}

    def get_queryset(self):
        tasks = PatrolTask.objects.select_related("unit", "point", "route", "zone", "band")
        queryset = PatrolPlan.objects.select_related("shift__squad").prefetch_related(
            Prefetch("bands", queryset=PatrolBand.objects.prefetch_related(Prefetch("tasks", queryset=tasks))))
        queryset = _on_day(queryset, self.request, "shift__starts_at")
        queryset = scoped(queryset, access_of(self.request).platform_ids, "shift__squad__platform_id")
        return queryset.order_by("shift__starts_at", "pk")

    @extend_schema(request=s.PatrolGenerateSerializer, responses={201: s.PatrolPlanSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def generate(self, request):
        """Plans for every shift of the platform starting that day (kept if made already, unless `replace`)."""
        data = _input(s.PatrolGenerateSerializer, request)
        plans = patrol.patrol_plans_for_day(platform=data["platform"], day=data["date"], actor=request.user,
                                            replace=data["replace"])
        fresh = self.get_queryset().filter(pk__in=[plan.pk for plan in plans])
        return Response(s.PatrolPlanSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[DATE_PARAMETER])
class PatrolTaskViewSet(EditableViewSet):
    """Patrol tasks as the tablet shows them (`?unit=<id>`); an officer sees only their own units'.
    Supervisors add tasks or move them to another crew of the shift."""

    permission_classes = [roles(ADMIN, SUPERVISOR, read=(DISPATCHER, Role.OFFICER))]
    filterset_fields = ["unit", "band__mode"]

    def get_serializer_class(self):
        return s.PatrolTaskWriteSerializer if self.action in ("create", "update", "partial_update") else s.PatrolTaskSerializer

    def get_queryset(self):
        access = access_of(self.request)
        queryset = PatrolTask.objects.select_related("band", "unit", "point", "route", "zone")
        queryset = _on_day(queryset, self.request, "band__starts_at").order_by("band__starts_at", "unit__call_sign", "pk")
        if access.role == Role.OFFICER:
            return queryset.filter(unit__officers=access.officer) if access.officer else queryset.none()
        return scoped(queryset, access.platform_ids, "unit__platform_id")


class PatrolCoverageView(APIView):
    """The coverage report of a platform's day: must-patrol points visited and routes covered,
    shift by shift, from the units' tracks, with the gaps."""

    permission_classes = [ROSTER_ROLES]

    @extend_schema(parameters=[OpenApiParameter("platform", int, required=True), DATE_PARAMETER],
                   responses={200: dict})
    def get(self, request):
        platform_id = request.query_params.get("platform", "")
        if not platform_id.isdigit():
            raise ValidationError({"platform": [_("Give the platform's id.")]})
        platform = get_object_or_404(scoped(Platform.objects.all(), access_of(request).platform_ids, "id"), pk=int(platform_id))
        query = s.CoverageQuerySerializer(data={"platform": platform.pk, **({"date": request.query_params["date"]}
                                                                            if "date" in request.query_params else {})},
                                          context={"request": request})
        query.is_valid(raise_exception=True)
        return Response(patrol.platform_coverage(platform=platform, day=query.validated_data["date"]))
