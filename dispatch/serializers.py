"""Incidents, their timeline and assignments as JSON, and the inputs that create and advance them.

The caller's name and phone are personal data. The name is shown to the roles that take and work calls
(the command centre; an officer sees only incidents their unit was sent to); the phone is shown
masked (138****8000) to every reader, in full only to the dispatcher who took the call, and read in
full by anyone else only through `reveal-phone`, which records the reading.
"""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.phones import mask_phone
from common.roles import COMMAND_CENTRE, Role, access_of
from dispatch.callers import sees_full_phone
from dispatch.models import (
    Alert,
    Assignment,
    AssignmentStatus,
    CancelReason,
    Category,
    Disposition,
    Incident,
    IncidentCaller,
    IncidentEvent,
    Mobilization,
    Priority,
    Recommendation,
)
from dispatch.services import STEP_EFFECTS
from platforms.models import Unit

CALLER_FIELDS = ("caller_name", "caller_phone")


def sees_caller(context) -> bool:
    """Whether the login may read callers' names: the command centre and the crews on the job."""
    request = context.get("request")
    return bool(request) and access_of(request).role in (*COMMAND_CENTRE, Role.OFFICER)


class FurtherCallerSerializer(serializers.ModelSerializer):
    phone_masked = serializers.SerializerMethodField()

    class Meta:
        model = IncidentCaller
        fields = ["id", "name", "phone_masked", "notes", "received_at"]
        read_only_fields = fields

    def get_phone_masked(self, caller) -> str:
        return mask_phone(caller.phone)


class IncidentSerializer(serializers.ModelSerializer):
    caller_name = serializers.CharField(required=False, help_text="For the command centre and the crews on the job.")
    caller_phone = serializers.CharField(required=False, help_text="In full only to the dispatcher who took the call.")
    caller_phone_masked = serializers.SerializerMethodField(help_text="138****8000: for every reader.")
    # Read-only model fields lose their blank choice in DRF; an open incident's is "" (the schema says so).
    closing = serializers.ChoiceField(choices=Disposition.choices, allow_blank=True, read_only=True)
    cancel_reason = serializers.ChoiceField(choices=CancelReason.choices, allow_blank=True, read_only=True)
    further_callers = FurtherCallerSerializer(source="callers", many=True, read_only=True)
    call_to_dispatch_s = serializers.FloatField(read_only=True, allow_null=True)
    dispatch_to_scene_s = serializers.FloatField(read_only=True, allow_null=True,
                                                 help_text="First order to first unit on scene (verified where "
                                                           "there is one): judged against target_s.")
    call_to_scene_s = serializers.FloatField(read_only=True, allow_null=True)
    met_target = serializers.BooleanField(read_only=True, allow_null=True)
    arrival_unverified = serializers.BooleanField(read_only=True)

    class Meta:
        model = Incident
        fields = ["id", "number", "received_at", "category", "priority", "status", "at_risk", "lon", "lat", "address",
                  "description", "zone", "key_site", "target_s", "units_needed", "disposition", "origin", "related_to",
                  "closing", "result", "cancel_reason", "dispatched_at", "on_scene_at", "verified_on_scene_at",
                  "closed_at", "call_to_dispatch_s", "dispatch_to_scene_s", "call_to_scene_s", "met_target",
                  "arrival_unverified", "version", "caller_phone_masked", "further_callers", *CALLER_FIELDS]
        read_only_fields = [name for name in fields if name not in CALLER_FIELDS]

    def get_caller_phone_masked(self, incident) -> str:
        return mask_phone(incident.caller_phone)

    def to_representation(self, incident):
        data = super().to_representation(incident)
        request = self.context.get("request")
        if not sees_caller(self.context):
            data.pop("caller_name", None)
            for caller in data["further_callers"]:
                caller.pop("name", None)
        if request is None or not sees_full_phone(request.user, incident):
            data.pop("caller_phone", None)
        return data


class IncidentCallSerializer(serializers.Serializer):
    """A 110 call as taken: where (a map point, or an address picked from the lookup), what, how
    urgent, who called; optionally the incident it is related to (another event nearby)."""

    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.P3)
    lon = serializers.FloatField(required=False, allow_null=True, default=None, help_text="Longitude (WGS84) of the incident.")
    lat = serializers.FloatField(required=False, allow_null=True, default=None, help_text="Latitude (WGS84) of the incident.")
    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    description = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")
    address = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    related_to = serializers.PrimaryKeyRelatedField(queryset=Incident.objects.all(), required=False, allow_null=True,
                                                    default=None, help_text="An open incident this call is related to.")
    idempotency_key = serializers.CharField(
        max_length=100, required=False, allow_null=True, default=None,
        help_text="Makes a retried POST safe: the same key returns the first incident (also as the "
                  "Idempotency-Key header).")

    def validate(self, data):
        if (data["lon"] is None) != (data["lat"] is None):
            raise serializers.ValidationError({"lat": _("Give both the longitude and the latitude of the place.")})
        if data["lon"] is None and not data["address"].strip():
            raise serializers.ValidationError(
                {"address": _("Say where: pick an address from the lookup or click the place on the map.")})
        return data


class IncidentEventSerializer(serializers.ModelSerializer):
    data = serializers.DictField(read_only=True, help_text="Details of the step (assignment, ETA, disposition...).")

    class Meta:
        model = IncidentEvent
        fields = ["id", "kind", "at", "actor", "actor_name", "unit", "data"]
        read_only_fields = fields

    actor_name = serializers.SerializerMethodField()

    def get_actor_name(self, event) -> str | None:
        return event.actor.get_username() if event.actor_id else None

    def to_representation(self, event):
        data = super().to_representation(event)
        if not sees_caller(self.context):  # a step's details must not leak what the incident hides
            data["data"] = {key: value for key, value in data["data"].items() if key not in CALLER_FIELDS}
        return data


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "incident", "unit", "status", "assigned_at", "assigned_by", "ack_due_at", "acknowledged_at",
                  "en_route_at", "on_scene_at", "ended_at", "eta_s", "preempted_from", "arrival_distance_m",
                  "arrival_verified", "version"]
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
    lon = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-180, max_value=180,
                                 help_text="Where the unit was when it reported the step (its live position if left out).")
    lat = serializers.FloatField(required=False, allow_null=True, default=None, min_value=-90, max_value=90)


class RecommendationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Recommendation
        fields = ["id", "incident", "created_at", "options", "proposed", "at_risk", "auto", "accepted_at"]
        read_only_fields = fields


class AcceptSerializer(serializers.Serializer):
    """Accept the proposal as it stands, or pick other ranked units."""

    units = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_null=True,
                                  default=None, min_length=1, max_length=50)


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
