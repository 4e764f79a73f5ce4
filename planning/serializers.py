"""What the planning API reads and answers: stands, plans with their report, move-ups."""
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from common.rest import CheckedModelSerializer
from planning.models import CoverageSample, DeploymentPlan, MoveUp, PlannedMove, Stand
from platforms.models import District


class StandSerializer(CheckedModelSerializer):
    scoped_relations = {"platform": "id"}

    class Meta:
        model = Stand
        fields = ["id", "platform", "code", "name", "name_en", "kind", "lon", "lat", "active"]


class PlanRequestSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text=_("The start of a band of the patrol plan (local time)."))
    district = serializers.PrimaryKeyRelatedField(queryset=District.objects.all(), required=False, allow_null=True,
                                                  help_text=_("Leave out for the whole city (administrators)."))


class PlannedMoveSerializer(serializers.ModelSerializer):
    platform_code = serializers.CharField(source="platform.code", read_only=True)
    stand_code = serializers.CharField(source="stand.code", read_only=True)

    class Meta:
        model = PlannedMove
        fields = ["id", "platform", "platform_code", "stand", "stand_code", "due_at", "status", "done_at", "note"]


class PlanSerializer(serializers.ModelSerializer):
    """A plan as listed: its band, scope, state and who asked and approved."""

    platforms = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    accepted_by = serializers.CharField(source="accepted_by.username", read_only=True, default=None)

    class Meta:
        model = DeploymentPlan
        fields = ["id", "district", "platforms", "starts_at", "ends_at", "mode", "status", "progress", "stage", "error",
                  "staffing", "created_by", "created_at", "accepted_by", "accepted_at", "version"]


class PlanDetailSerializer(PlanSerializer):
    """A plan with its report (`planning.report`) and the platform moves it scheduled."""

    moves = PlannedMoveSerializer(many=True, read_only=True)

    class Meta(PlanSerializer.Meta):
        fields = [*PlanSerializer.Meta.fields, "rosters", "result", "moves"]


class MoveUpSerializer(serializers.ModelSerializer):
    call_sign = serializers.CharField(source="unit.call_sign", read_only=True)
    platform = serializers.IntegerField(source="unit.platform_id", read_only=True)
    ordered_by = serializers.CharField(source="ordered_by.username", read_only=True, default=None)

    class Meta:
        model = MoveUp
        fields = ["id", "unit", "call_sign", "platform", "status", "made_at", "from_lon", "from_lat", "to_lon", "to_lat",
                  "to_label", "drive_s", "gain", "coverage_before", "coverage_after", "ordered_by", "ordered_at", "due_by",
                  "ended_at", "version"]


class RelocationRouteSerializer(serializers.Serializer):
    duration_s = serializers.FloatField()
    distance_m = serializers.FloatField()
    geometry = serializers.JSONField()
    steps = serializers.JSONField()
    estimated = serializers.BooleanField()


class MoveUpOrderedSerializer(serializers.Serializer):
    move_up = MoveUpSerializer()
    route = RelocationRouteSerializer()


class CoverageSampleSerializer(serializers.ModelSerializer):
    class Meta:
        model = CoverageSample
        fields = ["at", "expected", "by_class", "uncovered", "free_units", "suggested"]


class ComplianceSerializer(serializers.Serializer):
    ordered = serializers.IntegerField()
    by_status = serializers.DictField(child=serializers.IntegerField())
    arrived_share = serializers.FloatField(allow_null=True)
    coverage_mean = serializers.FloatField(allow_null=True)
    samples = serializers.IntegerField()
