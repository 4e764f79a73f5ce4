"""What the handset endpoints read and answer (platforms/handset_api.py)."""
from django.utils.translation import gettext as _
from rest_framework import serializers

from platforms.positions import Fix
from platforms.serializers import IngestResultSerializer, fix_time

NUMBERS = {"speed": "speed_mps", "bearing": "bearing", "accuracy": "accuracy_m", "battery": "battery"}


class HandsetFixInSerializer(serializers.Serializer):
    officer = serializers.IntegerField(required=False, help_text="Whose handset: an officer reports for themself "
                                       "and leaves it out; the command centre (its simulator) names the officer.")
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    at = serializers.DateTimeField(help_text="When the fix was taken: ISO 8601 with offset, or unix seconds/ms.")
    speed = serializers.FloatField(required=False, allow_null=True, help_text="m/s")
    bearing = serializers.FloatField(required=False, allow_null=True, help_text="degrees from north, 0-360")
    accuracy = serializers.FloatField(required=False, allow_null=True, help_text="metres")
    battery = serializers.FloatField(required=False, allow_null=True, help_text="percent")


class HandsetReportSerializer(serializers.Serializer):
    fixes = HandsetFixInSerializer(many=True, help_text="Up to HANDSET_BATCH_MAX (120) fixes, oldest first or not.")


class HandsetResultSerializer(IngestResultSerializer):
    officers = serializers.ListField(child=serializers.IntegerField(), help_text="The officers reported for.")


class OfficerOnMapSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    badge = serializers.CharField()
    kind = serializers.CharField()
    unit = serializers.IntegerField(help_text="The crew (unit) the officer is on duty in.")
    call_sign = serializers.CharField()
    platform = serializers.IntegerField()
    lon = serializers.FloatField()
    lat = serializers.FloatField()
    at_ms = serializers.IntegerField(help_text="The fix's time, epoch milliseconds.")
    stale = serializers.BooleanField()
    away_m = serializers.IntegerField(allow_null=True, help_text="Metres from the unit's own position.")
    spread = serializers.BooleanField(help_text="The crew's members are farther apart than CREW_SPREAD_M.")


def handset_fixes(data, *, limit: int) -> list[tuple[int | None, Fix]]:
    """[(officer or None, fix)] from `{"fixes": [...]}`; a malformed item refuses all with its index."""
    items = data.get("fixes") if isinstance(data, dict) else None
    if not isinstance(items, list) or not items:
        raise serializers.ValidationError({"fixes": [_("Send a non-empty list of fixes.")]})
    if len(items) > limit:
        raise serializers.ValidationError({"fixes": [_("At most %(limit)d fixes per request.") % {"limit": limit}]})
    found = []
    for index, item in enumerate(items):
        try:
            found.append(_fix(item))
        except serializers.ValidationError as error:
            raise serializers.ValidationError({"fixes": {index: error.detail}}) from None
    return found


def _fix(item) -> tuple[int | None, Fix]:
    if not isinstance(item, dict):
        raise serializers.ValidationError([_("Each fix is an object.")])
    errors, values = {}, {}
    for name in ("officer", "lon", "lat", "at", *NUMBERS):
        try:
            values[name] = _value(name, item.get(name))
        except ValueError as error:
            errors[name] = [str(error)]
    if errors:
        raise serializers.ValidationError(errors)
    return values["officer"], Fix(lon=values["lon"], lat=values["lat"], at=values["at"],
                                  **{field: values[name] for name, field in NUMBERS.items()})


def _value(name: str, value):
    if value is None:
        if name in ("lon", "lat", "at"):
            raise ValueError(_("This field is required."))
        return None
    if name == "at":
        return fix_time(value, naive_utc=False)
    whole = name == "officer"
    if isinstance(value, bool) or not isinstance(value, int if whole else (int, float)):
        raise ValueError(_("A whole number is required.") if whole else _("A number is required."))
    return value
