"""Rosters and patrol plans as JSON: input serializers for each operation, output for the rows.

Related rows are looked up within the roster's own platform (`context["period"]`) or the login's
platforms, so an id from elsewhere reads as unknown (400), never as somebody else's row.
"""
from datetime import timedelta

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from common.roles import access_of
from common.scoping import scoped
from platforms.models import (
    Absence,
    AbsenceKind,
    Officer,
    Overtime,
    PatrolBand,
    PatrolPlan,
    PatrolTask,
    Platform,
    RosterChange,
    RosterPeriod,
    Shift,
    Unit,
)
from platforms.rosters import MAX_PERIOD_DAYS, shifts_of


def _platforms_of(serializer):
    request = serializer.context.get("request")
    queryset = Platform.objects.all()
    return scoped(queryset, access_of(request).platform_ids, "id") if request else queryset


@extend_schema_field(OpenApiTypes.INT)
class ScopedPlatformField(serializers.PrimaryKeyRelatedField):
    """A platform of the login's scope; any other id is unknown."""

    def get_queryset(self):
        return _platforms_of(self.parent)


class RosterShiftSerializer(serializers.ModelSerializer):
    squad_number = serializers.IntegerField(source="squad.number", read_only=True)
    squad_name = serializers.CharField(source="squad.name", read_only=True)
    units = serializers.IntegerField(source="unit_count", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "squad", "squad_number", "squad_name", "kind", "starts_at", "ends_at", "secondary", "approved", "units"]
        read_only_fields = fields


class RosterPeriodSerializer(serializers.ModelSerializer):
    class Meta:
        model = RosterPeriod
        fields = ["id", "platform", "starts_on", "ends_on", "pattern", "status", "version", "created_by", "created_at",
                  "approved_by", "approved_at"]
        read_only_fields = fields


class RosterPeriodDetailSerializer(RosterPeriodSerializer):
    shifts = serializers.SerializerMethodField()

    class Meta(RosterPeriodSerializer.Meta):
        fields = [*RosterPeriodSerializer.Meta.fields, "shifts"]
        read_only_fields = fields

    def get_shifts(self, period) -> list[dict]:
        rows = (shifts_of(period).select_related("squad").annotate(unit_count=Count("units"))
                .order_by("starts_at", "squad__number"))
        return RosterShiftSerializer(rows, many=True).data


# A roster is made for the weeks around today: a year back (corrections) to four years ahead (planning).
ROSTER_DAYS_BACK, ROSTER_DAYS_AHEAD = 366, 4 * 365 + 1


class RosterGenerateSerializer(serializers.Serializer):
    """The platform and days to roster, and optionally the rotation (shift times, cycle, peaks)."""

    platform = ScopedPlatformField(help_text="Platform id.")
    starts_on = serializers.DateField(help_text="First day (local).")
    ends_on = serializers.DateField(help_text=f"Last day (local), at most {MAX_PERIOD_DAYS} days after the first.")
    pattern = serializers.JSONField(required=False, help_text=(
        'Rotation: {"cycle": ["night", "day", "evening", "rest", "rest"], "starts": {"night": "00:00", "day": "08:00", '
        '"evening": "16:00"}, "shift_hours": 8, "peaks": [{"starts": "07:00", "ends": "09:00", "rest_day": 2}]}; '
        "anything left out keeps this default."))

    def validate_pattern(self, value):
        if not isinstance(value, dict):
            raise serializers.ValidationError(_("The pattern must be an object."))
        return value

    def validate_starts_on(self, value):
        """Within ROSTER_DAYS_BACK and ROSTER_DAYS_AHEAD of today: year 1 or 9999 never reaches the rotation."""
        today = timezone.localdate()
        if not today - timedelta(days=ROSTER_DAYS_BACK) <= value <= today + timedelta(days=ROSTER_DAYS_AHEAD):
            raise serializers.ValidationError(
                _("A roster starts between %(first)s and %(last)s.")
                % {"first": (today - timedelta(days=ROSTER_DAYS_BACK)).isoformat(),
                   "last": (today + timedelta(days=ROSTER_DAYS_AHEAD)).isoformat()})
        return value


class ApproveSerializer(serializers.Serializer):
    version = serializers.IntegerField(required=False, min_value=1,
                                       help_text="The version the checks were read at: a newer roster is refused (409).")


@extend_schema_field(OpenApiTypes.INT)
class _InPeriod(serializers.PrimaryKeyRelatedField):
    """A row of the roster's own platform (context["period"])."""

    def get_queryset(self):
        period = self.parent.context["period"]
        return self.model_queryset(period)


class _PeriodShift(_InPeriod):
    def model_queryset(self, period):
        return shifts_of(period)


class _PeriodOfficer(_InPeriod):
    def model_queryset(self, period):
        return Officer.objects.filter(platform_id=period.platform_id)


class _PeriodUnit(_InPeriod):
    def model_queryset(self, period):
        return Unit.objects.filter(shift__in=shifts_of(period))


class SwapSerializer(serializers.Serializer):
    shift_a = _PeriodShift(help_text="A shift of this roster.")
    shift_b = _PeriodShift(help_text="Another shift of this roster, of another squad.")


