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
from platforms.handsets import OFFICER_OFF_DUTY, duty_units, handset_report, refuse_off_duty
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
        by_officer = self._officers(request, items)
        credential = credential_of(request)
        outcomes, rejected, accepted = [None] * len(items), {}, 0
        for officer, indexes in by_officer.items():
            result = handset_report(officer=officer, fixes=[items[i][1] for i in indexes], credential=credential)
            accepted += result.accepted
            for reason, count in result.rejected.items():
                rejected[reason] = rejected.get(reason, 0) + count
            for i, outcome in zip(indexes, result.outcomes):
                outcomes[i] = outcome
        return Response({"accepted": accepted, "rejected": rejected, "outcomes": outcomes,
                         "officers": sorted(officer.pk for officer in by_officer)})

    def _officers(self, request, items) -> dict:
        """officer -> indexes of their fixes; refused whole when one is not theirs to report or off duty."""
        access = access_of(request)
        if access.role == Role.OFFICER:
            own = access.officer
            if own is None or any(officer not in (None, own.pk) for officer, _fix in items):
                raise PermissionDenied(_("You may report only your own handset's position."))
            wanted = {own.pk: own}
        else:
            ids = {officer for officer, _fix in items}
            if None in ids:
                raise PermissionDenied(_("Name the officer of every fix."))
            wanted = Officer.objects.in_bulk(ids)
        return {officer: [i for i, (pk, _fix) in enumerate(items) if pk in (None, officer.pk)]
                for officer in self._on_duty(wanted, items)}

    @staticmethod
    def _on_duty(wanted: dict, items) -> list[Officer]:
        missing = sorted({pk for pk, _fix in items if pk is not None} - set(wanted))
        on_duty = duty_units(wanted)
        off_duty = sorted(str(officer) for pk, officer in wanted.items() if pk not in on_duty)
        if missing or off_duty:
            refuse_off_duty(source="handset")
            names = ", ".join(off_duty + [str(pk) for pk in missing])
            raise PermissionDenied(_("Not on duty: %(officers)s. Only an officer crewing a unit on an approved "
                                     "shift under way reports a handset position; nothing was taken.")
                                   % {"officers": names}, code=OFFICER_OFF_DUTY)
        return list(wanted.values())


class OfficersLiveView(APIView):
    """Where every officer on duty with a handset is: who, which crew, how long ago, how far from the
    crew's vehicle, and whether the crew is spread out. Supervisors see their own platforms' officers."""

    permission_classes = [roles(ADMIN, DISPATCHER, SUPERVISOR)]

    @extend_schema(operation_id="handsets_live", responses=io.OfficerOnMapSerializer(many=True))
    def get(self, request):
        rows = [officer.as_dict() for officer in officers_on_map(access_of(request).platform_ids)]
        return Response(io.OfficerOnMapSerializer(rows, many=True).data, status=status.HTTP_200_OK)
