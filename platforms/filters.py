"""Query-string filters for the resource lists."""
import django_filters
from django.db.models import Q
from django.utils import timezone

from platforms.models import Officer, Platform, Shift, Squad, Unit, Vehicle


class PlatformFilter(django_filters.FilterSet):
    class Meta:
        model = Platform
        fields = ["district", "mobile", "code"]


class SquadFilter(django_filters.FilterSet):
    class Meta:
        model = Squad
        fields = ["platform", "number"]


class OfficerFilter(django_filters.FilterSet):
    class Meta:
        model = Officer
        fields = ["platform", "squad", "kind", "active", "badge_number"]


class VehicleFilter(django_filters.FilterSet):
    class Meta:
        model = Vehicle
        fields = ["platform", "kind", "call_number"]


class ShiftFilter(django_filters.FilterSet):
    platform = django_filters.NumberFilter(field_name="squad__platform", label="Platform id")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")

    class Meta:
        model = Shift
        fields = ["platform", "squad", "kind", "approved", "secondary", "starts_after", "starts_before"]


def on_duty_now(at=None) -> Q:
    """Units on an approved shift at `at` (now): the one rule of who is on duty, as `Unit.is_on_duty`."""
    at = at or timezone.now()
    return Q(shift__approved=True, shift__starts_at__lte=at, shift__ends_at__gt=at)


class UnitFilter(django_filters.FilterSet):
    on_duty = django_filters.BooleanFilter(method="filter_on_duty", label="On an approved shift now")

    class Meta:
        model = Unit
        fields = ["platform", "status", "shift", "vehicle", "call_sign", "on_duty"]

    def filter_on_duty(self, queryset, name, value):
        return queryset.filter(on_duty_now()) if value else queryset.exclude(on_duty_now())
