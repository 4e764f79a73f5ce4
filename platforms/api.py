"""The resources' API: districts, platforms and their moves, squads, officers, vehicles, shifts, units.

Rosters belong to the supervisors (their own platforms only: other platforms' rows answer 404)
and the administrators; the command centre reads them all; an officer sees only their own units.
"""
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.rest import EditableViewSet, validated_input
from common.tokens import CredentialFailures, credential_of
from common.roles import Role, access_of, roles
from common.scoping import scoped
from platforms import filters, handsets, positions, rosters, serializers, services, trackers
from platforms.models import District, Officer, Platform, Shift, Squad, TrackerDevice, Unit, Vehicle

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

    def perform_create(self, serializer):
        data = serializer.validated_data
        rosters.refuse_approved_change(platform_id=data["squad"].platform_id, starts_at=data["starts_at"])
        serializer.save()

    def perform_update(self, serializer):
        shift, data = serializer.instance, serializer.validated_data
        rosters.refuse_approved_change(platform_id=shift.squad.platform_id, starts_at=shift.starts_at)
        rosters.refuse_approved_change(platform_id=data.get("squad", shift.squad).platform_id,
                                       starts_at=data.get("starts_at", shift.starts_at))
        serializer.save()


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

    def perform_create(self, serializer):
        shift = serializer.validated_data["shift"]
        rosters.refuse_approved_change(platform_id=shift.squad.platform_id, starts_at=shift.starts_at)
        serializer.save()

    def perform_update(self, serializer):
        for shift in {serializer.instance.shift, serializer.validated_data.get("shift", serializer.instance.shift)}:
            rosters.refuse_approved_change(platform_id=shift.squad.platform_id, starts_at=shift.starts_at)
        serializer.save()

    @extend_schema(request=serializers.UnitStatusChangeSerializer, responses=serializers.UnitSerializer)
    @action(detail=True, methods=["post"], permission_classes=[roles(ADMIN, DISPATCHER, SUPERVISOR, Role.OFFICER)])
    def status(self, request, pk=None):
        """Set a unit available, unavailable (with a reason) or off duty, through the transition table; an
        officer sets only their own unit (others answer 404), and only available or unavailable."""
        unit = self.get_object()
        data = validated_input(serializers.UnitStatusChangeSerializer, request)
        unit = services.unit_set_status(unit=unit, status=data["status"], reason=data["reason"], actor=request.user,
                                        by_crew=access_of(request).role == Role.OFFICER)
        return Response(self.get_serializer(unit).data)


# --- live positions (AVL) ----------------------------------------------------------------------

class PositionBatchView(APIView):
    """Position fixes from tablets and the simulator, batched: an officer reports only for a unit
    they crew, the command centre for any. Refused fixes are counted by reason; a malformed item
    refuses the whole batch (400 with its index) and nothing is written."""

    permission_classes = [roles(ADMIN, DISPATCHER, Role.OFFICER)]

    @extend_schema(operation_id="positions_report", request=serializers.PositionBatchSerializer,
                   responses=serializers.IngestResultSerializer)
    def post(self, request):
        fixes = serializers.fixes_from_batch(request.data, limit=settings.AVL_BATCH_MAX)
        access = access_of(request)
        if access.role == Role.OFFICER:
            crewed = Unit.objects.filter(officers=access.officer) if access.officer else Unit.objects.none()
            own = set(crewed.values_list("pk", flat=True))
            if any(fix.unit_id not in own for fix in fixes):
                raise PermissionDenied(_("You may report positions only for a unit you crew."))
        result = positions.fixes_accept(fixes=fixes, source="batch", credential=credential_of(request))
        return Response(serializers.IngestResultSerializer(result).data)


