"""What the analysis endpoints accept: every query checked, every range bounded, messages in the
user's language (no raw field names), so bad input is a 400 and never a runaway query."""
import json
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from shapely.geometry import Polygon
from shapely.validation import explain_validity

from analysis.models import BriefingKind
from analysis.search import CLASS_TARGETS
from dispatch.models import Category, IncidentStatus, Priority

MAX_PAGE = 100
MAX_VERTICES = 200


def _choices(text: str, allowed, message) -> tuple:
    values = tuple(v for v in (part.strip() for part in text.split(",")) if v)
    if any(v not in allowed for v in values):
        raise serializers.ValidationError(message)
    return values


def _range_days(start, end) -> None:
    if end <= start:
        raise serializers.ValidationError({"until": _("The range ends before it starts.")})
    if end - start > timedelta(days=settings.ANALYSIS_MAX_RANGE_DAYS):
        raise serializers.ValidationError(
            {"until": _("The range is longer than %(days)d days.") % {"days": settings.ANALYSIS_MAX_RANGE_DAYS}})


def _moment(value) -> datetime:
    """A date means its local midnight."""
    if isinstance(value, datetime):
        return value
    return timezone.make_aware(datetime.combine(value, time(0)), timezone.get_default_timezone())


@extend_schema_field(OpenApiTypes.STR)
class MomentField(serializers.Field):
    """A date (its local midnight) or a date and time (ISO 8601)."""

    default_error_messages = {"invalid": _("Give a date (2026-01-31) or a date and time (2026-01-31T08:00).")}

    def to_internal_value(self, data):
        try:
            return serializers.DateTimeField().to_internal_value(data)
        except serializers.ValidationError:
            pass
        try:
            return _moment(serializers.DateField().to_internal_value(data))
        except serializers.ValidationError:
            self.fail("invalid")

    def to_representation(self, value):
        return value.isoformat()


class SearchInput(serializers.Serializer):
    q = serializers.CharField(max_length=100, required=False, allow_blank=True, default="",
                              help_text="Free text: number, address, description, caller, notes.")
    since = MomentField(required=False, help_text="From (date or date and time); 30 days before `until` if left out.")
    until = MomentField(required=False, help_text="Until (exclusive); now if left out.")
    category = serializers.CharField(required=False, allow_blank=True, default="", help_text="Comma-separated.")
    priority = serializers.CharField(required=False, allow_blank=True, default="", help_text="Comma-separated, 1-4.")
    status = serializers.CharField(required=False, allow_blank=True, default="", help_text="Comma-separated.")
    zone = serializers.IntegerField(required=False, min_value=1)
    platform = serializers.IntegerField(required=False, min_value=1)
    unit = serializers.IntegerField(required=False, min_value=1)
    response_class = serializers.ChoiceField(choices=list(CLASS_TARGETS), required=False, allow_blank=True, default="")
    target = serializers.ChoiceField(choices=["met", "missed"], required=False, allow_blank=True, default="",
                                     help_text="met: on scene within target; missed: on scene, late.")
    area = serializers.CharField(required=False, allow_blank=True, default="", max_length=20000,
                                 help_text="A polygon drawn on the map: JSON [[lon, lat], ...].")
    page = serializers.IntegerField(required=False, min_value=1, default=1)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, default=25)

    def validate_category(self, value):
        return _choices(value, Category.values, _("Unknown category."))

    def validate_priority(self, value):
        return tuple(int(v) for v in _choices(value, [str(p) for p in Priority.values], _("Priorities are 1 to 4.")))

    def validate_status(self, value):
        return _choices(value, IncidentStatus.values, _("Unknown status."))

    def validate_area(self, value):
        return area_polygon(value) if value.strip() else None

    def validate(self, data):
        until = data.get("until") or timezone.now()
        since = data.get("since") or until - timedelta(days=30)
        _range_days(since, until)
        return {**data, "since": since, "until": until}


