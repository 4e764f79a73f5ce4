"""The review pages (研判, analysis/): incident search, an incident's trace, track playback, the
briefings (reports) page and one briefing with its charts, hot spots with the hot-spot patrol form,
and a hot-spot patrol's effect. For dispatchers, supervisors (their platforms), leadership (the
city, read only) and administrators. Thin: authorize, read, render; the pages' data comes from the
analysis API, so what a page shows is what the API allows."""
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from analysis import hotspot_patrols, selectors as analysis_selectors, trace
from analysis.briefings import traffic_rows
from analysis.models import BriefingKind
from command import selectors
from common.names import local_name
from common.roles import Role, access_of
from dispatch.models import Category, IncidentStatus, Priority
from grid.models import Zone
from grid.selectors import served_area

READERS = (Role.DISPATCHER, Role.SUPERVISOR, Role.LEADERSHIP, Role.ADMINISTRATOR)
BRIEFING_RUNNERS = (Role.DISPATCHER, Role.SUPERVISOR, Role.ADMINISTRATOR)
PATROL_SENDERS = (Role.SUPERVISOR, Role.ADMINISTRATOR)
# The patrol plans' day bands (platforms.patrol.DAY_BANDS) a hot-spot patrol may be sent in.
PATROL_BANDS = ((7, 9), (9, 17), (17, 19), (19, 22), (22, 24), (0, 7))


def _require(request):
    access = access_of(request)
    if access.role not in READERS:
        raise PermissionDenied(_("Your role may not open this page."))
    return access


def _map_context() -> dict:
    context = {**selectors.console_tiles()}
    data = {"served_area": list(served_area().bounds)}
    if "map_tiles" not in context:
        data["basemap"] = selectors.console_basemap()
    return {**context, "map_data": data}


def _choices(access) -> dict:
    platforms = analysis_selectors.visible_platforms(access)
    zones = Zone.objects.order_by("code")
    if access.platform_ids is not None:
        zones = zones.filter(platform_id__in=access.platform_ids)
    return {"categories": Category.choices, "statuses": IncidentStatus.choices, "priorities": Priority.choices,
            "platforms": [(p.pk, f"{p.code} {local_name(p)}") for p in platforms],
            "zones": [(z.pk, f"{z.code} {local_name(z)}") for z in zones]}


def search(request):
    access = _require(request)
    return render(request, "analysis/search.html", {**_map_context(), **_choices(access)})


def incident_trace(request, incident_id: int):
    access = _require(request)
    incident = analysis_selectors.visible_incidents(access).select_related("zone", "key_site").filter(pk=incident_id).first()
    if incident is None:
        raise Http404(_("No such incident in your scope."))
    context = {**_map_context(), "incident": incident, "trace": trace.incident_trace(incident, access=access)}
    return render(request, "analysis/trace.html", context)


def track_playback(request):
    access = _require(request)
    now = timezone.localtime()
    context = {**_map_context(), "since": (now - timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M"),
               "until": now.strftime("%Y-%m-%dT%H:%M"), "unit": request.GET.get("unit", ""),
               "units": analysis_selectors.visible_units(access).filter(shift__starts_at__lte=now,
                                                                       shift__starts_at__gte=now - timedelta(days=2))
               .order_by("platform__code", "call_sign")[:300]}
    return render(request, "analysis/tracks.html", context)


def briefings(request):
    access = _require(request)
    rows = [analysis_selectors.briefing_row(b) for b in analysis_selectors.visible_briefings(access)
            .order_by("-starts_on", "-created_at", "-id")[:100]]
    context = {"briefings": rows, "may_run": access.role in BRIEFING_RUNNERS, "kinds": BriefingKind.choices,
               "yesterday": (timezone.localdate() - timedelta(days=1)).isoformat(), **_choices(access)}
    return render(request, "analysis/briefings.html", context)


def briefing(request, briefing_id: int):
    access = _require(request)
    found = analysis_selectors.visible_briefings(access).filter(pk=briefing_id).first()
    if found is None:
        raise Http404(_("No such briefing in your scope."))
    labels = _chart_labels()
    response = found.figures.get("response") or {}
    # The stored figures are jsonb, whose keys come back in its own order: the classes in theirs.
    context = {"briefing": analysis_selectors.briefing_row(found), "figures": found.figures,
               "title": analysis_selectors.briefing_title(found), "labels": labels,
               "response_rows": [(label, response[name]) for name, label in labels["classes"].items() if name in response],
               "traffic_rows": traffic_rows(found.figures)}
    return render(request, "analysis/briefing.html", context)


def _chart_labels() -> dict:
    return {"series": {"now": _("This period"), "previous": _("Previous period"), "lastYear": _("Last year")},
            "weekdays": [str(WEEKDAYS[n]) for n in range(7)],
            "classes": {"key_site": _("Key sites (60 s)"), "city_centre": _("City centre (180 s)"),
                        "other": _("Other areas (300 s)"), "overall": _("Overall")}}


def hotspots(request):
    access = _require(request)
    context = {**_map_context(), **_choices(access), "may_send": access.role in PATROL_SENDERS,
               "today": timezone.localdate().isoformat(), "bands": PATROL_BANDS,
               "patrols": [analysis_selectors.hotspot_patrol_row(h) for h in
                           analysis_selectors.visible_hotspot_patrols(access)[:20]]}
    return render(request, "analysis/hotspots.html", context)


def hotspot_patrol(request, patrol_id: int):
    access = _require(request)
    found = analysis_selectors.visible_hotspot_patrols(access).filter(pk=patrol_id).first()
    if found is None:
        raise Http404(_("No such hot-spot patrol in your scope."))
    row = analysis_selectors.hotspot_patrol_row(found)
    effect = hotspot_patrols.patrol_effect(found)
    context = {**_map_context(), "patrol": row, "effect": effect, "page_data": {"patrol": row, "effect": effect}}
    return render(request, "analysis/hotspot_patrol.html", context)
