"""A traffic control point with a closed road segment, placed by a supervisor on the live map, makes the
real worker's recommendation route around it: the crew's leg to a call beyond the closure is the closed
network's (longer, by another way), not the open one that drove the closed stretch."""

import pytest
from playwright.sync_api import expect

from common.roles import Role
from dispatch.models import Recommendation
from grid import closures, travel
from tests import factories as f
from tests.e2e.support import API, POSTED, STEP_MS, SUPERVISOR, click_at, log_in, map_point, shot, wait_for, watch
from tests.e2e.tablet_support import tablet_context
from tests.places import FAR_WEST
from traffic.models import RoadClosure

CREW = (POSTED[1], POSTED[0])  # lon, lat


def api_call(page, url: str, body: dict, key: str = "") -> dict:
    headers = {"Idempotency-Key": key} if key else {}
    return page.evaluate(f"([url, body, headers]) => import('{API}').then((m) => m.api(url, "
                         "{ method: 'POST', body, headers }))", [url, body, headers])


def place_on_the_map(page, name: str, ends) -> None:
    """The supervisor's form: a name, the reason, a window from a minute ago, the point and the closure's
    two ends clicked on the live map."""
    form = page.locator("#control-form")
    form.locator("input[name=name]").fill(name)
    form.locator("select[name=reason]").select_option("closure")
    page.evaluate("""() => { const local = (ms) => new Date(ms - new Date().getTimezoneOffset() * 60000).toISOString().slice(0, 16);
        const form = document.getElementById('control-form');
        form.starts_at.value = local(Date.now() - 60000); form.ends_at.value = local(Date.now() + 7200000); }""")
    page.evaluate(f"([a, b]) => import('{SUPERVISOR}').then((m) => m.supervisorMap.map.fitBounds([[a[1], a[0]], [b[1], b[0]]],"
                  " { padding: [80, 80], animate: false }))", [list(ends[0]), list(ends[1])])
    for what, (lon, lat) in (("point", ends[0]), ("from", ends[0]), ("to", ends[1])):
        form.locator(f'button[data-pick="{what}"]').click()
        page.locator("#supervisor-map").scroll_into_view_if_needed()  # the mouse only reaches what is in view
        click_at(page, "#supervisor-map", map_point(page, SUPERVISOR, "supervisorMap", lat, lon))
    form.locator("[type=submit]").click()
    wait_for(lambda: form.locator(".form-done").text_content() or form.locator(".form-error").text_content())
    assert (form.locator(".form-error").text_content(), form.locator(".picked").get_attribute("data-to") != "") == ("", True)
    expect(form.locator(".form-done")).to_have_text("已设置：所有路线将绕开封闭路段。", timeout=STEP_MS)


def crews_option(incident_id: int, unit_id: int) -> dict:
    wait_for(lambda: Recommendation.objects.filter(incident_id=incident_id).exists())
    options = Recommendation.objects.filter(incident_id=incident_id).order_by("created_at").first().options
    return next(o for o in options if o["unit"] == unit_id)


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_closed_segment_makes_the_recommendation_route_around_it(asgi_server, worker, city, chromium, page_errors):
    open_route = travel.route(CREW, FAR_WEST)
    path = open_route.geometry["coordinates"]
    ends = tuple(path[len(path) * 2 // 5]), tuple(path[len(path) // 2])
    f.membership(f.UserFactory(username="control-supervisor"), Role.SUPERVISOR, platform=city.platform)
    f.membership(f.UserFactory(username="control-dispatcher"), Role.DISPATCHER)
    supervisor = watch(chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page(),
                       page_errors)
    log_in(supervisor, asgi_server, "control-supervisor", "/supervisor/", live=False)
    place_on_the_map(supervisor, "延安路管制点", ends)
    point = {"id": int(supervisor.locator("#control-form").get_attribute("data-placed"))}
    closure = RoadClosure.objects.get()
    shot(supervisor, "traffic-control-1-placed")
    tablet = watch(tablet_context(chromium, POSTED).new_page(), page_errors)
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/traffic/", live=False)
    shown = tablet.locator(f'#control-points li[data-point="{point["id"]}"]')
    expect(shown).to_contain_text("延安路管制点")
    expect(shown.locator(".closure")).to_contain_text(f"封闭： {closure.road_name}".strip())
    expect(shown.locator(".closure")).to_contain_text(f"({round(closure.length_m)} m)")

    closures.forget()
    travel.engines.reset()
    closed_route = travel.route(CREW, FAR_WEST)  # this process reads the same closure
    dispatcher = watch(chromium.new_context(locale="zh-CN").new_page(), page_errors)
    log_in(dispatcher, asgi_server, "control-dispatcher", "/console/")
    incident = api_call(dispatcher, "/api/v1/incidents/", {"category": "dispute", "priority": 2, "lon": FAR_WEST[0],
                                                           "lat": FAR_WEST[1], "address": "管制点以西"}, key="control-1")
    option = crews_option(incident["id"], city.pk)
    shot(dispatcher, "traffic-control-2-console")

    closed_pairs = set(zip(map(tuple, closure.line["coordinates"]), map(tuple, closure.line["coordinates"][1:])))
    drove = lambda route: set(zip(map(tuple, route.geometry["coordinates"]), map(tuple, route.geometry["coordinates"][1:])))  # noqa: E731
    assert closed_pairs & drove(open_route) and not closed_pairs & drove(closed_route)
    assert closed_route.distance_m > open_route.distance_m + 50
    assert abs(option["distance_m"] - closed_route.distance_m) < 25   # the worker routed the closed network
    assert option["eta_s"] > open_route.duration_s
    assert page_errors == []