def area_polygon(text: str) -> Polygon:
    """A drawn area: at least three corners, at most MAX_VERTICES, not crossing itself."""
    try:
        points = json.loads(text)
        coordinates = [(float(lon), float(lat)) for lon, lat in points]
    except (ValueError, TypeError):
        raise serializers.ValidationError(_("Draw the area as a list of [longitude, latitude] corners.")) from None
    if not 3 <= len(coordinates) <= MAX_VERTICES:
        raise serializers.ValidationError(_("An area has from 3 to %(n)d corners.") % {"n": MAX_VERTICES})
    if any(not (-180 <= lon <= 180 and -90 <= lat <= 90) for lon, lat in coordinates):
        raise serializers.ValidationError(_("A corner lies outside the map."))
    polygon = Polygon(coordinates)
    if not polygon.is_valid or polygon.area == 0:
        reason = explain_validity(polygon)
        raise serializers.ValidationError(_("The area crosses itself: draw it again without crossing lines.")
                                          if "intersection" in reason.lower() or polygon.area == 0 else
                                          _("The area is not a simple polygon."))
    return polygon


class ScopeInput(serializers.Serializer):
    platform = serializers.IntegerField(required=False, min_value=1)
    district = serializers.IntegerField(required=False, min_value=1)


class FiguresInput(ScopeInput):
    kind = serializers.ChoiceField(choices=BriefingKind.choices, default=BriefingKind.WEEKLY)
    start = serializers.DateField(help_text="The period's first day (any day of the week or month).")
    end = serializers.DateField(required=False, help_text="The last day: only for a custom range.")
    source = serializers.ChoiceField(choices=["rollups", "raw"], default="rollups")


class BriefingInput(ScopeInput):
    kind = serializers.ChoiceField(choices=BriefingKind.choices)
    start = serializers.DateField()
    end = serializers.DateField(required=False)


class HotSpotInput(ScopeInput):
    start = serializers.DateField(required=False, help_text="First day; 27 days before `end` if left out.")
    end = serializers.DateField(required=False, help_text="Last day; yesterday if left out.")
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")
    band_start = serializers.IntegerField(min_value=0, max_value=23, default=0)
    band_end = serializers.IntegerField(min_value=1, max_value=24, default=24)
    resolution = serializers.IntegerField(min_value=7, max_value=9, default=9)

    def validate(self, data):
        end = data.get("end") or timezone.localdate() - timedelta(days=1)
        start = data.get("start") or end - timedelta(days=27)
        if end < start:
            raise serializers.ValidationError({"end": _("The range ends before it starts.")})
        if (end - start).days + 1 > settings.ANALYSIS_MAX_RANGE_DAYS:
            raise serializers.ValidationError(
                {"end": _("The range is longer than %(days)d days.") % {"days": settings.ANALYSIS_MAX_RANGE_DAYS}})
        if data["band_start"] == data["band_end"]:  # 0 to 24 is the whole day, not an empty band
            raise serializers.ValidationError({"band_end": _("A band needs at least one hour.")})
        return {**data, "start": start, "end": end}


class TrackInput(serializers.Serializer):
    unit = serializers.IntegerField(min_value=1)
    since = MomentField()
    until = MomentField()

    def validate(self, data):
        if data["until"] <= data["since"]:
            raise serializers.ValidationError({"until": _("The range ends before it starts.")})
        if data["until"] - data["since"] > timedelta(hours=settings.ANALYSIS_MAX_TRACK_HOURS):
            raise serializers.ValidationError({"until": _("A playback covers at most %(hours)d hours.")
                                               % {"hours": settings.ANALYSIS_MAX_TRACK_HOURS}})
        return data


class HotSpotPatrolInput(serializers.Serializer):
    cell = serializers.CharField(max_length=16)
    platform = serializers.IntegerField(min_value=1)
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    bands = serializers.ListField(child=serializers.ListField(child=serializers.IntegerField(min_value=0, max_value=24),
                                                              min_length=2, max_length=2), min_length=1, max_length=6,
                                  help_text="[[from hour, to hour], ...], e.g. [[17, 19], [19, 22]].")
    category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True, default="")
