"""What the console and the tablet send to close out calls and control units: each input checked
here, its rules (who, when, which transition) in the service that takes it."""
from rest_framework import serializers

from dispatch.models import CancelReason, Category, Disposition, IncidentCaller
from dispatch.notes import NOTE_MAX
from platforms.models import Unit


class CloseSerializer(serializers.Serializer):
    disposition = serializers.ChoiceField(choices=Disposition.choices, help_text="How the incident ended.")
    result = serializers.CharField(max_length=2000, help_text="The result of the handling, in words.")


class CancelSerializer(serializers.Serializer):
    reason = serializers.ChoiceField(choices=CancelReason.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=300)


class NoteInSerializer(serializers.Serializer):
    # Longer notes reach the service, which refuses them with the count: never cut silently.
    text = serializers.CharField(max_length=NOTE_MAX * 4, trim_whitespace=True,
                                 help_text=f"At most {NOTE_MAX} characters.")


class CallerInSerializer(serializers.Serializer):
    """A further caller about this incident: attached, no unit sent."""

    caller_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    caller_phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    notes = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class RevealSerializer(serializers.Serializer):
    caller = serializers.PrimaryKeyRelatedField(queryset=IncidentCaller.objects.all(), required=False, allow_null=True,
                                                default=None, help_text="A further caller; the first caller if left out.")


class DuplicateQuerySerializer(serializers.Serializer):
    lon = serializers.FloatField(min_value=-180, max_value=180)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    category = serializers.ChoiceField(choices=Category.choices)


class DuplicateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    address = serializers.CharField()
    received_at = serializers.DateTimeField()
    distance_m = serializers.FloatField()


class ReassignSerializer(serializers.Serializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=Unit.objects.all(), help_text="The unit sent instead.")
    reason = serializers.CharField(max_length=300)


class RevealedSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text="The full number; this reading is recorded.")
