"""The accident and congestion records of an incident under /api/v1/traffic/incidents/<id>/: read by
whoever may read the incident (parties' phones and licence numbers masked), written by the crew of a unit
on it; quick settlement, escalation, the settlement's PDF, and a party's full number revealed."""
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from common.phones import mask_phone
from common.rest import validated_input
from common.roles import Role, roles
from dispatch.models import Incident
from traffic import accidents, congestion
from traffic.access import crew_unit, may_read_incident
from traffic.models import (
    AccidentParty, AccidentRecord, CongestionCause, CongestionRecord, Injuries, Responsibility, SettlementRule, VehicleKind,
)
from traffic.models.accidents import MAX_LANES
from traffic.settlement_pdf import settlement_pdf

READERS = (Role.ADMINISTRATOR, Role.DISPATCHER, Role.SUPERVISOR)


def mask_licence(number: str) -> str:
    """Enough to tell two licences apart: the last four characters."""
    return ("*" * max(len(number) - 4, 0) + number[-4:]) if number else ""


def readable(request, incident_id: int) -> Incident:
    incident = get_object_or_404(Incident, pk=incident_id)
    if not may_read_incident(request.user, incident):
        raise PermissionDenied(_("You may not read this incident."))
    return incident


class PartyInSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=50, allow_blank=True, help_text="As on the licence or ID.")
    phone = serializers.CharField(max_length=20, allow_blank=True)
    licence_number = serializers.CharField(max_length=30, required=False, default="", allow_blank=True)
    plate = serializers.CharField(max_length=20, required=False, default="", allow_blank=True,
                                  help_text="Checked as a Chinese number plate (none for a pedestrian or cyclist).")
    vehicle_kind = serializers.ChoiceField(choices=VehicleKind.choices, default=VehicleKind.CAR)


class AccidentInSerializer(serializers.Serializer):
    injuries = serializers.ChoiceField(choices=Injuries.choices, default=Injuries.NONE)
    lanes_blocked = serializers.IntegerField(min_value=0, max_value=MAX_LANES, default=0)
    tow_requested = serializers.BooleanField(default=False)
    parties = PartyInSerializer(many=True)


class PartySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    position = serializers.IntegerField(help_text="1: party A (甲方), 2: party B (乙方), ...")
    name = serializers.CharField()
    phone = serializers.CharField(help_text="Masked (138****8000): reveal it with .../reveal.")
    licence_number = serializers.CharField(help_text="Masked to its last four characters.")
    plate = serializers.CharField()
    vehicle_kind = serializers.CharField()
    signed = serializers.BooleanField()


class AccidentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    incident = serializers.IntegerField()
    status = serializers.CharField()
    injuries = serializers.CharField()
    lanes_blocked = serializers.IntegerField()
    tow_requested_at = serializers.DateTimeField(allow_null=True)
    handled_at = serializers.DateTimeField(allow_null=True)
    escalated_at = serializers.DateTimeField(allow_null=True)
    escalation_reason = serializers.CharField()
    parties = PartySerializer(many=True)
    settlement = serializers.DictField(allow_null=True, help_text="responsibility, responsible_party (position), rule, "
                                                                  "agreement, concluded_at, pdf (its URL).")
    version = serializers.IntegerField()


def accident_json(accident: AccidentRecord) -> dict:
    settlement = getattr(accident, "settlement", None)
    signed = set(settlement.signatures.values_list("party_id", flat=True)) if settlement else set()
    parties = [{"id": p.pk, "position": p.position, "name": p.name, "phone": mask_phone(p.phone),
                "licence_number": mask_licence(p.licence_number), "plate": p.plate, "vehicle_kind": p.vehicle_kind,
                "signed": p.pk in signed} for p in accident.parties.order_by("position")]
    return {"id": accident.pk, "incident": accident.incident_id, "status": accident.status, "injuries": accident.injuries,
            "lanes_blocked": accident.lanes_blocked, "tow_requested_at": accident.tow_requested_at,
            "handled_at": accident.handled_at, "escalated_at": accident.escalated_at,
            "escalation_reason": accident.escalation_reason, "parties": parties, "version": accident.version,
            "settlement": settlement and {
                "responsibility": settlement.responsibility, "rule": settlement.rule, "agreement": settlement.agreement,
                "responsible_party": settlement.responsible_party.position if settlement.responsible_party else None,
                "concluded_at": settlement.concluded_at.isoformat(),
                "pdf": f"/api/v1/traffic/incidents/{accident.incident_id}/accident/settlement.pdf"}}


