"""Reads the analysis endpoints and pages share: who sees which briefings, hot-spot patrols, units
and incidents, and the rows a briefing lists."""
from django.utils import timezone
from django.utils.translation import gettext as _

from analysis.models import Briefing, HotSpotPatrol
from analysis.scopes import scope_of_briefing
from common.scoping import scoped
from dispatch.models import Incident
from platforms.models import District, Platform, Unit


def visible_incidents(access):
    return scoped(Incident.objects.all(), access.platform_ids, "zone__platform_id")


def visible_units(access):
    return scoped(Unit.objects.select_related("platform", "shift", "vehicle"), access.platform_ids)


def visible_briefings(access):
    """The city's and everything else for the command centre and leadership; a supervisor the
    briefings of their platforms and of a district all of whose platforms are theirs."""
    briefings = Briefing.objects.select_related("district", "platform")
    allowed = access.platform_ids
    if allowed is None:
        return briefings
    districts = [d.pk for d in District.objects.prefetch_related("platforms")
                 if {p.pk for p in d.platforms.all()} <= allowed and d.platforms.exists()]
    return briefings.filter(platform_id__in=allowed) | briefings.filter(district_id__in=districts)


def visible_hotspot_patrols(access):
    return scoped(HotSpotPatrol.objects.select_related("platform", "point"), access.platform_ids)


def visible_platforms(access):
    return scoped(Platform.objects.select_related("district").order_by("code"), access.platform_ids, "id")


def briefing_title(briefing: Briefing) -> str:
    scope = scope_of_briefing(briefing)
    return _("%(kind)s · %(scope)s · %(start)s to %(end)s") % {
        "kind": briefing.get_kind_display(), "scope": scope.name, "start": briefing.starts_on.isoformat(),
        "end": briefing.ends_on.isoformat()}


def briefing_row(briefing: Briefing) -> dict:
    scope = scope_of_briefing(briefing)
    return {"id": briefing.pk, "kind": briefing.kind, "kind_label": str(briefing.get_kind_display()),
            "title": briefing_title(briefing), "starts_on": briefing.starts_on.isoformat(),
            "ends_on": briefing.ends_on.isoformat(), "scope": scope.as_json(), "status": briefing.status,
            "status_label": str(briefing.get_status_display()), "progress": briefing.progress, "stage": briefing.stage,
            "error": briefing.error, "scheduled": briefing.scheduled,
            "created_at": timezone.localtime(briefing.created_at).isoformat(),
            "finished_at": timezone.localtime(briefing.finished_at).isoformat() if briefing.finished_at else None,
            "page": f"/analysis/briefings/{briefing.pk}/",
            "csv": f"/api/v1/analysis/briefings/{briefing.pk}/incidents.csv",
            "pdf": f"/api/v1/analysis/briefings/{briefing.pk}/briefing.pdf"}


def hotspot_patrol_row(hot_spot: HotSpotPatrol) -> dict:
    return {"id": hot_spot.pk, "cell": hot_spot.cell, "category": hot_spot.category, "platform": hot_spot.platform_id,
            "platform_name": hot_spot.platform.name, "point": {"id": hot_spot.point_id, "code": hot_spot.point.code,
                                                               "name": hot_spot.point.name, "lon": hot_spot.point.lon,
                                                               "lat": hot_spot.point.lat,
                                                               "radius_m": hot_spot.point.radius_m},
            "starts_on": hot_spot.starts_on.isoformat(), "ends_on": hot_spot.ends_on.isoformat(),
            "bands": hot_spot.bands, "found": hot_spot.found, "page": f"/analysis/hotspot-patrols/{hot_spot.pk}/",
            "created_at": timezone.localtime(hot_spot.created_at).isoformat()}
