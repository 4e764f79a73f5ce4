"""Districts, platforms and their moves, squads, officers, vehicles, shifts and units as JSON.

Related fields of roster rows are scoped (`scoped_relations`): a supervisor can only point at the
squads, officers and vehicles of their own platforms.
"""
import math
import re
from datetime import datetime, timedelta
from datetime import timezone as dt_timezone

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import serializers

from common import json_depth
from common.rest import CheckedModelSerializer
from platforms.models import (
    Capability,
    District,
    Officer,
    Platform,
    PlatformMove,
    Shift,
    Skill,
    Squad,
    Unit,
    UnitStatus,
    Vehicle,
)
from platforms.positions import Fix
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
        read_only_fields = ["approved"]  # approval goes through the roster's checks (roster-periods/{id}/approve)


class UnitSerializer(CheckedModelSerializer):
    """Status and position are read-only here: status moves through `units/{id}/status` (the
    transition table) and assignments; positions come from the vehicles' trackers."""

    scoped_relations = {"platform": "id", "shift": "squad__platform_id", "vehicle": "platform_id",
                        "officers": "platform_id"}
    capabilities = serializers.ListField(child=serializers.ChoiceField(choices=Capability.choices), required=False)
    on_duty = serializers.SerializerMethodField(help_text="On an approved shift right now.")
    stale = serializers.SerializerMethodField(
        help_text="No position fix for STALE_FIX_AFTER_S seconds (per the unit's row: a few seconds behind the map).")

    class Meta:
        model = Unit
        fields = ["id", "call_sign", "shift", "platform", "vehicle", "officers", "capabilities", "status",
                  "status_changed_at", "status_reason", "lon", "lat", "last_fix_at", "on_duty", "stale", "version"]
        read_only_fields = ["status", "status_changed_at", "status_reason", "lon", "lat", "last_fix_at", "version"]
        extra_kwargs = {"officers": {"required": False}}  # a unit may be set up before it is crewed

    def get_on_duty(self, unit) -> bool:
        return unit.is_on_duty()

    def get_stale(self, unit) -> bool:
        quiet_since = timezone.now() - timedelta(seconds=settings.STALE_FIX_AFTER_S)
        return unit.last_fix_at is None or unit.last_fix_at < quiet_since

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
    reason = serializers.CharField(required=False, default="", allow_blank=True, max_length=200,
                                   help_text="Why the unit is unavailable (required then; a meal break, a vehicle "
                                             "fault); shown on the console.")


# --- live positions (AVL) ----------------------------------------------------------------------
# A batch is parsed by hand, not by a ListSerializer: at 500 fixes a request DRF's per-field
# machinery cost more than the whole accept (see the ingest benchmark). The serializers below
# describe the same shapes for the OpenAPI schema.

KNOTS_TO_MPS = 1852.0 / 3600.0
_FIX_NUMBERS = {"speed": "speed_mps", "bearing": "bearing", "accuracy": "accuracy_m", "battery": "battery"}


def fixes_from_batch(data, *, limit: int) -> list[Fix]:
    """`{"fixes": [{"unit", "lon", "lat", "at", "speed"?, "bearing"?, "accuracy"?, "battery"?}]}` as
    fixes; a malformed item refuses the whole batch with its index."""
    items = data.get("fixes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise serializers.ValidationError({"fixes": [_("Send a non-empty list of fixes.")]})
    if len(items) > limit:
        raise serializers.ValidationError({"fixes": [_("At most %(limit)d fixes per request.") % {"limit": limit}]})
    fixes = []
    for index, item in enumerate(items):
        try:
            fixes.append(_batch_fix(item))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"fixes": {index: error.detail}}) from None
    return fixes


_NUMBER_TYPES = (int, float)


def _batch_fix(item) -> Fix:
    """The common well-formed item takes the short way; anything else is checked field by field."""
    if not isinstance(item, dict):
        raise serializers.ValidationError([_("Each fix is an object.")])
    fix = _well_formed_fix(item)
    return fix if fix is not None else _checked_fix(item)


