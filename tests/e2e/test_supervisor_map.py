"""A platform supervisor's live map in real headless Chromium against the real ASGI app (uvicorn on
loopback, Channels on the run's Valkey): their platform's units (status, call sign, staleness) and
open incidents, read-only, kept live over the console socket. The dispatcher stands down a unit of
another platform, then one of the supervisor's: the supervisor's map shows theirs and never hears of
the other, while the command centre's console, open beside it, hears both."""
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from common.roles import Role
from platforms import positions
from tests import factories as f
from tests.e2e.support import (
    API,
    CONSOLE,
    SUPERVISOR,
    click_at,
    log_in,
    map_point,
    shot,
    wait_for,
    watch,
)

NEAR = {"人广01": (31.2310, 121.4760), "人广02": (31.2280, 121.4700)}
FAR = (31.2400, 121.5000)
EMPTY_SPOT = (31.2350, 121.4680)  # inside the supervisor's zone, away from units, platform and incident

# What a page's live console holds: units as [call sign, status, stale], incident numbers on the map.
UNITS_ON = """(module) => import(module).then((m) => {
  const live = m.supervisorMap || m.liveConsole;
  return [...live.unitsLayer.units.values()].map((u) => [u.call_sign, u.status, u.stale]).sort();
})"""
INCIDENTS_ON = f"""() => import('{SUPERVISOR}').then((m) =>
  [...m.supervisorMap.markers.keys()].map((id) => m.supervisorMap.incidents.get(id).number).sort())"""
SET_UNAVAILABLE = """(id) => import('%s').then((m) =>
  m.api(`/api/v1/units/${id}/status`, { method: "POST", body: { status: "unavailable", reason: "车辆故障" } })).then((unit) => unit.status)""" % API
# Every event the supervisor's page hears from now on, positions aside.
RECORD = """() => import('%s').then((m) => {
  const feed = m.supervisorMap.feed;
  const apply = feed.onEvent;
  window.heard = [];
  feed.onEvent = (message) => {
    if (message.event && message.event !== "units.moved") {
      window.heard.push([message.event, message.data.call_sign || message.data.number, message.data.status]);
    }
    apply(message);
  };
})""" % SUPERVISOR


@pytest.fixture
def scene(transactional_db, settings):
    # The server checks passwords with the real hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    positions.avl_wipe()
    home = f.PlatformFactory(code="P01", name="人民广场平台", lon=121.4737, lat=31.2304)
    away = f.PlatformFactory(code="P09", name="陆家嘴平台", lon=121.5000, lat=31.2380)
    f.ZoneFactory(platform=home, code="Z01", name="人民广场网格")
    f.ZoneFactory(platform=away, code="Z09", name="陆家嘴网格", polygon=f.square(121.5000, 31.2400, half=0.005))
    units = {sign: f.UnitFactory(platform=home, call_sign=sign) for sign in NEAR}
    units["远01"] = f.UnitFactory(platform=away, call_sign="远01")
    now = timezone.now()
    fixes = [positions.Fix(unit_id=units["人广01"].pk, lon=NEAR["人广01"][1], lat=NEAR["人广01"][0], at=now),
             positions.Fix(unit_id=units["人广02"].pk, lon=NEAR["人广02"][1], lat=NEAR["人广02"][0],
                           at=now - timedelta(minutes=5)),  # stale: drawn hollow
             positions.Fix(unit_id=units["远01"].pk, lon=FAR[1], lat=FAR[0], at=now)]
    assert positions.fixes_accept(fixes=fixes, source="test").accepted == 3
    f.IncidentFactory(number="110-NEAR", lon=121.4790, lat=31.2290, zone=home.zones.get())
    f.IncidentFactory(number="110-FAR", lon=121.5010, lat=31.2410, zone=away.zones.get())
    f.membership(f.UserFactory(username="platform-supervisor"), Role.SUPERVISOR, platform=home)
    f.membership(f.UserFactory(username="wall-dispatcher"), Role.DISPATCHER)
    yield units
    positions.avl_wipe()


