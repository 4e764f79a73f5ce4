"""Trackers in the admin: register (the key shown once, in the page's message), rotate, revoke."""
from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from platforms import trackers
from platforms.models import TrackerDevice


@admin.register(TrackerDevice)
class TrackerDeviceAdmin(admin.ModelAdmin):
    list_display = ("identifier", "vehicle", "officer", "created_at", "rotated_at", "revoked_at")
    list_filter = ("revoked_at",)
    search_fields = ("identifier", "vehicle__call_number", "officer__name", "officer__badge_number")
    autocomplete_fields = ("vehicle", "officer")
    readonly_fields = ("created_at", "created_by", "rotated_at", "revoked_at", "revoked_by")
    actions = ("rotate_secrets", "revoke")

    def get_fields(self, request, obj=None):
        return ("identifier", "vehicle", "officer", *(self.readonly_fields if obj else ()))

    def get_readonly_fields(self, request, obj=None):
        # Who a registered device reports for is part of its credential: register a new one instead.
        return (*self.readonly_fields, "identifier", "vehicle", "officer") if obj else ()

    def save_model(self, request, obj, form, change):
        if change:
            return
        issued = trackers.tracker_register(actor=request.user, identifier=obj.identifier, vehicle=obj.vehicle,
                                           officer=obj.officer)
        obj.pk = issued.tracker.pk
        self._show(request, [issued])

    def has_delete_permission(self, request, obj=None):
        return False  # the track points keep which device sent them: revoke instead

    @admin.action(description=gettext_lazy("Rotate the key (shown once)"))
    def rotate_secrets(self, request, queryset):
        self._show(request, [trackers.tracker_rotate(actor=request.user, tracker=tracker) for tracker in queryset])

    @admin.action(description=gettext_lazy("Revoke: refuse its reports"))
    def revoke(self, request, queryset):
        for tracker in queryset:
            trackers.tracker_revoke(actor=request.user, tracker=tracker)
        self.message_user(request, _("%(count)d trackers revoked.") % {"count": queryset.count()})

    def _show(self, request, issued):
        for item in issued:
            self.message_user(request, _("Key of %(identifier)s (shown once, copy it into the device now): %(secret)s")
                              % {"identifier": item.tracker.identifier, "secret": item.secret}, messages.WARNING)
