"""Admin for the public services desk: service types, appointments, callback surveys."""
from django.contrib import admin

from services.models import Appointment, CallbackSurvey, ServiceType


@admin.register(ServiceType)
class ServiceTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "minutes")
    list_filter = ("platforms",)
    search_fields = ("code", "name", "name_en")


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("starts_at", "service_type", "platform", "citizen_name", "citizen_phone", "status", "clerk")
    list_filter = ("status", "platform", "service_type")
    list_select_related = ("service_type", "platform", "clerk")
    search_fields = ("citizen_name", "citizen_phone")
    autocomplete_fields = ("service_type", "platform", "clerk")
    date_hierarchy = "starts_at"


@admin.register(CallbackSurvey)
class CallbackSurveyAdmin(admin.ModelAdmin):
    list_display = ("incident", "sent_at", "satisfaction", "comment")
    list_filter = ("satisfaction",)
    list_select_related = ("incident",)
    search_fields = ("incident__number",)
    autocomplete_fields = ("incident",)
    readonly_fields = ("sent_at",)  # stamped by the SMS gateway when the message leaves
