"""Admin for incidents, their timeline and assignments: for looking, not for changing.

Every write to these rows locks, records an IncidentEvent and notifies consoles
(`dispatch.services`); an admin form would do none of that, so the admin offers no add, change or
delete here, and no bulk actions.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dispatch.models import Assignment, Incident, IncidentEvent


class ViewOnlyMixin:
    actions = None

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class IncidentEventInline(ViewOnlyMixin, admin.TabularInline):
    model = IncidentEvent
    fields = ("at", "kind", "actor", "unit", "data")
    ordering = ("at", "id")
    extra = 0


class AssignmentInline(ViewOnlyMixin, admin.TabularInline):
    model = Assignment
    fk_name = "incident"
    fields = ("unit", "status", "assigned_at", "acknowledged_at", "en_route_at", "on_scene_at", "ended_at", "eta_s")
    ordering = ("assigned_at",)
    extra = 0


@admin.register(Incident)
class IncidentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("number", "received_at", "category", "priority", "status", "at_risk", "zone", "target_s")
    list_filter = ("status", "priority", "category", "at_risk")
    list_select_related = ("zone",)
    search_fields = ("number", "address", "caller_phone")
    date_hierarchy = "received_at"
    fieldsets = (
        (None, {"fields": ("number", "received_at", "category", "priority", "status", "at_risk")}),
        (_("Caller"), {"fields": ("caller_name", "caller_phone")}),
        (_("Place and target"), {"fields": ("address", "lon", "lat", "zone", "key_site", "target_s")}),
        (_("Handling"), {"fields": ("description", "disposition", "created_by", "closed_at", "idempotency_key",
                                    "version")}),
    )
    inlines = (AssignmentInline, IncidentEventInline)


@admin.register(IncidentEvent)
class IncidentEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Append-only, in the database too (a trigger refuses UPDATE and DELETE)."""

    list_display = ("incident", "kind", "at", "actor", "unit")
    list_filter = ("kind",)
    list_select_related = ("incident", "actor", "unit")
    search_fields = ("incident__number",)
    date_hierarchy = "at"


@admin.register(Assignment)
class AssignmentAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("incident", "unit", "status", "assigned_at", "ack_due_at", "on_scene_at", "eta_s")
    list_filter = ("status",)
    list_select_related = ("incident", "unit")
    search_fields = ("incident__number", "unit__call_sign")
    date_hierarchy = "assigned_at"
