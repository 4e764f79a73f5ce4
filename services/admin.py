"""Admin for the public services desk: the catalogue (services with the platforms offering them, opening
hours, stations, slots), the desk's day, callback surveys and follow-ups, opt-outs, and the SMS sent
with their delivery receipts. Phones are listed masked; timelines and receipts are read-only."""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from services.models import (
    Appointment,
    CallbackAttempt,
    CallbackSurvey,
    DeskEvent,
    FollowUp,
    FollowUpNote,
    HelpGiven,
    OpeningHours,
    OptOut,
    ServiceOffer,
    ServiceType,
    Slot,
    SmsMessage,
    SmsReceipt,
    Station,
    Ticket,
)
from services.phones import mask


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ServiceOfferInline(admin.TabularInline):
    model = ServiceOffer
    extra = 0
    autocomplete_fields = ("platform",)


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "minutes")
    list_filter = ("platforms",)
    search_fields = ("code", "name", "name_en")
    inlines = [ServiceOfferInline]


@admin.register(OpeningHours)
class OpeningHoursAdmin(admin.ModelAdmin):
    list_display = ("platform", "weekday", "opens", "closes")
    list_filter = ("platform", "weekday")
    autocomplete_fields = ("platform",)


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "address")
    search_fields = ("code", "name", "name_en")


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "platform", "service_type", "capacity", "booked")
    list_filter = ("platform", "service_type")
    list_select_related = ("platform", "service_type")
    date_hierarchy = "starts_at"
    readonly_fields = ("booked",)  # moved only by bookings (services.booking)
    autocomplete_fields = ("platform", "service_type")


class DeskEventInline(ReadOnlyInline):
    model = DeskEvent
    fields = ("at", "kind", "actor", "data")
    fk_name = "appointment"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "service_type", "platform", "citizen_name", "phone", "reference", "status", "clerk")
    list_filter = ("status", "platform", "service_type")
    list_select_related = ("service_type", "platform", "clerk")
    search_fields = ("citizen_name", "reference")
    autocomplete_fields = ("service_type", "platform", "clerk")
    raw_id_fields = ("slot",)
    date_hierarchy = "starts_at"
    inlines = [DeskEventInline]

    @admin.display(description=_("phone"))
    def phone(self, appointment):
        return mask(appointment.citizen_phone)


class TicketEventInline(DeskEventInline):
    fk_name = "ticket"


@admin.register(Ticket)
class TicketAdmin(admin.ModelAdmin):
    list_display = ("day", "number", "platform", "service_type", "status", "counter", "outcome", "clerk")
    list_filter = ("status", "outcome", "platform")
    list_select_related = ("platform", "service_type", "clerk")
    date_hierarchy = "issued_at"
    raw_id_fields = ("appointment",)
    autocomplete_fields = ("platform", "service_type", "station", "clerk")
    inlines = [TicketEventInline]


@admin.register(HelpGiven)
class HelpGivenAdmin(admin.ModelAdmin):
    list_display = ("at", "platform", "kind", "clerk", "note")
    list_filter = ("kind", "platform")
    date_hierarchy = "at"
    autocomplete_fields = ("platform", "clerk")


class AttemptInline(ReadOnlyInline):
    model = CallbackAttempt
    fields = ("at", "clerk", "outcome", "note")


@admin.register(CallbackSurvey)
class CallbackSurveyAdmin(admin.ModelAdmin):
    list_display = ("incident", "platform", "status", "channel", "sent_at", "satisfaction", "comment")
    list_filter = ("status", "channel", "sensitive", "satisfaction")
    list_select_related = ("incident", "platform")
    search_fields = ("incident__number",)
    autocomplete_fields = ("incident", "platform")
    raw_id_fields = ("unit",)
    readonly_fields = ("sent_at", "token_expires_at", "answered_at")  # stamped by the sweep and the answer
    inlines = [AttemptInline]


class FollowUpNoteInline(admin.TabularInline):
    model = FollowUpNote
    extra = 0
    autocomplete_fields = ("author",)


@admin.register(FollowUp)
class FollowUpAdmin(admin.ModelAdmin):
    list_display = ("survey", "platform", "status", "opened_at", "closed_at", "closed_by")
    list_filter = ("status", "platform")
    raw_id_fields = ("survey",)
    autocomplete_fields = ("platform", "closed_by")
    inlines = [FollowUpNoteInline]


@admin.register(OptOut)
class OptOutAdmin(admin.ModelAdmin):
    list_display = ("__str__", "source", "at")
    search_fields = ("phone",)


class ReceiptInline(ReadOnlyInline):
    model = SmsReceipt
    fields = ("received_at", "smsc_id", "stat", "err", "text")


@admin.register(SmsMessage)
class SmsMessageAdmin(admin.ModelAdmin):
    """What was sent and what the carrier reported; nothing here is edited by hand. Adding one sends
    it through the gateway (to check a new SMSC account, say)."""

    list_display = ("created_at", "masked_phone", "purpose", "status", "backend", "parts", "attempts", "delivered_at")
    list_filter = ("purpose", "status", "backend")
    date_hierarchy = "created_at"
    inlines = [ReceiptInline]
    raw_id_fields = ("survey", "appointment")

    @admin.display(description=_("phone"))
    def masked_phone(self, message):
        return mask(message.phone)

    def get_fields(self, request, obj=None):
        return ("phone", "body", "purpose", "language") if obj is None else super().get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from services.sms.gateway import sms_queue

        sent = sms_queue(phone=obj.phone, body=obj.body, purpose=obj.purpose, language=obj.language)
        obj.pk, obj._state.adding = sent.pk, False