class AccidentView(APIView):
    """An incident's accident record: read (masked) or made / replaced as a whole by its crew."""

    permission_classes = [roles(Role.OFFICER, read=READERS)]

    @extend_schema(operation_id="traffic_accident", responses=AccidentSerializer)
    def get(self, request, incident_id: int):
        incident = readable(request, incident_id)
        accident = AccidentRecord.objects.filter(incident=incident).first()
        if accident is None:
            raise NotFound(_("No accident has been recorded for this incident yet."))
        return Response(AccidentSerializer(accident_json(accident)).data)

    @extend_schema(operation_id="traffic_accident_save", request=AccidentInSerializer, responses=AccidentSerializer)
    def put(self, request, incident_id: int):
        incident = get_object_or_404(Incident, pk=incident_id)
        unit = crew_unit(request.user, incident)
        data = validated_input(AccidentInSerializer, request)
        accident = accidents.accident_save(actor=request.user, incident=incident, unit=unit, **data)
        return Response(AccidentSerializer(accident_json(accident)).data)


class SettlementInSerializer(serializers.Serializer):
    responsibility = serializers.ChoiceField(choices=Responsibility.choices)
    responsible_party = serializers.IntegerField(min_value=1, max_value=6, required=False, allow_null=True, default=None,
                                                 help_text="The responsible party's position, when one is.")
    rule = serializers.ChoiceField(choices=SettlementRule.choices)
    agreement = serializers.CharField(max_length=1000, required=False, default="", allow_blank=True)
    signatures = serializers.DictField(child=serializers.CharField(allow_blank=True), help_text=(
        "Each party's signature by position: {\"1\": \"data:image/png;base64,...\", \"2\": ...}."))
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text="When both had signed (the tablet's time: a settlement kept offline).")

    def validate_signatures(self, value):
        try:
            return {int(position): data for position, data in value.items()}
        except ValueError:
            raise serializers.ValidationError(_("Name each signature by the party's position (1, 2, ...).")) from None


class AccidentSettlementView(APIView):
    """Quick settlement (快处快赔): both parties sign on the tablet; refused with the reason otherwise."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="traffic_accident_settle", request=SettlementInSerializer,
                   responses={201: AccidentSerializer})
    def post(self, request, incident_id: int):
        incident = get_object_or_404(Incident, pk=incident_id)
        unit = crew_unit(request.user, incident)
        data = validated_input(SettlementInSerializer, request)
        settlement = accidents.settlement_conclude(
            actor=request.user, incident=incident, unit=unit, responsibility=data["responsibility"],
            responsible_party=data["responsible_party"], rule=data["rule"], agreement=data["agreement"],
            signatures_by_party=data["signatures"], at=data["at"])
        return Response(AccidentSerializer(accident_json(settlement.accident)).data, status=201)


class EscalateInSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300, allow_blank=True)


class AccidentEscalateView(APIView):
    """An injury or a dispute: the accident goes to a full accident case, in one action."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="traffic_accident_escalate", request=EscalateInSerializer, responses=AccidentSerializer)
    def post(self, request, incident_id: int):
        incident = get_object_or_404(Incident, pk=incident_id)
        unit = crew_unit(request.user, incident)
        data = validated_input(EscalateInSerializer, request)
        accident = accidents.accident_escalate(actor=request.user, incident=incident, unit=unit, reason=data["reason"])
        return Response(AccidentSerializer(accident_json(accident)).data)