def click_map_at(page, lat: float, lon: float) -> None:
    click_at(page, "#supervisor-map", map_point(page, SUPERVISOR, "supervisorMap", lat, lon))


def stand_down_theirs_and_another_platforms(supervisor, console, scene) -> dict:
    """The dispatcher stands down the other platform's unit first, then one of theirs (the REST call
    the product makes; the server publishes after commit): what each page then holds."""
    for sign in ("远01", "人广01"):
        assert console.evaluate(SET_UNAVAILABLE, scene[sign].pk) == "unavailable"
    # Polled with evaluate: wait_for_function evaluates a string, which the pages' CSP refuses.
    wait_for(lambda: supervisor.evaluate("() => (window.heard || []).length > 0"))
    wait_for(lambda: console.evaluate(f"""() => import('{CONSOLE}').then((m) =>
        [...m.liveConsole.units.values()].filter((u) => u.status === "unavailable").length === 2)"""))
    supervisor.wait_for_timeout(300)  # let the next frame draw the canvas before the screenshot
    board = supervisor.evaluate("""() => Object.fromEntries([...document.querySelectorAll('#unit-board .status-counts [data-status]')]
        .map((li) => [li.dataset.status, li.querySelector('strong').textContent]))""")
    return {"heard": supervisor.evaluate("() => window.heard"), "units": supervisor.evaluate(UNITS_ON, SUPERVISOR),
            "console": console.evaluate(UNITS_ON, CONSOLE), "board": board}


def read_only_clicks(supervisor) -> tuple[int, int, int]:
    """A unit shows its status and no message form; a click elsewhere opens no new incident: the
    forms and action buttons found."""
    click_map_at(supervisor, *NEAR["人广01"])
    expect(supervisor.locator(".unit-popup")).to_contain_text("人广01")
    popup_forms = supervisor.locator(".unit-popup form").count()
    supervisor.wait_for_timeout(300)  # the popup fades in
    shot(supervisor, "supervisor-map")
    supervisor.locator(".leaflet-popup-close-button").click()
    click_map_at(supervisor, *EMPTY_SPOT)
    supervisor.wait_for_timeout(300)
    return (popup_forms, supervisor.locator("form.new-incident").count(),
            supervisor.locator("button.accept, button[data-send], button[data-close]").count())


@pytest.mark.e2e
@pytest.mark.django_db(transaction=True)
def test_a_supervisors_map_hears_their_platforms_unit_and_not_another_platforms(asgi_server, scene, chromium,
                                                                                 page_errors):
    supervisor = watch(chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page(),
                       page_errors)
    console = watch(chromium.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN").new_page(),
                    page_errors)
    log_in(supervisor, asgi_server, "platform-supervisor", "/supervisor/")
    log_in(console, asgi_server, "wall-dispatcher", "/console/")

    # Their platform's units, the stale one flagged, and their open incident: nothing of P09's.
    assert supervisor.evaluate(UNITS_ON, SUPERVISOR) == [["人广01", "available", False], ["人广02", "available", True]]
    assert supervisor.evaluate(INCIDENTS_ON) == ["110-NEAR"]
    expect(supervisor.locator("#incident-queue [data-incident]")).to_have_count(1)
    expect(supervisor.locator("#incident-queue .number")).to_have_text("110-NEAR")
    supervisor.evaluate(RECORD)
    after = stand_down_theirs_and_another_platforms(supervisor, console, scene)
    clicks = read_only_clicks(supervisor)

    assert page_errors == []
    assert after["heard"] == [["unit.status", "人广01", "unavailable"]]
    assert after["units"] == [["人广01", "unavailable", False], ["人广02", "available", True]]
    assert [row[:2] for row in after["console"]] == [["人广01", "unavailable"], ["人广02", "available"],
                                                     ["远01", "unavailable"]]
    assert after["board"] == {"available": "1", "unavailable": "1"}
    assert clicks == (0, 0, 0)
