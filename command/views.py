"""The site's pages: each role lands on its own. Thin: authorize, read a selector, render."""
import gzip
import json

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.translation import gettext as _

from command import selectors, tablet_page
from command.labels import page_labels
from command.planning_views import moveup_words
from common.roles import Role, access_of
from grid import basemap

LANDING = {
    Role.DISPATCHER: "console",
    Role.SUPERVISOR: "supervisor",
    Role.OFFICER: "tablet",
    Role.CLERK: "desk",
    Role.ADMINISTRATOR: "admin:index",
    Role.LEADERSHIP: "review-briefings",
}


def _require(request, *allowed: str):
    role = access_of(request).role
    if role not in allowed:
        raise PermissionDenied(_("Your role may not open this page."))
    return access_of(request)


@login_not_required
def favicon(request):
    """Browsers ask /favicon.ico of every page, the admin's too: the site's icon, not a 404."""
    from django.templatetags.static import static

    return redirect(static("command/favicon.svg"), permanent=True)


def home(request):
    role = access_of(request).role
    if role is None:
        return render(request, "command/no_role.html", status=403)
    return redirect(LANDING[role])


def console(request):
    _require(request, Role.DISPATCHER, Role.ADMINISTRATOR)
    labels = page_labels()
    labels["moveup"] = moveup_words()  # the move-up panel's words (static/command/lib/console_moveup.js)
    context = {**selectors.console_page(), "labels": labels,
               "console_user": {"id": request.user.pk, "username": request.user.get_username()}}
    return render(request, "command/console.html", context)


def tablet(request):
    access = _require(request, Role.OFFICER)
    context = selectors.tablet_page(access.officer)
    labels = page_labels()
    labels["ui"].update(tablet_page.tablet_words())
    return render(request, "command/tablet.html", {**context, **tablet_page.tablet_context(context["unit"]),
                                                   "labels": labels})


@login_not_required
def tablet_service_worker(request):
    """The tablet's service worker (templates/command/tablet_sw.js): served from under /tablet/ so its
    scope covers the page. Public like the static files it names; never cached by HTTP, so a new
    release reaches the tablets on their next visit."""
    context = tablet_page.service_worker_context()
    context.update(shell_json=json.dumps(context["shell"]), page=reverse("tablet"))
    response = render(request, "command/tablet_sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


def supervisor(request):
    access = _require(request, Role.SUPERVISOR, Role.ADMINISTRATOR)
    context = {**selectors.supervisor_page(access.platform_ids), **selectors.supervisor_day(access.platform_ids),
               "labels": page_labels()}
    return render(request, "command/supervisor.html", context)


def desk(request):
    access = _require(request, Role.CLERK, Role.ADMINISTRATOR)
    return render(request, "command/desk.html", selectors.desk_context(access.platform_ids))


def basemap_tile(request, z: int, x: int, y: int):
    """One vector tile of the road network for the map (grid.basemap); any role may read it."""
    if access_of(request).role is None:
        raise PermissionDenied(_("Your role may not open this page."))
    try:
        tile = basemap.tile_ref(z=z, x=x, y=y)
    except (basemap.NoSuchTile, basemap.NoRoadNetwork) as error:
        return JsonResponse({"detail": str(error)}, status=404)
    response = get_conditional_response(request, etag=tile.etag) or _tile_response(request, tile.gzipped())
    response["ETag"], response["Cache-Control"] = tile.etag, tile.cache_control(request.GET.get("v"))
    return response


def _tile_response(request, gzipped: bytes) -> HttpResponse:
    # Stored gzipped: every browser accepts that; anything else gets it unpacked.
    if "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(gzipped, content_type="application/json", headers={"Content-Encoding": "gzip"})
    else:
        response = HttpResponse(gzip.decompress(gzipped), content_type="application/json")
    patch_vary_headers(response, ["Accept-Encoding"])
    return response


def supervisor_what_if(request):
    """The what-if page: a simulated day with a change, beside the day as rostered."""
    from command.simulation import whatif

    access = _require(request, Role.SUPERVISOR, Role.ADMINISTRATOR)
    form = whatif.WhatIfForm(request.GET if "run" in request.GET else None, platform_ids=access.platform_ids)
    context, status = {"form": form}, 200
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        result = whatif.compare(what_if=form.what_if(), seed=data["seed"], hours=data["hours"])
        context.update(result=result, **whatif.chart(result["chart"]))
    elif form.is_bound:
        status = 400
    return render(request, "command/whatif.html", context, status=status)