class LivePositionsView(APIView):
    """Where the units on duty are now, with a stale flag: the console's snapshot. Supervisors see
    their own platforms' units."""

    permission_classes = [roles(ADMIN, DISPATCHER, SUPERVISOR)]

    @extend_schema(operation_id="positions_live", responses=serializers.LivePositionSerializer(many=True))
    def get(self, request):
        units = scoped(Unit.objects.filter(filters.on_duty_now()), access_of(request).platform_ids)
        rows = {pk: (call_sign, platform, status) for pk, call_sign, platform, status
                in units.values_list("pk", "call_sign", "platform_id", "status")}
        live = positions.live_positions(rows)
        answer = [{**vars_of(fix), "call_sign": rows[pk][0], "platform": rows[pk][1], "status": rows[pk][2]}
                  for pk, fix in sorted(live.items())]
        return Response(serializers.LivePositionSerializer(answer, many=True).data)


def vars_of(fix) -> dict:
    return {name: getattr(fix, name) for name in ("unit_id", "lon", "lat", "at", "speed_mps", "stale")}


class PositionStatsView(APIView):
    """Counters of the position intake since the last wipe: accepted, refused by reason, by source;
    the track backlog and the units on duty gone quiet (a supervisor sees their own)."""

    permission_classes = [roles(ADMIN, DISPATCHER, SUPERVISOR)]

    @extend_schema(operation_id="positions_stats", responses=serializers.PositionStatsSerializer)
    def get(self, request):
        stale = positions.stale_units()
        quiet = scoped(Unit.objects.filter(pk__in=stale.unit_ids), access_of(request).platform_ids)
        answer = {**positions.avl_stats(), "stale_checked_at": stale.checked_at,
                  "stale_units": sorted(quiet.values_list("pk", flat=True))}
        return Response(serializers.PositionStatsSerializer(answer).data)


# Fixes the interface does not answer with 400: a device retries every refused fix, and a retry of
# a fix already stored (its first answer lost) must be acknowledged, or it would be resent forever.
# A jump judged implausible was read and flagged: resending it would not change the judgement.
OSMAND_OK = {positions.ACCEPTED, positions.DUPLICATE, positions.OUT_OF_ORDER, positions.IMPLAUSIBLE}


@csrf_exempt
@login_not_required
@require_http_methods(["GET", "POST"])
def osmand_report(request):
    """The OsmAnd / Traccar Client protocol, so stock phone tracking apps report a vehicle or an
    officer: query or form parameters (or the JSON body newer Traccar Client versions post), `id` the
    tracker's identifier and `key` its own secret (platforms.trackers; AVL_DEVICE_ENDPOINT). 200 with
    an empty body, or 4xx with a reason; 429 for an address that keeps sending wrong keys."""
    if settings.AVL_DEVICE_ENDPOINT == "off":
        return HttpResponse("the device endpoint is off", status=404, content_type="text/plain")
    failures = CredentialFailures(request)
    if failures.exhausted():
        return failures.refusal()
    params = {**request.GET.dict(), **request.POST.dict()}
    try:
        if request.content_type == "application/json":
            fix = serializers.fix_from_osmand_json(request.body)
        else:
            fix = serializers.fix_from_osmand(params)
    except ValueError as error:
        positions.refusal_count(positions.INVALID, source="osmand")
        return HttpResponse(str(error), status=400, content_type="text/plain")
    tracker = _tracker_of(fix.device_id, params.get("key", ""))
    if tracker is None:
        failures.record()
        positions.refusal_count(positions.BAD_KEY, source="osmand")
        return HttpResponse("bad key", status=401, content_type="text/plain")
    outcome = positions.fixes_accept(fixes=[fix], source="osmand", credential=f"device:{tracker.pk}").outcomes[0]
    if tracker.officer_id is not None and outcome in OSMAND_OK:  # issue 16 hook: an officer's tracker is their handset
        handsets.handset_from_device(tracker, fix)
    if outcome in OSMAND_OK:
        return HttpResponse(status=200)
    return HttpResponse(outcome, status=400, content_type="text/plain")


def _tracker_of(identifier: str, key: str):
    if settings.AVL_DEVICE_ENDPOINT == "open":  # development only (production refuses to start so)
        return TrackerDevice.objects.filter(identifier=identifier, revoked_at__isnull=True).first()
    return trackers.tracker_authenticate(identifier, key)