class SettlementPdfView(APIView):
    """The settlement's printable summary for the insurers, with the parties' details in full: read
    by those who may reveal them (the command centre, the crews sent), each reading recorded."""

    permission_classes = [roles(read=(Role.ADMINISTRATOR, Role.DISPATCHER, Role.OFFICER))]

    def perform_content_negotiation(self, request, force=False):
        return super().perform_content_negotiation(request, force=True)  # a link opened asks for anything

    @extend_schema(operation_id="traffic_settlement_pdf", responses={(200, "application/pdf"): OpenApiTypes.BINARY})
    def get(self, request, incident_id: int):
        incident = readable(request, incident_id)
        accident = AccidentRecord.objects.filter(incident=incident).select_related("settlement").first()
        settlement = getattr(accident, "settlement", None) if accident else None
        if settlement is None:
            raise NotFound(_("This accident has no quick settlement."))
        accidents.settlement_printed(user=request.user, accident=accident)
        response = HttpResponse(settlement_pdf(settlement), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="settlement-{incident.number}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response


class RevealInSerializer(serializers.Serializer):
    field = serializers.ChoiceField(choices=[("phone", "phone"), ("licence_number", "licence_number")])


class RevealSerializer(serializers.Serializer):
    value = serializers.CharField()


class PartyRevealView(APIView):
    """A party's full phone or licence number, the reading recorded."""

    permission_classes = [roles(Role.ADMINISTRATOR, Role.DISPATCHER, Role.OFFICER)]

    @extend_schema(operation_id="traffic_party_reveal", request=RevealInSerializer, responses=RevealSerializer)
    def post(self, request, party_id: int):
        party = get_object_or_404(AccidentParty.objects.select_related("accident__incident"), pk=party_id)
        readable(request, party.accident.incident_id)
        data = validated_input(RevealInSerializer, request)
        return Response({"value": accidents.party_reveal(user=request.user, party=party, field=data["field"])})


# --- congestion ----------------------------------------------------------------------------------

class CongestionInSerializer(serializers.Serializer):
    cause = serializers.ChoiceField(choices=CongestionCause.choices)
    lanes_affected = serializers.IntegerField(min_value=1, max_value=MAX_LANES)


class CongestionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    incident = serializers.IntegerField()
    cause = serializers.CharField()
    lanes_affected = serializers.IntegerField()
    arrived_at = serializers.DateTimeField(allow_null=True)
    flowing_at = serializers.DateTimeField(allow_null=True)
    clearance_s = serializers.FloatField(allow_null=True, help_text="Arrival to traffic flowing (target 300 s).")
    version = serializers.IntegerField()


def congestion_json(record: CongestionRecord) -> dict:
    arrived = record.incident.arrived_at
    seconds = round((record.flowing_at - arrived).total_seconds(), 1) if record.flowing_at and arrived else None
    return {"id": record.pk, "incident": record.incident_id, "cause": record.cause,
            "lanes_affected": record.lanes_affected, "arrived_at": arrived, "flowing_at": record.flowing_at,
            "clearance_s": seconds, "version": record.version}


class CongestionView(APIView):
    """An incident's congestion record: cause and lanes, and the clearance clock."""

    permission_classes = [roles(Role.OFFICER, read=READERS)]

    @extend_schema(operation_id="traffic_congestion", responses=CongestionSerializer)
    def get(self, request, incident_id: int):
        incident = readable(request, incident_id)
        record = CongestionRecord.objects.filter(incident=incident).first()
        if record is None:
            raise NotFound(_("No congestion has been recorded for this incident yet."))
        return Response(CongestionSerializer(congestion_json(record)).data)

    @extend_schema(operation_id="traffic_congestion_save", request=CongestionInSerializer, responses=CongestionSerializer)
    def put(self, request, incident_id: int):
        incident = get_object_or_404(Incident, pk=incident_id)
        unit = crew_unit(request.user, incident)
        data = validated_input(CongestionInSerializer, request)
        record = congestion.congestion_save(actor=request.user, incident=incident, unit=unit, **data)
        return Response(CongestionSerializer(congestion_json(record)).data)


class FlowingInSerializer(serializers.Serializer):
    at = serializers.DateTimeField(required=False, allow_null=True, default=None,
                                   help_text="When traffic flowed again (the tablet's time); now if not given.")


class CongestionFlowingView(APIView):
    """Traffic flowing again: the 5-minute clock stops."""

    permission_classes = [roles(Role.OFFICER)]

    @extend_schema(operation_id="traffic_congestion_flowing", request=FlowingInSerializer, responses=CongestionSerializer)
    def post(self, request, incident_id: int):
        incident = get_object_or_404(Incident, pk=incident_id)
        unit = crew_unit(request.user, incident)
        data = validated_input(FlowingInSerializer, request)
        record = congestion.congestion_flowing(actor=request.user, incident=incident, unit=unit, at=data["at"])
        return Response(CongestionSerializer(congestion_json(record)).data)
