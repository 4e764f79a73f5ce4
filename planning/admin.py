"""Admin for deployment planning: the platforms' stands are kept here; plans, their moves, move-ups
and coverage samples are records, read-only (they change through `planning.services`)."""
from django.contrib import admin

from planning.models import CoverageSample, DeploymentPlan, MoveUp, PlannedMove, Stand


@admin.register(Stand)
class StandAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "platform", "kind", "active", "lon", "lat")
    list_filter = ("platform", "kind", "active")
    search_fields = ("code", "name", "name_en")


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(DeploymentPlan)
class DeploymentPlanAdmin(ReadOnly):
    list_display = ("pk", "starts_at", "ends_at", "mode", "district", "status", "created_by", "accepted_by", "accepted_at")
    list_filter = ("status", "mode", "district")


@admin.register(PlannedMove)
class PlannedMoveAdmin(ReadOnly):
    list_display = ("plan", "platform", "stand", "due_at", "status", "done_at")
    list_filter = ("status",)


@admin.register(MoveUp)
class MoveUpAdmin(ReadOnly):
    list_display = ("unit", "to_label", "status", "gain", "made_at", "ordered_by", "ordered_at", "ended_at")
    list_filter = ("status",)


@admin.register(CoverageSample)
class CoverageSampleAdmin(ReadOnly):
    list_display = ("at", "expected", "uncovered", "free_units", "suggested")
