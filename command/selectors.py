"""Reads for the role pages: what each page's template and script are rendered from."""
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from common.names import local_name
from common.scoping import scoped
from dispatch.models import OPEN_INCIDENT_STATUSES, Category, Incident, Priority
from dispatch.selectors import response_figures
from grid import basemap
from grid.models import KeySite, PatrolPoint, Zone
from grid.selectors import served_area
from platforms.filters import on_duty_now
from platforms.models import Officer, Platform, Shift, Unit
from services.models import Appointment, ServiceType


def console_context() -> dict:
    return {
        "open_incidents": Incident.objects.filter(status__in=OPEN_INCIDENT_STATUSES).select_related("zone")[:100],
        "platforms": Platform.objects.select_related("district"),
    }


def tablet_context(officer) -> dict:
    units = Unit.objects.filter(officers=officer).select_related("shift", "vehicle") if officer else Unit.objects.none()
    now = timezone.now()
    unit = units.filter(shift__starts_at__lte=now, shift__ends_at__gt=now).first()
    assignments = unit.assignments.select_related("incident").order_by("-assigned_at")[:10] if unit else []
    return {"officer": officer, "unit": unit, "assignments": assignments}


def supervisor_context(platform_ids) -> dict:
    today = timezone.localdate()
    shifts = scoped(Shift.objects.select_related("squad__platform"), platform_ids, "squad__platform_id")
    return {
        "platforms": scoped(Platform.objects.select_related("district"), platform_ids, "id"),
        "shifts_today": shifts.filter(starts_at__date=today),
        "units": scoped(Unit.objects.select_related("vehicle", "shift"), platform_ids)
        .filter(shift__starts_at__lte=timezone.now(), shift__ends_at__gt=timezone.now()),
    }


def desk_context(platform_ids) -> dict:
    return {
        "service_types": ServiceType.objects.all(),
        "appointments": scoped(Appointment.objects.select_related("service_type", "platform"), platform_ids)
        .filter(starts_at__date=timezone.localdate()),
    }


# --- page contexts: the reads above plus what each page's template and script need ------------

# The console's alert sounds (static/command/sounds/): one per kind a dispatcher must hear.
ALERT_SOUNDS = ("new_call", "at_risk", "ack_timeout", "officer_message")


def console_page() -> dict:
    """The console's reads plus the data its map draws (a json_script tag read by console.js)."""
    context = {**console_context(), "call_categories": Category.choices, "call_priorities": Priority.choices,
               "alert_sounds": ALERT_SOUNDS}
    context["map_data"] = console_map_data(context["platforms"], context["open_incidents"])
    context.update(console_tiles())
    if "map_tiles" not in context:
        context["map_data"]["basemap"] = console_basemap()
    return context


OSM_ATTRIBUTION = "© OpenStreetMap contributors (ODbL)"


def console_tiles() -> dict:
    """An external raster tile server (an internal police GIS, an OSM tile server) when one is
    configured; it replaces our own road tiles."""
    url = getattr(settings, "MAP_TILE_URL", "")
    if not url:
        return {}
    return {"map_tiles": url, "map_attribution": getattr(settings, "MAP_TILE_ATTRIBUTION", "") or OSM_ATTRIBUTION}


def console_basemap() -> dict | None:
    """Our own road tiles (grid.basemap), or None before a road network is imported. The URL names
    the network's version, so the browser may keep a tile for good until the network changes."""
    network = basemap.active_network()
    if network is None:
        return None
    sha256, _, *bbox = network
    url = reverse("basemap-tile", args=(0, 0, 0)).replace("/0/0/0.json", "/{z}/{x}/{y}.json")
    return {"url": f"{url}?v={basemap.network_version(sha256)}", "min_zoom": basemap.MIN_ZOOM,
            "max_zoom": basemap.MAX_ZOOM, "bounds": bbox, "attribution": OSM_ATTRIBUTION}