class AbsenceInputSerializer(serializers.Serializer):
    officer = _PeriodOfficer(help_text="An officer of the roster's platform.")
    kind = serializers.ChoiceField(choices=AbsenceKind.choices)
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class OvertimeInputSerializer(serializers.Serializer):
    officer = _PeriodOfficer(help_text="An officer of the roster's platform, free at that time.")
    unit = _PeriodUnit(help_text="The crew (of this roster) the officer joins for its whole shift.")
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class AbsenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Absence
        fields = ["id", "officer", "kind", "starts_at", "ends_at", "note", "recorded_by", "recorded_at"]
        read_only_fields = fields


class OvertimeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Overtime
        fields = ["id", "officer", "unit", "hours", "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields


class RosterChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = RosterChange
        fields = ["id", "kind", "summary", "detail", "version", "actor", "at"]
        read_only_fields = fields


class FindingSerializer(serializers.Serializer):
    check = serializers.CharField()
    hard = serializers.BooleanField()
    message = serializers.CharField()
    refs = serializers.DictField()


class ChecksSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    violations = FindingSerializer(many=True, help_text="Hard: approval is refused while any remain.")
    warnings = FindingSerializer(many=True, help_text="Soft: shown, approval goes ahead.")


# --- patrol -----------------------------------------------------------------------------------

class PatrolTaskSerializer(serializers.ModelSerializer):
    """A unit's patrol task as the tablet shows it: when, how, and where (a point, a route or a zone)."""

    mode = serializers.CharField(source="band.mode", read_only=True)
    starts_at = serializers.DateTimeField(source="band.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="band.ends_at", read_only=True)
    call_sign = serializers.CharField(source="unit.call_sign", read_only=True)
    target = serializers.SerializerMethodField()

    class Meta:
        model = PatrolTask
        fields = ["id", "unit", "call_sign", "mode", "starts_at", "ends_at", "point", "route", "zone", "target"]
        read_only_fields = fields

    def get_target(self, task) -> dict:
        if task.point:
            point = task.point
            return {"kind": "point", "code": point.code, "name": point.name, "lon": point.lon, "lat": point.lat,
                    "radius_m": point.radius_m, "dwell_s": point.dwell_s}
        if task.route:
            return {"kind": "route", "code": task.route.code, "name": task.route.name, "line": task.route.line,
                    "corridor_m": task.route.corridor_m}
        return {"kind": "zone", "code": task.zone.code, "name": task.zone.name, "polygon": task.zone.polygon}


class PatrolBandSerializer(serializers.ModelSerializer):
    tasks = PatrolTaskSerializer(many=True, read_only=True)

    class Meta:
        model = PatrolBand
        fields = ["id", "starts_at", "ends_at", "mode", "tasks"]
        read_only_fields = fields


class PatrolPlanSerializer(serializers.ModelSerializer):
    bands = PatrolBandSerializer(many=True, read_only=True)
    platform = serializers.IntegerField(source="shift.squad.platform_id", read_only=True)

    class Meta:
        model = PatrolPlan
        fields = ["id", "shift", "platform", "created_by", "created_at", "bands"]
        read_only_fields = fields


class PatrolGenerateSerializer(serializers.Serializer):
    platform = ScopedPlatformField(help_text="Platform id.")
    date = serializers.DateField(help_text="The day (local) whose shifts get plans.")
    replace = serializers.BooleanField(default=False, help_text="Replace plans already made.")


class CoverageQuerySerializer(serializers.Serializer):
    platform = ScopedPlatformField(help_text="Platform id.")
    date = serializers.DateField(required=False, help_text="The day (local); today by default.")

    def validate(self, attrs):
        attrs.setdefault("date", timezone.localdate())
        return attrs




class PatrolTaskWriteSerializer(serializers.ModelSerializer):
    """A supervisor's own assignment: a must-patrol point, route or zone for a unit of the band's shift."""

    class Meta:
        model = PatrolTask
        fields = ["id", "band", "unit", "point", "route", "zone"]

    def get_fields(self):
        fields = super().get_fields()
        platform_ids = access_of(self.context["request"]).platform_ids
        for name, path in (("band", "plan__shift__squad__platform_id"), ("unit", "platform_id"), ("point", "platform_id"),
                           ("route", "platform_id"), ("zone", "platform_id")):
            fields[name].queryset = scoped(fields[name].queryset, platform_ids, path)
        return fields

    def validate(self, attrs):
        merged = {name: attrs.get(name, getattr(self.instance, name, None))
                  for name in ("band", "unit", "point", "route", "zone")}
        if sum(merged[name] is not None for name in ("point", "route", "zone")) != 1:
            raise serializers.ValidationError(_("Give exactly one of a must-patrol point, a route or a zone."))
        if merged["unit"].shift_id != merged["band"].plan.shift_id:
            raise serializers.ValidationError({"unit": [_("The unit is not on this band's shift.")]})
        target = merged["point"] or merged["route"] or merged["zone"]
        if target.platform_id != merged["unit"].platform_id:
            raise serializers.ValidationError(_("The target belongs to another platform."))
        return attrs
