"""Query-string filters for incidents and assignments."""
import django_filters

from dispatch.models import (
    ACTIVE_ASSIGNMENT_STATUSES, OPEN_INCIDENT_STATUSES, Assignment, AssignmentStatus, Category, Incident,
    IncidentStatus,
)


class IncidentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=IncidentStatus.choices)
    category = django_filters.MultipleChoiceFilter(choices=Category.choices)
    received_after = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="gte")
    received_before = django_filters.IsoDateTimeFilter(field_name="received_at", lookup_expr="lt")
    open = django_filters.BooleanFilter(method="filter_open", label="Still open (received to on scene)")

    class Meta:
        model = Incident
        fields = ["status", "category", "priority", "zone", "key_site", "at_risk", "received_after",
                  "received_before", "open", "number"]

    def filter_open(self, queryset, name, value):
        lookup = {"status__in": OPEN_INCIDENT_STATUSES}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.MultipleChoiceFilter(choices=AssignmentStatus.choices)
    active = django_filters.BooleanFilter(method="filter_active", label="Still active (assigned to on scene)")

    class Meta:
        model = Assignment
        fields = ["incident", "unit", "status", "active"]

    def filter_active(self, queryset, name, value):
        lookup = {"status__in": ACTIVE_ASSIGNMENT_STATUSES}
        return queryset.filter(**lookup) if value else queryset.exclude(**lookup)