def _well_formed_fix(item: dict) -> Fix | None:
    unit, lon, lat, at = item.get("unit"), item.get("lon"), item.get("lat"), item.get("at")
    numbers = [item.get(name) for name in _FIX_NUMBERS]
    if (type(unit) is not int or type(lon) not in _NUMBER_TYPES or type(lat) not in _NUMBER_TYPES
            or type(at) is not str or any(value is not None and type(value) not in _NUMBER_TYPES for value in numbers)):
        return None
    try:
        at = datetime.fromisoformat(at)
    except ValueError:
        return None
    if at.tzinfo is None:
        return None
    return Fix(unit_id=unit, lon=lon, lat=lat, at=at, speed_mps=numbers[0], bearing=numbers[1], accuracy_m=numbers[2],
               battery=numbers[3])


def _checked_fix(item: dict) -> Fix:
    errors, values = {}, {}
    for name in ("unit", "lon", "lat", "at", *_FIX_NUMBERS):
        try:
            values[name] = _batch_value(name, item.get(name))
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise serializers.ValidationError(errors)
    return Fix(unit_id=values["unit"], lon=values["lon"], lat=values["lat"], at=values["at"],
               **{field: values[name] for name, field in _FIX_NUMBERS.items()})


def _batch_value(name: str, value):
    if value is None:
        if name in ("unit", "lon", "lat", "at"):
            raise ValueError(_("This field is required."))
        return None
    if name == "at":
        return fix_time(value, naive_utc=False)
    if isinstance(value, bool) or not isinstance(value, int if name == "unit" else (int, float)):
        raise ValueError(_("A whole number is required.") if name == "unit" else _("A number is required."))
    return value


