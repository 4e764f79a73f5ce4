"""Deployment planning and move-up (布警, 动态补位; issue 17) in real headless Chromium against the real
ASGI app and a real Celery worker with beat: a platform supervisor runs the plan of the band under way,
accepts it, and the platform's marker moves to the plan's stand on the dispatcher's console; the crew
left at the zone's edge is a coverage gap, the console's move-up panel suggests moving it up, the
dispatcher orders it, and the crew's tablet shows the relocation with its road route."""
import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.roles import Role
from planning import bands
from planning.models import DeploymentPlan, PlannedMove, Stand
from platforms import positions
from platforms.models import Platform, Shift
from tests import factories as f
from tests.dispatch.test_worker import Worker
from tests.e2e.support import CONSOLE, STEP_MS, log_in, shot, wait_for, watch
from tests.e2e.tablet_support import console_beside, tablet_context

pytestmark = [pytest.mark.e2e, pytest.mark.slow, pytest.mark.timeout(1200)]
EDGE = (31.2215, 121.4650)      # lat, lon: the zone's south-west corner, where the platform and the crew start
STAND = (121.4737, 31.2304)     # lon, lat: People's Square, the zone's middle
PLAN_S = 600                    # a plan routes its matrix and solves exactly on the worker (a loaded machine)


@pytest.fixture
def planner(tmp_path, road_network):
    """The real worker with beat, its exact solves held to 30 s (the extra crews' search included)."""
    from command.celery import app as celery_app

    celery_app.control.purge()
    started = Worker(tmp_path, ACK_TIMEOUT_S="600", ROAD_DATA_DIR=str(road_network), PLANNING_TIME_LIMIT_S="30").start()
    yield started
    started.stop()
    celery_app.control.purge()


def a_band_to_plan(city) -> None:
    """The crew's shift and a crewed platform truck cover the whole band under way; the platform waits
    at the zone's corner with a stand in the middle; a supervisor of the platform."""
    band = bands.band_at(timezone.now())
    Shift.objects.filter(pk=city.shift_id).update(starts_at=band.starts_at - timedelta(hours=1),
                                                  ends_at=band.ends_at + timedelta(hours=1))
    platform = city.platform
    Platform.objects.filter(pk=platform.pk).update(lon=EDGE[1], lat=EDGE[0])
    truck = f.UnitFactory(platform=platform, shift=city.shift, call_sign="人广车",
                          vehicle=f.VehicleFactory(platform=platform, kind="platform_truck"), capabilities=["patrol"])
    truck.officers.add(f.OfficerFactory(platform=platform, squad=city.shift.squad))
    Stand.objects.create(platform=platform, code="S0101", name="人民广场停靠点", lon=STAND[0], lat=STAND[1])
    f.membership(f.UserFactory(username="planning-supervisor"), Role.SUPERVISOR, platform=platform)
    positions.fixes_accept(fixes=[positions.Fix(unit_id=city.pk, lon=EDGE[1], lat=EDGE[0], at=timezone.now())],
                           source="test")


def on_console(page, expression: str):
    """`expression` evaluated with `p`, the console's ConsolePlanning (static/command/lib/console_planning.js)."""
    return page.evaluate(f"import('{CONSOLE}').then((m) => {{ const p = m.consolePlanning; return {expression}; }})")


def run_and_accept(page, url: str, worker) -> None:
    log_in(page, url, "planning-supervisor", "/supervisor/planning/", live=False)
    page.click("#plan-run")
    try:
        wait_for(DeploymentPlan.objects.exists)
    except AssertionError:
        pytest.fail(f"no plan asked: {page.locator('#plan-stage').text_content()}")
    wait_for(lambda: DeploymentPlan.objects.filter(status__in=("ready", "failed")).exists(), PLAN_S)
    plan = DeploymentPlan.objects.get()
    log = (worker.tmp_path / "worker.log").read_text(errors="replace")[-3000:]
    assert (plan.status, plan.error) == ("ready", ""), log
    expect(page.locator("body")).to_have_attribute("data-plan-status", "ready", timeout=STEP_MS)
    page.click("#plan-accept")
    expect(page.locator("body")).to_have_attribute("data-plan-status", "accepted", timeout=STEP_MS)
    shot(page, "planning-accepted")


def test_a_plan_moves_the_platform_and_a_move_up_reaches_the_tablet(chromium, asgi_server, planner, city, page_errors):
    a_band_to_plan(city)
    console = console_beside(chromium, asgi_server, page_errors)
    supervisor = watch(chromium.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page(),
                       page_errors)
    run_and_accept(supervisor, asgi_server, planner)
    assert PlannedMove.objects.get().stand.code == "S0101"

    # beat carries the move out (due at once: the band is under way) and the console hears of it
    expect(console.locator("body")).to_have_attribute("data-platform-moved", "P01:S0101", timeout=STEP_MS)
    where = on_console(console, f"p.platformMarkers.byId.get({city.platform_id}).getLatLng()")
    assert (round(where["lng"], 4), round(where["lat"], 4)) == STAND

    tablet = watch(tablet_context(chromium, EDGE).new_page(), page_errors)
    log_in(tablet, asgi_server, "tablet-officer", "/tablet/")
    console.click("#tab-moveup")
    order = console.locator(f"#moveup-panel li[data-unit='{city.pk}'] button[data-move-up]")
    expect(order).to_be_visible(timeout=STEP_MS)
    expect(console.locator("#moveup-count")).to_have_text(re.compile(r"^[1-9]\d*$"))
    shot(console, "console-moveup-suggested")
    order.click()
    expect(console.locator(f"#moveup-panel li[data-unit='{city.pk}']")).to_have_attribute("data-status", "ordered",
                                                                                        timeout=STEP_MS)

    relocation = tablet.locator("#relocation-tile")
    expect(relocation).to_be_visible(timeout=STEP_MS)
    expect(relocation).to_have_attribute("data-route-points", re.compile(r"^[1-9]\d*$"))
    expect(relocation.locator(".relocation-place")).not_to_be_empty()
    shot(tablet, "tablet-relocation")

    # the order stands after the tablet is reloaded (the snapshot carries it)
    tablet.reload()
    expect(relocation).to_be_visible(timeout=STEP_MS)
    expect(relocation).to_have_attribute("data-route-points", re.compile(r"^[1-9]\d*$"))
    shot(tablet, "tablet-relocation-reloaded")
    assert page_errors == []
