"""The services desk as JSON, and the inputs that change it. Phones leave masked (`phone_masked`);
the full number only from a reveal endpoint, which records the reading."""
from django.urls import NoReverseMatch, reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.names import local_name
from services.models import (
    Appointment,
    AttemptOutcome,
    CallbackSurvey,
    DeskEvent,
    FollowUp,
    FollowUpNote,
    HelpGiven,
    HelpKind,
    OpeningHours,
    Outcome,
    Rating,
    ServiceOffer,
    Slot,
    Station,
    Ticket,
)
from services.phones import mask
from services.selectors import survey_summary


@extend_schema_field(OpenApiTypes.STR)
class LocalName(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value):
        return local_name(value)


class PhoneMasked(serializers.CharField):
    def to_representation(self, value):
        return mask(value)


class ServiceOfferSerializer(serializers.ModelSerializer):
    service_code = serializers.CharField(source="service_type.code", read_only=True)
    service_name = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    handling_minutes = serializers.IntegerField(read_only=True)

    class Meta:
        model = ServiceOffer
        fields = ["id", "platform", "service_type", "service_code", "service_name", "documents", "minutes",
                  "handling_minutes", "needs_appointment", "slot_minutes", "slot_capacity"]
        read_only_fields = ["platform", "service_type"]

    def get_service_name(self, offer) -> str:
        return local_name(offer.service_type)

    def get_documents(self, offer) -> list[str]:
        from django.utils.translation import get_language

        return offer.service_type.document_list((get_language() or "").startswith("en"))


class OpeningHoursSerializer(serializers.ModelSerializer):
    class Meta:
        model = OpeningHours
        fields = ["id", "platform", "weekday", "opens", "closes"]


class BookingSlotSerializer(serializers.ModelSerializer):
    free = serializers.IntegerField(read_only=True)

    class Meta:
        model = Slot
        fields = ["id", "platform", "service_type", "starts_at", "ends_at", "capacity", "booked", "free"]
        read_only_fields = fields


class AppointmentSerializer(serializers.ModelSerializer):
    citizen_phone = PhoneMasked(read_only=True, help_text="Masked (138****8000); the full number from reveal-phone.")
    ticket = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)

    class Meta:
        model = Appointment
        fields = ["id", "reference", "platform", "service_type", "slot", "starts_at", "status", "citizen_name",
                  "citizen_phone", "ticket", "created_at"]
        read_only_fields = fields


class TicketSerializer(serializers.ModelSerializer):
    waited_s = serializers.FloatField(read_only=True, allow_null=True)

    class Meta:
        model = Ticket
        fields = ["id", "platform", "service_type", "appointment", "day", "number", "status", "counter", "issued_at",
                  "called_at", "serving_at", "completed_at", "outcome", "station", "note", "waited_s"]
        read_only_fields = fields


class DeskEventSerializer(serializers.ModelSerializer):
    data = serializers.DictField(read_only=True)

    class Meta:
        model = DeskEvent
        fields = ["id", "kind", "at", "actor", "appointment", "ticket", "data"]
        read_only_fields = fields


class TicketIssueSerializer(serializers.Serializer):
    platform = serializers.IntegerField()
    service_type = serializers.IntegerField()


class TicketCounterSerializer(serializers.Serializer):
    counter = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")


class TicketCallNextSerializer(TicketCounterSerializer):
    platform = serializers.IntegerField()


class TicketCompleteSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    station = serializers.PrimaryKeyRelatedField(queryset=Station.objects.all(), required=False, allow_null=True,
                                                 default=None)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HelpGivenSerializer(serializers.ModelSerializer):
    class Meta:
        model = HelpGiven
        fields = ["id", "platform", "kind", "at", "note"]
        read_only_fields = ["id", "at"]


class HelpGivenInputSerializer(serializers.Serializer):
    platform = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=HelpKind.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class RevealedPhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(help_text="The full number: this reading is recorded.")


class PoliceStationSerializer(serializers.ModelSerializer):
    name = LocalName()

    class Meta:
        model = Station
        fields = ["id", "code", "name", "address"]


class CallbackSurveySerializer(serializers.ModelSerializer):
    """A survey with the incident's summary only: no description, result or notes, no phone."""

    incident = serializers.SerializerMethodField()
    tries = serializers.SerializerMethodField()

    class Meta:
        model = CallbackSurvey
        fields = ["id", "incident", "platform", "unit", "status", "channel", "sensitive", "created_at", "sent_at",
                  "callback_due_at", "answered_at", "speed", "attitude", "result", "satisfaction", "comment", "tries"]
        read_only_fields = fields

    def get_incident(self, survey) -> dict:
        return survey_summary(survey)

    def get_tries(self, survey) -> int:
        return survey.tries if hasattr(survey, "tries") else survey.attempts.count()


class SurveyAnswersSerializer(serializers.Serializer):
    speed = serializers.ChoiceField(choices=Rating.choices)
    attitude = serializers.ChoiceField(choices=Rating.choices)
    result = serializers.ChoiceField(choices=Rating.choices)
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    opt_out = serializers.BooleanField(required=False, default=False, help_text="No more surveys to this number.")


class CallbackAttemptSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(choices=AttemptOutcome.choices)
    speed = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True, default="")
    attitude = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True, default="")
    result = serializers.ChoiceField(choices=Rating.choices, required=False, allow_blank=True, default="")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    opt_out = serializers.BooleanField(required=False, default=False)


class FollowUpNoteSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUpNote
        fields = ["id", "at", "author", "text"]
        read_only_fields = fields


class FollowUpSerializer(serializers.ModelSerializer):
    survey = CallbackSurveySerializer(read_only=True)
    notes = FollowUpNoteSerializer(many=True, read_only=True)
    incident_url = serializers.SerializerMethodField(help_text="The incident's trace page, or its REST detail where there is none.")

    class Meta:
        model = FollowUp
        fields = ["id", "platform", "status", "opened_at", "closed_at", "closed_by", "closing_note", "survey", "notes",
                  "incident_url"]
        read_only_fields = fields

    def get_incident_url(self, follow_up) -> str:
        try:
            return reverse("review-trace", args=(follow_up.survey.incident_id,))
        except NoReverseMatch:
            return f"/api/v1/incidents/{follow_up.survey.incident_id}/"


class FollowUpNoteInputSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=1000)


class FollowUpCloseSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=1000)


class SatisfactionQuerySerializer(serializers.Serializer):
    group_by = serializers.ChoiceField(choices=["platform", "unit", "category", "day"], default="platform")
    since = serializers.DateTimeField(required=False, allow_null=True, default=None)
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)


class DeskDayQuerySerializer(serializers.Serializer):
    day = serializers.DateField(required=False, allow_null=True, default=None)
    platform = serializers.IntegerField(required=False, allow_null=True, default=None)
