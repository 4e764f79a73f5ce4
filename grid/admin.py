"""Admin for space: the served area, zones, key sites, must-patrol points and routes.

Forms run the models' `clean()`, so geometry is validated (shapely) before it is saved.
"""
from django.contrib import admin

from grid.models import CongestionBand, KeySite, PatrolPoint, PatrolRoute, ServedArea, Zone


@admin.register(ServedArea)
class ServedAreaAdmin(admin.ModelAdmin):
    list_display = ("name", "source", "updated_at")
    readonly_fields = ("updated_at",)

    def has_add_permission(self, request):
        # One row only (a CHECK pins its id): edit the existing outline instead of adding one.
        return super().has_add_permission(request) and not ServedArea.objects.exists()


@admin.register(Zone)
class ZoneAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "platform", "response_class", "min_cover_units", "updated_at")
    list_filter = ("response_class", "platform")
    list_select_related = ("platform",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("platform",)
    readonly_fields = ("updated_at",)


@admin.register(KeySite)
class KeySiteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "kind", "radius_m", "lon", "lat")
    list_filter = ("kind",)
    search_fields = ("code", "name", "name_en")


@admin.register(PatrolPoint)
class PatrolPointAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "platform", "radius_m", "dwell_s")
    list_filter = ("platform",)
    list_select_related = ("platform",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("platform",)


@admin.register(PatrolRoute)
class PatrolRouteAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "name_en", "platform", "corridor_m", "length_m")
    list_filter = ("platform",)
    list_select_related = ("platform",)
    search_fields = ("code", "name", "name_en")
    autocomplete_fields = ("platform",)
    readonly_fields = ("length_m",)  # measured from the line in clean()


@admin.register(CongestionBand)
class CongestionBandAdmin(admin.ModelAdmin):
    """Hand-made bands override the fleet's measured congestion (grid/congestion.py); 1 to 5, never below 1."""

    list_display = ("zone", "starts", "ends", "factor", "weekdays_only")
    list_filter = ("weekdays_only", "zone")
    list_select_related = ("zone",)
    autocomplete_fields = ("zone",)