def fix_time(value, *, naive_utc: bool) -> datetime:
    """ISO 8601, or unix time in seconds or (from 2^31 on, as Traccar reads it) milliseconds."""
    if isinstance(value, str) and _UNIX_TIME.fullmatch(value.strip()):
        value = float(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not math.isfinite(value) or not 0 <= value < 1e14:
            raise ValueError(_("The time is out of range."))
        return datetime.fromtimestamp(value / 1000.0 if value >= 2**31 else value, dt_timezone.utc)
    try:
        parsed = datetime.fromisoformat(value.strip()) if isinstance(value, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValueError(_("Give the time as ISO 8601 or unix seconds."))
    if parsed.tzinfo is None:
        if not naive_utc:
            raise ValueError(_("Give the time with its UTC offset."))
        parsed = parsed.replace(tzinfo=dt_timezone.utc)
    return parsed


_UNIX_TIME = re.compile(r"\d+(\.\d+)?")


def fix_from_osmand(params) -> Fix:
    """One fix in the OsmAnd / Traccar Client protocol: `id`, `lat`, `lon` (or `location=lat,lon`),
    `timestamp`, `speed` in knots, `bearing` (or `heading`), `accuracy`, `batt`; `altitude` unused."""
    device = (params.get("id") or params.get("deviceid") or "").strip()
    if not device:
        raise ValueError("missing id")
    lat, lon = params.get("lat"), params.get("lon")
    if (lat is None or lon is None) and params.get("location"):
        lat, _comma, lon = params["location"].partition(",")
    if lat is None or lon is None:
        raise ValueError("missing lat/lon")
    stamp = params.get("timestamp")
    speed = _param_number(params, "speed")
    return Fix(device_id=device, lat=_number(lat, "lat"), lon=_number(lon, "lon"),
               at=timezone.now() if stamp in (None, "") else _param_time(stamp),
               speed_mps=None if speed is None else speed * KNOTS_TO_MPS,
               bearing=_param_number(params, "bearing", "heading"), accuracy_m=_param_number(params, "accuracy"),
               battery=_param_number(params, "batt"))


def fix_from_osmand_json(raw: bytes) -> Fix:
    """The JSON body newer Traccar Client versions POST to the same address (the background
    geolocation format): `{"device_id", "location": {"timestamp", "coords": {"latitude",
    "longitude", "speed" (m/s), "heading", "accuracy"}, "battery": {"level" 0-1}}}`; -1 is unknown."""
    try:
        body = json_depth.loads(raw)  # bounded: a body nested thousands deep is refused, not recursed into
    except ValueError:
        raise ValueError("bad json") from None
    location = body.get("location") if isinstance(body, dict) else None
    coords = location.get("coords") if isinstance(location, dict) else None
    device = body.get("device_id") if isinstance(body, dict) else None
    if not isinstance(device, str) or not device.strip():
        raise ValueError("missing device_id")
    if not isinstance(coords, dict) or coords.get("latitude") is None or coords.get("longitude") is None:
        raise ValueError("missing location")
    battery = location.get("battery") if isinstance(location.get("battery"), dict) else {}
    level = _json_number(battery, "level")
    stamp = location.get("timestamp")
    return Fix(device_id=device.strip(), lat=_number(coords["latitude"], "lat"),
               lon=_number(coords["longitude"], "lon"),
               at=timezone.now() if stamp in (None, "") else _param_time(stamp),
               speed_mps=_json_number(coords, "speed"), bearing=_json_number(coords, "heading"),
               accuracy_m=_json_number(coords, "accuracy"), battery=None if level is None else level * 100)


def _json_number(values: dict, name: str) -> float | None:
    value = values.get(name)
    if value is None or (isinstance(value, (int, float)) and value < 0):
        return None  # the background geolocation library sends -1 for "not known"
    return _number(value, name)


def _param_time(stamp: str) -> datetime:
    try:
        return fix_time(stamp, naive_utc=True)
    except ValueError:
        raise ValueError("bad timestamp") from None


def _param_number(params, *names: str) -> float | None:
    for name in names:
        if params.get(name) not in (None, ""):
            return _number(params[name], name)
    return None


def _number(text, name: str) -> float:
    if isinstance(text, bool):
        raise ValueError(f"bad {name}")
    try:
        return float(text)
    except (TypeError, ValueError):
        raise ValueError(f"bad {name}") from None


class FixInSerializer(serializers.Serializer):
    unit = serializers.IntegerField(help_text="The unit reporting (an officer may report only for their own).")
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    at = serializers.DateTimeField(help_text="When the fix was taken: ISO 8601 with offset, or unix seconds/ms.")
    speed = serializers.FloatField(required=False, allow_null=True, help_text="m/s")
    bearing = serializers.FloatField(required=False, allow_null=True, help_text="degrees from north, 0-360")
    accuracy = serializers.FloatField(required=False, allow_null=True, help_text="metres")
    battery = serializers.FloatField(required=False, allow_null=True, help_text="percent")


class PositionBatchSerializer(serializers.Serializer):
    fixes = FixInSerializer(many=True, help_text="Up to AVL_BATCH_MAX (500) fixes, any units, any order.")


class IngestResultSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.DictField(child=serializers.IntegerField(), help_text="Refused or ignored fixes by reason.")
    outcomes = serializers.ListField(child=serializers.CharField(), help_text="Per fix: accepted or the reason.")


class LivePositionSerializer(serializers.Serializer):
    unit = serializers.IntegerField(source="unit_id")
    call_sign = serializers.CharField()
    platform = serializers.IntegerField()
    status = serializers.CharField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    at = serializers.DateTimeField()
    speed_mps = serializers.FloatField(allow_null=True)
    stale = serializers.BooleanField()


class SuspectUnitSerializer(serializers.Serializer):
    unit = serializers.IntegerField()
    lon = serializers.FloatField(help_text="Where the implausible report put it.")
    lat = serializers.FloatField()
    at = serializers.DateTimeField()


class PositionStatsSerializer(serializers.Serializer):
    accepted = serializers.IntegerField()
    rejected = serializers.DictField(child=serializers.IntegerField())
    sources = serializers.DictField(child=serializers.IntegerField(), help_text="Fixes received by interface.")
    track_backlog = serializers.IntegerField(help_text="Accepted fixes not yet in PostgreSQL.")
    stale_checked_at = serializers.DateTimeField(allow_null=True)
    stale_units = serializers.ListField(child=serializers.IntegerField())
    suspect_units = SuspectUnitSerializer(many=True, help_text="Units whose last report jumped farther than a "
                                          "vehicle could travel: flagged, not trusted, until a believable fix.")
