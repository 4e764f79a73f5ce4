"""Admin for resources: districts, platforms and their moves, squads, officers, vehicles, shifts, units.

Values that other code derives (a unit's status and live position, a platform's position once it
moves) are read-only here: they change through `platforms.services`, which keeps their records.
"""
from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from grid.models import check_point_served
from platforms.models import (
    Absence, District, Officer, Overtime, Platform, PlatformMove, RosterChange, RosterPeriod, Shift, Squad, Unit, Vehicle,
)
from platforms.services import platform_move


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en")
    search_fields = ("code", "name", "name_en")


class PlatformMoveForm(forms.ModelForm):
    class Meta:
        model = PlatformMove
        fields = ("to_lon", "to_lat", "reason")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("to_lon") is not None and cleaned.get("to_lat") is not None:
            check_point_served(cleaned["to_lon"], cleaned["to_lat"], field="to_lon")
        return cleaned


class PlatformMoveFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        new_moves = [form for form in self.extra_forms if form.has_changed()]
        if not new_moves:
            return
        if self.instance.pk is None:
            raise ValidationError(_("Save the platform before recording a move."))
        if not self.instance.mobile:
            raise ValidationError(_("A fixed post does not move: correct its position instead."))
        if len(new_moves) > 1:
            raise ValidationError(_("Record one move at a time."))


class PlatformMoveInline(admin.TabularInline):
    """The moves so far (read-only history) and one empty row to record the next move."""

    model = PlatformMove
    form = PlatformMoveForm
    formset = PlatformMoveFormSet
    fields = ("moved_at", "from_lon", "from_lat", "to_lon", "to_lat", "reason", "moved_by")
    readonly_fields = ("moved_at", "from_lon", "from_lat", "moved_by")
    extra = 1
    ordering = ("-moved_at",)

    def has_change_permission(self, request, obj=None):
        return False  # a move is history

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Platform)
class PlatformAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "district", "mobile", "min_units_on_duty", "lon", "lat", "moved_at")
    list_filter = ("mobile", "district")
    list_select_related = ("district",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("district",)
    inlines = (PlatformMoveInline,)

    def get_readonly_fields(self, request, obj=None):
        # A mobile platform moves only through a recorded move (the inline), never by editing
        # its coordinates; a fixed post's coordinates may be corrected in place.
        if obj is not None and obj.mobile:
            return ("lon", "lat", "moved_at")
        return ("moved_at",)

    def save_formset(self, request, form, formset, change):
        if formset.model is not PlatformMove:
            return super().save_formset(request, form, formset, change)
        for move in formset.save(commit=False):
            platform_move(platform=form.instance, lon=move.to_lon, lat=move.to_lat, reason=move.reason,
                          actor=request.user)


@admin.register(PlatformMove)
class PlatformMoveAdmin(admin.ModelAdmin):
    """The record of relocations: written by `platform_move`, never edited."""

    list_display = ("platform", "moved_at", "from_lon", "from_lat", "to_lon", "to_lat", "reason", "moved_by")
    list_filter = ("platform",)
    list_select_related = ("platform", "moved_by")
    search_fields = ("platform__code", "platform__name", "reason")
    date_hierarchy = "moved_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Squad)
class SquadAdmin(admin.ModelAdmin):
    list_display = ("name", "platform", "number")
    list_filter = ("platform",)
    list_select_related = ("platform",)
    search_fields = ("name", "platform__code", "platform__name")
    autocomplete_fields = ("platform",)


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("badge_number", "name", "kind", "platform", "squad", "user", "active")
    list_filter = ("kind", "active", "platform")
    list_select_related = ("platform", "squad__platform", "user")
    search_fields = ("badge_number", "name", "user__username")
    autocomplete_fields = ("platform", "squad", "user")


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("call_number", "kind", "plate", "platform", "gps_device_id", "seats")
    list_filter = ("kind", "platform")
    list_select_related = ("platform",)
    search_fields = ("call_number", "plate", "gps_device_id")
    autocomplete_fields = ("platform",)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ("squad", "kind", "starts_at", "ends_at", "secondary", "approved")
    list_filter = ("approved", "kind", "secondary", "squad__platform")
    search_fields = ("squad__name", "squad__platform__code", "squad__platform__name")
    autocomplete_fields = ("squad",)
    date_hierarchy = "starts_at"

    def get_queryset(self, request):
        # A shift's name includes its squad's platform: join it for lists and autocomplete alike.
        return super().get_queryset(request).select_related("squad__platform")


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ("call_sign", "platform", "shift", "vehicle", "status", "status_changed_at", "last_fix_at")
    list_filter = ("status", "platform", "shift__kind")
    list_select_related = ("platform", "vehicle", "shift__squad__platform")
    search_fields = ("call_sign", "vehicle__call_number", "officers__name", "officers__badge_number")
    autocomplete_fields = ("platform", "shift", "vehicle", "officers")
    # Status moves through the transition table and positions come from the AVL feed.
    readonly_fields = ("status", "status_changed_at", "lon", "lat", "last_fix_at", "version")


class ViewOnlyMixin:
    """For rows that change only through a service (which checks, locks, records): the admin shows them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Roster records change only through platforms.rosters, which checks, records and withdraws
    approvals: here they are for reading."""


class RosterChangeInline(admin.TabularInline):
    model = RosterChange
    fields = ("at", "kind", "version", "summary", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RosterPeriod)
class RosterPeriodAdmin(ReadOnlyAdmin):
    list_display = ("platform", "starts_on", "ends_on", "status", "version", "approved_by", "approved_at")
    list_filter = ("status", "platform")
    list_select_related = ("platform", "approved_by")
    date_hierarchy = "starts_on"
    inlines = [RosterChangeInline]


@admin.register(Absence)
class AbsenceAdmin(ReadOnlyAdmin):
    list_display = ("officer", "kind", "starts_at", "ends_at", "recorded_by", "recorded_at")
    list_filter = ("kind", "officer__platform")
    list_select_related = ("officer", "recorded_by")
    search_fields = ("officer__name", "officer__badge_number")


@admin.register(Overtime)
class OvertimeAdmin(ReadOnlyAdmin):
    list_display = ("officer", "unit", "hours", "reason", "recorded_by", "recorded_at")
    list_select_related = ("officer", "unit", "recorded_by")
    search_fields = ("officer__name", "officer__badge_number", "unit__call_sign")


from platforms import tracker_admin  # noqa: E402,F401  (registers the trackers' admin)
