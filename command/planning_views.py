"""The supervisor's deployment planning page (布警, /supervisor/planning/): pick a day's band and a
district, run the plan (a worker computes it; the page follows its progress over the API), see
today's placement and the plan side by side with the coverage by class, and accept it. Thin: the
reads are here, every action goes through the REST API (planning.api)."""
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from command import selectors
from common.names import local_name
from common.roles import Role, access_of
from common.scoping import scoped
from grid.models import KeySite, Zone
from grid.selectors import served_area
from planning import bands
from planning.api import plans_in_scope
from planning.models import DeploymentPlan, Stand
from planning.serializers import PlanSerializer
from platforms.models import District, Platform

MODE_LABELS = {"posts": gettext_lazy("Peak: fixed posts"), "routes": gettext_lazy("Off-peak: patrol routes"),
               "community": gettext_lazy("Night: communities and reserve")}


def planning_page(request):
    access = access_of(request)
    if access.role not in (Role.SUPERVISOR, Role.ADMINISTRATOR):
        raise PermissionDenied(_("Your role may not open this page."))
    day = _day(request.GET.get("date"))
    platforms = list(scoped(Platform.objects.select_related("district").order_by("code"), access.platform_ids, "id"))
    context = {"day": day, "previous_day": day - timedelta(days=1), "next_day": day + timedelta(days=1),
               "bands": _bands(day), "districts": _districts(access, platforms), "city_wide": access.platform_ids is None,
               "plans": _recent(access), "map_data": _map_data(platforms), "words": _words(), **selectors.console_tiles()}
    if "map_tiles" not in context:
        context["map_data"]["basemap"] = selectors.console_basemap()
    return render(request, "planning/planning.html", context)


def _day(value: str | None) -> date:
    try:
        return date.fromisoformat(value) if value else timezone.localdate()
    except ValueError:
        return timezone.localdate()


def _bands(day: date) -> list[dict]:
    now = timezone.now()
    return [{"starts_at": b.starts_at.isoformat(), "label": f"{timezone.localtime(b.starts_at):%H:%M}–"
             f"{timezone.localtime(b.ends_at):%H:%M} {MODE_LABELS.get(b.mode, b.mode)}", "over": b.ends_at <= now,
             "now": b.starts_at <= now < b.ends_at} for b in bands.day_bands(day)]


def _districts(access, platforms: list[Platform]) -> list[dict]:
    ids = sorted({p.district_id for p in platforms})
    return [{"id": d.pk, "name": local_name(d)} for d in District.objects.filter(pk__in=ids).order_by("code")]


def _recent(access) -> list[dict]:
    plans = plans_in_scope(DeploymentPlan.objects.select_related("created_by", "accepted_by")
                           .prefetch_related("platforms"), access.platform_ids)
    return PlanSerializer(plans.order_by("-created_at", "-id")[:10], many=True).data


def _map_data(platforms: list[Platform]) -> dict:
    codes = [p.code for p in platforms]
    return {
        "served_area": list(served_area().bounds),
        "platforms": [{"id": p.pk, "code": p.code, "name": local_name(p), "mobile": p.mobile,
                       "district": local_name(p.district), "lon": p.lon, "lat": p.lat} for p in platforms],
        "stands": [{"id": s.pk, "code": s.code, "name": local_name(s), "platform": s.platform.code, "lon": s.lon, "lat": s.lat}
                   for s in Stand.objects.filter(platform__code__in=codes, active=True).select_related("platform")],
        "zones": [{"code": z.code, "name": local_name(z), "response_class": z.response_class, "polygon": z.polygon}
                  for z in Zone.objects.filter(platform__code__in=codes).order_by("code")],
        "key_sites": [{"code": k.code, "lon": k.lon, "lat": k.lat, "radius_m": k.radius_m} for k in KeySite.objects.all()],
    }


def _words() -> dict:
    """The words the page's script shows (static/command/pages/planning.js), in the request's language."""
    return {
        "status": {"queued": _("Queued"), "running": _("Running"), "ready": _("Ready for review"), "failed": _("Failed"),
                   "accepted": _("Accepted"), "superseded": _("Superseded")},
        "stage": {"starting": _("Starting"), "demand": _("Reading the demand"), "candidates": _("Listing the candidates"),
                  "travel times": _("Road travel times"), "solving": _("Solving exactly"),
                  "extra crews": _("Counting the crews the goals would take"), "done": _("Done")},
        "class": {"60": _("Key sites (60 s)"), "180": _("City centre (180 s)"), "300": _("Other (300 s)"),
                  "overall": _("Overall")},
        "summary": _("{claim}: {cells} cells × {candidates} candidates, {crews} crews on duty, crews busy {busy} of the "
                     "time; demand from {source} ({calls} calls expected in the band); solved in {seconds} s."),
        "proven": _("Proven optimal (gap 0)"), "not_proven": _("Not proven: gap {gap}"),
        "source": {"history": _("the incident history"), "call_model": _("the call model (no history yet)")},
        "stays": _("stays where it is"), "moves": _("moves {metres} m to {stand}"), "reserve": _("{n} kept ready with the truck"),
        "uncovered": _("{calls} of the band's calls ({share}) fall where no crew of the plan reaches them within target; "
                       "today: {today}."),
        "extra": _("To put {overall} of the calls and {key} of the key sites' within reach of a free crew, {crews} more "
                   "crews would be needed: {where}."),
        "extra_none": _("The plan already puts {overall} of the calls and {key} of the key sites' within reach of a free crew."),
        "extra_unreachable": _("Even a crew at every candidate point would reach only {best} of the calls within target."),
        "accepted": _("Accepted by {user} at {at}: the platforms move at the band's start, the patrol tasks are the plan's."),
        "failed": _("The plan failed: {error}"), "accept": _("Accept the plan"), "run": _("Run the plan"),
        "platform": _("platform"), "stand": _("stand"), "post": _("post"), "route": _("route"), "zone": _("area"),
        "here": _("where it is"),
    }


def moveup_words() -> dict:
    """The words of the console's move-up panel (static/command/lib/console_moveup.js reads them from
    the console's `labels.moveup`), in the request's language."""
    return {
        "title": _("Move-up"), "none": _("No move-up needed: the free units cover what they can."),
        "coverage": _("Free units reach {share} of the demand within target ({free} free units)."),
        "order": _("Order the move"), "ordered": _("Ordered"), "moves_to": _("{unit} → {place}"),
        "drive": _("{minutes} min drive"), "gain": _("+{gain} coverage"),
        "status": {"open": _("Suggested"), "ordered": _("Ordered"), "arrived": _("Arrived"), "missed": _("Not carried out"),
                   "dropped": _("No longer needed")},
    }
