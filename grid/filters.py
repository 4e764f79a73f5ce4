"""Query-string filters for the grid's lists."""
import django_filters

from grid.models import KeySite, PatrolPoint, PatrolRoute, Zone


class ZoneFilter(django_filters.FilterSet):
    class Meta:
        model = Zone
        fields = ["platform", "response_class", "code"]


class KeySiteFilter(django_filters.FilterSet):
    class Meta:
        model = KeySite
        fields = ["kind", "code"]


class PatrolPointFilter(django_filters.FilterSet):
    class Meta:
        model = PatrolPoint
        fields = ["platform", "code"]


class PatrolRouteFilter(django_filters.FilterSet):
    class Meta:
        model = PatrolRoute
        fields = ["platform", "code"]
