"""Deployment planning's API: the platforms' stands, plans per band (ask, follow, accept) and live
move-ups (the suggestions, the order, how they ended, coverage over time).

Supervisors plan their own platforms (a district supervisor the district's) and read their units'
move-ups; administrators plan any district or the whole city; the command centre reads the plans
and orders move-ups. Other platforms' rows answer 404."""
from datetime import timedelta

from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import EditableViewSet, validated_input
from common.roles import Role, access_of, roles
from common.scoping import scoped
from planning import moveup_services, services
from planning import serializers as s
from planning.models import CoverageSample, DeploymentPlan, MoveUp, MoveUpStatus, Stand
from platforms.models import Platform

ADMIN, DISPATCHER, SUPERVISOR = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR
PLANNERS = roles(ADMIN, SUPERVISOR, read=(DISPATCHER,))
MOVE_UP_READERS = roles(ADMIN, DISPATCHER, read=(SUPERVISOR,))


class StandViewSet(EditableViewSet):
    """Where each mobile platform may stand: kerbside spots on main roads and squares' edges."""

    queryset = Stand.objects.select_related("platform")
    serializer_class = s.StandSerializer
    permission_classes = [PLANNERS]
    filterset_fields = ["platform", "kind", "active"]
    ordering_fields = ["code"]

    def get_queryset(self):
        return scoped(super().get_queryset(), access_of(self.request).platform_ids)


def plans_in_scope(queryset, platform_ids):
    """Plans all of whose platforms the login may see."""
    if platform_ids is None:
        return queryset
    return (queryset.filter(platforms__in=platform_ids)
            .exclude(platforms__in=Platform.objects.exclude(pk__in=platform_ids)).distinct())


class DeploymentPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """A band's deployment plan: asked for, computed by a worker (follow `status` and `progress`),
    then accepted: the platform moves are scheduled for the band's start and the band's patrol
    tasks rewritten, with who approved."""

    queryset = DeploymentPlan.objects.select_related("created_by", "accepted_by").prefetch_related("platforms")
    permission_classes = [PLANNERS]
    filterset_fields = ["status", "mode", "district"]
    ordering_fields = ["created_at", "starts_at"]

    def get_queryset(self):
        return plans_in_scope(super().get_queryset(), access_of(self.request).platform_ids)

    def get_serializer_class(self):
        return s.PlanSerializer if self.action == "list" else s.PlanDetailSerializer

    @extend_schema(request=s.PlanRequestSerializer, responses={202: s.PlanDetailSerializer})
    def create(self, request):
        """Ask for the plan of a band (by its start) for a district (a supervisor without one: their own
        platforms; an administrator without one: the city); 202 while it runs."""
        data = validated_input(s.PlanRequestSerializer, request)
        access = access_of(request)
        plan = services.plan_request(starts_at=data["starts_at"], district=data.get("district"),
                                     platform_ids=access.platform_ids, actor=request.user)
        return Response(s.PlanDetailSerializer(plan).data, status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=None, responses=s.PlanDetailSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, SUPERVISOR)])
    def accept(self, request, pk=None):
        """Accept the plan: 409 with the reason when it is not ready, its band is over or the roster
        changed since it was made; nothing is changed then."""
        plan = services.plan_accept(plan=self.get_object(), actor=request.user)
        return Response(s.PlanDetailSerializer(self.get_queryset().get(pk=plan.pk)).data)


class MoveUpViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Move-ups (动态补位): by default the ones suggested now and the ones ordered and under way."""

    queryset = MoveUp.objects.select_related("unit", "ordered_by")
    serializer_class = s.MoveUpSerializer
    permission_classes = [MOVE_UP_READERS]
    ordering_fields = ["made_at", "gain"]

    def get_queryset(self):
        queryset = scoped(super().get_queryset(), access_of(self.request).platform_ids, "unit__platform_id")
        if self.action == "list":
            wanted = self.request.query_params.getlist("status") or [MoveUpStatus.OPEN, MoveUpStatus.ORDERED]
            unknown = sorted(set(wanted) - set(MoveUpStatus.values))
            if unknown:
                raise ValidationError({"status": [_("Unknown status: %(status)s.") % {"status": ", ".join(unknown)}]})
            queryset = queryset.filter(status__in=wanted).order_by("-made_at", "-id")
        return queryset

    @extend_schema(parameters=[OpenApiParameter("status", str, many=True, enum=MoveUpStatus.values,
                                                description="open and ordered unless given")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=s.MoveUpOrderedSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER)])
    def order(self, request, pk=None):
        """Order the move: the crew's tablet gets a relocation task with the route (event
        `unit.relocation` on `unit.<id>`). 409 when it is no longer open or the unit no longer free."""
        move, route = moveup_services.move_up_order(move=self.get_object(), actor=request.user)
        return Response({"move_up": s.MoveUpSerializer(move).data, "route": route})


def _window(request, default: timedelta) -> tuple:
    until = _moment(request, "until") or timezone.now()
    since = _moment(request, "since") or until - default
    if since >= until:
        raise ValidationError({"since": [_("The window must start before it ends.")]})
    return since, until


def _moment(request, name: str):
    value = request.query_params.get(name)
    if not value:
        return None
    moment = parse_datetime(value)
    if moment is None:
        raise ValidationError({name: [_("Give a date and time, e.g. 2026-11-24T08:00:00+08:00.")]})
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


WINDOW = [OpenApiParameter("since", str, description="ISO date-time"), OpenApiParameter("until", str, description="ISO date-time")]


class MoveUpComplianceView(APIView):
    """How the move-ups ordered in a window ended (arrived, missed, dropped), and the mean expected
    coverage sampled in it (default: the last 24 hours)."""

    permission_classes = [MOVE_UP_READERS]

    @extend_schema(operation_id="move_ups_compliance", parameters=WINDOW, responses=s.ComplianceSerializer)
    def get(self, request):
        since, until = _window(request, timedelta(hours=24))
        return Response(moveup_services.compliance(since=since, until=until))


class CoverageSamplesView(APIView):
    """The free units' expected coverage over time, as the move-up task saw it (default: the last hour)."""

    permission_classes = [MOVE_UP_READERS]
    LIMIT = 3600

    @extend_schema(operation_id="coverage_samples", parameters=WINDOW, responses=s.CoverageSampleSerializer(many=True))
    def get(self, request):
        since, until = _window(request, timedelta(hours=1))
        rows = CoverageSample.objects.filter(at__gte=since, at__lt=until).order_by("at")[:self.LIMIT]
        return Response(s.CoverageSampleSerializer(rows, many=True).data)
