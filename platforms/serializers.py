"""Districts, platforms and their moves, squads, officers, vehicles, shifts and units as JSON.

Related fields of roster rows are scoped (`scoped_relations`): a supervisor can only point at the
squads, officers and vehicles of their own platforms.
"""
from rest_framework import serializers

from command.rest import CheckedModelSerializer
from platforms.models import (
    Capability, District, Officer, Platform, PlatformMove, Shift, Skill, Squad, Unit, UnitStatus, Vehicle,
)
from platforms.services import MANUAL_UNIT_STATUSES


class DistrictSerializer(CheckedModelSerializer):
    class Meta:
        model = District
        fields = ["id", "code", "name", "name_en"]


class PlatformSerializer(CheckedModelSerializer):
    class Meta:
        model = Platform
        fields = ["id", "code", "name", "name_en", "district", "mobile", "min_units_on_duty", "lon", "lat", "moved_at"]
        read_only_fields = ["moved_at"]


class PlatformUpdateSerializer(PlatformSerializer):
    """An edit leaves the position alone: a platform changes place only by a recorded move."""

    class Meta(PlatformSerializer.Meta):
        read_only_fields = ["lon", "lat", "moved_at"]


class PlatformMoveSerializer(serializers.ModelSerializer):
    class Meta:
        model = PlatformMove
        fields = ["id", "platform", "from_lon", "from_lat", "to_lon", "to_lat", "reason", "moved_by", "moved_at"]
        read_only_fields = fields


class MoveOrderSerializer(serializers.Serializer):
    """Where a platform goes and why."""

    lon = serializers.FloatField(help_text="Longitude of the new position.")
    lat = serializers.FloatField(help_text="Latitude of the new position.")
    reason = serializers.CharField(max_length=300, help_text="Why it moves: the incidents or traffic it follows.")


class SquadSerializer(CheckedModelSerializer):
    scoped_relations = {"platform": "id"}

    class Meta:
        model = Squad
        fields = ["id", "platform", "number", "name"]
        extra_kwargs = {"number": {"min_value": 1, "max_value": 20}}


class OfficerSerializer(CheckedModelSerializer):
    scoped_relations = {"platform": "id", "squad": "platform_id"}
    skills = serializers.ListField(child=serializers.ChoiceField(choices=Skill.choices), required=False)

    class Meta:
        model = Officer
        # The login link is an administrator's matter (admin site): it grants the officer role's access.
        fields = ["id", "badge_number", "name", "kind", "skills", "platform", "squad", "user", "active"]
        read_only_fields = ["user"]


class VehicleSerializer(CheckedModelSerializer):
    scoped_relations = {"platform": "id"}

    class Meta:
        model = Vehicle
        fields = ["id", "call_number", "kind", "plate", "platform", "gps_device_id", "seats"]
        extra_kwargs = {"seats": {"min_value": 1, "max_value": 12}}


class ShiftSerializer(CheckedModelSerializer):
    scoped_relations = {"squad": "platform_id"}
    platform = serializers.IntegerField(source="squad.platform_id", read_only=True)

    class Meta:
        model = Shift
        fields = ["id", "squad", "platform", "kind", "starts_at", "ends_at", "secondary", "approved"]


class UnitSerializer(CheckedModelSerializer):
    """Status and position are read-only here: status moves through `units/{id}/status` (the
    transition table) and assignments; positions come from the vehicles' trackers."""

    scoped_relations = {"platform": "id", "shift": "squad__platform_id", "vehicle": "platform_id",
                        "officers": "platform_id"}
    capabilities = serializers.ListField(child=serializers.ChoiceField(choices=Capability.choices), required=False)
    on_duty = serializers.SerializerMethodField(help_text="On an approved shift right now.")

    class Meta:
        model = Unit
        fields = ["id", "call_sign", "shift", "platform", "vehicle", "officers", "capabilities", "status",
                  "status_changed_at", "lon", "lat", "last_fix_at", "on_duty", "version"]
        read_only_fields = ["status", "status_changed_at", "lon", "lat", "last_fix_at", "version"]
        extra_kwargs = {"officers": {"required": False}}  # a unit may be set up before it is crewed

    def get_on_duty(self, unit) -> bool:
        return unit.is_on_duty()

    def validate(self, attrs):
        attrs = super().validate(attrs)
        platform = attrs.get("platform") or getattr(self.instance, "platform", None)
        officers = attrs.get("officers", [])
        strangers = [officer.badge_number for officer in officers if officer.platform_id != platform.pk]
        if strangers:
            raise serializers.ValidationError({"officers": [f"Officers of another platform: {', '.join(strangers)}."]})
        return attrs


class UnitStatusChangeSerializer(serializers.Serializer):
    """A status set by hand; dispatched, en route and on scene follow from assignments."""

    status = serializers.ChoiceField(choices=[(status, UnitStatus(status).label) for status in MANUAL_UNIT_STATUSES])
