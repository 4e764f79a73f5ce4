"""Admin for incidents, their timeline and assignments: for looking, not for changing.

Every write to these rows locks, records an IncidentEvent and notifies consoles
(`dispatch.services`); an admin form would do none of that, so the admin offers no add, change or
delete here, and no bulk actions.
"""
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from dispatch.models import Alert, Assignment, Incident, IncidentEvent, Mobilization, Recommendation
from platforms import admin as platforms_admin


class ViewOnlyMixin(platforms_admin.ViewOnlyMixin):
    actions = None


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
        (_("Handling"), {"fields": ("description", "disposition", "created_by", "units_needed", "idempotency_key",
                                    "version")}),
        (_("Response figures"), {"fields": ("dispatched_at", "on_scene_at", "closed_at", "engine_checked_at")}),
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


@admin.register(Recommendation)
class RecommendationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("incident", "created_at", "proposed", "at_risk", "auto", "accepted_at")
    list_filter = ("at_risk", "auto")
    list_select_related = ("incident",)
    search_fields = ("incident__number",)
    date_hierarchy = "created_at"


@admin.register(Alert)
class AlertAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "kind", "incident", "unit", "message", "closed_at", "closed_by")
    list_filter = ("kind",)
    list_select_related = ("incident", "unit", "closed_by")
    search_fields = ("incident__number", "message")
    date_hierarchy = "created_at"


@admin.register(Mobilization)
class MobilizationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ("created_at", "reason", "head_count", "deadline_s", "status", "incident", "confirmed_at")
    list_filter = ("status",)
    list_select_related = ("incident",)
    search_fields = ("reason",)
    date_hierarchy = "created_at"
