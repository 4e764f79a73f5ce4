"""Admin for traffic work: the violation list the tablets offer (kept here), and the records and
control points to look up. Parties' details are shown only in full-record views an administrator
opens on purpose; signatures are not shown."""
from django.contrib import admin

from traffic.models import (
    AccidentRecord, CongestionRecord, ControlPoint, DrinkCheck, HelpRecord, Impound, RoadClosure, Violation,
    ViolationType, ZoneFactor,
)


@admin.register(ViolationType)
class ViolationTypeAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "points", "fine_yuan", "needs_speed", "non_motor", "active", "order")
    list_editable = ("active", "order")
    search_fields = ("code", "name", "name_en")


@admin.register(AccidentRecord)
class AccidentRecordAdmin(admin.ModelAdmin):
    list_display = ("incident", "status", "injuries", "lanes_blocked", "handled_at", "escalated_at")
    list_filter = ("status", "injuries")
    raw_id_fields = ("incident", "unit", "recorded_by")


@admin.register(CongestionRecord)
class CongestionRecordAdmin(admin.ModelAdmin):
    list_display = ("incident", "cause", "lanes_affected", "flowing_at")
    list_filter = ("cause",)
    raw_id_fields = ("incident", "unit", "recorded_by")


class _RecordAdmin(admin.ModelAdmin):
    list_filter = ("platform",)
    raw_id_fields = ("officer", "unit", "recorded_by", "zone")
    date_hierarchy = "at"


@admin.register(Violation)
class ViolationAdmin(_RecordAdmin):
    list_display = ("at", "violation_type", "plate", "officer", "platform")


@admin.register(DrinkCheck)
class DrinkCheckAdmin(_RecordAdmin):
    list_display = ("at", "plate", "alcohol_mg_100ml", "result", "officer", "platform")


@admin.register(Impound)
class ImpoundAdmin(_RecordAdmin):
    list_display = ("at", "plate", "reason", "officer", "platform")


@admin.register(HelpRecord)
class HelpRecordAdmin(_RecordAdmin):
    list_display = ("at", "kind", "people", "officer", "platform")


class ClosureInline(admin.TabularInline):
    model = RoadClosure
    fields = ("road_name", "length_m", "starts_at", "ends_at", "cancelled_at")
    readonly_fields = ("road_name", "length_m")
    extra = 0
    can_delete = False


@admin.register(ControlPoint)
class ControlPointAdmin(admin.ModelAdmin):
    list_display = ("name", "reason", "platform", "starts_at", "ends_at", "cancelled_at")
    list_filter = ("reason", "platform")
    raw_id_fields = ("created_by",)
    filter_horizontal = ("units",)
    inlines = [ClosureInline]


@admin.register(ZoneFactor)
class ZoneFactorAdmin(admin.ModelAdmin):
    list_display = ("zone", "weekday", "slot", "factor", "samples", "updated_at")
    list_filter = ("weekday", "zone")