def console_map_data(platforms, incidents) -> dict:
    """Plain JSON for the map. Iterating the querysets fills their caches, so the template's
    own loops over them cost no second query."""
    return {
        "served_area": list(served_area().bounds),
        "zones": [_zone_json(zone) for zone in Zone.objects.all()],
        "key_sites": [{"id": site.pk, "code": site.code, "name": local_name(site), "lon": site.lon, "lat": site.lat,
                       "radius_m": site.radius_m} for site in KeySite.objects.all()],
        "patrol_points": [{"id": point.pk, "code": point.code, "name": local_name(point), "lon": point.lon,
                           "lat": point.lat} for point in PatrolPoint.objects.all()],
        "platforms": [_platform_json(platform) for platform in platforms],
        "incidents": [_incident_json(incident) for incident in incidents],
    }


def _zone_json(zone) -> dict:
    return {"id": zone.pk, "code": zone.code, "name": local_name(zone), "response_class": zone.response_class,
            "polygon": zone.polygon}


def _platform_json(platform) -> dict:
    return {"id": platform.pk, "code": platform.code, "name": local_name(platform), "mobile": platform.mobile,
            "district": local_name(platform.district), "lon": platform.lon, "lat": platform.lat}


def _incident_json(incident) -> dict:
    # Labels are resolved here, in the request's language, so the script needs no catalogue.
    return {"id": incident.pk, "number": incident.number, "category": str(incident.get_category_display()),
            "priority": incident.priority, "status": str(incident.get_status_display()),
            "at_risk": incident.at_risk, "lon": incident.lon, "lat": incident.lat}


def tablet_page(officer) -> dict:
    """The tablet's reads plus the one assignment the crew is working on now, if any."""
    context = tablet_context(officer)
    context["current_assignment"] = next((a for a in context["assignments"] if a.is_active), None)
    context["patrol_tasks"] = patrol_tasks_of(context["unit"])
    return context


def patrol_tasks_of(unit) -> list:
    """The unit's patrol tasks for its shift (platforms.patrol), in band order, with the band running now marked."""
    if unit is None:
        return []
    now = timezone.now()
    tasks = list(unit.patrol_tasks.select_related("band", "point", "route", "zone").order_by("band__starts_at", "pk"))
    for task in tasks:
        task.now = task.band.starts_at <= now < task.band.ends_at
    return tasks


def supervisor_page(platform_ids) -> dict:
    """The supervisor's reads, with the units' platforms joined: one query for the whole table."""
    context = supervisor_context(platform_ids)
    context["units"] = context["units"].select_related("platform").order_by("platform__code", "call_sign")
    context.update(supervisor_map(context["platforms"], platform_ids))
    return context


def supervisor_map(platforms, platform_ids) -> dict:
    """The supervisor's live map (static/command/pages/supervisor.js): their platforms and zones on the
    console's basemap; units and incidents come from the console snapshot and socket, scoped by the server."""
    zones = scoped(Zone.objects.all(), platform_ids)
    context = {"map_data": {"served_area": list(served_area().bounds), "zones": [_zone_json(zone) for zone in zones],
                            "platforms": [_platform_json(platform) for platform in platforms]}}
    context.update(console_tiles())
    if "map_tiles" not in context:
        context["map_data"]["basemap"] = console_basemap()
    return context


def supervisor_day(platform_ids) -> dict:
    """Officers crewing units on duty now and today's incidents (Asia/Shanghai) with their 1/3/5
    figures, in the supervisor's scope (None: the whole city, for an administrator)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    incidents = Incident.objects.filter(received_at__gte=start).select_related("zone").order_by("-received_at")
    incidents = scoped(incidents, platform_ids, "zone__platform_id")
    officers = scoped(Officer.objects.filter(units__in=Unit.objects.filter(on_duty_now())).distinct(), platform_ids)
    figures = response_figures(incidents)
    return {
        "officers_on_duty": officers.select_related("platform").order_by("platform__code", "name"),
        "incidents_today": incidents[:200],
        "figures_today": [(name, figures[name]) for name in ("key_site", "city_centre", "other", "overall")],
        "unreached_today": figures["waiting_or_unreached"],
    }
