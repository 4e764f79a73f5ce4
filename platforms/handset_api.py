"""Officers' handsets (issue 16): an officer on duty reports their own position; the console reads where
every officer on duty is, with their crew and its spread. Thin views over platforms.handsets and
platforms.crews_live."""
from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.roles import Role, access_of, roles
from common.tokens import credential_of
from platforms import handset_serializers as io
from platforms.crews_live import officers_on_map
from platforms.handsets import OFFICER_OFF_DUTY, duty_units, handsets_accept, refuse_off_duty
from platforms.models import Officer

ADMIN, DISPATCHER, SUPERVISOR = Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR


class HandsetReportView(APIView):
    """An officer's own fixes from their handset (the tablet page on a phone); the command centre (its
    simulator) may report for any officer, naming them in each fix. An officer who is not on duty is
    refused (403, with the reason) and nothing is written; a malformed fix refuses all (400, its index)."""

    permission_classes = [roles(ADMIN, DISPATCHER, Role.OFFICER)]

    @extend_schema(operation_id="handsets_report", request=io.HandsetReportSerializer,
                   responses=io.HandsetResultSerializer)
    def post(self, request):
        items = io.handset_fixes(request.data, limit=settings.HANDSET_BATCH_MAX)
        own = self._own(request, items)
        pairs = [(own or officer, fix) for officer, fix in items]
        officers = sorted({officer for officer, _fix in pairs})
        self._check_on_duty(officers)
        result = handsets_accept(items=pairs, credential=credential_of(request))
        return Response({"accepted": result.accepted, "rejected": result.rejected, "outcomes": result.outcomes,
                         "officers": officers})

    @staticmethod
    def _own(request, items) -> int | None:
        """An officer's own id (their fixes name nobody else); None for the command centre, whose fixes
        each name their officer."""
        access = access_of(request)
        if access.role == Role.OFFICER:
            own = access.officer
            if own is None or any(officer not in (None, own.pk) for officer, _fix in items):
                raise PermissionDenied(_("You may report only your own handset's position."))
            return own.pk
        if any(officer is None for officer, _fix in items):
            raise PermissionDenied(_("Name the officer of every fix."))
        return None

    @staticmethod
    def _check_on_duty(officers: list[int]) -> None:
        """Refused whole, with the reason, when one of them is not on duty (or no such officer exists)."""
        on_duty = duty_units(officers)
        off_duty = [pk for pk in officers if pk not in on_duty]
        if off_duty:
            refuse_off_duty(source="handset")
            known = Officer.objects.in_bulk(off_duty)
            names = ", ".join(str(known.get(pk, pk)) for pk in off_duty)
            raise PermissionDenied(_("Not on duty: %(officers)s. Only an officer crewing a unit on an approved "
                                     "shift under way reports a handset position; nothing was taken.")
                                   % {"officers": names}, code=OFFICER_OFF_DUTY)


class OfficersLiveView(APIView):
    """Where every officer on duty with a handset is: who, which crew, how long ago, how far from the
    crew's vehicle, and whether the crew is spread out. Supervisors see their own platforms' officers."""

    permission_classes = [roles(ADMIN, DISPATCHER, SUPERVISOR)]

    @extend_schema(operation_id="handsets_live", responses=io.OfficerOnMapSerializer(many=True))
    def get(self, request):
        rows = [officer.as_dict() for officer in officers_on_map(access_of(request).platform_ids)]
        return Response(io.OfficerOnMapSerializer(rows, many=True).data, status=status.HTTP_200_OK)
