"""Incidents, their timeline and assignments as JSON, and the inputs that create and advance them.

The caller's name and phone are personal data: only the roles that take calls see them
(`Access.sees_caller_phone`); for everyone else the keys are absent, not blank.
"""
from rest_framework import serializers

from common.roles import access_of
from dispatch.models import (
    Alert,
    Assignment,
    AssignmentStatus,
    Category,
    Incident,
    IncidentEvent,
    Mobilization,
    Priority,
    Recommendation,
)
from dispatch.services import STEP_EFFECTS
from platforms.models import Unit

CALLER_FIELDS = ("caller_name", "caller_phone")


def sees_caller(context) -> bool:
    request = context.get("request")
    return bool(request) and access_of(request).sees_caller_phone


class IncidentSerializer(serializers.ModelSerializer):
    caller_name = serializers.CharField(required=False, help_text="Only for dispatchers and administrators.")
    caller_phone = serializers.CharField(required=False, help_text="Only for dispatchers and administrators.")
    call_to_dispatch_s = serializers.FloatField(read_only=True, allow_null=True)
    dispatch_to_scene_s = serializers.FloatField(read_only=True, allow_null=True,
                                                 help_text="First order to first unit on scene: judged against target_s.")
    call_to_scene_s = serializers.FloatField(read_only=True, allow_null=True)
    met_target = serializers.BooleanField(read_only=True, allow_null=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "received_at", "category", "priority", "status", "at_risk", "lon", "lat", "address",
                  "description", "zone", "key_site", "target_s", "units_needed", "disposition", "dispatched_at",
                  "on_scene_at", "closed_at", "call_to_dispatch_s", "dispatch_to_scene_s", "call_to_scene_s",
                  "met_target", "version", *CALLER_FIELDS]
        read_only_fields = [name for name in fields if name not in CALLER_FIELDS]

    def to_representation(self, incident):
        data = super().to_representation(incident)
        if not sees_caller(self.context):
            for name in CALLER_FIELDS:
                data.pop(name, None)
        return data


class IncidentCallSerializer(serializers.Serializer):
    """A 110 call as taken: where, what, how urgent, who called."""

    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.P3)
    lon = serializers.FloatField(help_text="Longitude (WGS84) of the incident.")
    lat = serializers.FloatField(help_text="Latitude (WGS84) of the incident.")
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    idempotency_key = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None,
        help_text="Makes a retried POST safe: the same key returns the first incident (also as the "
                  "Idempotency-Key header).")


class IncidentEventSerializer(serializers.ModelSerializer):
    data = serializers.DictField(read_only=True, help_text="Details of the step (assignment, ETA, disposition...).")

    class Meta:
        model = IncidentEvent
        fields = ["id", "kind", "at", "actor", "unit", "data"]
        read_only_fields = fields

    def to_representation(self, event):
        data = super().to_representation(event)
        if not sees_caller(self.context):  # a step's details must not leak what the incident hides
            data["data"] = {key: value for key, value in data["data"].items() if key not in CALLER_FIELDS}
        return data


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "incident", "unit", "status", "assigned_at", "assigned_by", "ack_due_at", "acknowledged_at",
                  "en_route_at", "on_scene_at", "ended_at", "eta_s", "preempted_from", "version"]
        read_only_fields = fields


class AssignmentOrderSerializer(serializers.Serializer):
    """Send a unit to an incident."""

    incident = serializers.PrimaryKeyRelatedField(queryset=Incident.objects.all())
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all())
    eta_s = serializers.FloatField(required=False, allow_null=True, default=None, min_value=0,
                                   help_text="Estimated travel time in seconds, when known.")


class AssignmentProgressSerializer(serializers.Serializer):
    """One step of an assignment, reported by the unit or by the dispatcher for it."""

    status = serializers.ChoiceField(choices=[(step, AssignmentStatus(step).label) for step in STEP_EFFECTS])
    disposition = serializers.CharField(max_length=300, required=False, allow_blank=True, default="",
                                        help_text="How the incident was resolved: required when clearing.")
    expected_version = serializers.IntegerField(
        required=False, allow_null=True, default=None, min_value=1,
        help_text="The assignment's version the update was made against (a tablet's queued update): a "
                  "stale one is refused with 409.")


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "incident", "created_at", "options", "proposed", "at_risk", "auto", "accepted_at"]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    """Accept the proposal as it stands, or pick other ranked units."""

    units = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_null=True,
                                  default=None, min_length=1, max_length=50)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class AlertSerializer(serializers.ModelSerializer):
    class Meta:
        model = Alert
        fields = ["id", "kind", "incident", "unit", "message", "created_at", "closed_at", "closed_by"]
        read_only_fields = fields


class MobilizationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Mobilization
        fields = ["id", "lon", "lat", "head_count", "deadline_s", "reason", "status", "proposal", "incident",
                  "created_at", "confirmed_at"]
        read_only_fields = fields


class MobilizationOrderSerializer(serializers.Serializer):
    """A muster: where, how many officers, within how long."""

    lon = serializers.FloatField()
    lat = serializers.FloatField()
    head_count = serializers.IntegerField(min_value=1, max_value=5000)
    deadline_s = serializers.IntegerField(min_value=60, max_value=7200)
    reason = serializers.CharField(max_length=200)


class FiguresQuerySerializer(serializers.Serializer):
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)
